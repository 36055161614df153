/**
 * The online data source for GitHub's actions lockfile: files at a commit, repository ids and ancestry,
 * over the resolver's HTTP client (same hosts, same token rules, same limits) with its own caches:
 * - answers that can never change (a file at a commit, whether one commit is an ancestor of another) are
 *   kept on disk for good;
 * - answers that can (repository ids, a 404) are kept for a TTL;
 * - other failures are remembered in memory for a short while (until a rate limit's reset), and a request
 *   not sent because the host is down is not remembered at all;
 * - concurrent reads of one key share one request.
 * Every function resolves, never rejects.
 */
import { TtlCache } from './cache';
import type { HttpClient } from './http';
import type { GitHubResolver } from './resolver';
import { fail, isValidRepoName, ok, type ResolveError, type Result } from './types';

export interface RepoDataOptions {
  /** Folder for the disk cache (the resolver's cache folder); null or absent keeps it in memory. */
  cacheDir?: string | null;
  now?: () => number;
  /** How long a 404 (file, repository, commit) is remembered. Default 5 minutes. */
  missingTtlMs?: number;
  /** How long other failures are remembered (a rate limit: until its reset). Default 60 seconds. */
  negativeTtlMs?: number;
  /** How long repository ids stay fresh. Default 1 hour. */
  idsTtlMs?: number;
  /** Largest file read at a commit (bytes). Default 1 MiB. */
  maxFileBytes?: number;
  /** At most this many branches are compared to prove a commit is on none. Default 10. */
  maxBranches?: number;
}

export const FOREVER = Number.POSITIVE_INFINITY;
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
export const DEFAULT_MAX_BRANCHES = 10;

/** What `readFileAtCommit`, `repositoryIds`, ancestry and lock entries are computed over. */
export class RepoData {
  readonly resolver: GitHubResolver;
  readonly missingTtlMs: number;
  readonly idsTtlMs: number;
  readonly maxFileBytes: number;
  readonly maxBranches: number;
  private readonly negativeTtlMs: number;
  private readonly now: () => number;
  private readonly cache: TtlCache;
  private readonly inflight = new Map<string, Promise<Result<unknown>>>();
  private readonly failures = new Map<string, { error: ResolveError; until: number }>();
  /** Set on a cacheOnly() view: a miss fails at once, nothing is sent. */
  private readonly onlyCached: boolean = false;

  constructor(resolver: GitHubResolver, options: RepoDataOptions = {}) {
    this.resolver = resolver;
    this.now = options.now ?? Date.now;
    this.missingTtlMs = options.missingTtlMs ?? 5 * 60 * 1000;
    this.negativeTtlMs = options.negativeTtlMs ?? 60 * 1000;
    this.idsTtlMs = options.idsTtlMs ?? 60 * 60 * 1000;
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.maxBranches = Math.max(1, options.maxBranches ?? DEFAULT_MAX_BRANCHES);
    this.cache = new TtlCache(options.cacheDir ?? null, this.now);
  }

  /**
   * A view that answers only from the caches, its resolver's included (see GitHubResolver.cacheOnly): lock
   * entries computed over it use what is already known and fail at once for the rest.
   */
  cacheOnly(): RepoData {
    if (this.onlyCached) return this;
    const view = Object.create(this) as RepoData;
    Object.defineProperty(view, 'onlyCached', { value: true });
    Object.defineProperty(view, 'resolver', { value: this.resolver.cacheOnly() });
    return view;
  }

  /** The server origin every cache key starts with (answers of two hosts never mix). */
  get hostKey(): string {
    return this.resolver.http ? this.resolver.http.server.origin : 'invalid';
  }

  /**
   * `load` behind the offline/configuration/name checks, the caches and coalescing. A `not-found` answer
   * is kept (on disk too) for `missingTtlMs`; other failures in memory as described above.
   */
  async cached<T>(
    key: string,
    ttlMs: number,
    owner: string,
    repo: string,
    load: (http: HttpClient) => Promise<Result<T>>,
  ): Promise<Result<T>> {
    if (this.resolver.offline) return fail('offline', 'offline mode is on: no request was made');
    const http = this.resolver.http;
    if (!http) return { ok: false, error: this.resolver.configurationError ?? { kind: 'invalid', message: 'online checks are off' } };
    if (!isValidRepoName(owner, repo)) return fail('invalid', `\`${owner}/${repo}\` is not a valid repository name`);
    const hit = this.cache.get<T>(key, ttlMs);
    if (hit !== undefined) return ok(hit);
    const missing = this.cache.get<ResolveError>(`missing|${key}`, this.missingTtlMs);
    if (missing !== undefined) return { ok: false, error: missing };
    const failure = this.failures.get(key);
    if (failure && failure.until > this.now()) return { ok: false, error: failure.error };
    if (this.onlyCached) return fail('offline', `not known yet for ${owner}/${repo} (only answers already cached are used here)`);
    const running = this.inflight.get(key) as Promise<Result<T>> | undefined;
    if (running) return running;
    const promise = (async (): Promise<Result<T>> => {
      let result: Result<T>;
      try {
        result = await load(http);
      } catch (error) {
        result = fail('network', `unexpected error: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (result.ok) {
        this.cache.set(key, result.value);
        this.failures.delete(key);
      } else if (result.error.kind === 'not-found') {
        this.cache.set(`missing|${key}`, result.error);
      } else if (result.error.kind !== 'host-down' && result.error.kind !== 'offline') {
        this.failures.set(key, { error: result.error, until: result.error.retryAt ?? this.now() + this.negativeTtlMs });
      }
      return result;
    })();
    this.inflight.set(key, promise);
    try {
      return await promise;
    } finally {
      this.inflight.delete(key);
    }
  }
}

export function repoApiPath(owner: string, repo: string): string {
  return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
}

export async function getJson(http: HttpClient, path: string): Promise<Result<unknown>> {
  const response = await http.request('api', path, {
    auth: 'bearer',
    headers: { Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28' },
  });
  if (!response.ok) return response;
  try {
    return ok(JSON.parse(new TextDecoder().decode(response.value.body)));
  } catch {
    return fail('malformed', `${http.api.host} sent malformed JSON for ${path}`);
  }
}
