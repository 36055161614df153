/**
 * The server as any LSP client starts it (docs/editors.md): `actions-warden-language-server --stdio`,
 * no initializationOptions, settings only through `workspace/configuration`, pull diagnostics when the
 * client declares them. A preload script in the server process refuses (and reports) every connection to
 * a host that is not loopback, so a request made with the default hosts before the settings were read
 * is seen without leaving the machine.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Hover } from 'vscode-languageserver-types';
import { standardFakeGitHub, type FakeGitHub } from '../support/fake-github';
import { TestLspClient } from '../support/lsp-client';

const BLOCKED = 'WARDEN-TEST-BLOCKED-CONNECT';

/** Refuses every socket connection to a host other than loopback and says so on stderr. */
const NETWORK_GUARD = `
const net = require('node:net');
const connect = net.Socket.prototype.connect;
const loopback = new Set(['127.0.0.1', '::1', 'localhost']);
net.Socket.prototype.connect = function (...args) {
  const first = args[0];
  const options = Array.isArray(first) ? first[0] : first;
  const host = options && typeof options === 'object' ? (options.host ?? 'localhost') : typeof args[1] === 'string' ? args[1] : 'localhost';
  const isPath = options && typeof options === 'object' && typeof options.path === 'string';
  if (!isPath && !loopback.has(String(host))) {
    process.stderr.write('${BLOCKED} ' + host + '\\n');
    process.nextTick(() => this.destroy(new Error('connection refused by the test: ' + host)));
    return this;
  }
  return connect.apply(this, args);
};
`;

const WORKFLOW = [
  'on: push',
  'permissions: {}',
  'jobs:',
  '  build:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - uses: actions/checkout@v4',
  '        with:',
  '          persist-credentials: false',
  '',
].join('\n');

/** What Neovim 0.11 (and most clients) declare for what matters here: configuration pull, pull diagnostics with refresh. */
const NEOVIM_CAPABILITIES = {
  workspace: {
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: false },
    workspaceFolders: true,
    diagnostics: { refreshSupport: true },
  },
  textDocument: {
    synchronization: { didSave: true, dynamicRegistration: false },
    publishDiagnostics: { relatedInformation: true },
    diagnostic: { dynamicRegistration: false },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source'] } } },
  },
};

interface Editor {
  client: TestLspClient;
  /** Settings requests answered so far. */
  configurationRequests: number;
  refreshes: number;
  answer(settings: unknown): void;
  initializeResult?: { capabilities: { diagnosticProvider?: unknown } };
  pushed: () => number;
  blocked: () => string[];
}

/** Starts the server as Neovim does; `workspace/configuration` is answered only when the test calls `answer`. */
async function startLikeNeovim(guard: string, capabilities: Record<string, unknown> = NEOVIM_CAPABILITIES): Promise<Editor> {
  const client = new TestLspClient({ nodeArgs: ['--require', guard] });
  let release!: (settings: unknown) => void;
  const settings = new Promise<unknown>((resolve) => (release = resolve));
  const editor: Editor = {
    client,
    configurationRequests: 0,
    refreshes: 0,
    answer: (value) => release(value),
    pushed: () => [...client.published.values()].reduce((sum, list) => sum + list.length, 0),
    blocked: () => client.stderr.split('\n').filter((line) => line.startsWith(BLOCKED)),
  };
  client.connection.onRequest('workspace/configuration', async (params: { items: { section?: string }[] }) => {
    const value = await settings;
    editor.configurationRequests++;
    return params.items.map((item) => (item.section === 'actionsWarden' ? value : null));
  });
  client.connection.onRequest('workspace/diagnostic/refresh', () => {
    editor.refreshes++;
    return null;
  });
  const result = await client.connection.sendRequest('initialize', {
    processId: null,
    rootUri: null,
    workspaceFolders: null,
    capabilities,
  });
  editor.initializeResult = result as Editor['initializeResult'];
  await client.connection.sendNotification('initialized', {});
  return editor;
}

interface Pulled {
  kind: string;
  items: { code?: string | number; message: string }[];
}

