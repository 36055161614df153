/**
 * Online enrichment for the language server: owns the resolver built from the settings, resolves the
 * `uses:` of an analysis once per document version (in the background: offline findings are published
 * first), attaches the snapshot to the parsed file, and says plainly when online checks are off.
 */
import { completeHosts, displayUrl, PUBLIC_SERVER_URL } from '../../../shared/src/github-hosts';
import type { WardenSettings } from '../../../shared/src/settings';
import type { Analysis } from '../document-cache';
import type { ParsedFile } from '../parse/document';
import { defaultCliCacheDir } from '../resolve/cache';
import { checkBaseUrl, type HttpClient } from '../resolve/http';
import { RepoData } from '../resolve/repo-data';
import { readFileAtCommit } from '../resolve/repo-files';
import { GitHubResolver, type ResolverOptions } from '../resolve/resolver';
import { attachSnapshot, collectSnapshot, emptySnapshot, releaseDateKey, snapshotOf, type OnlineSnapshot } from '../resolve/snapshot';
import type { RemoteUses } from '../parse/uses';
import { trimEndOf } from '../parse/strings';
import type { RepoRefs, Result } from '../resolve/types';
import { onlineRuleChecks } from '../rules';
import { attachDependencies, dependenciesOf, followDependencies } from '../dependencies/follow';
import { attachDependencySnapshot } from '../dependencies/online';
import type { DependencyGraph } from '../dependencies/walk';

/**
 * The checks that need the network, named in the offline notice and the docs: the editor features that
 * need resolved tags around what the registry does only online (rules marked online, online lookups).
 */
export const ONLINE_CHECKS = listInProse(['pin quick fixes', 'pin-all', ...onlineRuleChecks(), 'the dependency chain', 'tag hovers']);

