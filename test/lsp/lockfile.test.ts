/**
 * actions.lock through the real server: the lock of a workflow is read from disk beside it (and from the
 * editor once the lock is open), the lock's own diagnostics, hovers on its entries and on the `uses:` it
 * pins, the offline revert fix of lockfile-drift, and re-analysis of the workflow when the open lock changes.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, Hover, MarkupContent } from 'vscode-languageserver-types';
import { byCode, TestLspClient } from '../support/lsp-client';
import { SHA_A, entry, lockText, wf } from '../support/lockfile';

const CI = '.github/workflows/ci.yml';

describe('actions.lock in the editor', () => {
  let root: string;
  let client: TestLspClient;
  let lockUri: string;
  let ciUri: string;
  const lock = lockText({ [CI]: ['actions/checkout@v4', 'actions/cache@v4'] }, [
    entry('actions/checkout@v4', 'v4', SHA_A),
    entry('actions/cache@v4', 'v4', SHA_A),
  ]);
  const workflow = wf('      - uses: actions/checkout@v4\n      - uses: actions/cache@v5\n      - uses: other/tool@v2\n');

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'warden-lsp-lock-'));
    mkdirSync(join(root, '.git'));
    mkdirSync(join(root, '.github', 'workflows'), { recursive: true });
    writeFileSync(join(root, '.github', 'workflows', 'actions.lock'), lock);
    writeFileSync(join(root, CI), workflow);
    lockUri = pathToFileURL(join(root, '.github', 'workflows', 'actions.lock')).href;
    ciUri = pathToFileURL(join(root, CI)).href;
    client = new TestLspClient();
    await client.initialize({ debounceMs: 0, offline: true });
  });
  after(async () => {
    await client.shutdown();
    rmSync(root, { recursive: true, force: true });
  });

  const hoverAt = async (uri: string, text: string, needle: string): Promise<string> => {
    const offset = text.indexOf(needle) + 2;
    const line = text.slice(0, offset).split('\n').length - 1;
    const character = offset - (text.lastIndexOf('\n', offset - 1) + 1);
    const hover: Hover | null = await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line, character },
    });
    return hover ? (hover.contents as MarkupContent).value : '';
  };

  test('a workflow beside the lock: unlocked-uses and lockfile-drift in place of unpinned-uses; the hover shows the locked commit', async () => {
    const published = await client.open(ciUri, workflow);
    const codes = published.diagnostics.map((d) => d.code).filter((code) => /pinned|lock/.test(String(code)));
    assert.deepEqual(codes.sort(), ['lockfile-drift', 'unlocked-uses']);
    const hover = await hoverAt(ciUri, workflow, 'actions/checkout@v4');
    assert.match(hover, /Pinned by actions\.lock/);
    assert.match(hover, new RegExp(SHA_A.slice(0, 12)));
  });

  test('the revert fix of lockfile-drift is offered offline', async () => {
    const published = client.published.get(ciUri)?.at(-1);
    const [drift] = byCode(published?.diagnostics ?? [], 'lockfile-drift');
    const actions: CodeAction[] = await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: ciUri },
      range: drift.range,
      context: { diagnostics: [drift] },
    });
    const revert = actions.find((action) => action.title.startsWith('Revert the ref'));
    assert.ok(revert?.edit, JSON.stringify(actions.map((a) => a.title)));
  });

  test('the lock is a document of its own, with hovers on its entries', async () => {
    const published = await client.open(lockUri, lock);
    assert.deepEqual(byCode(published.diagnostics, 'lockfile-error'), []);
    const hover = await hoverAt(lockUri, lock, 'actions/cache@v4:');
    assert.match(hover, /owner id 1, repository id 2/i);
    assert.match(hover, /Used by `\.github\/workflows\/ci\.yml`/);
  });

  test('editing the open lock re-analyses the workflow', async () => {
    const added = entry('other/tool@v2', 'v2', SHA_A);
    const next = client.waitForDiagnostics(ciUri, (params) => byCode(params.diagnostics, 'unlocked-uses').length === 0);
    await client.change(lockUri, [{ text: `${lock}${added}` }]);
    const published = await next;
    assert.deepEqual(byCode(published.diagnostics, 'unpinned-uses'), []);
  });
});

describe('local actions in a repository with a lock: the hover and the `./` → `$/` rewrite check the target', () => {
  let root: string;
  let client: TestLspClient;
  let ciUri: string;
  const workflow = wf(
    '      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n      - uses: ./.github/actions/setup\n      - uses: ./.github/actions/generated\n      - uses: $/.github/actions/setup\n',
  );

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'warden-lsp-lock-local-'));
    mkdirSync(join(root, '.git'));
    mkdirSync(join(root, '.github', 'workflows'), { recursive: true });
    mkdirSync(join(root, '.github', 'actions', 'setup'), { recursive: true });
    writeFileSync(
      join(root, '.github', 'actions', 'setup', 'action.yaml'),
      'name: s\ndescription: d\nruns:\n  using: composite\n  steps: []\n',
    );
    writeFileSync(join(root, '.github', 'workflows', 'actions.lock'), lockText({}, [entry('actions/checkout@v4', 'v4', SHA_A)]));
    writeFileSync(join(root, CI), workflow);
    ciUri = pathToFileURL(join(root, CI)).href;
    client = new TestLspClient();
    await client.initialize({ debounceMs: 0, offline: true }, undefined, {
      workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'repo' }],
    });
  });
  after(async () => {
    await client.shutdown();
    rmSync(root, { recursive: true, force: true });
  });

  const hoverAt = async (needle: string): Promise<string> => {
    const offset = workflow.indexOf(needle) + 2;
    const line = workflow.slice(0, offset).split('\n').length - 1;
    const character = offset - (workflow.lastIndexOf('\n', offset - 1) + 1);
    const hover: Hover | null = await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: ciUri },
      position: { line, character },
    });
    return hover ? (hover.contents as MarkupContent).value : '';
  };

  test('the rewrite is offered where the action exists, and not where it is missing; the hovers say why', async () => {
    const opened = client.open(ciUri, workflow);
    // The first analysis may come before the workspace is indexed: wait for the one that checked the targets.
    const published = await client.waitForDiagnostics(ciUri, (params) =>
      byCode(params.diagnostics, 'self-repository').some((d) => /no rewrite is offered/.test(String(d.message))),
    );
    await opened;
    const found = byCode(published.diagnostics, 'self-repository');
    assert.deepEqual(
      found.map((d) => d.range.start.line),
      [9, 10],
    );
    const titles = async (diagnostic: (typeof found)[number]) =>
      (
        (await client.connection.sendRequest('textDocument/codeAction', {
          textDocument: { uri: ciUri },
          range: diagnostic.range,
          context: { diagnostics: [diagnostic], only: ['quickfix'] },
        })) as CodeAction[]
      ).map((action) => action.title);
    assert.ok((await titles(found[0])).includes('Use `$/.github/actions/setup`'));
    assert.ok(!(await titles(found[1])).some((title) => title.startsWith('Use `$/')), 'nothing offered for the missing target');
    assert.match(await hoverAt('./.github/actions/setup'), /Write it as `\$\/\.github\/actions\/setup`.*pinned without a lock entry/);
    assert.match(await hoverAt('./.github/actions/generated'), /has no `action\.yml` or `action\.yaml` there/);
    assert.match(await hoverAt('$/.github/actions/setup'), /runs from this workflow's own commit: it is pinned without a lock entry/);
  });
});
