/**
 * The `dependencies` section of `npm run bench`: the dependency walk (server/src/dependencies) over every
 * remote `uses:` of the corpus, online against an in-process fake GitHub on loopback
 * (test/support/fake-github.ts), then the analysis of every corpus file with the walk's dependency view.
 *
 * The fake serves, for each (repository, ref) the corpus names, a commit with a synthetic `action.yml`
 * (`<path>/action.yml` for an action in a folder, the workflow file for a reusable workflow call). One in
 * four is a composite action (or a reusable workflow) naming two of 20 shared nested actions, so the walk
 * has a second level and meets the same nested actions from many callers. Full SHA pins of the corpus
 * become the fake's commits: each pin `@<sha>` is rewritten, in memory, to the fake's commit of that label
 * (a 40-hex SHA too, so every offset stays the same).
 *
 * Requests are counted by kind, and checked against what the walk needed:
 * - ref look-ups: one git `ls-refs` per repository whose `uses:` name a tag or branch (the resolver lists a
 *   repository's refs once and answers every ref of it from that listing); a repository named only by
 *   full SHAs is never listed;
 * - files: one raw read per distinct (repository, commit, path) the walk fetched;
 * - nothing else.
 * A second walk with a new resolver over the same cache folder (a new process, as the CLI is) makes none.
 *
 * The baseline is the offline analysis of the same corpus (auditor persona, no dependency view) in the same
 * process (after one unmeasured pass, so that both analyses run warmed up): the time of the walk and of the
 * analysis with the chain are given as ratios to it, and so is the memory (heap used after each, following a forced collection when `--expose-gc` is on).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_MAX_DEPTH, usesPath, walkDependencies } from '../../server/src/dependencies/walk';
import { analyze, DEFAULT_ANALYSIS_OPTIONS, type AnalysisOptions } from '../../server/src/engine';
import { parseFile } from '../../server/src/parse/document';
import { clearTextMemos } from '../../server/src/parse/text-memo';
import type { RemoteUses } from '../../server/src/parse/uses';
import { lockableUses } from '../../server/src/resolve/lock-entry';
import { RepoData } from '../../server/src/resolve/repo-data';
import { GitHubResolver } from '../../server/src/resolve/resolver';
import { available } from '../../server/src/views';
import { FakeGitHub, sha, type RepoSpec } from '../../test/support/fake-github';
import type { CorpusFile } from './corpus';

const OPTIONS: AnalysisOptions = { ...DEFAULT_ANALYSIS_OPTIONS, persona: 'auditor' };
const NESTED = 20;

export interface DependencyBenchResult {
  files: number;
  /** Distinct lockable remote `uses:` values of the corpus (after the SHA rewrite). */
  usesValues: number;
  repositories: number;
  /** Of them, named by a tag or branch somewhere (in the corpus or inside a fetched file). */
  listedRepositories: number;
  /** Distinct (repository, commit, path) fetched by the walk. */
  fetched: number;
  failures: number;
  stopped: string[];
  cold: { requests: number; lsRefs: number; raw: number; other: number; walkMs: number };
  warm: { requests: number; walkMs: number };
  baselineMs: number;
  chainAnalysisMs: number;
  chainFindings: number;
  baselineFindings: number;
  heap: { baseline: number; afterWalk: number; afterChain: number };
  rss: { baseline: number; afterChain: number };
}

const gc = (globalThis as { gc?: () => void }).gc;
const heapUsed = () => {
  // Several collections: entries of weak maps whose keys died in one are freed in the next.
  for (let i = 0; i < 4; i++) gc?.();
  return process.memoryUsage().heapUsed;
};

/** The fake's commit label of a `uses:` ref: a full SHA is its own label (rewritten to `sha(label)`), else per repository and ref. */
const labelOf = (repository: string, ref: string) =>
  /^[0-9a-f]{40}$/i.test(ref) ? ref.toLowerCase() : `${repository.toLowerCase()}@${ref}`;

