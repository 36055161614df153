import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, Hover, WorkspaceEdit } from 'vscode-languageserver-types';
import { sha, standardFakeGitHub, type FakeGitHub } from '../support/fake-github';
import { applyTextEdits, byCode, TestLspClient } from '../support/lsp-client';

const TOKEN = 'ghp_LSPsecretTOKEN0987654321';
const CO4 = sha('co-4');

const WORKFLOW = [
  'on: push',
  'permissions: {}',
  'jobs:',
  '  build:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - uses: actions/checkout@v4',
  "      - uses: 'actions/setup-node@v4' # keep this note",
  '      - uses: actions/checkout@main',
  '',
].join('\n');

interface Harness {
  client: TestLspClient;
  messages: string[];
  logs: string[];
  applied: WorkspaceEdit[];
}

function harness(): Harness {
  const client = new TestLspClient();
  const h: Harness = { client, messages: [], logs: [], applied: [] };
  client.connection.onRequest('window/showMessageRequest', (params: { message: string }) => {
    h.messages.push(params.message);
    return null;
  });
  client.connection.onNotification('window/logMessage', (params: { message: string }) => void h.logs.push(params.message));
  client.connection.onRequest('workspace/applyEdit', (params: { edit: WorkspaceEdit }) => {
    h.applied.push(params.edit);
    return { applied: true };
  });
  return h;
}

async function initialize(
  h: Harness,
  settings: Record<string, unknown>,
  extra: Record<string, unknown> = {},
  cacheDir?: string,
): Promise<void> {
  await h.client.connection.sendRequest('initialize', {
    processId: null,
    rootUri: null,
    capabilities: {
      textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true }, codeAction: { dataSupport: true } },
    },
    initializationOptions: { settings: { debounceMs: 0, ...settings }, ...(cacheDir ? { cacheDir } : {}) },
    ...extra,
  });
  await h.client.connection.sendNotification('initialized', {});
}

