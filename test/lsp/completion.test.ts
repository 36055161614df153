import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeLens, CompletionItem, CompletionList, InlayHint, TextEdit } from 'vscode-languageserver-types';
import { ServerCommands } from '../../shared/src/protocol';
import { bundledLatestRelease } from '../../server/src/knowledge/release-versions';
import { sha, standardFakeGitHub, type FakeGitHub } from '../support/fake-github';
import { EDITOR_WORKSPACE_CAPABILITIES, TestLspClient } from '../support/lsp-client';

const CO4 = sha('co-4');
const CO5 = sha('co-5');

function apply(text: string, edit: TextEdit): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'yaml', 1, text), [edit]);
}

function sorted(list: CompletionList | null): CompletionItem[] {
  assert.ok(list, 'a completion list');
  return [...list.items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
}

const WORKSPACE = { ...EDITOR_WORKSPACE_CAPABILITIES, inlayHint: { refreshSupport: true }, codeLens: { refreshSupport: true } };

async function complete(
  client: TestLspClient,
  uri: string,
  text: string,
  marker = '|',
): Promise<{ text: string; list: CompletionList | null }> {
  const at = text.indexOf(marker);
  const clean = text.slice(0, at) + text.slice(at + marker.length);
  await client.open(uri, clean);
  const document = TextDocument.create(uri, 'yaml', 1, clean);
  const list: CompletionList | null = await client.connection.sendRequest('textDocument/completion', {
    textDocument: { uri },
    position: document.positionAt(at),
  });
  return { text: clean, list };
}

describe('completion, inlay hints and code lenses through the language server (online)', () => {
  let gh: FakeGitHub;
  let client: TestLspClient;
  let cacheDir: string;
  const refreshes: string[] = [];

  before(async () => {
    gh = await standardFakeGitHub().start();
    cacheDir = mkdtempSync(join(tmpdir(), 'warden-complete-'));
    client = new TestLspClient();
    client.connection.onRequest('workspace/inlayHint/refresh', () => void refreshes.push('inlayHint'));
    client.connection.onRequest('workspace/codeLens/refresh', () => void refreshes.push('codeLens'));
    const result = await client.connection.sendRequest('initialize', {
      processId: null,
      rootUri: null,
      capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } }, workspace: WORKSPACE },
      initializationOptions: { settings: { debounceMs: 0, github: { serverUrl: gh.serverUrl, apiUrl: gh.apiUrl } }, cacheDir },
    });
    assert.equal(
      (result as { capabilities: { completionProvider: { resolveProvider: boolean } } }).capabilities.completionProvider.resolveProvider,
      true,
    );
    await client.connection.sendNotification('initialized', {});
  });
  after(async () => {
    await client.shutdown();
    await gh.stop();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  test('uses: actions/checko completes to the latest release pinned to its peeled commit, resolved for the chosen item only', async () => {
    const uri = 'file:///repo/.github/workflows/complete-uses.yml';
    const source = 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checko|\n      - run: make\n';
    gh.reset();
    const { text, list } = await complete(client, uri, source);
    const item = list?.items.find((candidate) => candidate.label === 'actions/checkout');
    assert.ok(item, `actions/checkout among ${list?.items.map((candidate) => candidate.label).join(', ')}`);
    assert.ok(
      list!.items.every((candidate) => candidate.label.startsWith('actions/checko')),
      'filtered by what is typed',
    );
    const listed = gh.requests.length;
    const resolved: CompletionItem = await client.connection.sendRequest('completionItem/resolve', item);
    assert.ok(gh.requests.length > listed, 'the release is resolved when the item is chosen');
    assert.ok(
      gh.requests.every((request) => !request.path.includes('setup-node')),
      'only the chosen repository is resolved',
    );
    const edit = resolved.textEdit as TextEdit;
    assert.equal(edit.newText, `actions/checkout@${CO5} # v5.0.0`);
    const after = apply(text, edit);
    assert.equal(after, text.replace('actions/checko', `actions/checkout@${CO5} # v5.0.0`), 'only the typed token changes');
  });

  test('a quoted value keeps its quotes and the comment goes after the closing quote', async () => {
    const uri = 'file:///repo/.github/workflows/complete-quoted.yml';
    const source = "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: 'actions/checko|'\n";
    const { text, list } = await complete(client, uri, source);
    const item = list!.items.find((candidate) => candidate.label === 'actions/checkout')!;
    const resolved: CompletionItem = await client.connection.sendRequest('completionItem/resolve', item);
    assert.equal(apply(text, resolved.textEdit as TextEdit).split('\n')[5], `      - uses: 'actions/checkout@${CO5}' # v5.0.0`);
  });

  test('permissions: in a job offers the inferred minimal block first, each scope with its reason', async () => {
    const uri = 'file:///repo/.github/workflows/complete-permissions.yml';
    const source = [
      'on: pull_request',
      'jobs:',
      '  comment:',
      '    runs-on: ubuntu-latest',
      '    permissions:',
      '      |',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '      - run: gh pr comment 1 --body hi',
      '        env:',
      '          GH_TOKEN: ${{ github.token }}',
      '',
    ].join('\n');
    const { text, list } = await complete(client, uri, source);
    const items = sorted(list);
    assert.match(items[0].label, /inferred/);
    const block = apply(text, items[0].textEdit as TextEdit).split('\n');
    assert.match(block[5], /^ {6}contents: read {2}# actions\/checkout/);
    assert.match(block[6], /^ {6}pull-requests: write {2}# gh pr comment/);
    assert.equal(block[7], '    steps:');
    assert.ok(items.some((item) => item.label === 'id-token' && /OIDC/.test(JSON.stringify(item.documentation))));

    const valueSource = source.replace('    permissions:\n      |\n', '    permissions: |\n');
    const value = await complete(client, 'file:///repo/.github/workflows/complete-permissions-value.yml', valueSource);
    const first = sorted(value.list)[0];
    assert.match(first.label, /inferred/);
    const written = apply(value.text, first.textEdit as TextEdit).split('\n');
    assert.deepEqual(written.slice(4, 7), [
      '    permissions:',
      '      contents: read  # actions/checkout',
      '      pull-requests: write  # gh pr comment',
    ]);
  });

  test('with: offers the inputs of a known action, security-relevant ones first', async () => {
    const uri = 'file:///repo/.github/workflows/complete-with.yml';
    const source =
      'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          fetch-depth: 0\n          |\n';
    const { list } = await complete(client, uri, source);
    const items = sorted(list);
    assert.equal(items[0].labelDetails?.description, 'security');
    assert.ok(items.some((item) => item.label === 'persist-credentials' && item.labelDetails?.description === 'security'));
    assert.ok(!items.some((item) => item.label === 'fetch-depth'), 'inputs already present are not offered');
  });

  test('inlay hints name the release of a SHA pin without a true comment; code lenses show each job token; both can be turned off', async () => {
    const uri = 'file:///repo/.github/workflows/hints.yml';
    const text = [
      'on: pull_request_target',
      'permissions:',
      '  contents: read',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      `      - uses: actions/checkout@${CO4}`,
      `      - uses: actions/checkout@${CO4} # v4.2.1`,
      `      - uses: actions/checkout@${CO4} # v4.2.2`,
      '  label:',
      '    runs-on: ubuntu-latest',
      '    permissions:',
      '      pull-requests: write',
      '    steps:',
      '      - run: echo hi',
      '',
    ].join('\n');
    await client.open(uri, text);
    const range = { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } };
    const hints: InlayHint[] = await client.connection.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range });
    assert.deepEqual(
      hints.map((hint) => [hint.position.line, hint.label]),
      [
        [7, '# v4.2.2'],
        [8, 'is v4.2.2'],
      ],
    );
    assert.equal(hints[0].position.character, text.split('\n')[7].length);

    const lenses: CodeLens[] = await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } });
    const titles = lenses.map((lens) => [lens.range.start.line, lens.command?.title]);
    assert.deepEqual(titles, [
      [4, 'token: contents: read (from the workflow)'],
      [10, 'token: pull-requests: write'],
      [0, '⚠ runs with secrets and a write token for code from forks'],
    ]);

    await client.connection.sendNotification('workspace/didChangeConfiguration', {
      settings: {
        actionsWarden: {
          debounceMs: 0,
          github: { serverUrl: gh.serverUrl, apiUrl: gh.apiUrl },
          inlayHints: { enable: false },
          codeLens: { enable: false },
        },
      },
    });
    for (let i = 0; i < 50 && refreshes.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(refreshes.sort(), ['codeLens', 'inlayHint'], 'the client is asked to refresh both');
    assert.deepEqual(await client.connection.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range }), []);
    assert.deepEqual(await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } }), []);
    await client.connection.sendNotification('workspace/didChangeConfiguration', {
      settings: { actionsWarden: { debounceMs: 0, github: { serverUrl: gh.serverUrl, apiUrl: gh.apiUrl } } },
    });
  });

  test('a job lens runs the least-privilege command when the file has that fix', async () => {
    const uri = 'file:///repo/.github/workflows/lens-command.yml';
    const text = 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n';
    await client.open(uri, text);
    const lenses: CodeLens[] = await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } });
    assert.equal(lenses.length, 1);
    assert.match(lenses[0].command!.title, /^token: repository default/);
    assert.equal(lenses[0].command!.command, ServerCommands.addLeastPrivilegePermissions.id);
    assert.deepEqual(lenses[0].command!.arguments, [uri]);
  });
});

