/**
 * The REST API, for what ls-refs cannot answer: abbreviated SHAs (commits with the sha media type),
 * listing refs when upload-pack is unavailable (matching refs + peeling tag objects in a loop), and
 * ancestry (compare).
 */
import type { HttpClient } from './http';
import { ConflictingRefError, RefListing } from './ref-listing';
import { fail, FULL_SHA_RE, ok, type RefInfo, type RepoRefs, type Result } from './types';

const JSON_ACCEPT = 'application/vnd.github+json';
const MAX_PEEL_DEPTH = 8;

function repoPath(owner: string, repo: string): string {
  return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
}

function encodeRef(ref: string): string {
  return ref.split('/').map(encodeURIComponent).join('/');
}

async function getJson(http: HttpClient, path: string): Promise<Result<unknown>> {
  const response = await http.request('api', path, {
    auth: 'bearer',
    headers: { Accept: JSON_ACCEPT, 'X-GitHub-Api-Version': '2022-11-28' },
  });
  if (!response.ok) return response;
  try {
    return ok(JSON.parse(new TextDecoder().decode(response.value.body)));
  } catch {
    return fail('malformed', `${http.api.host} sent malformed JSON for ${path}`);
  }
}

/** `GET /repos/{o}/{r}/commits/{ref}` with `application/vnd.github.sha`: the peeled commit of any ref. */
export async function commitSha(http: HttpClient, owner: string, repo: string, ref: string): Promise<Result<string>> {
  const response = await http.request('api', `${repoPath(owner, repo)}/commits/${encodeRef(ref)}`, {
    auth: 'bearer',
    headers: { Accept: 'application/vnd.github.sha', 'X-GitHub-Api-Version': '2022-11-28' },
  });
  if (!response.ok) {
    if (response.error.kind === 'not-found') return fail('not-found', `\`${ref}\` is not a ref or commit of ${owner}/${repo}`);
    return response;
  }
  const sha = new TextDecoder().decode(response.value.body).trim();
  if (!FULL_SHA_RE.test(sha)) return fail('malformed', `${http.api.host} did not answer a commit SHA for ${owner}/${repo}@${ref}`);
  return ok(sha);
}

interface GitRefJson {
  ref?: unknown;
  object?: { type?: unknown; sha?: unknown };
}

/** Peels an annotated tag object (and tags of tags) to the object it finally names. */
export async function peelTag(
  http: HttpClient,
  owner: string,
  repo: string,
  tagSha: string,
): Promise<Result<{ type: string; sha: string }>> {
  let sha = tagSha;
  for (let depth = 0; depth < MAX_PEEL_DEPTH; depth++) {
    const body = await getJson(http, `${repoPath(owner, repo)}/git/tags/${sha}`);
    if (!body.ok) return body;
    const object = (body.value as GitRefJson).object;
    if (!object || typeof object.type !== 'string' || typeof object.sha !== 'string' || !FULL_SHA_RE.test(object.sha)) {
      return fail('malformed', `${http.api.host} sent a malformed tag object ${sha}`);
    }
    if (object.type !== 'tag') return ok({ type: object.type, sha: object.sha });
    sha = object.sha;
  }
  return fail('malformed', `tag chain from ${tagSha} is deeper than ${MAX_PEEL_DEPTH}`);
}

