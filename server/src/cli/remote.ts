/**
 * Scanning repositories that are not on disk: `owner/repo[@ref]` arguments and `--org owner`. For each
 * repository the ref (the default branch when none is given) is resolved to a commit with the resolver,
 * the commit's tree is listed through the REST API (`git/trees/{commit}?recursive=1`), the files a folder
 * scan would collect are selected (discover.ts's collectedKind), and their blobs are read
 * (`git/blobs/{sha}`). The result is a list of virtual targets (repository path + text) that the rest of
 * the CLI analyses exactly as it analyses files of a folder, and the repository's configuration file when
 * its root has one.
 *
 * Caches, in the CLI's cache folder: blobs forever (content-addressed, checked against their SHA on every
 * read), the selection of a tree forever (keyed by host, repository and commit), repository metadata for
 * 15 minutes (the default branch can change). Ref resolution uses the resolver's own cache.
 *
 * Everything a repository sends is untrusted: paths are only ever shown (escaped by the formats) and never
 * used to build a file name; only the content-addressed cache is written. A rate limit or a host that stops
 * answering ends the scan: the repositories not scanned are named, and the run exits with 2.
 */
import { OUR_CONFIG_FILES, ZIZMOR_CONFIG_FILES } from '../config/find-config';
import type { ConfigFormat } from '../config/config-file';
import { GitHubResolver } from '../resolve/resolver';
import type { HttpClient } from '../resolve/http';
import { TtlCache } from '../resolve/cache';
import { BlobCache, gitBlob, gitTree, listOwnerRepos, repositoryInfo, type RepoInfo, type TreeEntry } from '../resolve/repo-tree';
import { FULL_SHA_RE, isValidRepoName, repoKey, type ResolveError, type Result } from '../resolve/types';
import { trimEndOf } from '../parse/strings';
import { collectedKind, type Target } from './discover';
import { decode, MAX_READ_BYTES } from './results';

/** A repository named on the command line: `owner/repo` or `owner/repo@ref`. */
export interface RepoSpec {
  owner: string;
  repo: string;
  ref?: string;
  /** The argument as given. */
  given: string;
}

/** Where the virtual files of one scanned repository come from. */
export interface RemoteOrigin {
  owner: string;
  repo: string;
  /** The ref scanned: as given, or the default branch. */
  ref: string;
  /** The full commit SHA the files were read at. */
  commit: string;
  /** `https://github.com/owner/repo` (the configured server). */
  repositoryUrl: string;
  /** `owner/repo@abc1234`: the prefix of every path shown for the repository (`owner/repo@abc1234:path`). */
  label: string;
  /** Some of its files could not be read: its results are partial (no `--sarif-dir` file is written for it). */
  incomplete?: boolean;
}

/** A file read from a repository instead of the disk. */
export interface VirtualFile {
  origin: RemoteOrigin;
  /** The path inside the repository (`.github/workflows/ci.yml`). */
  repoPath: string;
  /** The text, or the size of a file too large to analyse (it is then not downloaded). */
  content: { text: string } | { tooLarge: number };
}

export interface RemoteConfigFile {
  origin: RemoteOrigin;
  repoPath: string;
  format: ConfigFormat;
  text: string;
}

export interface RemoteScan {
  targets: Target[];
  /** The configuration file at the root of each repository that has one, by origin label. */
  configs: Map<string, RemoteConfigFile>;
  /** Every repository whose files were listed (in the order scanned), with or without files. */
  origins: RemoteOrigin[];
  errors: string[];
  notes: string[];
}

export interface RemoteScanOptions {
  serverUrl: string;
  apiUrl: string;
  token?: string;
  cacheDir: string | null;
  includeForks: boolean;
  /** For tests: short timeouts. */
  timeoutMs?: number;
}

