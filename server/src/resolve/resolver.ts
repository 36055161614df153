/**
 * GitHubResolver: the RefResolver over git smart HTTP (preferred) and the REST API, with caches,
 * request coalescing per repository, negative caching, and offline mode (no requests at all).
 */
import { fetchAdvisories, type OnlineAdvisory } from './advisories';
import { lsRefs } from './git-transport';
import { HttpClient, type HttpClientOptions } from './http';
import { commitSha, compare, listRefsRest, releaseDate, type ReleaseDate } from './rest-transport';
import { TtlCache } from './cache';
import { compareVersionsDesc, parseVersion } from './versions';
import {
  fail,
  findRef,
  FULL_SHA_RE,
  isValidRepoName,
  ok,
  repoKey,
  type CommitMembership,
  type RefResolver,
  type RepoRefs,
  type ResolveError,
  type Result,
} from './types';

export interface ResolverOptions extends Omit<HttpClientOptions, 'serverUrl' | 'apiUrl'> {
  serverUrl?: string;
  apiUrl?: string;
  offline?: boolean;
  /** Folder for the disk cache; null or absent keeps the cache in memory only. */
  cacheDir?: string | null;
  /** How long a ref listing stays fresh (tags move). Default 15 minutes. */
  ttlMs?: number;
  /** How long a failure is remembered. Default 60 seconds. */
  negativeTtlMs?: number;
  /** At most this many comparisons to prove a commit is an impostor. Default 30. */
  maxComparisons?: number;
  /** How long the advisories of a repository stay fresh. Default 6 hours. */
  advisoryTtlMs?: number;
}

export const DEFAULT_SERVER_URL = 'https://github.com';
export const DEFAULT_API_URL = 'https://api.github.com';
const MEMBERSHIP_TTL = 24 * 60 * 60 * 1000;

export class GitHubResolver implements RefResolver {
  readonly offline: boolean;
  /** Why the resolver cannot make requests (bad configuration), or null. */
  readonly configurationError: ResolveError | null;
  readonly http: HttpClient | null;
  private readonly cache: TtlCache;
  private readonly now: () => number;
  private readonly ttlMs: number;
  private readonly negativeTtlMs: number;
  private readonly maxComparisons: number;
  private readonly advisoryTtlMs: number;
  private readonly inflight = new Map<string, Promise<unknown>>();
  private readonly failures = new Map<string, { error: ResolveError; until: number }>();
  private readonly hostKey: string;
  /** Set on a cacheOnly() view: a miss fails at once, nothing is sent. */
  private readonly onlyCached: boolean = false;

  constructor(options: ResolverOptions = {}) {
    this.offline = options.offline === true;
    this.now = options.now ?? Date.now;
    this.ttlMs = options.ttlMs ?? 15 * 60 * 1000;
    this.negativeTtlMs = options.negativeTtlMs ?? 60 * 1000;
    this.maxComparisons = options.maxComparisons ?? 30;
    this.advisoryTtlMs = options.advisoryTtlMs ?? 6 * 60 * 60 * 1000;
    this.cache = new TtlCache(options.cacheDir ?? null, this.now);
    const created = HttpClient.create({
      ...options,
      serverUrl: options.serverUrl || DEFAULT_SERVER_URL,
      apiUrl: options.apiUrl || DEFAULT_API_URL,
    });
    this.http = created.ok ? created.value : null;
    this.configurationError = created.ok ? null : created.error;
    this.hostKey = this.http ? this.http.server.origin : 'invalid';
  }

  /**
   * A view of this resolver that answers only from its caches (memory and disk, and the failures it
   * remembers): a miss fails at once with kind `offline`, and no request is sent or waited for. For work
   * that must return at once (fix-all on save).
   */
  cacheOnly(): GitHubResolver {
    if (this.onlyCached) return this;
    const view = Object.create(this) as GitHubResolver;
    Object.defineProperty(view, 'onlyCached', { value: true });
    return view;
  }

  listRefs(owner: string, repo: string): Promise<Result<RepoRefs>> {
    const key = `refs|${this.hostKey}|${repoKey(owner, repo)}`;
    return this.cached(
      key,
      this.ttlMs,
      async (http) => {
        const now = this.now();
        const viaGit = await lsRefs(http, owner, repo, now);
        if (viaGit.ok || !['http', 'malformed'].includes(viaGit.error.kind)) return viaGit;
        // upload-pack unavailable or garbled: the REST API can answer the same question.
        const viaRest = await listRefsRest(http, owner, repo, now);
        // A contradictory REST listing is the reason to give; any other REST failure says less than git's.
        return viaRest.ok || viaRest.error.kind === 'inconsistent' ? viaRest : viaGit;
      },
      owner,
      repo,
    );
  }

  /** Why the advisory database cannot be asked (offline, bad configuration, no token), or null. */
  get advisoriesUnavailable(): string | null {
    if (this.offline) return 'offline mode is on';
    if (!this.http) return this.configurationError?.message ?? 'online checks are off';
    if (!this.http.hasToken) return 'no GitHub token is configured (the advisory API is rate-limited without one)';
    return null;
  }

  /** The `actions`-ecosystem advisories that affect `owner/repo` (one request per repository, cached; token only). */
  listAdvisories(owner: string, repo: string): Promise<Result<OnlineAdvisory[]>> {
    const unavailable = this.advisoriesUnavailable;
    if (unavailable)
      return Promise.resolve(fail(this.offline ? 'offline' : 'invalid', `the advisory database was not queried: ${unavailable}`));
    const key = `advisories|${this.hostKey}|${repoKey(owner, repo)}`;
    return this.cached(key, this.advisoryTtlMs, (http) => fetchAdvisories(http, owner, repo), owner, repo);
  }

