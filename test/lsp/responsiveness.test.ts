/**
 * The server stays responsive while one document is large: its analysis runs in slices, so a hover on
 * another document is answered between them; a newer version cancels the analysis of the older one; and a
 * code-action request over the whole of a large document computes each fix once, quickly.
 */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, test } from 'node:test';
import type { CodeAction, Hover } from 'vscode-languageserver-types';
import { TestLspClient } from '../support/lsp-client';

/** A synthetic workflow of about `jobs` × 40 lines, with findings (and fixes) in every job. */
export function largeWorkflow(jobs: number): string {
  const lines = ['name: large', 'on:', '  pull_request_target:', '  push:', '    branches: [main]', 'jobs:'];
  for (let i = 0; i < jobs; i++) {
    lines.push(
      `  job-${i}:`,
      `    name: Job ${i}`,
      '    runs-on: ubuntu-latest',
      '    timeout-minutes: 30',
      `    if: github.event_name == 'pull_request_target' || contains(github.event.pull_request.labels.*.name, 'run-${i}')`,
      '    env:',
      `      SHARD: ${i}`,
      '      NODE_OPTIONS: --max-old-space-size=4096',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '        with:',
      '          ref: ${{ github.event.pull_request.head.sha }}',
      '      - uses: actions/setup-node@v4',
      '        with:',
      '          node-version: 20',
      "          cache: 'npm'",
      '      - uses: actions/cache@v4',
      '        with:',
      '          path: ~/.npm',
      "          key: npm-${{ runner.os }}-${{ hashFiles('**/package-lock.json') }}",
      `      - name: Build ${i}`,
      '        run: |',
      '          echo "building ${{ github.event.pull_request.title }}"',
      '          npm ci',
      `          npm test -- --shard=${i}`,
      '      - name: Report',
      '        run: echo "${{ github.head_ref }}" >> "$GITHUB_STEP_SUMMARY"',
      '      - uses: docker/login-action@v3',
      '        with:',
      '          username: bot',
      '          password: ${{ secrets.DOCKER_PASSWORD }}',
      '      - uses: my-org/deploy-action@main',
      '        with:',
      '          token: ${{ secrets.GITHUB_TOKEN }}',
      '      - run: curl -sSL https://example.com/install.sh | bash',
      '      - uses: actions/upload-artifact@v4',
      '        with:',
      `          name: out-${i}`,
      '          path: .',
      '',
    );
  }
  return lines.join('\n');
}

const LARGE = largeWorkflow(200);
const SMALL = [
  'on: push',
  'permissions: {}',
  'jobs:',
  '  a:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - uses: actions/checkout@v4',
  '',
].join('\n');

let client: TestLspClient;
before(async () => {
  client = new TestLspClient();
  await client.initialize({ debounceMs: 0, offline: true });
});
after(async () => {
  await client?.shutdown();
});

const open = (uri: string, text: string, version = 1) =>
  client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
const publishedVersions = (uri: string) => (client.published.get(uri) ?? []).map((params) => params.version);

test('a hover on a small document is answered while a large one is being analysed', { timeout: 120_000 }, async () => {
  assert.ok(LARGE.split('\n').length >= 8000, 'the large workflow has 8,000 lines');
  const large = 'file:///repo/.github/workflows/large.yml';
  const small = 'file:///repo/.github/workflows/small.yml';
  const largePublished = client.waitForDiagnostics(large, (params) => params.version === 1, 60_000);
  const smallPublished = client.waitForDiagnostics(small, (params) => params.version === 1, 60_000);
  const opened = performance.now();
  await open(large, LARGE);
  await open(small, SMALL);
  // Between two slices of the large document's analysis, the small one is opened and analysed...
  await smallPublished;
  assert.deepEqual(publishedVersions(large), [], 'the small document was published before the large one');
  // ...and a hover on it is answered at once, still before the large document's diagnostics.
  const asked = performance.now();
  const hover: Hover | null = await client.connection.sendRequest('textDocument/hover', {
    textDocument: { uri: small },
    position: { line: 6, character: 30 },
  });
  const hoverMs = performance.now() - asked;
  assert.match(JSON.stringify(hover), /actions\/checkout/);
  assert.deepEqual(publishedVersions(large), [], 'the hover was answered before the large document was published');
  assert.ok(hoverMs < 1000, `hover answered in ${hoverMs.toFixed(0)} ms`);
  const published = await largePublished;
  const analysedMs = performance.now() - opened;
  assert.ok(published.diagnostics.length > 1000, `${published.diagnostics.length} findings on the large document`);
  console.log(
    `# large document (${LARGE.split('\n').length} lines) published after ${analysedMs.toFixed(0)} ms; hover on the small one answered in ${hoverMs.toFixed(0)} ms`,
  );
});

test('a whole-document code-action request on the large document computes each fix once, within budget', { timeout: 120_000 }, async () => {
  const uri = 'file:///repo/.github/workflows/large-actions.yml';
  const opened = performance.now();
  const published = client.waitForDiagnostics(uri, (params) => params.version === 1, 60_000);
  await open(uri, LARGE);
  const { diagnostics } = await published;
  const analysisMs = performance.now() - opened;
  const lines = LARGE.split('\n').length;
  const request = () =>
    client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: lines, character: 0 } },
      context: { diagnostics: [] },
    }) as Promise<CodeAction[]>;
  let start = performance.now();
  const actions = await request();
  const firstMs = performance.now() - start;
  start = performance.now();
  const again = await request();
  const againMs = performance.now() - start;
  console.log(
    `# whole-document code actions on ${lines} lines (${diagnostics.length} findings, analysis ${analysisMs.toFixed(0)} ms): ${actions.length} actions in ${firstMs.toFixed(0)} ms, again in ${againMs.toFixed(0)} ms`,
  );
  const ignores = actions.filter((action) => action.title.startsWith('Ignore '));
  assert.ok(ignores.length > 1000, `${ignores.length} "Ignore" actions`);
  assert.equal(again.length, actions.length);
  // Before, every "Ignore" action re-parsed the whole document (about 12 times the analysis of the file,
  // 5–6 s on a 7,700-line real workflow). The budget is 2 s, or twice the time the analysis took on a
  // machine slow enough (or busy enough) that this analysis itself takes over a second.
  assert.ok(firstMs < Math.max(2000, 2 * analysisMs), `first request took ${firstMs.toFixed(0)} ms (analysis ${analysisMs.toFixed(0)} ms)`);
  assert.ok(againMs < Math.max(1000, analysisMs), `a repeated request reads what was computed (${againMs.toFixed(0)} ms)`);
});

test('a newer version cancels the analysis of the older one: only the newer one is published', { timeout: 120_000 }, async () => {
  const uri = 'file:///repo/.github/workflows/large-edit.yml';
  const second = client.waitForDiagnostics(uri, (params) => params.version === 2, 60_000);
  await open(uri, LARGE);
  const edited = LARGE.replace('name: large', 'name: large-edited');
  await client.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [{ text: edited }],
  });
  const published = await second;
  assert.deepEqual(publishedVersions(uri), [2], 'version 1 was never published');
  assert.ok(published.diagnostics.length > 1000);
});