const REPO_INFO_TTL = 15 * 60 * 1000;
const FOREVER = Number.POSITIVE_INFINITY;
/** The selection of a tree as cached: immutable for a commit. */
interface TreeSelection {
  files: { path: string; sha: string; size?: number; kind: Target['kind'] }[];
  config?: { path: string; sha: string; size?: number; format: ConfigFormat };
  notes: string[];
}

/**
 * `owner/repo` or `owner/repo@ref` with GitHub's name rules (owner: 1–39 letters, digits and hyphens, not
 * starting with a hyphen; repository: 1–100 letters, digits, `.`, `_`, `-`, not `.` or `..`) and a ref git
 * would accept; null for anything else.
 */
export function parseRepoSpec(given: string): RepoSpec | null {
  const at = given.indexOf('@');
  const name = at < 0 ? given : given.slice(0, at);
  const ref = at < 0 ? undefined : given.slice(at + 1);
  const slash = name.indexOf('/');
  if (slash < 0) return null;
  const owner = name.slice(0, slash);
  const repo = name.slice(slash + 1);
  if (!isValidRepoName(owner, repo)) return null;
  if (ref !== undefined && !isRefName(ref)) return null;
  return ref === undefined ? { owner, repo, given } : { owner, repo, ref, given };
}

/** Whether an argument has the shape `something/something[@...]`, so that a bad one deserves a usage error. */
export function looksLikeRepoSpec(given: string): boolean {
  const at = given.indexOf('@');
  const name = at < 0 ? given : given.slice(0, at);
  const slash = name.indexOf('/');
  return slash > 0 && slash === name.lastIndexOf('/') && slash < name.length - 1 && !name.startsWith('.');
}

/** A branch, tag or commit name as git's check-ref-format allows it (a conservative subset; at most 255 characters). */
export function isRefName(ref: string): boolean {
  if (ref === '' || ref.length > 255 || ref.startsWith('/') || ref.startsWith('-') || ref.endsWith('/') || ref.endsWith('.')) return false;
  if (ref.endsWith('.lock') || ref === '@') return false;
  let previous = '';
  for (const char of ref) {
    const code = char.charCodeAt(0);
    if (code <= 0x20 || code >= 0x7f || '~^:?*[\\'.includes(char)) return false;
    if ((char === '.' && previous === '.') || (char === '/' && previous === '/') || (char === '{' && previous === '@')) return false;
    if (char === '.' && (previous === '/' || previous === '')) return false;
    previous = char;
  }
  return true;
}

/** The error text for an argument that is neither a path nor a repository. */
export function badRepoSpecMessage(given: string): string {
  return (
    `'${given}' is neither a file or folder nor a repository: a repository is owner/repo or owner/repo@ref, ` +
    `the owner 1-39 letters, digits or hyphens, the repository 1-100 letters, digits, '.', '_' or '-'`
  );
}

/** Whether a failure should stop every further request (the host will not answer usefully for a while). */
function stopsTheScan(error: ResolveError): boolean {
  return error.kind === 'rate-limited' || error.kind === 'host-down' || error.kind === 'timeout' || error.kind === 'network';
}

class StopScan extends Error {
  constructor(readonly error: ResolveError) {
    super(error.message);
  }
}

function unwrap<T>(result: Result<T>): T | ResolveError {
  if (result.ok) return result.value;
  if (stopsTheScan(result.error)) throw new StopScan(result.error);
  return result.error;
}

function isError(value: unknown): value is ResolveError {
  return typeof value === 'object' && value !== null && 'kind' in value && 'message' in value && !('entries' in value);
}