/** Lists tags and branches through `git/matching-refs`, peeling annotated tags. Costs one request per annotated tag. */
export async function listRefsRest(http: HttpClient, owner: string, repo: string, now: number): Promise<Result<RepoRefs>> {
  const tags: RefInfo[] = [];
  const branches: RefInfo[] = [];
  const listing = new RefListing();
  for (const prefix of ['tags', 'heads'] as const) {
    const body = await getJson(http, `${repoPath(owner, repo)}/git/matching-refs/${prefix}`);
    if (!body.ok) return body;
    if (!Array.isArray(body.value)) return fail('malformed', `${http.api.host} sent a malformed ref list for ${owner}/${repo}`);
    for (const item of body.value as GitRefJson[]) {
      const ref = item?.ref;
      const type = item?.object?.type;
      const sha = item?.object?.sha;
      if (typeof ref !== 'string' || typeof type !== 'string' || typeof sha !== 'string' || !FULL_SHA_RE.test(sha)) {
        return fail('malformed', `${http.api.host} sent a malformed ref for ${owner}/${repo}`);
      }
      try {
        if (!listing.add(ref, `${type} ${sha}`)) continue;
      } catch (error) {
        if (!(error instanceof ConflictingRefError)) throw error;
        return fail(
          'inconsistent',
          `${http.api.host} sent a contradictory ref list for ${owner}/${repo}: ${error.message}; nothing from it is used (no pin)`,
        );
      }
      if (prefix === 'heads') {
        branches.push({ name: ref.replace(/^refs\/heads\//, ''), kind: 'branch', commit: sha });
        continue;
      }
      const name = ref.replace(/^refs\/tags\//, '');
      if (type === 'commit') tags.push({ name, kind: 'tag', commit: sha });
      else if (type === 'tag') {
        const peeled = await peelTag(http, owner, repo, sha);
        if (!peeled.ok) return peeled;
        if (peeled.value.type === 'commit') tags.push({ name, kind: 'tag', commit: peeled.value.sha, tagObject: sha });
      }
    }
  }
  return ok({ repository: `${owner}/${repo}`.toLowerCase(), tags, branches, defaultBranch: null, fetchedAt: now });
}

export type CompareStatus = 'identical' | 'behind' | 'ahead' | 'diverged';

/** `GET /repos/{o}/{r}/compare/{base}...{head}`: `behind`/`identical` mean head is contained in base. */
export async function compare(http: HttpClient, owner: string, repo: string, base: string, head: string): Promise<Result<CompareStatus>> {
  const body = await getJson(http, `${repoPath(owner, repo)}/compare/${encodeRef(base)}...${encodeRef(head)}?per_page=1`);
  if (!body.ok) return body;
  const status = (body.value as { status?: unknown }).status;
  if (status === 'identical' || status === 'behind' || status === 'ahead' || status === 'diverged') return ok(status);
  return fail('malformed', `${http.api.host} sent a malformed comparison for ${owner}/${repo}`);
}

/** When a release was published (`release`), or, for a tag without a GitHub release, when its commit was made (`commit`). */
export interface ReleaseDate {
  /** Epoch milliseconds. */
  at: number;
  source: 'release' | 'commit';
}

function parseDate(value: unknown): number | null {
  if (typeof value !== 'string' || value.length > 40) return null;
  const at = Date.parse(value);
  return Number.isFinite(at) ? at : null;
}

/**
 * The date of release `tag` (peeled to `commit`): `GET /repos/{o}/{r}/releases/tags/{tag}` (`published_at`),
 * else, when the tag has no release, `GET /repos/{o}/{r}/commits/{commit}` (the committer date).
 */
export async function releaseDate(
  http: HttpClient,
  owner: string,
  repo: string,
  tag: string,
  commit: string,
): Promise<Result<ReleaseDate>> {
  const release = await getJson(http, `${repoPath(owner, repo)}/releases/tags/${encodeRef(tag)}`);
  if (release.ok) {
    const at = parseDate((release.value as { published_at?: unknown } | null)?.published_at);
    if (at !== null) return ok({ at, source: 'release' });
  } else if (release.error.kind !== 'not-found') return release;
  if (!FULL_SHA_RE.test(commit)) return fail('invalid', `${owner}/${repo}@${tag} has no full commit SHA to date`);
  const body = await getJson(http, `${repoPath(owner, repo)}/commits/${commit}`);
  if (!body.ok) return body;
  const dated = (body.value as { commit?: { committer?: { date?: unknown } } } | null)?.commit?.committer?.date;
  const at = parseDate(dated);
  if (at === null) return fail('malformed', `${http.api.host} sent no commit date for ${owner}/${repo}@${commit.slice(0, 12)}`);
  return ok({ at, source: 'commit' });
}