describe('completion offline', () => {
  let client: TestLspClient;
  before(async () => {
    client = new TestLspClient();
    await client.initialize({ debounceMs: 0, offline: true });
  });
  after(async () => {
    await client.shutdown();
  });

  test('offline, an action pinned elsewhere in the workspace is offered with that pin; others with a note that they need pinning', async () => {
    await client.open(
      'file:///repo/.github/workflows/other.yml',
      `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@${CO4} # v4.2.2\n`,
    );
    const { text, list } = await complete(
      client,
      'file:///repo/.github/workflows/new.yml',
      'on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/|\n',
    );
    const items = sorted(list);
    assert.equal(items[0].label, 'actions/checkout', 'the workspace action comes first');
    assert.equal(apply(text, items[0].textEdit as TextEdit).split('\n')[5], `      - uses: actions/checkout@${CO4} # v4.2.2`);
    // An action the bundled release table knows: its newest release, pinned, without a request.
    const node = items.find((item) => item.label === 'actions/setup-node')!;
    const latest = bundledLatestRelease('actions/setup-node')!;
    const pinned: CompletionItem = await client.connection.sendRequest('completionItem/resolve', node);
    assert.equal((pinned.textEdit as TextEdit).newText, `actions/setup-node@${latest.commit} # ${latest.version}`);
    // An action the table does not know: the bare name, with a note that it needs pinning.
    const unknown = items.find((item) => bundledLatestRelease(item.label.split('/').slice(0, 2).join('/')) === null)!;
    assert.ok(unknown, 'some catalogue action has no bundled release');
    const resolved: CompletionItem = await client.connection.sendRequest('completionItem/resolve', unknown);
    assert.equal((resolved.textEdit as TextEdit).newText, `${unknown.label}@`);
    assert.match(JSON.stringify(resolved.documentation), /Offline/);
    assert.ok(
      items.some((item) => item.label === 'actions/cache/restore'),
      'sub-path actions are completed',
    );
  });
});
