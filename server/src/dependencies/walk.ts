/**
 * Follows the dependency chain of the analysed files: for every remote `uses:` (steps, reusable-workflow
 * calls, and the steps of the composite actions and reusable workflows met on the way) the ref is resolved
 * to its commit (a full SHA is its own), then the action's `action.yml`/`action.yaml` (`<path>/action.yml`
 * for an action in a folder) or the reusable workflow's file is read at that commit. Files at a commit never
 * change and are cached for good by readFileAtCommit. The walk is bounded: at most `maxDepth` levels, at
 * most `maxFiles` files read per walk, each (repository, path, commit) once whatever the cycles, at most
 * `maxChars` characters parsed per walk, no file above MAX_DEPENDENCY_FILE_CHARS parsed; where it stopped is
 * said in `stopped`. The walk yields to the event loop before each file it parses, so that a long chain
 * read from the caches never holds up the editor's other requests.
 */
import { parseFile } from '../parse/document';
import { trimEndOf } from '../parse/strings';
import type { RemoteUses } from '../parse/uses';
import { lockableUses, remoteUsesIn } from '../resolve/lock-entry';
import type { RepoData } from '../resolve/repo-data';
import { readFileAtCommit } from '../resolve/repo-files';
import { FULL_SHA_RE } from '../resolve/types';
import { available, unavailable, type DependencyView, type FetchedAction, type View } from '../views';

export const DEFAULT_MAX_DEPTH = 5;
export const DEFAULT_MAX_FILES = 200;
/** At most this many `uses:` of one fetched file are followed. */
export const MAX_USES_PER_FILE = 100;
/**
 * A fetched `action.yml` or reusable workflow larger than this is not parsed (real ones are a few
 * kilobytes; the largest reusable workflows some tens): parsing a megabyte takes seconds of the server's
 * only thread.
 */
export const MAX_DEPENDENCY_FILE_CHARS = 256 * 1024;
/** At most this many characters of dependency files are parsed per walk. */
export const DEFAULT_MAX_CHARS = 4 * 1024 * 1024;

export interface WalkOptions {
  maxDepth?: number;
  maxFiles?: number;
  /** Characters of dependency files parsed per walk (DEFAULT_MAX_CHARS). */
  maxChars?: number;
  /** The server's web origin and path, for the links to a dependency's file (`https://github.com`). */
  serverUrl?: string;
}

/** The result of a walk: what was fetched, what was not and why, where the walk stopped. */
export class DependencyGraph implements DependencyView {
  /** `owner/repo@ref` (owner and repository lower-cased) → full commit SHA. */
  readonly commits = new Map<string, string>();
  /** `owner/repo|path|commit` (lower-cased) → the fetched action or workflow. */
  readonly actions = new Map<string, FetchedAction>();
  /** Same keys → why it could not be fetched. */
  readonly failures = new Map<string, string>();
  /** Sentences saying where the walk stopped (depth, file budget). */
  readonly stopped: string[] = [];
  /** Files read (or found in the cache) during the walk. */
  filesRead = 0;
  /** Characters of the files parsed during the walk. */
  charsParsed = 0;
  /** Per-graph memo of the findings of each dependency (see chain.ts). */
  readonly memo = new Map<string, unknown>();

  action(owner: string, repo: string, path: string, commit: string): View<FetchedAction> {
    const key = actionKey(owner, repo, path, commit);
    const found = this.actions.get(key);
    if (found) return available(found);
    const failure = this.failures.get(key);
    return failure === undefined ? unavailable('not-fetched') : unavailable('failed', failure);
  }

  commitOf(owner: string, repo: string, ref: string): string | undefined {
    if (FULL_SHA_RE.test(ref)) return ref.toLowerCase();
    return this.commits.get(refKey(owner, repo, ref));
  }
}

export function actionKey(owner: string, repo: string, path: string, commit: string): string {
  return `${owner}/${repo}|${path}|${commit}`.toLowerCase();
}

function refKey(owner: string, repo: string, ref: string): string {
  return `${owner.toLowerCase()}/${repo.toLowerCase()}@${ref}`;
}

/** The path a `uses:` sub-path names: '' for the root, without trailing slashes. */
export function usesPath(uses: RemoteUses): string {
  let path = uses.subpath ?? '';
  while (path.endsWith('/')) path = path.slice(0, -1);
  return path;
}

export function isWorkflowPath(path: string): boolean {
  return /^\.github\/workflows\/[^/]+\.ya?ml$/.test(path);
}