/** Scans the repositories given and those of the organisations given, in that order. */
export async function scanRemote(specs: readonly RepoSpec[], orgs: readonly string[], options: RemoteScanOptions): Promise<RemoteScan> {
  const scan: RemoteScan = { targets: [], configs: new Map(), origins: [], errors: [], notes: [] };
  const resolver = new GitHubResolver({
    serverUrl: options.serverUrl,
    apiUrl: options.apiUrl,
    token: options.token,
    cacheDir: options.cacheDir,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  const http = resolver.http;
  if (!http) {
    scan.errors.push(`cannot scan repositories: ${resolver.configurationError?.message ?? 'no GitHub host'}`);
    return scan;
  }
  const serverUrl = `${http.server.origin}${trimEndOf(http.server.pathname, '/')}`;
  const metadata = new TtlCache(options.cacheDir, Date.now);
  const blobs = new BlobCache(options.cacheDir, http.api.origin);

  // The work list: repositories named, then each organisation's (listed when its turn comes).
  type Work = { spec: RepoSpec; info?: RepoInfo };
  const queue: (Work | { org: string })[] = [...specs.map((spec) => ({ spec })), ...orgs.map((org) => ({ org }))];
  const seen = new Set<string>();
  for (let index = 0; index < queue.length; index++) {
    const item = queue[index];
    try {
      if ('org' in item) {
        const listed = unwrap(await listOwnerRepos(http, item.org));
        if (isError(listed)) {
          scan.errors.push(`--org ${item.org}: ${listed.message}`);
          continue;
        }
        const archived = listed.repos.filter((repo) => repo.archived);
        const forks = listed.repos.filter((repo) => !repo.archived && repo.fork && !options.includeForks);
        const kept = listed.repos.filter((repo) => !repo.archived && (!repo.fork || options.includeForks));
        const skippedParts = [
          archived.length > 0 ? `${archived.length} archived` : '',
          forks.length > 0 ? `${forks.length} ${forks.length === 1 ? 'fork' : 'forks'} (--include-forks scans them)` : '',
          listed.malformed > 0 ? `${listed.malformed} malformed ${listed.malformed === 1 ? 'entry' : 'entries'}` : '',
        ].filter(Boolean);
        scan.notes.push(
          `${item.org}${listed.user ? ' (a user)' : ''}: ${listed.repos.length} ${listed.repos.length === 1 ? 'repository' : 'repositories'} listed, ${kept.length} to scan` +
            (skippedParts.length > 0 ? `; skipped ${skippedParts.join(', ')}` : ''),
        );
        if (listed.capped) scan.notes.push(`${item.org}: only the first ${listed.repos.length} repositories were listed (page limit)`);
        queue.splice(
          index + 1,
          0,
          ...kept.map((info) => ({ spec: { owner: info.owner, repo: info.repo, given: `${info.owner}/${info.repo}` }, info })),
        );
        continue;
      }
      const key = `${repoKey(item.spec.owner, item.spec.repo)}@${item.spec.ref ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      await scanOne(item.spec, item.info, { http, resolver, serverUrl, metadata, blobs, scan });
    } catch (error) {
      if (!(error instanceof StopScan)) throw error;
      const rest = queue.slice(index).map((work) => ('org' in work ? `--org ${work.org}` : work.spec.given));
      scan.errors.push(`${error.error.message}; stopped: not scanned: ${rest.join(', ')}`);
      break;
    }
  }
  return scan;
}

interface ScanContext {
  http: HttpClient;
  resolver: GitHubResolver;
  serverUrl: string;
  metadata: TtlCache;
  blobs: BlobCache;
  scan: RemoteScan;
}

async function scanOne(spec: RepoSpec, listed: RepoInfo | undefined, context: ScanContext): Promise<void> {
  const { http, resolver, serverUrl, metadata, blobs, scan } = context;
  const name = `${spec.owner}/${spec.repo}`;
  let ref = spec.ref;
  let owner = spec.owner;
  let repo = spec.repo;
  if (ref === undefined) {
    let info = listed;
    if (!info) {
      const infoKey = `repo-info|${http.api.origin}|${repoKey(owner, repo)}`;
      info = metadata.get<RepoInfo>(infoKey, REPO_INFO_TTL);
      if (!info) {
        const fetched = unwrap(await repositoryInfo(http, owner, repo));
        if (isError(fetched)) {
          scan.errors.push(`${spec.given}: ${fetched.message}`);
          return;
        }
        info = fetched;
        metadata.set(infoKey, info);
      }
    }
    ref = info.defaultBranch;
    // The API's spelling of the names (a repository renamed or differently cased redirects).
    owner = info.owner;
    repo = info.repo;
  }
  let commit: string;
  if (FULL_SHA_RE.test(ref)) commit = ref;
  else {
    const resolved = unwrap(await resolver.resolveRef(owner, repo, ref));
    if (isError(resolved)) {
      if (spec.ref === undefined && resolved.kind === 'not-found') {
        scan.notes.push(`${name}: nothing to scan (its default branch \`${ref}\` has no commit: an empty repository)`);
        return;
      }
      scan.errors.push(`${spec.given}: ${resolved.message}`);
      return;
    }
    commit = resolved.commit;
  }
  const origin: RemoteOrigin = {
    owner,
    repo,
    ref,
    commit,
    repositoryUrl: `${serverUrl}/${owner}/${repo}`,
    label: `${owner}/${repo}@${commit.slice(0, 7)}`,
  };

  const selectionKey = `tree-selection|${http.api.origin}|${repoKey(owner, repo)}|${commit}`;
  let selection = metadata.get<TreeSelection>(selectionKey, FOREVER);
  if (!selection) {
    const selected = await selectTree(http, owner, repo, commit);
    if (isError(selected)) {
      scan.errors.push(`${spec.given}: ${selected.message}`);
      return;
    }
    selection = selected;
    metadata.set(selectionKey, selection);
  }
  for (const note of selection.notes) scan.notes.push(`${origin.label}: ${note}`);

  // Every blob at once (the HTTP client bounds the concurrency); each is asked once.
  const read = async (sha: string, size: number | undefined): Promise<{ text: string } | { tooLarge: number } | ResolveError> => {
    if (size !== undefined && size > MAX_READ_BYTES) return { tooLarge: size };
    const cached = blobs.get(sha);
    if (cached) return cached.length > MAX_READ_BYTES ? { tooLarge: cached.length } : { text: decode(cached) };
    const bytes = unwrap(await gitBlob(http, owner, repo, sha));
    if (isError(bytes)) return bytes;
    if (bytes.length > MAX_READ_BYTES) return { tooLarge: bytes.length };
    blobs.set(sha, bytes);
    return { text: decode(bytes) };
  };
  const contents = await Promise.all(selection.files.map((file) => read(file.sha, file.size)));
  selection.files.forEach((file, index) => {
    const content = contents[index];
    const displayPath = `${origin.label}:${file.path}`;
    if (isError(content)) {
      scan.errors.push(`${displayPath}: ${content.message}`);
      origin.incomplete = true;
      return;
    }
    const virtual: VirtualFile = { origin, repoPath: file.path, content };
    scan.targets.push({ path: displayPath, displayPath, kind: file.kind, explicit: false, root: '', rootPath: '', virtual });
  });
  if (selection.config) {
    const content = await read(selection.config.sha, selection.config.size);
    const shown = `${origin.label}:${selection.config.path}`;
    if (isError(content)) {
      scan.errors.push(`${shown}: ${content.message}`);
      origin.incomplete = true;
    } else if ('tooLarge' in content)
      scan.errors.push(`${shown}: the configuration file is ${Math.round(content.tooLarge / 1024)} KiB; it was not read`);
    else scan.configs.set(origin.label, { origin, repoPath: selection.config.path, format: selection.config.format, text: content.text });
  }
  // Listed once every file was read (or failed on its own): a scan stopped half-way lists nothing of it.
  scan.origins.push(origin);
}

/** Lists the tree at `commit` and keeps what a folder scan would collect; falls back on a truncated listing. */
async function selectTree(http: HttpClient, owner: string, repo: string, commit: string): Promise<TreeSelection | ResolveError> {
  const whole = unwrap(await gitTree(http, owner, repo, commit, true));
  if (isError(whole)) return whole;
  const notes: string[] = [];
  let entries = whole.entries;
  if (whole.truncated) {
    // GitHub lists at most about 100,000 entries in one answer: list the root and `.github` on their own
    // (workflows, Dependabot and the root action.yml are there), keeping what the partial listing had.
    const byPath = new Map(entries.map((entry) => [entry.path, entry]));
    const root = unwrap(await gitTree(http, owner, repo, commit, false));
    if (isError(root)) return root;
    for (const entry of root.entries) byPath.set(entry.path, entry);
    const dotGithub = root.entries.find((entry) => entry.path === '.github' && entry.type === 'tree');
    let githubComplete = true;
    if (dotGithub) {
      const sub = unwrap(await gitTree(http, owner, repo, dotGithub.sha, true));
      if (isError(sub)) return sub;
      githubComplete = !sub.truncated;
      for (const entry of sub.entries) byPath.set(`.github/${entry.path}`, { ...entry, path: `.github/${entry.path}` });
    }
    entries = [...byPath.values()];
    notes.push(
      `GitHub truncated the listing of this repository's files (too many for one answer): the root and .github were listed ${githubComplete ? 'in full' : 'as far as GitHub would'}, ` +
        `but action.yml files in other folders were looked for only among the ${whole.entries.length} entries GitHub did list; scan a clone to be sure of the rest`,
    );
  }
  const files: TreeSelection['files'] = [];
  const symlinks: string[] = [];
  const paths = new Set<string>();
  for (const entry of entries) {
    if (entry.type !== 'blob') continue;
    const kind = collectedKind(entry.path);
    const format = kind === null ? findConfigName(entry.path) : null;
    if (kind === null && format === null) continue;
    if (entry.mode === '120000') {
      if (kind !== null) symlinks.push(entry.path);
      continue;
    }
    if (kind !== null && !paths.has(entry.path)) {
      paths.add(entry.path);
      files.push({ path: entry.path, sha: entry.sha, kind, ...(entry.size !== undefined ? { size: entry.size } : {}) });
    }
  }
  if (symlinks.length > 0)
    notes.push(
      `skipped ${symlinks.length} symbolic ${symlinks.length === 1 ? 'link' : 'links'} (not followed in a repository scan): ${symlinks.join(', ')}`,
    );
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const config = chooseConfig(entries);
  return { files, notes, ...(config ? { config } : {}) };
}

/** The root configuration file names a folder scan looks for, in its order of preference. */
const CONFIG_NAMES: readonly { path: string; format: ConfigFormat }[] = [
  ...OUR_CONFIG_FILES.map((path) => ({ path, format: 'warden' as const })),
  ...ZIZMOR_CONFIG_FILES.map((path) => ({ path, format: 'zizmor' as const })),
];

interface FoundConfigName {
  format: ConfigFormat;
  /** Lower wins. */
  rank: number;
}

function findConfigName(path: string): FoundConfigName | null {
  const rank = CONFIG_NAMES.findIndex((name) => name.path === path);
  return rank < 0 ? null : { format: CONFIG_NAMES[rank].format, rank };
}

/** The configuration file a folder scan of the repository's root would use: ours first, then zizmor's. */
function chooseConfig(entries: readonly TreeEntry[]): TreeSelection['config'] | undefined {
  let best: { entry: TreeEntry; found: FoundConfigName } | undefined;
  for (const entry of entries) {
    if (entry.type !== 'blob' || entry.mode === '120000') continue;
    const found = findConfigName(entry.path);
    if (found && (!best || found.rank < best.found.rank)) best = { entry, found };
  }
  if (!best) return undefined;
  const { entry, found } = best;
  return { path: entry.path, sha: entry.sha, format: found.format, ...(entry.size !== undefined ? { size: entry.size } : {}) };
}
