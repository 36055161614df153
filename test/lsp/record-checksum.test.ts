/**
 * "Record checksum for this download" through the real server: the unverified-download finding offers the
 * command as a (non-preferred) quick fix; executing it downloads the file from a loopback server once and
 * asks the client to apply one workspace edit that creates .github/actions-warden.yml with the sha256 and
 * inserts the check line. Offline, the action is not offered and the command refuses without a request.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, CreateFile, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { byCode, TestLspClient } from '../support/lsp-client';

const BODY = '#!/bin/sh\necho installed\n';
const SHA = createHash('sha256').update(BODY).digest('hex');

describe('record checksum command', () => {
  let server: Server;
  let base: string;
  let requests = 0;
  let root: string;
  before(async () => {
    server = createServer((request, response) => {
      requests++;
      if (request.url === '/v1.2.3/tool.tgz') response.end(BODY);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    root = mkdtempSync(join(tmpdir(), 'warden-lsp-checksum-'));
    mkdirSync(join(root, '.git'));
    mkdirSync(join(root, '.github', 'workflows'), { recursive: true });
  });
  after(() => {
    server.closeAllConnections();
    server.close();
    rmSync(root, { recursive: true, force: true });
  });

  const workflow = () =>
    `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          curl -Lo tool.tgz ${base}/v1.2.3/tool.tgz\n          tar xzf tool.tgz\n`;

  async function start(settings: Record<string, unknown>, workspace?: Record<string, unknown>) {
    const client = new TestLspClient();
    const applied: WorkspaceEdit[] = [];
    const messages: string[] = [];
    client.connection.onRequest('workspace/applyEdit', (params: { edit: WorkspaceEdit }) => {
      applied.push(params.edit);
      return { applied: true };
    });
    client.connection.onRequest('window/showMessageRequest', (params: { message: string }) => {
      messages.push(params.message);
      return null;
    });
    const init = await client.initialize({ debounceMs: 0, ...settings }, workspace);
    return { client, applied, messages, init };
  }

  test('code action → command → one workspace edit with the sha256 and the check line', async () => {
    const { client, applied, messages, init } = await start({});
    try {
      assert.ok(init.capabilities.executeCommandProvider.commands.includes('actionsWarden.server.recordChecksum'));
      const uri = pathToFileURL(join(root, '.github', 'workflows', 'ci.yml')).href;
      const text = workflow();
      const published = await client.open(uri, text);
      const [diagnostic] = byCode(published.diagnostics, 'unverified-download');
      assert.ok(diagnostic, JSON.stringify(published.diagnostics));
      const actions: CodeAction[] = await client.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri },
        range: diagnostic.range,
        context: { diagnostics: [diagnostic] },
      });
      const record = actions.find((action) => action.title === 'Record checksum for this download');
      assert.ok(record?.command, JSON.stringify(actions));
      assert.equal(record.kind, 'quickfix');
      assert.equal(record.isPreferred, false);
      assert.equal(requests, 0, 'offering the action fetches nothing');

      const result = await client.connection.sendRequest('workspace/executeCommand', {
        command: record.command.command,
        arguments: record.command.arguments,
      });
      assert.equal(requests, 1);
      assert.equal((result as { sha256: string }).sha256, SHA);
      assert.equal(applied.length, 1);
      const changes = applied[0].documentChanges!;
      const configUri = pathToFileURL(join(root, '.github', 'actions-warden.yml')).href;
      assert.deepEqual((changes[0] as CreateFile).uri, configUri);
      const configEdit = changes[1] as TextDocumentEdit;
      assert.equal(configEdit.textDocument.uri, configUri);
      assert.ok(
        (configEdit.edits[0] as TextEdit).newText.includes(`checksums:\n  "${base}/v1.2.3/tool.tgz": ${SHA}\n`),
        (configEdit.edits[0] as TextEdit).newText,
      );
      const workflowEdit = changes[2] as TextDocumentEdit;
      assert.deepEqual(workflowEdit.textDocument, { uri, version: 1 });
      const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, text), workflowEdit.edits as TextEdit[]);
      assert.ok(
        fixed.includes(
          `          curl -Lo tool.tgz ${base}/v1.2.3/tool.tgz\n          echo "${SHA}  tool.tgz" | sha256sum -c -\n          tar xzf tool.tgz\n`,
        ),
        fixed,
      );
      assert.ok(
        messages.some((message) => message.includes(`recorded sha256 ${SHA}`)),
        messages.join('\n'),
      );
    } finally {
      await client.shutdown();
    }
  });

  test('a client that cannot create files: the command says what to add by hand and edits nothing', async () => {
    const { client, applied, messages } = await start({}, { applyEdit: true });
    try {
      const uri = pathToFileURL(join(root, '.github', 'workflows', 'plain-client.yml')).href;
      await client.open(uri, workflow());
      const result: { applied: boolean; message: string; sha256?: string } = await client.connection.sendRequest(
        'workspace/executeCommand',
        {
          command: 'actionsWarden.server.recordChecksum',
          arguments: [uri, `${base}/v1.2.3/tool.tgz`, workflow().indexOf('curl')],
        },
      );
      assert.equal(result.applied, false);
      assert.match(result.message, /cannot create .*actions-warden\.yml.*by hand/);
      assert.match(result.sha256 ?? '', /^[0-9a-f]{64}$/, 'the checksum is still given');
      assert.equal(applied.length, 0);
      assert.ok(
        messages.some((message) => /cannot create/.test(message)),
        messages.join('\n'),
      );
    } finally {
      await client.shutdown();
    }
  });

  test('offline: not offered, and the command refuses without a request', async () => {
    const { client, applied, messages } = await start({ offline: true });
    try {
      const uri = pathToFileURL(join(root, '.github', 'workflows', 'offline.yml')).href;
      const published = await client.open(uri, workflow());
      const [diagnostic] = byCode(published.diagnostics, 'unverified-download');
      const actions: CodeAction[] = await client.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri },
        range: diagnostic.range,
        context: { diagnostics: [diagnostic] },
      });
      assert.equal(
        actions.find((action) => action.title === 'Record checksum for this download'),
        undefined,
      );
      const before = requests;
      await client.connection.sendRequest('workspace/executeCommand', {
        command: 'actionsWarden.server.recordChecksum',
        arguments: [uri, `${base}/v1.2.3/tool.tgz`, workflow().indexOf('curl')],
      });
      assert.equal(requests, before);
      assert.equal(applied.length, 0);
      assert.ok(
        messages.some((message) => /offline/.test(message)),
        messages.join('\n'),
      );
    } finally {
      await client.shutdown();
    }
  });
});
