/**
 * Online support for the CLI: resolves the `uses:` of every input once (each repository once) before the
 * analysis, so pin fixes (`--fix`) and the online rules work. Online when `--online`, a `--github-*-url`
 * flag or a token (GITHUB_TOKEN / GH_TOKEN) is given; `--offline` always wins and makes no request. The
 * hosts (and so where the token goes) are chosen by the user only: see hosts.ts.
 */
import { parseFile, type ParsedFile } from '../parse/document';
import { defaultCliCacheDir } from '../resolve/cache';
import { RepoData } from '../resolve/repo-data';
import { GitHubResolver, type ResolverOptions } from '../resolve/resolver';
import { collectSnapshot, type OnlineSnapshot } from '../resolve/snapshot';
import { followDependencies } from '../dependencies/follow';
import { attachDependencySnapshot } from '../dependencies/online';
import type { DependencyGraph } from '../dependencies/walk';
import type { CliOptions } from './args';
import type { HostChoice } from './hosts';
import { STDIN_PATH, type Target } from './discover';
import { readTargetOf } from './results';
import { trimEndOf } from '../parse/strings';

/** Online when `--online`, a host flag or a token (GITHUB_TOKEN / GH_TOKEN) is given; `--offline` always wins. */
export function wantsOnline(
  options: Pick<CliOptions, 'offline' | 'online' | 'githubServerUrl' | 'githubApiUrl'>,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  if (options.offline) return false;
  return (
    options.online ||
    options.githubServerUrl !== undefined ||
    options.githubApiUrl !== undefined ||
    Boolean(env.GITHUB_TOKEN || env.GH_TOKEN)
  );
}

export async function cliOnlineSnapshot(
  hosts: HostChoice,
  env: Readonly<Record<string, string | undefined>>,
  targets: readonly Target[],
  warn: (message: string) => void,
  /** For tests: short timeouts and cool-downs. */
  resolverOptions: Partial<ResolverOptions> = {},
  /** The dependency walk: off with `followDependencies: false`; its result goes to `onDependencies`. */
  options: {
    followDependencies?: boolean;
    /** Whether a target's repository lets the walk start from it (`follow-dependencies: false` does not). */
    followFor?: (target: Target) => boolean;
    onDependencies?: (graph: DependencyGraph) => void;
    /** Receives the lockfile data source (files at a commit, ids, ancestry) for `--fix`'s locking. */
    onLockData?: (data: RepoData) => void;
  } = {},
): Promise<OnlineSnapshot | undefined> {
  const cacheDir = resolverOptions.cacheDir !== undefined ? resolverOptions.cacheDir : defaultCliCacheDir(env);
  const resolver = new GitHubResolver({
    serverUrl: hosts.serverUrl,
    apiUrl: hosts.apiUrl,
    token: env.GITHUB_TOKEN || env.GH_TOKEN || undefined,
    cacheDir,
    ...resolverOptions,
    // One note per host per outage, not one per repository.
    onHostStatus: (event) => {
      if (event.state === 'down') warn(event.message);
    },
  });
  if (resolver.configurationError || !resolver.http) {
    warn(`online checks are off: ${resolver.configurationError?.message ?? 'no GitHub host'} (from ${hosts.source})`);
    return undefined;
  }
  const serverUrl = `${resolver.http.server.origin}${trimEndOf(resolver.http.server.pathname, '/')}`;
  const files: ParsedFile[] = [];
  const followed: ParsedFile[] = [];
  for (const target of targets) {
    if (target.path === STDIN_PATH || target.kind === 'dependabot') continue;
    const read = readTargetOf(target);
    if (!read.ok || !('text' in read)) continue;
    const file = parseFile(target.virtual?.repoPath ?? target.path, target.kind, read.text);
    files.push(file);
    if (options.followFor?.(target) !== false) followed.push(file);
  }
  // The lock's entries are verified in the same pass (lockfile-unverified), over the same client and cache folder.
  const repoData = new RepoData(resolver, { cacheDir });
  options.onLockData?.(repoData);
  const snapshot = await collectSnapshot(files, resolver, { serverUrl, repoData });
  if (snapshot.advisoriesSkipped && files.some((file) => file.uses.some((site) => site.reference.kind === 'remote'))) {
    warn(
      `GitHub's advisory database was not queried: ${snapshot.advisoriesSkipped}; set GITHUB_TOKEN to check it (the bundled advisories are still checked)`,
    );
  }
  for (const [name, result] of snapshot.advisories ?? []) {
    if (!result.ok) {
      warn(`could not read the advisories of ${name}: ${result.error.message}; only the bundled advisories are checked for it`);
      break;
    }
  }
  const failed = [...snapshot.repos].filter(([, result]) => !result.ok);
  if (failed.length > 0) {
    // The first failure that was a real answer (or timeout), not a request skipped during an outage.
    const [name, result] = failed.find(([, r]) => !r.ok && r.error.kind !== 'host-down') ?? failed[0];
    const skipped = failed.filter(([, r]) => !r.ok && r.error.kind === 'host-down').length;
    const them = failed.length === 1 ? 'it' : 'them';
    warn(
      `could not resolve ${failed.length} repositor${failed.length === 1 ? 'y' : 'ies'} (${name}: ${!result.ok ? result.error.message : ''}` +
        `${skipped > 0 ? `; ${skipped} not asked because the host was not answering` : ''}); no pin or online check for ${them}`,
    );
  }
  if (options.followDependencies !== false) {
    const data = new RepoData(resolver, { cacheDir: resolverOptions.cacheDir ?? defaultCliCacheDir(env) });
    const graph = await followDependencies(data, followed, { serverUrl });
    for (const message of graph.stopped) warn(`dependency chain: ${message}`);
    // The actions met inside the chain are looked up as the direct ones are (refs, advisories).
    await attachDependencySnapshot(graph, resolver, { serverUrl });
    options.onDependencies?.(graph);
  }
  return snapshot;
}