  /**
   * When release `tag` (on `commit`) was published: its GitHub release, else its commit's date (REST, cached
   * a day per tag and commit: a moved tag is a new key).
   */
  releaseDate(owner: string, repo: string, tag: string, commit: string): Promise<Result<ReleaseDate>> {
    const key = `released|${this.hostKey}|${repoKey(owner, repo)}|${tag}|${commit}`;
    return this.cached(key, MEMBERSHIP_TTL, (http) => releaseDate(http, owner, repo, tag, commit), owner, repo);
  }

  async resolveRef(owner: string, repo: string, ref: string): Promise<Result<{ commit: string; via: 'tag' | 'branch' | 'sha' }>> {
    if (FULL_SHA_RE.test(ref)) return ok({ commit: ref, via: 'sha' });
    const refs = await this.listRefs(owner, repo);
    if (!refs.ok) return refs;
    const found = findRef(refs.value, ref);
    if (found.branch) return ok({ commit: found.branch.commit, via: 'branch' });
    if (found.tag) return ok({ commit: found.tag.commit, via: 'tag' });
    if (/^[0-9a-f]{7,39}$/.test(ref)) {
      const key = `short|${this.hostKey}|${repoKey(owner, repo)}|${ref}`;
      const expanded = await this.cached(key, MEMBERSHIP_TTL, (http) => commitSha(http, owner, repo, ref), owner, repo);
      return expanded.ok ? ok({ commit: expanded.value, via: 'sha' }) : expanded;
    }
    return fail('not-found', `${owner}/${repo} has no tag or branch named \`${ref}\``);
  }

  async commitMembership(owner: string, repo: string, sha: string): Promise<CommitMembership> {
    if (!FULL_SHA_RE.test(sha)) return { status: 'unknown', reason: 'not a full commit SHA' };
    const refs = await this.listRefs(owner, repo);
    if (!refs.ok) return { status: 'unknown', reason: refs.error.message };
    const tip = [...refs.value.branches, ...refs.value.tags].find((ref) => ref.commit === sha);
    if (tip) return { status: 'reachable', via: `${tip.kind} ${tip.name}` };
    const key = `member|${this.hostKey}|${repoKey(owner, repo)}|${sha}`;
    const result = await this.cached<CommitMembership>(
      key,
      MEMBERSHIP_TTL,
      async (http) => ok(await this.prove(http, owner, repo, sha, refs.value)),
      owner,
      repo,
    );
    return result.ok ? result.value : { status: 'unknown', reason: result.error.message };
  }

  /** Compares the commit with each branch (default first) and tag until one contains it. */
  private async prove(http: HttpClient, owner: string, repo: string, sha: string, refs: RepoRefs): Promise<CommitMembership> {
    const branches = [...refs.branches].sort((a, b) => Number(b.name === refs.defaultBranch) - Number(a.name === refs.defaultBranch));
    const tags = [...refs.tags].sort((a, b) => compareVersionsDesc(parseVersion(a.name), parseVersion(b.name)));
    const candidates = [...branches, ...tags];
    const seen = new Set<string>();
    let checked = 0;
    for (const ref of candidates) {
      if (seen.has(ref.commit)) continue;
      seen.add(ref.commit);
      if (checked >= this.maxComparisons) {
        return {
          status: 'unknown',
          reason: `compared with ${checked} of ${candidates.length} refs without finding ${sha.slice(0, 12)}; the rest were not checked`,
        };
      }
      checked++;
      const status = await compare(http, owner, repo, ref.commit, sha);
      if (!status.ok) {
        if (status.error.kind === 'not-found') return { status: 'missing' };
        return { status: 'unknown', reason: status.error.message };
      }
      if (status.value === 'identical' || status.value === 'behind') return { status: 'reachable', via: `${ref.kind} ${ref.name}` };
    }
    return { status: 'impostor', checked };
  }

  /** Memory/disk cache, negative cache, offline and configuration checks, and coalescing, around `load`. */
  private async cached<T>(
    key: string,
    ttlMs: number,
    load: (http: HttpClient) => Promise<Result<T>>,
    owner: string,
    repo: string,
  ): Promise<Result<T>> {
    if (this.offline) return fail('offline', 'offline mode is on: no request was made');
    if (!this.http) return { ok: false, error: this.configurationError! };
    if (!isValidRepoName(owner, repo)) return fail('invalid', `\`${owner}/${repo}\` is not a valid repository name`);
    const hit = this.cache.get<T>(key, ttlMs);
    if (hit !== undefined) return ok(hit);
    const failure = this.failures.get(key);
    if (failure && failure.until > this.now()) return { ok: false, error: failure.error };
    if (this.onlyCached) return fail('offline', `not known yet for ${owner}/${repo} (only answers already cached are used here)`);
    const running = this.inflight.get(key) as Promise<Result<T>> | undefined;
    if (running) return running;
    const http = this.http;
    const promise = (async () => {
      let result: Result<T>;
      try {
        result = await load(http);
      } catch (error) {
        result = fail('network', `unexpected resolver error: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (result.ok) {
        this.cache.set(key, result.value);
        this.failures.delete(key);
      } else if (result.error.kind !== 'host-down') {
        // A request not sent because the host is down is not remembered: the next lookup after the
        // host's cool-down may be the probe that finds it back.
        const until = result.error.retryAt ?? this.now() + this.negativeTtlMs;
        this.failures.set(key, { error: result.error, until });
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
