import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, DocumentLink, Hover, Range } from 'vscode-languageserver-types';
import { byCode, TestLspClient } from '../support/lsp-client';

const SHA = '11bd71901bbe5b1630ceea73d27597364c9af683';
const WORKFLOW = [
  'name: PR build',
  'on: pull_request_target',
  'jobs:',
  '  build:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - uses: actions/checkout@v4',
  '      - run: npm test',
  '',
].join('\n');

function textAt(text: string, range: Range): string {
  const document = TextDocument.create('file:///x', 'yaml', 1, text);
  return text.slice(document.offsetAt(range.start), document.offsetAt(range.end));
}

describe('language server over stdio', () => {
  let client: TestLspClient;

  before(async () => {
    client = new TestLspClient();
    const result = await client.initialize();
    assert.equal(result.capabilities.textDocumentSync.change, 2, 'incremental sync');
    assert.equal(result.capabilities.hoverProvider, true);
    assert.deepEqual(result.capabilities.documentLinkProvider, { resolveProvider: false });
    assert.deepEqual([...result.capabilities.executeCommandProvider.commands].sort(), [
      'actionsWarden.server.addLeastPrivilegePermissions',
      'actionsWarden.server.addToLock',
      'actionsWarden.server.lockWorkflow',
      'actionsWarden.server.openDependencySource',
      'actionsWarden.server.pinAllInFile',
      'actionsWarden.server.pinAllInWorkspace',
      'actionsWarden.server.reanalyze',
      'actionsWarden.server.recordChecksum',
      'actionsWarden.server.showRepositorySettings',
      'actionsWarden.server.updateAllInFile',
      'actionsWarden.server.updateAllInWorkspace',
    ]);
  });

  after(async () => {
    await client.shutdown();
  });

  test('publishes the three foundation findings with exact ranges, fixes, hovers and incremental updates', async () => {
    const uri = 'file:///repo/.github/workflows/pr.yml';
    const opened = await client.open(uri, WORKFLOW);
    const diagnostics = opened.diagnostics;

    const [trigger] = byCode(diagnostics, 'dangerous-triggers');
    assert.ok(trigger, 'dangerous-triggers published');
    assert.equal(textAt(WORKFLOW, trigger.range), 'pull_request_target');
    assert.equal(trigger.source, 'actions-warden');
    assert.match(trigger.codeDescription!.href, /docs\/rules\/dangerous-triggers\.md$/);

    const [permissions] = byCode(diagnostics, 'excessive-permissions');
    assert.ok(permissions, 'excessive-permissions published');
    assert.equal(textAt(WORKFLOW, permissions.range), 'jobs');

    const [unpinned] = byCode(diagnostics, 'unpinned-uses');
    assert.ok(unpinned, 'unpinned-uses published');
    assert.equal(textAt(WORKFLOW, unpinned.range), 'v4');
    assert.deepEqual(unpinned.range.start, { line: 6, character: 31 });

    // The quick fix at the permissions finding inserts `permissions: {}` above `jobs:`.
    const actions: CodeAction[] = await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: permissions.range,
      context: { diagnostics: [permissions], only: ['quickfix'] },
    });
    const preferred = actions.find((action) => action.isPreferred);
    assert.ok(preferred, 'a preferred fix');
    assert.equal(preferred.kind, 'quickfix');
    assert.deepEqual(preferred.diagnostics?.[0]?.code, 'excessive-permissions');
    const edits = preferred.edit!.changes![uri];
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, WORKFLOW), edits);
    assert.match(fixed, /\npermissions: \{\}\njobs:\n/);

    // Hover on the finding explains it.
    const hover: Hover = await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: 6, character: 32 },
    });
    assert.ok(hover, 'hover returned');
    const markdown = hover.contents as { kind: string; value: string };
    assert.equal(markdown.kind, 'markdown');
    assert.match(markdown.value, /tj-actions/);
    assert.match(markdown.value, /docs\/rules\/unpinned-uses\.md/);

    // Hover on the trigger says what it runs with.
    const triggerHover: Hover = await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: 1, character: 6 },
    });
    assert.match((triggerHover.contents as { value: string }).value, /base\*\* repository/);

    // Incremental edit: replace `v4` by a full SHA; the unpinned-uses diagnostic goes away.
    const changed = await client.change(uri, [{ range: unpinned.range, text: SHA }]);
    assert.equal(byCode(changed.diagnostics, 'unpinned-uses').length, 0);
    assert.equal(byCode(changed.diagnostics, 'dangerous-triggers').length, 1);

    // Closing clears.
    const closed = await client.close(uri);
    assert.deepEqual(closed.diagnostics, []);
  });

  test('malformed YAML gets a diagnostic and the server keeps serving other files', async () => {
    const bad = 'file:///repo/.github/workflows/bad.yml';
    const published = await client.open(bad, 'on: [push\njobs:\n  a: {\n\u0000\u0001 binary');
    const syntax = byCode(published.diagnostics, 'syntax-error');
    assert.ok(syntax.length > 0, 'syntax error reported');
    const good = 'file:///repo/.github/workflows/good.yml';
    const second = await client.open(good, WORKFLOW);
    assert.ok(byCode(second.diagnostics, 'unpinned-uses').length === 1);
    await client.close(bad);
    await client.close(good);
  });

  test('non-ASCII text before a flagged token keeps UTF-16 ranges exact', async () => {
    const uri = 'file:///repo/.github/workflows/emoji.yml';
    const text = [
      'on: push',
      'permissions: {}',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - {name: "🚀 発射 🚀", uses: actions/setup-node@v4}',
      '',
    ].join('\n');
    const published = await client.open(uri, text);
    const [unpinned] = byCode(published.diagnostics, 'unpinned-uses');
    assert.ok(unpinned);
    assert.equal(textAt(text, unpinned.range), 'v4');
    await client.close(uri);
  });

  test('uses: values are document links to the action at its ref on the GitHub host', async () => {
    const uri = 'file:///repo/.github/workflows/links.yml';
    const text = WORKFLOW.replace('actions/checkout@v4', `"actions/checkout@${SHA}"`);
    await client.open(uri, text);
    const links: DocumentLink[] = await client.connection.sendRequest('textDocument/documentLink', { textDocument: { uri } });
    assert.equal(links.length, 1);
    assert.equal(textAt(text, links[0].range), `actions/checkout@${SHA}`);
    assert.equal(links[0].target, `https://github.com/actions/checkout/tree/${SHA}`);
    await client.close(uri);
    const closed: DocumentLink[] = await client.connection.sendRequest('textDocument/documentLink', { textDocument: { uri } });
    assert.deepEqual(closed, [], 'a closed document has no links');
  });

  test('a file that is not a workflow gets no findings', async () => {
    const uri = 'file:///repo/config/settings.yml';
    const published = await client.open(uri, WORKFLOW);
    assert.deepEqual(published.diagnostics, []);
    await client.close(uri);
  });

  test('untitled buffers with the github-actions-workflow language are analysed', async () => {
    const uri = 'untitled:Untitled-1';
    const published = await client.open(uri, WORKFLOW, 'github-actions-workflow');
    assert.ok(byCode(published.diagnostics, 'dangerous-triggers').length === 1);
    await client.close(uri);
  });

  test('the re-analyse command publishes the open documents again', async () => {
    const uri = 'file:///repo/.github/workflows/again.yml';
    const opened = await client.open(uri, WORKFLOW);
    const before = (client.published.get(uri) ?? []).length;
    const republished = client.waitForDiagnostics(
      uri,
      (params) => params.version === 1 && (client.published.get(uri) ?? []).length > before,
    );
    await client.connection.sendRequest('workspace/executeCommand', { command: 'actionsWarden.server.reanalyze', arguments: [] });
    const again = await republished;
    assert.deepEqual(again.diagnostics, opened.diagnostics);
    await client.close(uri);
  });

  test('the least-privilege command applies the preferred excessive-permissions fix of the file', async () => {
    const uri = 'file:///repo/.github/workflows/least.yml';
    await client.open(uri, WORKFLOW);
    const applied: { label?: string; edit: { changes: Record<string, { range: Range; newText: string }[]> } }[] = [];
    client.connection.onRequest('workspace/applyEdit', (params: (typeof applied)[number]) => {
      applied.push(params);
      return { applied: true };
    });
    const result = await client.connection.sendRequest('workspace/executeCommand', {
      command: 'actionsWarden.server.addLeastPrivilegePermissions',
      arguments: [uri],
    });
    assert.deepEqual(result, { applied: true, title: applied[0]?.label });
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, WORKFLOW), applied[0].edit.changes[uri]);
    assert.match(fixed, /\npermissions: \{\}\njobs:\n/);
    await client.close(uri);
  });

  test('a settings change re-analyses open documents', async () => {
    const uri = 'file:///repo/.github/workflows/called.yml';
    const text = 'on: workflow_call\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n';
    const opened = await client.open(uri, text);
    assert.equal(byCode(opened.diagnostics, 'excessive-permissions').length, 0, 'pedantic finding hidden for regular');
    const republished = client.waitForDiagnostics(uri, (params) => byCode(params.diagnostics, 'excessive-permissions').length === 1);
    await client.connection.sendNotification('workspace/didChangeConfiguration', {
      settings: { actionsWarden: { persona: 'pedantic', debounceMs: 0 } },
    });
    const pedantic = await republished;
    assert.equal((byCode(pedantic.diagnostics, 'excessive-permissions')[0] as Diagnostic).severity, 2);
    await client.connection.sendNotification('workspace/didChangeConfiguration', {
      settings: { actionsWarden: { persona: 'regular', debounceMs: 0 } },
    });
    await client.close(uri);
  });
});
