/**
 * The whole workspace through the real server: files that are not open get diagnostics (with the CLI's
 * collection rules: node_modules, .gitignore and links out of the folder are skipped), changes on disk
 * reported by didChangeWatchedFiles update them, an open document wins over its disk copy, closing it
 * publishes the disk copy's findings again, and the `openFiles` scope publishes nothing for unopened files.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, afterEach, describe, test } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { byCode, EDITOR_WORKSPACE_CAPABILITIES, TestLspClient } from '../support/lsp-client';

/** One unpinned action: an `unpinned-uses` finding in every persona. */
const UNPINNED =
  'on: push\npermissions: {}\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n';
const PINNED = UNPINNED.replace('actions/checkout@v4', 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2');
const ACTION = 'name: a\ndescription: a\nruns:\n  using: composite\n  steps:\n    - uses: actions/setup-node@v4\n';

const WATCHING = { ...EDITOR_WORKSPACE_CAPABILITIES, didChangeWatchedFiles: { dynamicRegistration: true } };

const roots: string[] = [];
function workspace(files: Record<string, string>): { root: string; uri: (rel: string) => string } {
  const root = mkdtempSync(join(tmpdir(), 'warden-lsp-workspace-'));
  roots.push(root);
  mkdirSync(join(root, '.git'));
  for (const [rel, text] of Object.entries(files)) write(root, rel, text);
  return { root, uri: (rel) => pathToFileURL(join(root, rel)).href };
}
function write(root: string, rel: string, text: string): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), text);
}

function unpinned(params: PublishDiagnosticsParams): number {
  return byCode(params.diagnostics, 'unpinned-uses').length;
}
const fromDisk = (count: number) => (params: PublishDiagnosticsParams) => params.version === undefined && unpinned(params) === count;

let client: TestLspClient | undefined;
async function start(root: string, settings: Record<string, unknown> = {}): Promise<TestLspClient> {
  client = new TestLspClient();
  await client.initialize({ debounceMs: 0, offline: true, ...settings }, WATCHING, {
    workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'w' }],
    window: { workDoneProgress: true },
  });
  return client;
}

afterEach(async () => {
  await client?.shutdown();
  client = undefined;
});
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