function synthetic(key: string, workflow: boolean): string {
  let hash = 0;
  for (let i = 0; i < key.length; i++) hash = (hash * 31 + key.charCodeAt(i)) >>> 0;
  const nested = [hash % NESTED, (hash >>> 8) % NESTED];
  if (hash % 4 !== 0) {
    return workflow
      ? 'on: workflow_call\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo synthetic\n'
      : 'name: synthetic\ndescription: synthetic\nruns:\n  using: node20\n  main: index.js\n';
  }
  const steps = nested.map((n) => `bench-nested/tool-${n}@v1`);
  return workflow
    ? `on: workflow_call\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n${steps.map((uses) => `      - uses: ${uses}\n`).join('')}`
    : `name: synthetic\ndescription: synthetic\nruns:\n  using: composite\n  steps:\n${steps.map((uses) => `    - uses: ${uses}\n`).join('')}`;
}

export async function dependencyWalk(corpus: CorpusFile[]): Promise<DependencyBenchResult> {
  // Full SHA pins become the fake's commits of the same label (same length: offsets do not move).
  const texts = corpus.map((file) => ({
    ...file,
    text: file.text.replace(/@([0-9a-fA-F]{40})(?![0-9a-fA-F])/g, (_, pin: string) => `@${sha(pin.toLowerCase())}`),
  }));
  const original = new Map<string, string>();
  for (const file of corpus)
    for (const match of file.text.matchAll(/@([0-9a-fA-F]{40})(?![0-9a-fA-F])/g))
      original.set(sha(match[1].toLowerCase()), match[1].toLowerCase());

  // Every lockable remote `uses:`, and what the fake must serve for it.
  const values = new Set<string>();
  for (const file of texts)
    for (const site of parseFile(file.path, file.kind, file.text).uses) if (lockableUses(site.value)) values.add(site.value);
  type Served = {
    branches: Record<string, string>;
    tags: Record<string, { commit: string }>;
    files: Record<string, Record<string, string>>;
  };
  const repos = new Map<string, Served>();
  const serve = (uses: RemoteUses) => {
    const repository = `${uses.owner}/${uses.repo}`.toLowerCase();
    const ref = uses.ref as string;
    const full = /^[0-9a-f]{40}$/i.test(ref);
    const label = labelOf(repository, full ? (original.get(ref.toLowerCase()) ?? ref) : ref);
    let repo = repos.get(repository);
    if (!repo) repos.set(repository, (repo = { branches: {}, tags: {}, files: {} }));
    if (!full) {
      if (/^v?\d/.test(ref)) repo.tags[ref] = { commit: label };
      else repo.branches[ref] = label;
    }
    const path = usesPath(uses);
    const workflow = uses.isReusableWorkflow;
    const fileName = workflow ? path : path ? `${path}/action.yml` : 'action.yml';
    const files = (repo.files[label] ??= {});
    files[fileName] ??= synthetic(`${repository}|${fileName}|${label}`, workflow);
  };
  for (const value of values) serve(lockableUses(value)!);
  for (let n = 0; n < NESTED; n++) serve(lockableUses(`bench-nested/tool-${n}@v1`)!);
  const gh = new FakeGitHub();
  for (const [name, repo] of repos) {
    const history = Object.keys(repo.files);
    const spec: RepoSpec = { history, branches: repo.branches, tags: repo.tags, files: repo.files };
    if (Object.keys(spec.branches).length === 0) spec.branches = { main: history[history.length - 1] };
    gh.repo(name, spec);
  }
  await gh.start();
  const cacheDir = mkdtempSync(join(tmpdir(), 'warden-bench-deps-'));
  const dataFor = () =>
    new RepoData(new GitHubResolver({ serverUrl: gh.serverUrl, apiUrl: gh.apiUrl, cacheDir, timeoutMs: 30_000 }), { cacheDir });
  // Every file the corpus leads to is read: the bound is set above the corpus, not the CLI's default.
  const bounds = { maxFiles: 100_000, maxDepth: DEFAULT_MAX_DEPTH };
  try {
    const parsed = () => texts.map((file) => parseFile(file.path, file.kind, file.text));
    // Baseline: the offline analysis of the same texts, same process: the median of three passes after one
    // unmeasured pass (the JIT warmed up, as it is for the analysis with the chain that follows); memos are
    // emptied before each pass. Heap figures are relative to before the first pass.
    const heapBefore = heapUsed();
    for (const file of parsed()) analyze(file, OPTIONS);
    const passes: number[] = [];
    let baselineFindings = 0;
    let started = 0;
    for (let pass = 0; pass < 3; pass++) {
      clearTextMemos();
      started = performance.now();
      baselineFindings = 0;
      for (const file of parsed()) baselineFindings += analyze(file, OPTIONS).length;
      passes.push(performance.now() - started);
    }
    const baselineMs = passes.sort((a, b) => a - b)[1];
    // Text memos are a cache the next pass empties: measured without them, as after each later step.
    clearTextMemos();
    const heapBaseline = heapUsed() - heapBefore;
    const rssBaseline = process.memoryUsage().rss;

    gh.reset();
    started = performance.now();
    const graph = await walkDependencies(dataFor(), [...values], bounds);
    const walkMs = performance.now() - started;
    const coldRequests = [...gh.requests];
    clearTextMemos();
    const heapAfterWalk = heapUsed() - heapBefore;
    clearTextMemos();
    started = performance.now();
    let chainFindings = 0;
    for (const file of parsed()) chainFindings += analyze(file, { ...OPTIONS, views: { dependencies: available(graph) } }).length;
    const chainAnalysisMs = performance.now() - started;
    clearTextMemos();
    const heapAfterChain = heapUsed() - heapBefore;
    const rssAfterChain = process.memoryUsage().rss;

    gh.reset();
    started = performance.now();
    const again = await walkDependencies(dataFor(), [...values], bounds);
    const warmMs = performance.now() - started;
    if (again.actions.size !== graph.actions.size)
      throw new Error(`the warm walk fetched ${again.actions.size} files, the cold one ${graph.actions.size}`);

    const lsRefs = coldRequests.filter((request) => request.path.endsWith('/git-upload-pack')).length;
    const raw = coldRequests.filter((request) => request.path.includes('/raw/')).length;
    // Repositories whose refs were listed: named by a tag or branch in the corpus, or by the nested `uses:`.
    const listedMet = new Set([...graph.commits.keys()].map((key) => key.slice(0, key.indexOf('@'))));
    const result: DependencyBenchResult = {
      files: texts.length,
      usesValues: values.size,
      repositories: repos.size,
      listedRepositories: listedMet.size,
      fetched: graph.actions.size,
      failures: graph.failures.size,
      stopped: graph.stopped,
      cold: { requests: coldRequests.length, lsRefs, raw, other: coldRequests.length - lsRefs - raw, walkMs },
      warm: { requests: gh.requests.length, walkMs: warmMs },
      baselineMs,
      chainAnalysisMs,
      chainFindings,
      baselineFindings,
      heap: { baseline: heapBaseline, afterWalk: heapAfterWalk, afterChain: heapAfterChain },
      rss: { baseline: rssBaseline, afterChain: rssAfterChain },
    };
    // What the walk needed, exactly: a mismatch is a regression of the walk's caching, not noise.
    const problems: string[] = [];
    if (lsRefs !== result.listedRepositories) problems.push(`${lsRefs} ref listings for ${result.listedRepositories} listed repositories`);
    if (raw !== result.fetched + result.failures)
      problems.push(`${raw} file reads for ${result.fetched + result.failures} (repository, commit, path)`);
    if (result.cold.other !== 0) problems.push(`${result.cold.other} other requests`);
    if (result.warm.requests !== 0) problems.push(`${result.warm.requests} requests on the warm run`);
    if (problems.length > 0) throw new Error(`dependency bench: ${problems.join('; ')}`);
    return result;
  } finally {
    await gh.stop();
    rmSync(cacheDir, { recursive: true, force: true });
  }
}