describe('pinning through the language server', () => {
  let gh: FakeGitHub;
  let h: Harness;
  const temps: string[] = [];
  const temp = () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-lsp-'));
    temps.push(dir);
    return dir;
  };

  before(async () => {
    gh = await standardFakeGitHub().start();
    h = harness();
    await initialize(h, { github: { serverUrl: gh.serverUrl, apiUrl: gh.apiUrl, token: TOKEN } }, {}, temp());
  });
  after(async () => {
    await h.client.shutdown();
    await gh.stop();
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  });

  test('quick fix pins to the peeled commit with the most specific tag; fix-all pins every tag; hover explains', async () => {
    const uri = 'file:///repo/.github/workflows/ci.yml';
    gh.reset();
    await h.client.open(uri, WORKFLOW);
    const line = 6;
    const start = WORKFLOW.split('\n')[line].indexOf('v4');
    const actions: CodeAction[] = await h.client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line, character: start }, end: { line, character: start + 2 } },
      context: { diagnostics: [] },
    });
    const pin = actions.find((action) => action.isPreferred && /^Pin actions\/checkout/.test(action.title));
    assert.ok(pin, `pin action among ${actions.map((a) => a.title).join(' | ')}`);
    const edits = pin.edit!.changes![uri];
    const pinned = applyTextEdits(WORKFLOW, edits);
    assert.equal(pinned.split('\n')[line], `      - uses: actions/checkout@${CO4} # v4.2.2`);
    assert.equal(
      pinned
        .split('\n')
        .filter((_l, i) => i !== line)
        .join('\n'),
      WORKFLOW.split('\n')
        .filter((_l, i) => i !== line)
        .join('\n'),
      'only that line changes',
    );

    const fixAll: CodeAction[] = await h.client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll.actionsWarden'] },
    });
    assert.equal(fixAll.length, 1);
    const all = applyTextEdits(WORKFLOW, fixAll[0].edit!.changes![uri]);
    assert.ok(all.includes(`actions/checkout@${CO4} # v4.2.2`));
    assert.ok(all.includes(`'actions/setup-node@${sha('sn-2')}' # v4.0.1 # keep this note`));
    assert.ok(all.includes('actions/checkout@main'), 'a branch is not pinned by fix-all');
    assert.equal(gh.count('/actions/checkout.git/'), 1, 'one ls-refs per repository');
    assert.equal(gh.count('/actions/setup-node.git/'), 1);

    const branchLine = 8;
    const branchActions: CodeAction[] = await h.client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: branchLine, character: 33 }, end: { line: branchLine, character: 33 } },
      context: { diagnostics: [] },
    });
    const branchPin = branchActions.find((action) => /current commit of main/.test(action.title));
    assert.ok(branchPin);
    assert.notEqual(branchPin.isPreferred, true);

    const hover: Hover = await h.client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line, character: start },
    });
    const text = (hover.contents as { value: string }).value;
    assert.match(text, new RegExp(`Tag \`v4\` → commit \`${CO4}\``));
    assert.match(text, /v4\.2\.2/);
    assert.match(text, /Newest release: `v5\.0\.0`/);
    assert.ok(text.includes(`${gh.serverUrl}/actions/checkout`));
  });

  test('online findings are published after the offline ones: impostor commit and a lying comment', async () => {
    const uri = 'file:///repo/.github/workflows/impostor.yml';
    const text = WORKFLOW.replace('actions/checkout@v4', `actions/checkout@${sha('co-evil')} # v4.2.2`);
    const first = await h.client.open(uri, text);
    const online =
      byCode(first.diagnostics, 'impostor-commit').length > 0
        ? first
        : await h.client.waitForDiagnostics(uri, (p) => byCode(p.diagnostics, 'impostor-commit').length > 0);
    const [impostor] = byCode(online.diagnostics, 'impostor-commit');
    assert.equal(impostor.range.start.line, 6);
    const [mismatch] = byCode(online.diagnostics, 'ref-version-mismatch');
    assert.ok(mismatch, 'the comment names a tag on another commit');
    const hover: Hover = await h.client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: 6, character: 40 },
    });
    assert.match((hover.contents as { value: string }).value, /comes from a fork/);
    assert.match((hover.contents as { value: string }).value, /is false/);
  });

  test('update to the latest release on a pinned uses', async () => {
    const uri = 'file:///repo/.github/workflows/update.yml';
    const text = WORKFLOW.replace('actions/checkout@v4', `actions/checkout@${CO4} # v4.2.2`);
    await h.client.open(uri, text);
    const actions: CodeAction[] = await h.client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 6, character: 30 }, end: { line: 6, character: 30 } },
      context: { diagnostics: [] },
    });
    const update = actions.find((action) => /latest release/.test(action.title));
    assert.ok(update);
    assert.equal(applyTextEdits(text, update.edit!.changes![uri]).split('\n')[6], `      - uses: actions/checkout@${sha('co-5')} # v5.0.0`);
  });

  test('pin all in file applies one workspace edit', async () => {
    const uri = 'file:///repo/.github/workflows/ci.yml';
    h.applied.length = 0;
    const summary = (await h.client.connection.sendRequest('workspace/executeCommand', {
      command: 'actionsWarden.server.pinAllInFile',
      arguments: [uri],
    })) as { pinned: number };
    assert.equal(summary.pinned, 2);
    assert.equal(h.applied.length, 1);
    const result = applyTextEdits(WORKFLOW, h.applied[0].changes![uri]);
    assert.ok(result.includes(`actions/checkout@${CO4} # v4.2.2`));
    assert.ok(h.messages.some((m) => /Pinned 2 action reference/.test(m)));
  });

  test('no failure yields a pin: a 500 gives no fix and a disabled action saying why', async () => {
    gh.setBehaviour('actions/setup-node', 'error-500');
    const h2 = harness();
    await initialize(h2, { github: { serverUrl: gh.serverUrl, apiUrl: gh.apiUrl } }, {}, temp());
    const uri = 'file:///repo/.github/workflows/fail.yml';
    const text = WORKFLOW.replace("'actions/setup-node@v4' # keep this note", 'actions/setup-node@v4');
    await h2.client.open(uri, text);
    const actions: CodeAction[] = await h2.client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 7, character: 34 }, end: { line: 7, character: 34 } },
      context: { diagnostics: [] },
    });
    assert.ok(!actions.some((action) => action.edit && /setup-node/.test(action.title)), 'no pin edit');
    const disabled = actions.find((action) => action.disabled);
    assert.ok(disabled);
    assert.match(disabled.disabled!.reason, /could not resolve actions\/setup-node.*500/);
    gh.setBehaviour('actions/setup-node', 'ok');
    await h2.client.shutdown();
  });

  test('the token never appears in the server output', () => {
    assert.ok(h.logs.length > 0, 'the resolver logs its requests');
    for (const line of [...h.logs, h.client.stderr, ...h.messages]) assert.ok(!line.includes(TOKEN));
    const withAuth = gh.requests.filter((r) => r.authorization);
    assert.ok(
      withAuth.length > 0 && withAuth.every((r) => r.authorization!.includes('Bearer ' + TOKEN) || r.authorization!.startsWith('Basic ')),
    );
  });

  test('offline mode: zero requests, one notice, the hover says so, no pin', async () => {
    gh.reset();
    const h3 = harness();
    await initialize(h3, { offline: true, github: { serverUrl: gh.serverUrl, apiUrl: gh.apiUrl } }, {}, temp());
    const uri = 'file:///repo/.github/workflows/offline.yml';
    await h3.client.open(uri, WORKFLOW);
    const hover: Hover = await h3.client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: 6, character: 31 },
    });
    assert.match((hover.contents as { value: string }).value, /Offline mode: no request is made/);
    const actions: CodeAction[] = await h3.client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 6, character: 31 }, end: { line: 6, character: 31 } },
      context: { diagnostics: [] },
    });
    assert.ok(!actions.some((action) => action.edit && /^Pin/.test(action.title)));
    assert.ok(actions.some((action) => action.disabled && /offline/.test(action.disabled.reason)));
    assert.equal(h3.messages.filter((m) => /offline/.test(m)).length, 1, 'one notice');
    assert.equal(gh.count(), 0, 'no request at all');
    await h3.client.shutdown();
  });

  test('pin all in the workspace resolves each repository once across files', async () => {
    const root = temp();
    mkdirSync(join(root, '.github', 'workflows'), { recursive: true });
    mkdirSync(join(root, 'node_modules', 'x', '.github', 'workflows'), { recursive: true });
    for (const name of ['a.yml', 'b.yml']) writeFileSync(join(root, '.github', 'workflows', name), WORKFLOW);
    writeFileSync(join(root, 'node_modules', 'x', '.github', 'workflows', 'c.yml'), WORKFLOW);
    writeFileSync(
      join(root, 'action.yml'),
      'name: x\ndescription: y\nruns:\n  using: composite\n  steps:\n    - uses: actions/checkout@v4\n',
    );
    gh.reset();
    const h4 = harness();
    await initialize(
      h4,
      { github: { serverUrl: gh.serverUrl, apiUrl: gh.apiUrl } },
      { workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'ws' }] },
      temp(),
    );
    const summary = (await h4.client.connection.sendRequest('workspace/executeCommand', {
      command: 'actionsWarden.server.pinAllInWorkspace',
      arguments: [],
    })) as { pinned: number; files: number };
    assert.equal(summary.files, 3);
    assert.equal(summary.pinned, 5);
    assert.equal(gh.count('/actions/checkout.git/'), 1);
    assert.equal(gh.count('/actions/setup-node.git/'), 1);
    const changes = h4.applied[0].changes!;
    assert.deepEqual(
      Object.keys(changes).sort(),
      [
        pathToFileURL(join(root, '.github/workflows/a.yml')).href,
        pathToFileURL(join(root, '.github/workflows/b.yml')).href,
        pathToFileURL(join(root, 'action.yml')).href,
      ].sort(),
    );
    await h4.client.shutdown();
  });

  test('pin all in the workspace walks nothing when offline (a tree of link loops answers at once)', { timeout: 30_000 }, async () => {
    // No workflow in it: a walk that followed the loops would not stop early at its file limit.
    const root = temp();
    mkdirSync(join(root, 'src', 'lib'), { recursive: true });
    for (const name of ['l1', 'l2', 'l3', 'l4']) symlinkSync(root, join(root, name), 'dir');
    gh.reset();
    const h5 = harness();
    await initialize(
      h5,
      { offline: true, github: { serverUrl: gh.serverUrl, apiUrl: gh.apiUrl } },
      { workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'ws' }] },
      temp(),
    );
    const started = Date.now();
    const summary = (await h5.client.connection.sendRequest('workspace/executeCommand', {
      command: 'actionsWarden.server.pinAllInWorkspace',
      arguments: [],
    })) as { offline: boolean; pinned: number };
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
    assert.equal(summary.offline, true);
    assert.equal(summary.pinned, 0);
    assert.equal(h5.applied.length, 0);
    assert.equal(gh.count(), 0, 'no request at all');
    await h5.client.shutdown();
  });
});
