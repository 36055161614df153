/**
 * Git smart HTTP, protocol v2 `ls-refs` with `peel` and `symrefs`: one POST lists every tag and branch
 * with its peeled commit. Needs no token for public repositories and does not spend the REST quota.
 */
import type { HttpClient } from './http';
import { dataLines, decodePackets, DELIM, encodeLine, FLUSH } from './pkt-line';
import { ConflictingRefError, RefListing } from './ref-listing';
import { fail, FULL_SHA_RE, ok, type RefInfo, type RepoRefs, type Result } from './types';

export function lsRefsRequestBody(): string {
  return (
    encodeLine('command=ls-refs\n') +
    encodeLine('object-format=sha1\n') +
    DELIM +
    encodeLine('peel\n') +
    encodeLine('symrefs\n') +
    encodeLine('ref-prefix HEAD\n') +
    encodeLine('ref-prefix refs/heads/\n') +
    encodeLine('ref-prefix refs/tags/\n') +
    FLUSH
  );
}

/**
 * Parses an ls-refs answer. Throws on anything that is not a well-formed listing, and
 * ConflictingRefError when one ref is listed twice with different objects, peeled objects or targets.
 */
export function parseLsRefs(repository: string, body: Uint8Array, now: number): RepoRefs {
  const lines = dataLines(decodePackets(body));
  const tags: RefInfo[] = [];
  const branches: RefInfo[] = [];
  const listing = new RefListing();
  let defaultBranch: string | null = null;
  for (const line of lines) {
    if (line.startsWith('ERR ')) throw new Error(`server error: ${line.slice(4)}`);
    const [oid, name, ...attributes] = line.split(' ');
    if (!FULL_SHA_RE.test(oid ?? '') || !name) throw new Error(`unexpected ls-refs line ${JSON.stringify(line.slice(0, 80))}`);
    let peeled: string | undefined;
    let symref: string | undefined;
    for (const attribute of attributes) {
      if (attribute.startsWith('peeled:')) peeled = attribute.slice('peeled:'.length);
      else if (attribute.startsWith('symref-target:')) symref = attribute.slice('symref-target:'.length);
    }
    if (peeled !== undefined && !FULL_SHA_RE.test(peeled)) throw new Error(`invalid peeled object in ${JSON.stringify(line.slice(0, 80))}`);
    if (!listing.add(name, `${oid}${peeled ? ` peeled:${peeled}` : ''}${symref !== undefined ? ` symref-target:${symref}` : ''}`)) continue;
    if (name === 'HEAD') {
      if (symref?.startsWith('refs/heads/')) defaultBranch = symref.slice('refs/heads/'.length);
    } else if (name.startsWith('refs/tags/')) {
      const tag = name.slice('refs/tags/'.length);
      tags.push(peeled ? { name: tag, kind: 'tag', commit: peeled, tagObject: oid } : { name: tag, kind: 'tag', commit: oid });
    } else if (name.startsWith('refs/heads/')) {
      branches.push({ name: name.slice('refs/heads/'.length), kind: 'branch', commit: oid });
    }
  }
  return { repository: repository.toLowerCase(), tags, branches, defaultBranch, fetchedAt: now };
}

export async function lsRefs(http: HttpClient, owner: string, repo: string, now: number): Promise<Result<RepoRefs>> {
  const path = `/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}.git/git-upload-pack`;
  const response = await http.request('server', path, {
    method: 'POST',
    // ls-refs only reads: it may be sent again after a connection reset.
    idempotent: true,
    auth: 'basic',
    headers: {
      'Content-Type': 'application/x-git-upload-pack-request',
      Accept: 'application/x-git-upload-pack-result',
      'Git-Protocol': 'version=2',
    },
    body: lsRefsRequestBody(),
  });
  if (!response.ok) {
    if (response.error.kind === 'not-found')
      return fail('not-found', `${owner}/${repo} was not found on ${http.server.host} (or it is private and no token was given)`);
    return response;
  }
  try {
    return ok(parseLsRefs(`${owner}/${repo}`, response.value.body, now));
  } catch (error) {
    if (error instanceof ConflictingRefError) {
      return fail(
        'inconsistent',
        `${http.server.host} sent a contradictory ref listing for ${owner}/${repo}: ${error.message}; nothing from it is used (no pin)`,
      );
    }
    return fail(
      'malformed',
      `${http.server.host} sent a malformed ref listing for ${owner}/${repo}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
