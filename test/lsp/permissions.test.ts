import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Hover } from 'vscode-languageserver-types';
import { byCode, TestLspClient } from '../support/lsp-client';

const WORKFLOW = [
  'on: pull_request',
  'jobs:',
  '  build:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - uses: actions/checkout@v4',
  '  comment:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - run: gh pr comment "$PR" --body hi',
  '        env:',
  '          GH_TOKEN: ${{ github.token }}',
  '  scan:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - uses: github/codeql-action/upload-sarif@v3',
  '  pages:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - uses: actions/deploy-pages@v4',
  '  publish:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - uses: pypa/gh-action-pypi-publish@release/v1',
  '',
].join('\n');

describe('least-privilege permissions over LSP', () => {
  let client: TestLspClient;
  before(async () => {
    client = new TestLspClient();
    await client.initialize();
  });
  after(async () => {
    await client.shutdown();
  });

  test('the preferred code action on excessive-permissions writes the least-privilege blocks', async () => {
    const uri = 'file:///repo/.github/workflows/least.yml';
    const opened = await client.open(uri, WORKFLOW);
    const [diagnostic] = byCode(opened.diagnostics, 'excessive-permissions');
    assert.ok(diagnostic);
    const actions: CodeAction[] = await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic], only: ['quickfix'] },
    });
    const preferred = actions.filter((action) => action.isPreferred);
    assert.equal(preferred.length, 1);
    assert.equal(preferred[0].title, 'Add least-privilege permissions');
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, WORKFLOW), preferred[0].edit!.changes![uri]);
    assert.match(fixed, /\npermissions: \{\}\njobs:\n/);
    assert.match(fixed, /  build:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: read  # actions\/checkout\n    steps:/);
    assert.match(fixed, /    permissions:\n      pull-requests: write  # gh pr comment\n/);
    assert.match(fixed, /    permissions:\n      security-events: write  # github\/codeql-action\/upload-sarif\n/);
    assert.match(fixed, /    permissions:\n      id-token: write  # actions\/deploy-pages\n      pages: write  # actions\/deploy-pages\n/);
    assert.match(fixed, /    permissions:\n      id-token: write  # pypa\/gh-action-pypi-publish\n/);

    // Apply it through an edit: the finding disappears.
    const republished = await client.change(uri, [{ text: fixed }]);
    assert.equal(byCode(republished.diagnostics, 'excessive-permissions').length, 0);

    // Hover on a scope key: what it grants and which step uses it.
    const line = fixed.split('\n').findIndex((l) => l.includes('pull-requests: write'));
    const hover: Hover = await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line, character: 8 },
    });
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /pull-requests/);
    assert.match(value, /gh pr comment/);
    await client.close(uri);
  });
});
