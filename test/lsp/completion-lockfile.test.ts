/**
 * `uses:` completion in a repository that pins with actions.lock: the chosen item inserts the readable tag
 * (no SHA, no version comment) and carries the "Add to actions.lock" command, which writes the entry and
 * lists it for the workflow. Offline, the tag is inserted and the item says it will need locking.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Command, CompletionItem, CompletionList, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { bundledLatestRelease } from '../../server/src/knowledge/release-versions';
import { FakeGitHub, sha } from '../support/fake-github';
import { applyTextEdits, EDITOR_WORKSPACE_CAPABILITIES, TestLspClient } from '../support/lsp-client';

const CI = '.github/workflows/ci.yml';
const LOCK = `version: v0.0.2\nworkflows:\n  ${CI}:\n    - acme/base@v1\ndependencies:\n  acme/base@v1:\n    ref: v1\n    commit: sha1-${sha('b-1')}\n    owner_id: 7\n    repo_id: 21\n`;
const TYPED =
  'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: acme/base@v1\n      - uses: actions/checko';

describe('uses: completion in lockfile style', () => {
  let gh: FakeGitHub;
  let root: string;
  const clients: TestLspClient[] = [];

  before(async () => {
    gh = await new FakeGitHub()
      .repo('acme/base', {
        history: ['b-1'],
        branches: { main: 'b-1' },
        tags: { v1: { commit: 'b-1' } },
        files: { 'b-1': { 'action.yml': 'runs:\n  using: node20\n  main: index.js\n' } },
        ids: { repoId: 21, ownerId: 7 },
      })
      .repo('actions/checkout', {
        history: ['co-1', 'co-2'],
        branches: { main: 'co-2' },
        tags: { 'v4.2.2': { commit: 'co-1' }, 'v5.0.0': { commit: 'co-2', annotated: true }, v5: { commit: 'co-2' } },
        files: { 'co-2': { 'action.yml': 'runs:\n  using: node24\n  main: dist/index.js\n' } },
        ids: { repoId: 31, ownerId: 44 },
      })
      .start();
    root = mkdtempSync(join(tmpdir(), 'warden-lsp-complete-lock-'));
  });
  after(async () => {
    for (const client of clients) await client.shutdown();
    await gh.stop();
    rmSync(root, { recursive: true, force: true });
  });

  async function start(name: string, settings: Record<string, unknown>) {
    const dir = join(root, name);
    mkdirSync(join(dir, '.git'), { recursive: true });
    mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
    writeFileSync(join(dir, '.github', 'workflows', 'actions.lock'), LOCK);
    writeFileSync(join(dir, CI), TYPED);
    const applied: WorkspaceEdit[] = [];
    const client = new TestLspClient();
    clients.push(client);
    client.connection.onRequest('workspace/applyEdit', (params: { edit: WorkspaceEdit }) => {
      applied.push(params.edit);
      return { applied: true };
    });
    await client.connection.sendRequest('initialize', {
      processId: null,
      rootUri: null,
      capabilities: { workspace: EDITOR_WORKSPACE_CAPABILITIES },
      initializationOptions: {
        settings: { debounceMs: 0, github: { serverUrl: gh.serverUrl, apiUrl: gh.apiUrl }, ...settings },
        cacheDir: join(dir, 'cache'),
      },
      workspaceFolders: [{ uri: pathToFileURL(dir).href, name }],
    });
    await client.connection.sendNotification('initialized', {});
    const uri = pathToFileURL(join(dir, CI)).href;
    await client.open(uri, TYPED);
    const lines = TYPED.split('\n');
    const list: CompletionList | null = await client.connection.sendRequest('textDocument/completion', {
      textDocument: { uri },
      position: { line: lines.length - 1, character: lines[lines.length - 1].length },
    });
    const item = list?.items.find((candidate) => candidate.label === 'actions/checkout');
    assert.ok(item, JSON.stringify(list?.items.map((candidate) => candidate.label)));
    return { client, applied, uri, item, lockUri: pathToFileURL(join(dir, '.github', 'workflows', 'actions.lock')).href };
  }

  test('accepting actions/checko inserts actions/checkout@v5.0.0 and its command writes the lock entry', async () => {
    const { client, applied, uri, item, lockUri } = await start('online', {});
    const resolved: CompletionItem = await client.connection.sendRequest('completionItem/resolve', item);
    const edit = resolved.textEdit as TextEdit;
    assert.equal(edit.newText, 'actions/checkout@v5.0.0', 'the readable tag: no SHA, no comment');
    const accepted = applyTextEdits(TYPED, [edit]);
    assert.equal(accepted, TYPED.replace('actions/checko', 'actions/checkout@v5.0.0'));
    const command = resolved.command as Command;
    assert.deepEqual(command, {
      title: 'Add to actions.lock',
      command: 'actionsWarden.server.addToLock',
      arguments: [uri, 'actions/checkout@v5.0.0'],
    });
    assert.match(String(resolved.detail), /v5\.0\.0 \(latest release\) · added to actions\.lock when accepted/);

    // The editor applies the item's edit, then runs its command.
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: accepted }],
    });
    const result = (await client.connection.sendRequest('workspace/executeCommand', {
      command: command.command,
      arguments: command.arguments,
    })) as { applied: boolean; message: string };
    assert.equal(result.applied, true, JSON.stringify(result));
    const lockEdit = applied[0];
    const edits = lockEdit.changes?.[lockUri] ?? (lockEdit.documentChanges?.[0] as TextDocumentEdit | undefined)?.edits ?? [];
    assert.equal(
      applyTextEdits(LOCK, edits as TextEdit[]),
      `version: v0.0.2\nworkflows:\n  ${CI}:\n    - acme/base@v1\n    - actions/checkout@v5.0.0\ndependencies:\n  acme/base@v1:\n    ref: v1\n    commit: sha1-${sha('b-1')}\n    owner_id: 7\n    repo_id: 21\n` +
        `  actions/checkout@v5.0.0:\n    ref: v5.0.0\n    commit: sha1-${sha('co-2')}\n    owner_id: 44\n    repo_id: 31\n`,
    );
  });

  test('the listed item already inserts the tag and carries the lock command (a client that does not resolve)', async () => {
    const { uri, item } = await start('listed', {});
    const bundled = bundledLatestRelease('actions/checkout');
    assert.ok(bundled, 'actions/checkout is in the bundled release table');
    assert.equal((item.textEdit as TextEdit).newText, `actions/checkout@${bundled.version}`);
    assert.deepEqual((item.command as Command).arguments, [uri, `actions/checkout@${bundled.version}`]);
  });

  test('offline: the tag is inserted, the item says it will need locking, and no command is attached', async () => {
    // The servers of the tests above may still be reading in the background (the dependency walk of their
    // workflow): they are stopped first, so what the fake records is this offline server's alone.
    for (const earlier of clients.splice(0)) await earlier.shutdown();
    gh.reset();
    const { client, item } = await start('offline', { offline: true });
    const bundled = bundledLatestRelease('actions/checkout');
    assert.equal((item.textEdit as TextEdit).newText, `actions/checkout@${bundled?.version}`);
    assert.match(String(item.detail), /will need locking in actions\.lock/);
    assert.equal(item.command, undefined);
    const resolved: CompletionItem = await client.connection.sendRequest('completionItem/resolve', item);
    assert.equal((resolved.textEdit as TextEdit).newText, `actions/checkout@${bundled?.version}`);
    assert.match((resolved.documentation as { value: string }).value, /will need locking \(Add to actions\.lock, when online\)/);
    assert.equal(gh.count(), 0, 'no request at all');
  });

  test('in SHA style the same item still inserts the commit with the version comment', async () => {
    const { client, item } = await start('sha', { pinning: { style: 'sha' } });
    const resolved: CompletionItem = await client.connection.sendRequest('completionItem/resolve', item);
    assert.equal((resolved.textEdit as TextEdit).newText, `actions/checkout@${sha('co-2')} # v5.0.0`);
    assert.equal(resolved.command, undefined);
  });
});
