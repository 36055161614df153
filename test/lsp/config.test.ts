/**
 * Repository configuration in the language server: a document is analysed with its repository's
 * `.github/actions-warden.yml`; a config file open in the editor shows its problems and, when edited,
 * re-analyses the open documents; a change on disk reported by didChangeWatchedFiles does too; the
 * "Ignore <rule> on this line" quick fix is offered.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { CodeAction } from 'vscode-languageserver-types';
import { byCode, TestLspClient } from '../support/lsp-client';

const WORKFLOW =
  'on: push\npermissions: {}\njobs:\n  build:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: read\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n';

describe('configuration in the language server', () => {
  let client: TestLspClient;
  let root: string;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'warden-lsp-config-'));
    mkdirSync(join(root, '.git'));
    mkdirSync(join(root, '.github', 'workflows'), { recursive: true });
    writeFileSync(join(root, '.github', 'actions-warden.yml'), 'rules:\n  unpinned-uses:\n    disable: true\n');
    client = new TestLspClient();
    await client.initialize();
  });
  after(async () => {
    await client.shutdown();
    rmSync(root, { recursive: true, force: true });
  });

  test('config on disk, config edited in the editor, config changed on disk', async () => {
    const uri = pathToFileURL(join(root, '.github', 'workflows', 'ci.yml')).href;
    const opened = await client.open(uri, WORKFLOW);
    assert.deepEqual(byCode(opened.diagnostics, 'unpinned-uses'), [], 'disabled by the repository configuration');

    const configUri = pathToFileURL(join(root, '.github', 'actions-warden.yml')).href;
    const reanalysed = client.waitForDiagnostics(uri, (params) => byCode(params.diagnostics, 'unpinned-uses').length === 1);
    const config = await client.open(configUri, 'persona: everyone\n');
    assert.deepEqual(
      config.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range.start.character]),
      [['config-error', 9]],
    );
    await reanalysed; // The editor's text (no `disable`) now applies.

    const closedAgain = client.waitForDiagnostics(uri, (params) => byCode(params.diagnostics, 'unpinned-uses').length === 0);
    await client.close(configUri);
    await closedAgain; // Back to the file on disk.

    writeFileSync(join(root, '.github', 'actions-warden.yml'), 'rules: {}\n');
    const fromDisk = client.waitForDiagnostics(uri, (params) => byCode(params.diagnostics, 'unpinned-uses').length === 1);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 2 }] });
    const published = await fromDisk;

    const [finding] = byCode(published.diagnostics, 'unpinned-uses');
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: finding.range,
      context: { diagnostics: [finding], only: ['quickfix'] },
    })) as CodeAction[];
    const ignore = actions.find((action) => action.title === 'Ignore unpinned-uses on this line');
    assert.ok(ignore, actions.map((action) => action.title).join(', '));
    assert.deepEqual(ignore.edit?.changes?.[uri]?.[0].newText, ' # warden: ignore[unpinned-uses] reason');
  });

  test('the ignore fix of a finding inside a `run: |` script puts the comment on the header line', async () => {
    const uri = pathToFileURL(join(root, '.github', 'workflows', 'script.yml')).href;
    const text =
      'on: pull_request\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          echo "${{ github.head_ref }}"\n';
    const opened = await client.open(uri, text);
    const [finding] = byCode(opened.diagnostics, 'template-injection');
    assert.ok(finding, opened.diagnostics.map((diagnostic) => diagnostic.code).join(', '));
    assert.equal(finding.range.start.line, 7);
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: finding.range,
      context: { diagnostics: [finding], only: ['quickfix'] },
    })) as CodeAction[];
    const ignore = actions.find((action) => action.title.startsWith('Ignore template-injection'));
    assert.ok(ignore, actions.map((action) => action.title).join(', '));
    assert.deepEqual(ignore.edit?.changes?.[uri], [
      {
        range: { start: { line: 6, character: 14 }, end: { line: 6, character: 14 } },
        newText: ' # warden: ignore[template-injection] reason',
      },
    ]);
  });
});
