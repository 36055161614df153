/**
 * A file of a repository at a commit: on github.com from its raw content host
 * (`raw.githubusercontent.com/<owner>/<repo>/<sha>/<path>`, which never receives the token), on GitHub
 * Enterprise Server from `<server>/<owner>/<repo>/raw/<sha>/<path>`, falling back to the REST contents API
 * (`GET /repos/{o}/{r}/contents/{path}?ref=<sha>`, raw media type, with the token). Only full commit SHAs
 * are accepted: a file at a commit never changes, so it is cached on disk for good; a 404 is cached for a
 * short while. Paths are repository paths, checked before a URL is built (no `..`, no absolute path, no
 * backslash, no control character).
 */
import type { HttpClient } from './http';
import { FOREVER, repoApiPath, type RepoData } from './repo-data';
import { fail, ok, type Result } from './types';

export interface FileAtCommit {
  /** The file's text (UTF-8; invalid bytes become U+FFFD). */
  text: string;
  bytes: number;
  /** Which route answered. */
  via: 'raw' | 'contents';
}

/** Why a repository path is refused, or null when it may be put in a URL. */
export function repoPathProblem(path: string): string | null {
  if (typeof path !== 'string' || path === '') return 'the path is empty';
  if (path.length > 1024) return 'the path is longer than 1024 characters';
  if (path.startsWith('/')) return 'the path is absolute';
  for (let index = 0; index < path.length; index++) {
    const code = path.charCodeAt(index);
    if (code === 0x5c) return 'the path contains a backslash';
    if (code < 0x20 || code === 0x7f) return 'the path contains a control character';
  }
  for (const segment of path.split('/')) {
    if (segment === '') return 'the path has an empty segment';
    if (segment === '.' || segment === '..') return `the path has a \`${segment}\` segment`;
  }
  return null;
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** The text of `path` in `owner/repo` at `commit` (a full 40-hex SHA). */
export function readFileAtCommit(data: RepoData, owner: string, repo: string, commit: string, path: string): Promise<Result<FileAtCommit>> {
  if (typeof commit !== 'string' || !/^[0-9a-fA-F]{40}$/.test(commit)) {
    return Promise.resolve(fail('invalid', `files are read at a full 40-hex commit SHA only, not \`${String(commit).slice(0, 60)}\``));
  }
  const problem = repoPathProblem(path);
  if (problem) return Promise.resolve(fail('invalid', `refused to read a file at a commit: ${problem}`));
  const sha = commit.toLowerCase();
  const key = `file|${data.hostKey}|${`${owner}/${repo}`.toLowerCase()}|${sha}|${path}`;
  return data.cached(key, FOREVER, owner, repo, (http) => load(http, data.maxFileBytes, owner, repo, sha, path));
}

async function load(
  http: HttpClient,
  limit: number,
  owner: string,
  repo: string,
  sha: string,
  path: string,
): Promise<Result<FileAtCommit>> {
  const where = `${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
  const raw = http.raw
    ? await http.request('raw', `/${where}/${sha}/${encodePath(path)}`, { auth: 'none', maxBodyBytes: limit })
    : await http.request('server', `/${where}/raw/${sha}/${encodePath(path)}`, { auth: 'bearer', maxBodyBytes: limit });
  if (raw.ok) return ok(decode(raw.value.body, 'raw'));
  if (raw.error.kind === 'too-large' || raw.error.kind === 'invalid') return raw;
  // The raw host of github.com serves every public repository without a token: its 404 is the contents
  // API's answer too unless a token lets the API see a private repository.
  if (raw.error.kind === 'not-found' && http.raw && !http.hasToken) return notFound(owner, repo, sha, path);
  const contents = await http.request('api', `${repoApiPath(owner, repo)}/contents/${encodePath(path)}?ref=${sha}`, {
    auth: 'bearer',
    maxBodyBytes: limit,
    headers: { Accept: 'application/vnd.github.raw+json', 'X-GitHub-Api-Version': '2022-11-28' },
  });
  if (contents.ok) {
    // A folder answers a JSON listing even with the raw media type: that is not a file.
    if ((contents.value.headers.get('content-type') ?? '').includes('json') && contents.value.body[0] === 0x5b) {
      return fail('not-found', `\`${path}\` is a folder, not a file, in ${owner}/${repo} at ${sha.slice(0, 12)}`);
    }
    return ok(decode(contents.value.body, 'contents'));
  }
  if (contents.error.kind === 'not-found') return notFound(owner, repo, sha, path);
  return contents;
}

function notFound(owner: string, repo: string, sha: string, path: string): Result<never> {
  return fail('not-found', `${owner}/${repo} has no file \`${path}\` at ${sha.slice(0, 12)} (or it is private and no token can read it)`);
}

function decode(body: Uint8Array, via: FileAtCommit['via']): FileAtCommit {
  return { text: new TextDecoder('utf-8').decode(body), bytes: body.byteLength, via };
}
