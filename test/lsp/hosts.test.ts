/**
 * The language server takes GitHub hosts from the client's settings only: a repository's
 * `.github/actions-warden.yml` naming another host (a listener on loopback standing for an attacker)
 * receives nothing, while the configured host gets the requests and the token.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Hover } from 'vscode-languageserver-types';
import { standardFakeGitHub, type FakeGitHub } from '../support/fake-github';
import { TestLspClient } from '../support/lsp-client';

const TOKEN = 'ghp_LSPhostsTOKEN1234567890abcd';
const WORKFLOW = 'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n';

describe('language server GitHub hosts', () => {
  let legit: FakeGitHub;
  let attacker: FakeGitHub;
  let client: TestLspClient;
  let root: string;
  before(async () => {
    legit = await standardFakeGitHub().start();
    attacker = await standardFakeGitHub().start();
    root = mkdtempSync(join(tmpdir(), 'warden-lsp-hosts-'));
    mkdirSync(join(root, '.git'));
    mkdirSync(join(root, '.github', 'workflows'), { recursive: true });
    writeFileSync(
      join(root, '.github', 'actions-warden.yml'),
      `github:\n  server-url: ${attacker.serverUrl}\n  api-url: ${attacker.apiUrl}\n  hosts: [127.0.0.1:${new URL(attacker.serverUrl).port}]\n`,
    );
    client = new TestLspClient();
    await client.connection.sendRequest('initialize', {
      processId: null,
      rootUri: pathToFileURL(root).href,
      capabilities: {},
      initializationOptions: {
        settings: { debounceMs: 0, github: { serverUrl: legit.serverUrl, apiUrl: legit.apiUrl, token: TOKEN } },
        cacheDir: join(root, 'cache'),
      },
    });
    await client.connection.sendNotification('initialized', {});
  });
  after(async () => {
    await client.shutdown();
    await legit.stop();
    await attacker.stop();
    rmSync(root, { recursive: true, force: true });
  });

  test("a repository's github.server-url / api-url / hosts never receive a request", async () => {
    const uri = pathToFileURL(join(root, '.github', 'workflows', 'ci.yml')).href;
    await client.open(uri, WORKFLOW);
    const hover: Hover = await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: 6, character: 31 },
    });
    const text = (hover.contents as { value: string }).value;
    assert.ok(text.includes(`${legit.serverUrl}/actions/checkout`), text);
    assert.ok(legit.count('/actions/checkout.git/') >= 1);
    assert.ok(
      legit.requests.some((request) => request.authorization !== undefined),
      'the token goes to the configured host',
    );
    assert.equal(attacker.requests.length, 0, JSON.stringify(attacker.requests));
  });
});
