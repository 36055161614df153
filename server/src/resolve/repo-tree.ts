/**
 * The REST API for scanning a repository that is not on disk: repository metadata (default branch,
 * archived, fork), git trees at a commit, git blobs, and the repositories of an organisation or a user
 * (paginated by the Link header). Every answer is untrusted: shapes are checked, SHAs must be hex, and a
 * blob's content must hash to the SHA it was asked for (a git blob SHA is the SHA-1 of
 * `blob <size>\0<content>`), so neither a broken server nor a tampered cache can pass one file off as
 * another. Blobs are content-addressed, so they are cached on disk forever, keyed by host and SHA.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpClient } from './http';
import { fail, isValidRepoName, ok, type Result } from './types';

const JSON_HEADERS = { Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28' };
/** Git object names: SHA-1 (40 hex) or SHA-256 (64 hex). */
/** A SHA-1 git object name: blobs are verified against it (GitHub serves no SHA-256 repositories). */
export const OBJECT_SHA_RE = /^[0-9a-f]{40}$/;
/** Longest path accepted from a tree listing (git itself has no limit; no real Actions file comes close). */
const MAX_TREE_PATH = 4096;
/** At most this many pages of 100 repositories are listed for one organisation or user. */
export const MAX_REPO_PAGES = 100;

export interface RepoInfo {
  owner: string;
  repo: string;
  defaultBranch: string;
  archived: boolean;
  fork: boolean;
}

export interface TreeEntry {
  path: string;
  /** `blob`, `tree` or `commit` (a submodule). */
  type: string;
  mode: string;
  sha: string;
  /** Bytes, for blobs. */
  size?: number;
}

export interface TreeListing {
  entries: TreeEntry[];
  /** GitHub left entries out (the tree is over its limits for one answer). */
  truncated: boolean;
}

function repoPath(owner: string, repo: string): string {
  return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
}