describe('workspace scope in the language server', () => {
  test('unopened files get diagnostics; skipped folders, ignored files and links out of the folder do not', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'warden-lsp-outside-'));
    roots.push(outside);
    write(outside, '.github/workflows/out.yml', UNPINNED);
    const { root, uri } = workspace({
      '.github/workflows/ci.yml': UNPINNED,
      'actions/setup/action.yml': ACTION,
      'node_modules/dep/.github/workflows/dep.yml': UNPINNED,
      'build/.github/workflows/generated.yml': UNPINNED,
      '.gitignore': 'build/\n',
      'README.md': 'not YAML',
    });
    symlinkSync(outside, join(root, 'linked'));
    const lsp = new TestLspClient();
    client = lsp;
    const ci = lsp.waitForDiagnostics(uri('.github/workflows/ci.yml'), fromDisk(1));
    const action = lsp.waitForDiagnostics(uri('actions/setup/action.yml'), fromDisk(1));
    await lsp.initialize({ debounceMs: 0, offline: true }, WATCHING, { workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'w' }] });
    await Promise.all([ci, action]);
    assert.deepEqual([...lsp.published.keys()].sort(), [uri('.github/workflows/ci.yml'), uri('actions/setup/action.yml')].sort());
    const watchers = lsp.registrations.filter((registration) => registration.method === 'workspace/didChangeWatchedFiles');
    assert.equal(watchers.length, 1, 'the server registers its file watchers dynamically');
  });

  test('changes on disk: a changed file is re-analysed, a created one analysed, a deleted one cleared', async () => {
    const { root, uri } = workspace({ '.github/workflows/ci.yml': UNPINNED });
    const lsp = await start(root);
    await lsp.waitForDiagnostics(uri('.github/workflows/ci.yml'), fromDisk(1));

    write(root, '.github/workflows/ci.yml', PINNED);
    const changed = lsp.waitForDiagnostics(uri('.github/workflows/ci.yml'), fromDisk(0));
    await lsp.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri('.github/workflows/ci.yml'), type: 2 }],
    });
    await changed;

    write(root, '.github/workflows/new.yml', UNPINNED);
    const created = lsp.waitForDiagnostics(uri('.github/workflows/new.yml'), fromDisk(1));
    await lsp.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri('.github/workflows/new.yml'), type: 1 }],
    });
    await created;

    unlinkSync(join(root, '.github/workflows/new.yml'));
    const deleted = lsp.waitForDiagnostics(uri('.github/workflows/new.yml'), (params) => params.diagnostics.length === 0);
    await lsp.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri('.github/workflows/new.yml'), type: 3 }],
    });
    await deleted;
  });

  test('without file watching, Re-run Analysis walks the workspace again and finds a new file', async () => {
    const { root, uri } = workspace({ '.github/workflows/ci.yml': UNPINNED });
    const lsp = new TestLspClient();
    client = lsp;
    const first = lsp.waitForDiagnostics(uri('.github/workflows/ci.yml'), fromDisk(1));
    await lsp.initialize({ debounceMs: 0, offline: true }, EDITOR_WORKSPACE_CAPABILITIES, {
      workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'w' }],
    });
    await first;
    assert.deepEqual(lsp.registrations, [], 'no watcher is registered with a client that does not allow it');
    write(root, '.github/workflows/later.yml', UNPINNED);
    const found = lsp.waitForDiagnostics(uri('.github/workflows/later.yml'), fromDisk(1));
    await lsp.connection.sendRequest('workspace/executeCommand', { command: 'actionsWarden.server.reanalyze', arguments: [] });
    await found;
  });

  test('an open document wins over its disk copy; closing it publishes the disk findings again', async () => {
    const { root, uri } = workspace({ '.github/workflows/ci.yml': UNPINNED, '.github/workflows/other.yml': UNPINNED });
    const lsp = await start(root);
    const ci = uri('.github/workflows/ci.yml');
    await lsp.waitForDiagnostics(ci, fromDisk(1));

    const opened = await lsp.open(ci, PINNED);
    assert.equal(unpinned(opened), 0, "the editor's text is analysed, not the disk's");

    // The disk copy changes while the file is open: nothing is published for it from the disk.
    write(root, '.github/workflows/ci.yml', UNPINNED.replace('@v4', '@v3'));
    write(root, '.github/workflows/other.yml', PINNED);
    const other = lsp.waitForDiagnostics(uri('.github/workflows/other.yml'), fromDisk(0));
    await lsp.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: ci, type: 2 },
        { uri: uri('.github/workflows/other.yml'), type: 2 },
      ],
    });
    await other;
    const afterOpen = lsp.published.get(ci)!.slice(lsp.published.get(ci)!.indexOf(opened) + 1);
    assert.deepEqual(afterOpen, [], 'no disk publication replaced the open document');

    const closed = lsp.waitForDiagnostics(ci, () => true);
    await lsp.connection.sendNotification('textDocument/didClose', { textDocument: { uri: ci } });
    const reverted = await closed;
    assert.equal(reverted.version, undefined);
    assert.equal(unpinned(reverted), 1, "the disk copy's finding, not an empty list");
    assert.match(String(byCode(reverted.diagnostics, 'unpinned-uses')[0].message), /v3/);
  });

  test('scope openFiles publishes nothing for unopened files; switching to workspace publishes them, and back clears them', async () => {
    const { root, uri } = workspace({ '.github/workflows/ci.yml': UNPINNED, '.github/workflows/open.yml': UNPINNED });
    const lsp = await start(root, { scope: 'openFiles' });
    const opened = await lsp.open(uri('.github/workflows/open.yml'), UNPINNED);
    assert.equal(unpinned(opened), 1);
    const closed = await lsp.close(uri('.github/workflows/open.yml'));
    assert.deepEqual(closed.diagnostics, [], 'closing clears in openFiles scope');
    // The index is built at `initialized`, before the document opened: anything it published would be here by now.
    assert.equal(lsp.published.get(uri('.github/workflows/ci.yml')), undefined);

    const shown = lsp.waitForDiagnostics(uri('.github/workflows/ci.yml'), fromDisk(1));
    await lsp.connection.sendNotification('workspace/didChangeConfiguration', {
      settings: { actionsWarden: { debounceMs: 0, offline: true, scope: 'workspace' } },
    });
    await shown;
    const cleared = lsp.waitForDiagnostics(uri('.github/workflows/ci.yml'), (params) => params.diagnostics.length === 0);
    await lsp.connection.sendNotification('workspace/didChangeConfiguration', {
      settings: { actionsWarden: { debounceMs: 0, offline: true, scope: 'openFiles' } },
    });
    await cleared;
  });

  test('a large workspace reports work-done progress while it is analysed', async () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < 30; index++) files[`.github/workflows/w${index}.yml`] = UNPINNED;
    const { root, uri } = workspace(files);
    const lsp = await start(root);
    await Promise.all(Object.keys(files).map((rel) => lsp.waitForDiagnostics(uri(rel), fromDisk(1), 30_000)));
    const until = Date.now() + 5000;
    while (!lsp.progress.some((value) => value.kind === 'end') && Date.now() < until)
      await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(lsp.progress[0]?.kind, 'begin');
    assert.equal(lsp.progress.at(-1)?.kind, 'end');
  });
});
