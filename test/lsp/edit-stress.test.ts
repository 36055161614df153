/**
 * Edit stress through the real server (dist/server.js over stdio, debounce 0, offline): thousands of
 * random incremental edits, some sent in bursts without waiting; at the end the diagnostics published
 * for the final version equal those of a fresh open of the final text. Then open/close cycles must not
 * grow the server's memory without bound (RSS, Linux only).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { BenchClient } from '../../scripts/bench/lsp';
import { rng } from '../support/fuzz';

const ROOT = join(__dirname, '..', '..', '..');
const SERVER = join(ROOT, 'dist', 'server.js');
const EDITS = Number(process.env.WARDEN_STRESS_EDITS ?? 1200);

function seedText(): string {
  const candidates = [
    join(ROOT, '..', 'shared', 'corpus', 'real', 'astral-sh__uv', '.github', 'workflows', 'ci.yml'),
    join(ROOT, 'examples', 'vulnerable', '.github', 'workflows', 'pr-target.yml'),
  ];
  for (const path of candidates) if (existsSync(path)) return readFileSync(path, 'utf8');
  return [
    'on: pull_request_target',
    'jobs:',
    '  a:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - run: echo "${{ github.event.pull_request.title }}"',
    '',
  ].join('\n');
}

const SNIPPETS = [
  'a',
  ' ',
  '\n',
  '- ',
  ': ',
  '${{ ',
  ' }}',
  'github.event.issue.title',
  'uses: actions/checkout@v4',
  'run: echo hi',
  '\n      - run: |\n          echo "${{ github.head_ref }}"',
  '"',
  "'",
  '#',
  '  ',
  'é🚀',
  'permissions: write-all\n',
  '&a',
  '*a',
];

let client: BenchClient;
before(async () => {
  client = new BenchClient(SERVER);
  await client.initialize();
});
after(async () => {
  await client?.shutdown();
});

test(`edit stress: ${EDITS} random incremental edits end with the diagnostics of a fresh open`, async () => {
  const random = rng(7);
  const uri = 'file:///stress/.github/workflows/ci.yml';
  const document = TextDocument.create(uri, 'yaml', 1, seedText());
  await client.open(uri, document.getText());
  let pending: Promise<unknown>[] = [];
  for (let i = 0; i < EDITS; i++) {
    const text = document.getText();
    const start = Math.floor(random() * (text.length + 1));
    const end = random() < 0.5 ? start : Math.min(text.length, start + Math.floor(random() * 20));
    const insert = random() < 0.7 ? SNIPPETS[Math.floor(random() * SNIPPETS.length)] : '';
    const range = { start: document.positionAt(start), end: document.positionAt(end) };
    const change = { range, text: insert };
    TextDocument.update(document, [change], document.version + 1);
    if (random() < 0.8) {
      // Bursts: several edits in flight, as when typing fast.
      client.changeNoWait(uri, [change]);
    } else {
      pending.push(client.change(uri, [change]));
      await Promise.all(pending);
      pending = [];
    }
  }
  const last = client.version(uri);
  const final = await client.waitFor(uri, last).catch(() => null);
  const published = final?.params ?? client.latest.get(uri);
  assert.equal(published?.version, last, 'the last version was published');
  const freshUri = 'file:///stress2/.github/workflows/ci.yml';
  const fresh = await client.open(freshUri, document.getText());
  const strip = (diagnostics: { range: unknown; code?: unknown; message: unknown; severity?: unknown }[]) =>
    diagnostics.map((d) => JSON.stringify([d.range, d.code, d.message, d.severity])).sort();
  assert.deepEqual(strip(published!.diagnostics), strip(fresh.params.diagnostics));
  await client.close(freshUri);
  await client.close(uri);
});

test('open/close cycles do not grow memory', async (t) => {
  // RSS alone is a poor leak detector: V8 grows its heap lazily when the machine is busy. The server runs
  // here with its old-generation heap capped at 96 MiB: whatever it kept per closed document would add
  // up over the cycles until the process dies of "heap out of memory".
  const capped = new BenchClient(SERVER, ['--max-old-space-size=96']);
  await capped.initialize();
  try {
    const text = seedText();
    const cycle = async (round: number) => {
      for (let i = 0; i < 20; i++) {
        const uri = `file:///cycle/${round}/${i}/.github/workflows/ci.yml`;
        await capped.open(uri, text);
        await capped.close(uri);
      }
    };
    for (let round = 0; round < 5; round++) await cycle(round);
    const first = capped.rss();
    for (let round = 5; round < 20; round++) await cycle(round);
    const last = capped.rss();
    assert.equal(capped.process.exitCode, null, 'the server is still running after 400 open/close cycles');
    if (first === null || last === null) {
      t.skip('RSS not available on this platform');
      return;
    }
    t.diagnostic(`RSS after 100 cycles ${(first / 1048576).toFixed(1)} MiB, after 400 ${(last / 1048576).toFixed(1)} MiB`);
    assert.ok(last < 400 * 1048576, `RSS grew from ${first} to ${last}`);
  } finally {
    await capped.shutdown();
  }
});