/** Walks the chain of every remote `uses:` value given (as written in the analysed files). */
export async function walkDependencies(data: RepoData, usesValues: readonly string[], options: WalkOptions = {}): Promise<DependencyGraph> {
  const graph = new DependencyGraph();
  const maxDepth = Math.max(1, options.maxDepth ?? DEFAULT_MAX_DEPTH);
  const maxFiles = Math.max(1, options.maxFiles ?? DEFAULT_MAX_FILES);
  const maxChars = Math.max(1, options.maxChars ?? DEFAULT_MAX_CHARS);
  const server = data.resolver.http?.server;
  const serverUrl = options.serverUrl ?? (server ? `${server.origin}${trimEndOf(server.pathname, '/')}` : 'https://github.com');
  const seen = new Set<string>();
  let level = usesValues.map(lockableUses).filter((uses): uses is RemoteUses => uses !== null);
  let budgetNoted = false;
  // Ref look-ups are requests too: a fetched file (anyone's) listing thousands of `uses:` must not turn into
  // thousands of requests. At most twice the file budget of look-ups, and MAX_USES_PER_FILE refs per file.
  const maxLookups = maxFiles * 2;
  let lookups = 0;
  const overBudget = (key: string, what: string) => {
    if (!budgetNoted) graph.stopped.push(`more than ${what}: the rest of the chain was not followed`);
    budgetNoted = true;
    graph.failures.set(key, `not read: the walk stops after ${what}`);
  };
  for (let depth = 1; level.length > 0; depth++) {
    const todo: RemoteUses[] = [];
    for (const uses of level) {
      const id = `${uses.owner}/${uses.repo}|${usesPath(uses)}|${uses.ref}`.toLowerCase();
      if (seen.has(id)) continue;
      seen.add(id);
      todo.push(uses);
    }
    if (todo.length === 0) break;
    if (depth > maxDepth) {
      graph.stopped.push(
        `the dependency chain is deeper than ${maxDepth} levels at ${todo.map((u) => `${u.owner}/${u.repo}@${u.ref}`).join(', ')}: it was not followed further`,
      );
      break;
    }
    const next: string[] = [];
    await Promise.all(
      todo.map(async (uses) => {
        if (!FULL_SHA_RE.test(uses.ref as string) && !graph.commits.has(refKey(uses.owner, uses.repo, uses.ref as string))) {
          if (lookups >= maxLookups) {
            overBudget(`${uses.owner}/${uses.repo}@${uses.ref}`.toLowerCase(), `${maxLookups} ref look-ups`);
            return;
          }
          lookups++;
        }
        const commit = await resolveCommit(data, graph, uses);
        if (commit === null) return;
        const path = usesPath(uses);
        const key = actionKey(uses.owner, uses.repo, path, commit);
        if (graph.actions.has(key) || graph.failures.has(key)) return;
        if (graph.filesRead >= maxFiles) {
          if (!budgetNoted) graph.stopped.push(`more than ${maxFiles} dependency files: the rest of the chain was not followed`);
          budgetNoted = true;
          graph.failures.set(key, `not read: the walk reads at most ${maxFiles} files`);
          return;
        }
        if (graph.charsParsed >= maxChars) {
          overBudget(key, `${maxChars} characters of dependency files`);
          return;
        }
        const fetched = await fetchAction(data, uses, path, commit, serverUrl, graph, maxFiles);
        if (!fetched.ok) {
          graph.failures.set(key, fetched.message);
          return;
        }
        graph.actions.set(key, fetched.action);
        const inner = remoteUsesIn(fetched.action.file.text, fetched.action.file.kind === 'workflow' ? 'workflow' : 'action');
        if (inner.length > MAX_USES_PER_FILE)
          graph.stopped.push(
            `${uses.owner}/${uses.repo}${path ? `/${path}` : ''}@${commit.slice(0, 12)} names ${inner.length} actions: only the first ${MAX_USES_PER_FILE} were followed`,
          );
        next.push(...inner.slice(0, MAX_USES_PER_FILE));
      }),
    );
    level = next.map(lockableUses).filter((uses): uses is RemoteUses => uses !== null);
  }
  return graph;
}

async function resolveCommit(data: RepoData, graph: DependencyGraph, uses: RemoteUses): Promise<string | null> {
  const ref = uses.ref as string;
  if (FULL_SHA_RE.test(ref)) return ref.toLowerCase();
  const key = refKey(uses.owner, uses.repo, ref);
  const known = graph.commits.get(key);
  if (known) return known;
  const resolved = await data.resolver.resolveRef(uses.owner, uses.repo, ref);
  // An abbreviated SHA is not followed: files are read at full commits only.
  if (!resolved.ok || !FULL_SHA_RE.test(resolved.value.commit)) return null;
  graph.commits.set(key, resolved.value.commit.toLowerCase());
  return resolved.value.commit.toLowerCase();
}

type Fetched = { ok: true; action: FetchedAction } | { ok: false; message: string };

async function fetchAction(
  data: RepoData,
  uses: RemoteUses,
  path: string,
  commit: string,
  serverUrl: string,
  graph: DependencyGraph,
  maxFiles: number,
): Promise<Fetched> {
  const { owner, repo } = uses;
  const workflow = isWorkflowPath(path);
  const candidates = workflow ? [path] : ['action.yml', 'action.yaml'].map((name) => (path === '' ? name : `${path}/${name}`));
  for (const fileName of candidates) {
    if (graph.filesRead >= maxFiles) return { ok: false, message: `not read: the walk reads at most ${maxFiles} files` };
    graph.filesRead++;
    const read = await readFileAtCommit(data, owner, repo, commit, fileName);
    if (read.ok) {
      const size = read.value.text.length;
      if (size > MAX_DEPENDENCY_FILE_CHARS)
        return {
          ok: false,
          message: `${owner}/${repo}/${fileName} is too large to follow (${size} characters; the limit is ${MAX_DEPENDENCY_FILE_CHARS})`,
        };
      graph.charsParsed += size;
      // Parsing is synchronous: let the requests that arrived meanwhile run first.
      await new Promise((resolve) => setImmediate(resolve));
      const file = parseFile(`${owner}/${repo}/${fileName}@${commit}`, workflow ? 'workflow' : 'action', read.value.text);
      const url = `${serverUrl}/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/blob/${commit}/${fileName.split('/').map(encodeURIComponent).join('/')}`;
      return { ok: true, action: { owner, repo, path, commit, file, fileName, url } };
    }
    if (read.error.kind !== 'not-found') return { ok: false, message: read.error.message };
  }
  return {
    ok: false,
    message: `${owner}/${repo}${path ? `/${path}` : ''} has no ${workflow ? path : 'action.yml or action.yaml'} at ${commit.slice(0, 12)}`,
  };
}
