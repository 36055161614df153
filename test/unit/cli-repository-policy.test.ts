/**
 * repository-policy in the CLI: a scanned git checkout with `--online` and a token has its Actions settings
 * read from the fake GitHub (one request set per repository), a 403 is one note, and the configuration's
 * `policy:` gives the same findings offline, with no request at all.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FakeGitHub } from '../support/fake-github';
import { runCli, tempDir, writeTree } from '../support/cli';

const WORKFLOW = 'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n';

interface Report {
  findings: { ruleId: string; message: string; path: string }[];
}

describe('repository-policy in the CLI', () => {
  let gh: FakeGitHub;
  let base: string;
  before(async () => {
    gh = await new FakeGitHub()
      .repo('actions/checkout', { history: ['c1'], branches: { main: 'c1' }, tags: { v4: { commit: 'c1' } } })
      .start();
    gh.policies.set('acme/app', { permissions: { enabled: true, allowed_actions: 'all', sha_pinning_required: true } });
    gh.policies.set('acme/locked-out', { status: 403 });
    base = tempDir('warden-cli-policy-');
  });
  after(async () => {
    await gh.stop();
    rmSync(base, { recursive: true, force: true });
  });

  const checkout = (name: string, extra: Record<string, string> = {}): string => {
    const root = join(base, name);
    writeTree(root, {
      '.git/config': `[remote "origin"]\n\turl = ${gh.serverUrl}/acme/${name}.git\n`,
      '.github/workflows/ci.yml': WORKFLOW,
      ...extra,
    });
    return root;
  };
  const online = (cwd: string) =>
    runCli(
      ['--format', 'json', '--github-server-url', gh.serverUrl, '--github-api-url', gh.apiUrl, '--cache-dir', join(base, 'cache'), '.'],
      { cwd, env: { GITHUB_TOKEN: 'cli-token' } },
    );

  test('online with a token: sha_pinning_required makes a tag `uses:` a finding', async () => {
    const cwd = checkout('app');
    const result = await online(cwd);
    const found = (JSON.parse(result.stdout) as Report).findings.filter((finding) => finding.ruleId === 'repository-policy');
    assert.equal(found.length, 1, result.stderr);
    assert.match(found[0].message, /`actions\/checkout@v4`: this run will fail under the repository's policy: it requires actions pinned/);
    assert.equal(gh.requests.filter((request) => request.path === '/api/repos/acme/app/actions/permissions').length, 1);
    assert.ok(
      gh.requests.every((request) => !request.path.includes('/actions/permissions') || request.authorization === 'Bearer cli-token'),
    );
  });

  test('a 403 is one note and no finding', async () => {
    const cwd = checkout('locked-out');
    const result = await online(cwd);
    const found = (JSON.parse(result.stdout) as Report).findings.filter((finding) => finding.ruleId === 'repository-policy');
    assert.deepEqual(found, []);
    assert.equal(result.stderr.split('could not be read (403)').length - 1, 1, result.stderr);
  });

  test('offline: the configuration`s `policy:` gives the finding without any request', async () => {
    const cwd = checkout('offline-app', { '.github/actions-warden.yml': 'policy:\n  require-sha-pinning: true\n' });
    const before = gh.requests.length;
    const result = await runCli(['--format', 'json', '--offline', '.'], { cwd, env: { GITHUB_TOKEN: 'cli-token' } });
    const found = (JSON.parse(result.stdout) as Report).findings.filter((finding) => finding.ruleId === 'repository-policy');
    assert.equal(found.length, 1, result.stderr);
    assert.match(found[0].message, /\(the configuration's `policy:`\)$/);
    assert.equal(gh.requests.length, before);
  });
});
