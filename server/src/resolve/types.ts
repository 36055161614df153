/**
 * What the rest of the engine knows about remote repositories: refs with their peeled commits, and
 * whether a commit belongs to a repository. Everything here is plain data, so rules and fixes that
 * consume it stay pure and unit-testable; the I/O lives in the transports.
 */

/** One tag or branch. `commit` is always the peeled commit (never an annotated tag object). */
export interface RefInfo {
  name: string;
  kind: 'tag' | 'branch';
  commit: string;
  /** For an annotated tag: the tag object's own SHA (which must never be pinned). */
  tagObject?: string;
}

export interface RepoRefs {
  /** `owner/repo`, lower-cased. */
  repository: string;
  tags: RefInfo[];
  branches: RefInfo[];
  /** The default branch (from `HEAD`), when the server said. */
  defaultBranch: string | null;
  /** Epoch milliseconds of the answer. */
  fetchedAt: number;
}

export type ResolveErrorKind =
  | 'offline'
  | 'not-found'
  | 'rate-limited'
  | 'timeout'
  | 'http'
  | 'malformed'
  | 'network'
  | 'host-not-allowed'
  | 'invalid'
  /** The body was larger than the limit (announced or streamed): the request was aborted. */
  | 'too-large'
  /** Not sent: the host timed out or refused a connection a moment ago (circuit breaker). */
  | 'host-down'
  /** The answer contradicts itself (one ref listed with two commits): nothing in it is trusted. */
  | 'inconsistent';

export interface ResolveError {
  kind: ResolveErrorKind;
  /** A sentence a person can act on. Never contains a token. */
  message: string;
  /** For `rate-limited`: when requests may start again (epoch ms). */
  retryAt?: number;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ResolveError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(kind: ResolveErrorKind, message: string, retryAt?: number): Result<T> => ({
  ok: false,
  error: retryAt === undefined ? { kind, message } : { kind, message, retryAt },
});

/**
 * Whether a commit is part of a repository's history:
 * - `reachable`: a branch or tag of the repository reaches it (`via` names one);
 * - `impostor`: proven that no branch or tag reaches it (every comparison answered, none contained it);
 * - `missing`: the commit does not exist in the repository's network at all;
 * - `unknown`: not proven either way (too many refs, a failed request, ...), with the reason.
 */
export type CommitMembership =
  | { status: 'reachable'; via: string }
  | { status: 'impostor'; checked: number }
  | { status: 'missing' }
  | { status: 'unknown'; reason: string };

/** The resolver's interface: every method resolves, never rejects. */
export interface RefResolver {
  /** Every tag and branch of `owner/repo` with its peeled commit (one request, cached). */
  listRefs(owner: string, repo: string): Promise<Result<RepoRefs>>;
  /** The commit a ref (tag, branch or SHA, full or abbreviated) of `owner/repo` points at. */
  resolveRef(owner: string, repo: string, ref: string): Promise<Result<{ commit: string; via: 'tag' | 'branch' | 'sha' }>>;
  /** Whether a full commit SHA belongs to `owner/repo` (see CommitMembership). */
  commitMembership(owner: string, repo: string, sha: string): Promise<CommitMembership>;
}

export const FULL_SHA_RE = /^[0-9a-f]{40}$/;

/** Repository key used by caches and snapshots. */
export function repoKey(owner: string, repo: string): string {
  return `${owner}/${repo}`.toLowerCase();
}

/** Owner and repository names GitHub accepts; anything else is refused before a URL is built. */
export function isValidRepoName(owner: string, repo: string): boolean {
  return /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(owner) && /^[A-Za-z0-9._-]{1,100}$/.test(repo) && repo !== '.' && repo !== '..';
}

/** Looks a name up as a branch and as a tag. At run time a branch wins over a same-named tag. */
export function findRef(refs: RepoRefs, name: string): { tag?: RefInfo; branch?: RefInfo } {
  return { tag: refs.tags.find((ref) => ref.name === name), branch: refs.branches.find((ref) => ref.name === name) };
}