const pull = (editor: Editor, uri: string): Promise<Pulled> =>
  editor.client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } });

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('any LSP client: settings through workspace/configuration only, pull diagnostics', () => {
  let gh: FakeGitHub;
  let dir: string;
  let guard: string;
  const editors: Editor[] = [];
  before(async () => {
    gh = await standardFakeGitHub().start();
    dir = mkdtempSync(join(tmpdir(), 'warden-lsp-editors-'));
    guard = join(dir, 'network-guard.js');
    writeFileSync(guard, NETWORK_GUARD);
  });
  after(async () => {
    for (const editor of editors) await editor.client.shutdown();
    await gh.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('offline: true given only through workspace/configuration: no request at all, even for a document opened before the answer', async () => {
    gh.reset();
    const editor = await startLikeNeovim(guard);
    editors.push(editor);
    assert.ok(editor.initializeResult?.capabilities.diagnosticProvider, 'pull diagnostics advertised');
    const uri = 'file:///repo/.github/workflows/ci.yml';
    await editor.client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text: WORKFLOW },
    });
    // Diagnostics are pulled before the settings are known: the offline analysis answers.
    const early = await pull(editor, uri);
    assert.equal(early.kind, 'full');
    assert.ok(
      early.items.some((item) => item.code === 'unpinned-uses'),
      JSON.stringify(early.items),
    );
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal(editor.configurationRequests, 0, 'the settings are still unanswered');
    editor.answer({ offline: true, github: { serverUrl: gh.serverUrl, apiUrl: gh.apiUrl } });
    await until(() => editor.configurationRequests > 0, 'the settings request');

    const line = 6;
    const character = WORKFLOW.split('\n')[line].indexOf('actions/checkout') + 3;
    const hover: Hover = await editor.client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line, character },
    });
    assert.match(JSON.stringify(hover.contents), /Offline mode/);
    const pinAll = await editor.client.connection.sendRequest('workspace/executeCommand', {
      command: 'actionsWarden.server.pinAllInFile',
      arguments: [uri],
    });
    assert.equal((pinAll as { offline: boolean }).offline, true);
    await pull(editor, uri);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(editor.blocked(), [], 'no connection to any host');
    assert.equal(gh.requests.length, 0, 'no request to the configured GitHub');
    assert.equal(editor.pushed(), 0, 'a client that pulls diagnostics is not also pushed them');
  });

  test('online settings through workspace/configuration: requests go only to the configured hosts; the client is asked to pull again', async () => {
    gh.reset();
    const editor = await startLikeNeovim(guard);
    editors.push(editor);
    const uri = 'file:///repo/.github/workflows/online.yml';
    const text = WORKFLOW.replace('actions/checkout@v4', 'actions/checkout@co-evil-is-not-a-tag');
    await editor.client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(gh.requests.length, 0, 'nothing before the settings are known');
    editor.answer({ github: { serverUrl: gh.serverUrl, apiUrl: gh.apiUrl } });
    await until(() => gh.requests.length > 0, 'a request to the fake GitHub');
    await until(() => editor.refreshes > 0, 'workspace/diagnostic/refresh');
    const pulled = await pull(editor, uri);
    assert.equal(pulled.kind, 'full');
    assert.ok(pulled.items.length > 0);
    assert.deepEqual(editor.blocked(), [], 'only loopback (the configured hosts)');
    assert.equal(editor.pushed(), 0);
  });

  test('a client without pull diagnostics and without workspace/configuration gets pushed diagnostics and the defaults', async () => {
    const editor = await startLikeNeovim(guard, {
      textDocument: { publishDiagnostics: { relatedInformation: true } },
      workspace: { didChangeConfiguration: { dynamicRegistration: false } },
    });
    editors.push(editor);
    assert.equal(editor.initializeResult?.capabilities.diagnosticProvider, undefined);
    // Settings pushed the way a client without workspace/configuration sends them.
    await editor.client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { actionsWarden: { offline: true } } });
    const uri = 'file:///repo/.github/workflows/push.yml';
    const published = await editor.client.open(uri, WORKFLOW);
    assert.ok(published.diagnostics.some((diagnostic) => diagnostic.code === 'unpinned-uses'));
    assert.equal(editor.configurationRequests, 0);
  });
});
