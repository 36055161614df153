/**
 * The `workspace` section of `npm run bench`: dist/server.js given the corpus as one workspace folder
 * (scope `workspace`, auditor persona, offline) indexes it and publishes diagnostics for every file without
 * any being opened. Measured: the time from `initialized` to the last file's diagnostics, next to the
 * CLI over the same folder in the same run (the baseline: the same files, the same rules, one process
 * without an editor to stay responsive for); the server's RSS once done, next to an idle server without a
 * workspace; and how long an open document waits for its diagnostics while the workspace is being
 * analysed, next to the same open once it is done (what "stays responsive" means here).
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { discover } from '../../server/src/cli/discover';
import { BENCH_SETTINGS, BenchClient } from './lsp';

const OPENED = 'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n';

export interface WorkspaceBenchResult {
  files: number;
  indexMs: number;
  cliMs: number;
  ratioToCli: number;
  /** Diagnostics the server published for the unopened files, and findings the CLI printed: the same analysis. */
  serverDiagnostics: number;
  cliFindings: number | null;
  idleRss: number | null;
  doneRss: number | null;
  openWhileIndexingMs: number;
  openWhenIdleMs: number;
}

export async function workspaceIndexing(corpus: string, serverPath: string, cliPath: string): Promise<WorkspaceBenchResult> {
  const expected = new Set(discover([corpus], corpus).targets.map((target) => pathToFileURL(target.path).href));

  const idle = new BenchClient(serverPath);
  await idle.initialize();
  await new Promise((resolve) => setTimeout(resolve, 300));
  const idleRss = idle.rss();
  await idle.shutdown();

  const client = new BenchClient(serverPath);
  const pending = new Set(expected);
  let lastAt = 0;
  const diagnostics = new Map<string, number>();
  const allPublished = new Promise<void>((resolve) => {
    client.onPublish.push((params, at) => {
      if (params.version === undefined) diagnostics.set(params.uri, params.diagnostics.length);
      if (params.version === undefined && pending.delete(params.uri)) {
        lastAt = at;
        if (pending.size === 0) resolve();
      }
    });
  });
  await client.initialize(BENCH_SETTINGS, [pathToFileURL(corpus).href]);
  const started = performance.now();
  // An open document while the workspace is analysed: its diagnostics must not wait for the queue.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const during = await openAndTime(client, 'file:///bench-open/a/.github/workflows/during.yml');
  await allPublished;
  const indexMs = lastAt - started;
  await new Promise((resolve) => setTimeout(resolve, 500));
  const doneRss = client.rss();
  const after = await openAndTime(client, 'file:///bench-open/a/.github/workflows/after.yml');
  await client.shutdown();

  const cliStart = performance.now();
  const cli = spawnSync(process.execPath, [cliPath, '--offline', '--persona', 'auditor', '--format', 'json', corpus], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const cliMs = performance.now() - cliStart;
  let cliFindings: number | null = null;
  try {
    cliFindings = (JSON.parse(cli.stdout) as { findings: unknown[] }).findings.length;
  } catch {
    cliFindings = null;
  }
  return {
    files: expected.size,
    indexMs,
    cliMs,
    ratioToCli: indexMs / cliMs,
    serverDiagnostics: [...diagnostics.values()].reduce((sum, count) => sum + count, 0),
    cliFindings,
    idleRss,
    doneRss,
    openWhileIndexingMs: during,
    openWhenIdleMs: after,
  };
}

async function openAndTime(client: BenchClient, uri: string): Promise<number> {
  const published = client.waitFor(uri, 1);
  const sent = performance.now();
  void client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: OPENED } });
  const { at } = await published;
  return at - sent;
}
