/**
 * The repository's Actions policy through the real server, against the fake GitHub: the repository is
 * found from the checkout's .git/config, its settings are read with the token, and repository-policy
 * reports what GitHub will refuse (SHA pinning required, allowed patterns, a write default token); a 403
 * (no admin rights) is said once in the log and gives no finding; the settings report command.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { FakeGitHub } from '../support/fake-github';
import { byCode, TestLspClient } from '../support/lsp-client';

const SHA = 'b'.repeat(40);
const PINNED_AND_TAGGED = `on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: acme/tool@${SHA}\n`;
const NO_PERMISSIONS = `on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n`;
const OTHER_OWNER = `on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: acme/tool@${SHA}\n      - uses: stranger/thing@${SHA}\n`;

describe('repository policy in the editor', () => {
  let gh: FakeGitHub;
  let client: TestLspClient;
  let root: string;
  const logs: string[] = [];

  before(async () => {
    gh = await new FakeGitHub().start();
    gh.policies.set('acme/pinning', { permissions: { enabled: true, allowed_actions: 'all', sha_pinning_required: true } });
    gh.policies.set('acme/writer', { workflow: { default_workflow_permissions: 'write', can_approve_pull_request_reviews: false } });
    gh.policies.set('acme/selected', {
      permissions: { enabled: true, allowed_actions: 'selected', sha_pinning_required: false },
      selected: { github_owned_allowed: true, verified_allowed: false, patterns_allowed: ['friends/*'] },
    });
    gh.policies.set('acme/denied', { status: 403 });
    root = mkdtempSync(join(tmpdir(), 'warden-lsp-policy-'));
    client = new TestLspClient();
    client.connection.onNotification('window/logMessage', (params: { message: string }) => void logs.push(params.message));
    await client.initialize({ debounceMs: 0, github: { serverUrl: gh.serverUrl, apiUrl: gh.apiUrl, token: 'policy-token' } });
  });
  after(async () => {
    await client.shutdown();
    await gh.stop();
    rmSync(root, { recursive: true, force: true });
  });

  /** A checkout whose origin is `acme/<name>` on the fake GitHub; returns the URI of a workflow in it. */
  const checkout = (name: string, file = 'ci.yml', host = gh.serverUrl): string => {
    const dir = join(root, name);
    mkdirSync(join(dir, '.git'), { recursive: true });
    mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
    writeFileSync(join(dir, '.git', 'config'), `[core]\n\tbare = false\n[remote "origin"]\n\turl = ${host}/acme/${name}.git\n`);
    return pathToFileURL(join(dir, '.github', 'workflows', file)).href;
  };

  const policyFindings = async (uri: string, text: string) => {
    await client.open(uri, text);
    const published = await client.waitForDiagnostics(uri, (params) => byCode(params.diagnostics, 'repository-policy').length > 0);
    return byCode(published.diagnostics, 'repository-policy');
  };

  test('sha_pinning_required: a tag `uses:` gets "this run will fail under the repository\'s policy"', async () => {
    const found = await policyFindings(checkout('pinning'), PINNED_AND_TAGGED);
    assert.equal(found.length, 1);
    assert.equal(
      found[0].message,
      "`actions/checkout@v4`: this run will fail under the repository's policy: it requires actions pinned to a full-length commit SHA (the repository's settings)",
    );
    assert.deepEqual(found[0].range.start, { line: 6, character: 14 });
    const sent = gh.requests.filter((request) => request.path === '/api/repos/acme/pinning/actions/permissions');
    assert.equal(sent.length, 1);
    assert.equal(sent[0].authorization, 'Bearer policy-token');
  });

  test('a write default token: a workflow without permissions is reported at `jobs:`', async () => {
    const found = await policyFindings(checkout('writer'), NO_PERMISSIONS);
    assert.equal(found.length, 1);
    assert.match(String(found[0].message), /default `GITHUB_TOKEN` permission is write \(the repository's settings\)/);
    assert.deepEqual(found[0].range.start, { line: 1, character: 0 });
  });

  test('selected actions: GitHub-owned, the owner and the patterns pass; another owner fails', async () => {
    const found = await policyFindings(checkout('selected'), OTHER_OWNER);
    assert.equal(found.length, 1);
    assert.match(String(found[0].message), /^`stranger\/thing@b+`: this run will fail .*\(allowed: GitHub-owned, `friends\/\*`/);
  });

  test('403 (no admin rights): said once in the log, no finding, asked once', async () => {
    const first = checkout('denied', 'one.yml');
    const second = pathToFileURL(join(root, 'denied', '.github', 'workflows', 'two.yml')).href;
    await client.open(first, PINNED_AND_TAGGED);
    await client.open(second, NO_PERMISSIONS);
    const deadline = Date.now() + 5000;
    while (!logs.some((line) => line.includes('acme/denied could not be read (403)')) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    // Edits re-analyse: still nothing said again, nothing asked again.
    await client.change(first, [{ text: `${PINNED_AND_TAGGED}# edited\n` }]);
    const published = await client.change(second, [{ text: `${NO_PERMISSIONS}# edited\n` }]);
    assert.deepEqual(byCode(published.diagnostics, 'repository-policy'), []);
    assert.deepEqual(byCode(client.published.get(first)!.at(-1)!.diagnostics, 'repository-policy'), []);
    assert.equal(logs.filter((line) => line.includes('acme/denied could not be read (403)')).length, 1);
    assert.equal(gh.requests.filter((request) => request.path.startsWith('/api/repos/acme/denied/')).length, 1);
  });

  test('a remote on another host: no request, said once', async () => {
    const uri = checkout('elsewhere', 'ci.yml', 'https://gitlab.example');
    const published = await client.open(uri, PINNED_AND_TAGGED);
    assert.deepEqual(byCode(published.diagnostics, 'repository-policy'), []);
    assert.equal(gh.count('/acme/elsewhere/'), 0);
    assert.ok(logs.some((line) => line.includes('is on gitlab.example, not on the configured GitHub host')));
  });

  test('"Show repository security settings" reports what is set, what is recommended, and the settings page', async () => {
    const report: string = await client.connection.sendRequest('workspace/executeCommand', {
      command: 'actionsWarden.server.showRepositorySettings',
      arguments: [],
    });
    assert.match(report, /## acme\/pinning/);
    assert.match(report, /\| Require actions pinned to a full-length commit SHA \| yes \| yes \| ok \|/);
    assert.match(report, /## acme\/writer[\s\S]*\| Default `GITHUB_TOKEN` permission \| write \| read .*\| \*\*change\*\* \|/);
    assert.ok(report.includes(`${gh.serverUrl}/acme/pinning/settings/actions`));
    assert.match(report, /## acme\/denied\n\nThe Actions settings of acme\/denied could not be read \(403\)/);
  });
});