async function getJson(http: HttpClient, path: string): Promise<Result<{ value: unknown; link: string | null }>> {
  const response = await http.request('api', path, { auth: 'bearer', headers: JSON_HEADERS });
  if (!response.ok) return response;
  try {
    return ok({ value: JSON.parse(new TextDecoder().decode(response.value.body)), link: response.value.headers.get('link') });
  } catch {
    return fail('malformed', `${http.api.host} sent malformed JSON for ${path.split('?')[0]}`);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `GET /repos/{o}/{r}`: the default branch and whether the repository is archived or a fork. */
export async function repositoryInfo(http: HttpClient, owner: string, repo: string): Promise<Result<RepoInfo>> {
  const body = await getJson(http, repoPath(owner, repo));
  if (!body.ok) {
    if (body.error.kind === 'not-found')
      return fail('not-found', `${owner}/${repo} was not found on ${http.api.host} (or it is private and the token cannot read it)`);
    return body;
  }
  const info = repoFromJson(body.value.value);
  return info ? ok(info) : fail('malformed', `${http.api.host} sent malformed repository metadata for ${owner}/${repo}`);
}

/** A repository of an API answer (`GET /repos/...` or an item of a listing), checked; null when malformed. */
export function repoFromJson(value: unknown): RepoInfo | null {
  if (!isObject(value)) return null;
  const fullName = value.full_name;
  const branch = value.default_branch;
  if (typeof fullName !== 'string' || typeof branch !== 'string' || branch === '' || branch.length > 255) return null;
  const slash = fullName.indexOf('/');
  const owner = fullName.slice(0, slash);
  const repo = fullName.slice(slash + 1);
  if (slash < 0 || !isValidRepoName(owner, repo)) return null;
  return { owner, repo, defaultBranch: branch, archived: value.archived === true, fork: value.fork === true };
}

/** `GET /repos/{o}/{r}/git/trees/{sha}[?recursive=1]`. */
export async function gitTree(
  http: HttpClient,
  owner: string,
  repo: string,
  sha: string,
  recursive: boolean,
): Promise<Result<TreeListing>> {
  if (!OBJECT_SHA_RE.test(sha)) return fail('invalid', `\`${sha}\` is not a git object name`);
  const body = await getJson(http, `${repoPath(owner, repo)}/git/trees/${sha}${recursive ? '?recursive=1' : ''}`);
  if (!body.ok) {
    if (body.error.kind === 'not-found') return fail('not-found', `${owner}/${repo} has no tree or commit ${sha.slice(0, 12)}`);
    return body;
  }
  const value = body.value.value;
  if (!isObject(value) || !Array.isArray(value.tree))
    return fail('malformed', `${http.api.host} sent a malformed tree for ${owner}/${repo}`);
  const entries: TreeEntry[] = [];
  for (const item of value.tree) {
    if (!isObject(item)) continue;
    const { path, type, mode, sha: entrySha, size } = item;
    if (typeof path !== 'string' || typeof type !== 'string' || typeof mode !== 'string' || typeof entrySha !== 'string') continue;
    if (!OBJECT_SHA_RE.test(entrySha) || path === '' || path.length > MAX_TREE_PATH) continue;
    entries.push({ path, type, mode, sha: entrySha, ...(typeof size === 'number' && size >= 0 ? { size } : {}) });
  }
  return ok({ entries, truncated: value.truncated === true });
}

/** The git blob SHA-1 of some content. */
export function gitBlobSha1(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/**
 * `GET /repos/{o}/{r}/git/blobs/{sha}`: the blob's bytes, checked against its SHA (SHA-1 names only;
 * GitHub serves no SHA-256 repositories today).
 */
export async function gitBlob(http: HttpClient, owner: string, repo: string, sha: string): Promise<Result<Uint8Array>> {
  if (!OBJECT_SHA_RE.test(sha)) return fail('invalid', `\`${sha}\` is not a git object name`);
  const body = await getJson(http, `${repoPath(owner, repo)}/git/blobs/${sha}`);
  if (!body.ok) return body;
  const value = body.value.value;
  if (!isObject(value) || typeof value.content !== 'string' || (value.encoding !== 'base64' && value.encoding !== 'utf-8'))
    return fail('malformed', `${http.api.host} sent a malformed blob ${sha.slice(0, 12)} for ${owner}/${repo}`);
  const bytes = value.encoding === 'base64' ? Buffer.from(value.content, 'base64') : Buffer.from(value.content, 'utf8');
  if (sha.length === 40 && gitBlobSha1(bytes) !== sha)
    return fail(
      'inconsistent',
      `${http.api.host} sent content for blob ${sha.slice(0, 12)} of ${owner}/${repo} that does not match its SHA; it was not used`,
    );
  return ok(bytes);
}

/**
 * Blobs on disk: `<dir>/blobs/<host hash>/<sha>`. A blob never changes, so there is no expiry; what is
 * read back is checked against its SHA again (a damaged or edited file is refetched). Disk errors are
 * ignored: the cache only saves requests.
 */
export class BlobCache {
  private readonly folder: string | null;

  constructor(dir: string | null, apiOrigin: string) {
    this.folder = dir ? join(dir, 'blobs', createHash('sha256').update(apiOrigin).digest('hex').slice(0, 16)) : null;
  }

  get(sha: string): Uint8Array | undefined {
    if (!this.folder || !OBJECT_SHA_RE.test(sha)) return undefined;
    try {
      const bytes = readFileSync(join(this.folder, sha));
      return sha.length !== 40 || gitBlobSha1(bytes) === sha ? bytes : undefined;
    } catch {
      return undefined;
    }
  }

  set(sha: string, bytes: Uint8Array): void {
    if (!this.folder || !OBJECT_SHA_RE.test(sha)) return;
    try {
      mkdirSync(this.folder, { recursive: true });
      const file = join(this.folder, sha);
      const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      writeFileSync(temporary, bytes);
      renameSync(temporary, file);
    } catch {
      // A read-only or full disk only costs a request next time.
    }
  }
}

/** The `page` of the `rel="next"` link of a Link header, or null when there is none. */
export function nextPage(link: string | null): number | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const close = part.indexOf('>');
    if (part.indexOf('<') < 0 || close < 0 || !part.slice(close + 1).includes('rel="next"')) continue;
    const target = part.slice(part.indexOf('<') + 1, close);
    let url: URL;
    try {
      url = new URL(target, 'https://invalid.invalid');
    } catch {
      return null;
    }
    const page = Number(url.searchParams.get('page'));
    return Number.isInteger(page) && page > 0 ? page : null;
  }
  return null;
}

export interface OwnerListing {
  repos: RepoInfo[];
  /** Items of the listing that were not valid repositories (names GitHub would never give), skipped. */
  malformed: number;
  /** More pages than MAX_REPO_PAGES: the rest was not listed. */
  capped: boolean;
  /** Listed as a user (`/users/{u}/repos`): `/orgs/{o}` answered 404. */
  user: boolean;
}

/**
 * Every repository of an organisation (`GET /orgs/{o}/repos`), or of a user when that is 404
 * (`GET /users/{u}/repos`), 100 a page, following the Link header's next page. Only the page number is
 * taken from the link: the request is always built here, for the configured API host.
 */
export async function listOwnerRepos(http: HttpClient, owner: string): Promise<Result<OwnerListing>> {
  if (!isValidRepoName(owner, 'x')) return fail('invalid', `\`${owner}\` is not a valid organisation or user name`);
  const listing: OwnerListing = { repos: [], malformed: 0, capped: false, user: false };
  let base = `/orgs/${encodeURIComponent(owner)}/repos?per_page=100&type=all`;
  let page: number | null = 1;
  const seen = new Set<number>();
  while (page !== null) {
    if (seen.size >= MAX_REPO_PAGES) {
      listing.capped = true;
      break;
    }
    seen.add(page);
    const body = await getJson(http, `${base}&page=${page}`);
    if (!body.ok) {
      if (body.error.kind === 'not-found' && page === 1 && !listing.user) {
        listing.user = true;
        base = `/users/${encodeURIComponent(owner)}/repos?per_page=100&type=owner`;
        seen.clear();
        continue;
      }
      if (body.error.kind === 'not-found') return fail('not-found', `${owner} is neither an organisation nor a user on ${http.api.host}`);
      return body;
    }
    if (!Array.isArray(body.value.value)) return fail('malformed', `${http.api.host} sent a malformed repository list for ${owner}`);
    for (const item of body.value.value) {
      const info = repoFromJson(item);
      if (info) listing.repos.push(info);
      else listing.malformed++;
    }
    const next = nextPage(body.value.link);
    page = next !== null && !seen.has(next) ? next : null;
  }
  return ok(listing);
}