function listInProse(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export interface OnlineHost {
  log(message: string): void;
  /** A one-time notice, shown as a message in the editor. */
  notify(kind: 'info' | 'warning', message: string): void;
  /** Online state for the status bar. */
  status(state: { online: boolean; rateLimitedUntil?: string; authenticated?: boolean; message?: string }): void;
}

export class OnlineController {
  private resolver: GitHubResolver | null = null;
  /** Files at a commit, ids and ancestry over the resolver's client: lock verification and locking. */
  private repoData: RepoData | null = null;
  private key = '';
  private offline = true;
  private serverUrl = 'https://github.com';
  private clientToken: string | null = null;
  private clientTokenHosts = completeHosts(undefined, undefined);
  private tokenHostNoticeShown = '';
  private settings: WardenSettings | null = null;
  private offlineNoticeShown = false;
  /** The status last sent for the current configuration, before any host outage. */
  private baseStatus: Parameters<OnlineHost['status']>[0] = { online: false };
  /** Hosts not answering, with the sentence said about each (once per outage). */
  private readonly hostsDown = new Map<string, string>();
  private readonly pending = new WeakMap<ParsedFile, Promise<OnlineSnapshot>>();
  private readonly walks = new WeakMap<ParsedFile, Promise<DependencyGraph | null>>();
  /** The "walk stopped" sentences already logged (each once per server run). */
  private readonly stoppedLogged = new Set<string>();
  /** Settings are known once `configure` ran: until then online work waits and no request is made. */
  private configured = false;
  private markConfigured!: () => void;
  private readonly configuredOnce = new Promise<void>((resolve) => (this.markConfigured = resolve));

  constructor(
    private readonly host: OnlineHost,
    private cacheDir: string | null = null,
    /** For tests: short timeouts and cool-downs. */
    private readonly resolverOptions: Partial<ResolverOptions> = {},
  ) {}

  setCacheDir(dir: string | null): void {
    this.cacheDir = dir;
    if (this.settings) this.configure(this.settings);
  }

  /**
   * The token from the editor's GitHub sign-in (used when no token setting is given), and the hosts it is
   * for (absent: public GitHub). It is used only while the settings name those same hosts.
   */
  setClientToken(token: string | null, hosts: { serverUrl?: string; apiUrl?: string } = {}): boolean {
    this.clientToken = token && token.trim() !== '' ? token.trim() : null;
    this.clientTokenHosts = completeHosts(hosts.serverUrl, hosts.apiUrl);
    return this.settings ? this.configure(this.settings) : false;
  }

  get isOffline(): boolean {
    return this.offline;
  }

  /** Resolves once the settings are known (the first `configure`). */
  whenConfigured(): Promise<void> {
    return this.configuredOnce;
  }

  /** Rebuilds the resolver when a setting it depends on changed. Returns true when it did. */
  configure(settings: WardenSettings): boolean {
    this.settings = settings;
    this.configured = true;
    this.markConfigured();
    const signInFits =
      sameHost(this.clientTokenHosts.serverUrl, settings.github.serverUrl) &&
      sameHost(this.clientTokenHosts.apiUrl, settings.github.apiUrl);
    if (this.clientToken && !signInFits && !settings.github.token) {
      const notice = `${this.clientTokenHosts.serverUrl} ${settings.github.serverUrl} ${settings.github.apiUrl}`;
      if (notice !== this.tokenHostNoticeShown) {
        this.tokenHostNoticeShown = notice;
        this.host.log(
          `The GitHub sign-in is for ${displayUrl(this.clientTokenHosts.serverUrl)}, not for the configured hosts (${displayUrl(settings.github.serverUrl)}, ${displayUrl(settings.github.apiUrl)}): it is not sent to them.`,
        );
      }
    }
    const token = settings.github.token || (signInFits ? this.clientToken : null) || '';
    const key = JSON.stringify([settings.offline, settings.github.serverUrl, settings.github.apiUrl, token, this.cacheDir]);
    if (key === this.key) return false;
    this.key = key;
    this.offline = settings.offline;
    const server = checkBaseUrl(settings.github.serverUrl, 'GitHub server URL');
    // Links in hovers are built from this: never from a URL that failed the check (credentials, plain http).
    this.serverUrl = server.ok ? `${server.value.origin}${trimEndOf(server.value.pathname, '/')}` : PUBLIC_SERVER_URL;
    if (settings.offline) {
      this.resolver = null;
      this.repoData = null;
      this.host.status({ online: false, authenticated: token !== '', message: `Offline mode: ${ONLINE_CHECKS} are off.` });
      if (!this.offlineNoticeShown) {
        this.offlineNoticeShown = true;
        this.host.notify(
          'info',
          `Actions Warden is offline (actionsWarden.offline): no request is made, so ${ONLINE_CHECKS} are off. Offline checks still run.`,
        );
      }
      return true;
    }
    this.hostsDown.clear();
    const resolver: GitHubResolver = new GitHubResolver({
      serverUrl: settings.github.serverUrl,
      apiUrl: settings.github.apiUrl,
      token: token || undefined,
      cacheDir: this.cacheDir ?? defaultCliCacheDir(),
      ...this.resolverOptions,
      // The HTTP client logs each outage once; the status bar says it while it lasts.
      log: (message) => this.host.log(message),
      onHostStatus: (event) => {
        if (this.resolver !== resolver) return;
        if (event.state === 'down') this.hostsDown.set(event.origin, event.message);
        else this.hostsDown.delete(event.origin);
        this.sendStatus();
      },
    });
    this.resolver = resolver;
    this.repoData = new RepoData(resolver, { cacheDir: this.cacheDir ?? defaultCliCacheDir(), ...this.resolverOptions });
    if (this.resolver.configurationError) {
      this.host.notify('warning', `Actions Warden: online checks are off: ${this.resolver.configurationError.message}.`);
      this.baseStatus = { online: false, message: this.resolver.configurationError.message };
    } else {
      this.baseStatus =
        token !== ''
          ? { online: true, authenticated: true }
          : {
              online: true,
              authenticated: false,
              message:
                'No GitHub token: the advisory database lookup of known-vulnerable-actions is skipped (the API is rate-limited without one).',
            };
    }
    this.sendStatus();
    return true;
  }

  /** The configuration's status, with the hosts that are not answering said in its message. */
  private sendStatus(): void {
    const down = [...this.hostsDown.values()];
    if (down.length === 0) return this.host.status(this.baseStatus);
    const message = [`${down.join('; ')}: online checks for it are paused meanwhile.`, this.baseStatus.message].filter(Boolean).join(' ');
    this.host.status({ ...this.baseStatus, message });
  }

  /**
   * The refs of one repository (for completion of a chosen action): null when offline or when the
   * resolver could not be built. The resolver caches and coalesces, so asking again is cheap.
   */
  listRefs(owner: string, repo: string): Promise<Result<RepoRefs>> | null {
    if (this.offline || !this.resolver || this.resolver.configurationError) return null;
    return this.resolver.listRefs(owner, repo);
  }

  /**
   * The HTTP client of the current configuration (configured hosts only, token rules, limits), for the
   * repository's Actions settings; null offline or when the resolver could not be built.
   */
  get http(): HttpClient | null {
    return this.offline || !this.resolver ? null : this.resolver.http;
  }

  /** The configured GitHub server (web) URL, checked: links and the host a git remote must be on. */
  get githubServerUrl(): string {
    return this.serverUrl;
  }

  /** The lockfile data source of the current configuration; null offline. */
  get lockData(): RepoData | null {
    return this.offline ? null : this.repoData;
  }

  /** The snapshot for these files (each repository resolved once; the entries of lockfiles verified). */
  async collect(files: readonly ParsedFile[]): Promise<OnlineSnapshot> {
    if (!this.configured) await this.configuredOnce;
    if (this.offline || !this.resolver) return emptySnapshot(true, this.serverUrl);
    const snapshot = await collectSnapshot(files, this.resolver, { serverUrl: this.serverUrl, repoData: this.repoData ?? undefined });
    this.reportRateLimits(snapshot);
    return snapshot;
  }

  /**
   * Resolves the uses of an analysis (once per parsed file) and attaches the snapshot. Resolves to true
   * when the findings may have changed (the caller re-runs the rules and republishes).
   */
  enrich(analysis: Analysis): Promise<boolean> {
    const file = analysis.file;
    if (snapshotOf(file)) return Promise.resolve(false);
    if (!this.configured) return this.configuredOnce.then(() => this.enrich(analysis));
    if (this.offline || !this.resolver) {
      attachSnapshot(file, emptySnapshot(true, this.serverUrl));
      return Promise.resolve(false);
    }
    if (file.kind !== 'lockfile' && file.uses.every((site) => site.reference.kind !== 'remote')) return Promise.resolve(false);
    let pending = this.pending.get(file);
    if (!pending) {
      pending = this.collect([file]);
      this.pending.set(file, pending);
    }
    return pending.then((snapshot) => {
      if (snapshotOf(file)) return false;
      attachSnapshot(file, snapshot);
      return true;
    });
  }

  /**
   * Follows the dependency chain of an analysis' file (once per parsed file, after its snapshot) and keeps
   * the graph on the file. Every file at a commit is read through the configuration's repository data, so
   * it is fetched once per server run (and kept on disk across runs); other files and versions with the
   * same actions make no request. Resolves to true when the graph was attached (the caller re-runs the
   * rules and republishes). Offline, unconfigured or not `allowed` (the setting or the repository's
   * `follow-dependencies: false`): nothing is asked.
   */
  async followDependencies(analysis: Analysis, allowed: boolean): Promise<boolean> {
    const file = analysis.file;
    if (dependenciesOf(file)) return false;
    if (!this.configured) await this.configuredOnce;
    const data = this.repoData;
    if (!allowed || this.offline || !data || this.resolver?.configurationError) return false;
    if (file.kind !== 'workflow' && file.kind !== 'action') return false;
    if (file.uses.every((site) => site.reference.kind !== 'remote')) return false;
    let pending = this.walks.get(file);
    if (!pending) {
      const resolver = this.resolver;
      pending = followDependencies(data, [file], { serverUrl: this.serverUrl })
        .then(async (graph) => {
          // The actions met inside the chain are looked up as the direct ones are (refs, advisories).
          if (resolver) await attachDependencySnapshot(graph, resolver, { serverUrl: this.serverUrl });
          return graph;
        })
        .then(
          (graph) => (this.repoData === data ? graph : null),
          (error) => {
            this.host.log(
              `The dependency chain of ${analysis.uri} was not followed: ${error instanceof Error ? error.message : String(error)}`,
            );
            return null;
          },
        );
      this.walks.set(file, pending);
    }
    const graph = await pending;
    if (!graph || dependenciesOf(file)) return false;
    for (const message of graph.stopped) {
      if (this.stoppedLogged.has(message)) continue;
      this.stoppedLogged.add(message);
      this.host.log(`Dependency chain: ${message}`);
    }
    attachDependencies(file, graph);
    return true;
  }

  /**
   * A dependency's file at a commit (the virtual document): from the caches the walk filled, else read
   * from the configured host like the walk would. Offline or unconfigured: nothing is asked.
   */
  async readDependencyFile(owner: string, repo: string, commit: string, path: string): Promise<Result<{ text: string }>> {
    if (!this.configured) await this.configuredOnce;
    const data = this.repoData;
    if (this.offline || !data)
      return {
        ok: false,
        error: { kind: 'offline', message: `Actions Warden is offline (actionsWarden.offline): ${path} of ${owner}/${repo} was not read` },
      };
    const read = await readFileAtCommit(data, owner, repo, commit, path);
    return read.ok ? { ok: true, value: { text: read.value.text } } : read;
  }

  /**
   * Looks up (once per snapshot, cached by the resolver) the release dates of these tags of `uses`' repository
   * and records them in the snapshot. Offline or unconfigured: nothing is asked.
   */
  async lookupReleaseDates(
    snapshot: OnlineSnapshot,
    uses: RemoteUses,
    releases: readonly { name: string; commit: string }[],
  ): Promise<void> {
    if (!this.configured) await this.configuredOnce;
    const resolver = this.resolver;
    if (this.offline || !resolver || snapshot.offline) return;
    snapshot.releaseDates ??= new Map();
    const dates = snapshot.releaseDates;
    await Promise.all(
      releases.map(async (release) => {
        const key = releaseDateKey(uses.owner, uses.repo, release.name);
        if (!dates.has(key)) dates.set(key, await resolver.releaseDate(uses.owner, uses.repo, release.name, release.commit));
      }),
    );
  }

  private reportRateLimits(snapshot: OnlineSnapshot): void {
    let until = 0;
    for (const result of snapshot.repos.values()) if (!result.ok && result.error.retryAt) until = Math.max(until, result.error.retryAt);
    if (until > Date.now()) {
      this.host.status({
        online: true,
        rateLimitedUntil: new Date(until).toISOString(),
        message: 'GitHub rate limit reached: online checks resume after the reset.',
      });
    }
  }
}

/** Whether two configured base URLs name the same place (scheme, host, port and path prefix). */
function sameHost(a: string, b: string): boolean {
  const left = checkBaseUrl(a, 'URL');
  const right = checkBaseUrl(b, 'URL');
  return (
    left.ok &&
    right.ok &&
    left.value.origin === right.value.origin &&
    trimEndOf(left.value.pathname, '/') === trimEndOf(right.value.pathname, '/')
  );
}

/** Waits for `promise` at most `ms` milliseconds. */
export function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(fallback);
      },
    );
  });
}
