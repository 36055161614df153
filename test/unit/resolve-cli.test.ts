import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { run } from '../../server/src/cli/run';
import { sha, standardFakeGitHub, type FakeGitHub } from '../support/fake-github';

const WORKFLOW =
  'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/checkout@v5\n';

describe('CLI online support', () => {
  let gh: FakeGitHub;
  let root: string;
  before(async () => {
    gh = await standardFakeGitHub().start();
    root = mkdtempSync(join(tmpdir(), 'warden-cli-'));
  });
  after(async () => {
    await gh.stop();
    rmSync(root, { recursive: true, force: true });
  });
  const cli = async (args: string[], env: Record<string, string> = {}) => {
    let stdout = '';
    let stderr = '';
    const code = await run(args, {
      cwd: root,
      env: { XDG_CACHE_HOME: join(root, 'cache'), ...env },
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      readStdin: async () => new Uint8Array(),
    });
    return { code, stdout, stderr };
  };

  test('--github-server-url/--github-api-url: --fix pins each tag, resolving the repository once', async () => {
    mkdirSync(join(root, '.github', 'workflows'), { recursive: true });
    const path = join(root, '.github', 'workflows', 'ci.yml');
    writeFileSync(path, WORKFLOW);
    gh.reset();
    const result = await cli(['--fix', '--github-server-url', gh.serverUrl, '--github-api-url', gh.apiUrl, '--no-config']);
    assert.equal(gh.count('/actions/checkout.git/'), 1, result.stderr);
    const text = readFileSync(path, 'utf8');
    assert.ok(text.includes(`actions/checkout@${sha('co-4')} # v4.2.2`), text);
    assert.ok(text.includes(`actions/checkout@${sha('co-5')} # v5.0.0`), text);
  });

  test('GITHUB_SERVER_URL/GITHUB_API_URL + token from the environment; impostor reported; token not printed', async () => {
    const path = join(root, '.github', 'workflows', 'ci.yml');
    writeFileSync(path, WORKFLOW.replace('actions/checkout@v5', `actions/checkout@${sha('co-evil')}`));
    const result = await cli(['--format', 'json', '--no-config'], {
      GITHUB_SERVER_URL: gh.serverUrl,
      GITHUB_API_URL: gh.apiUrl,
      GITHUB_TOKEN: 'ghp_cliSECRET',
    });
    assert.match(result.stdout, /impostor-commit/);
    assert.ok(!result.stdout.includes('ghp_cliSECRET') && !result.stderr.includes('ghp_cliSECRET'));
  });

  test('--offline makes no request', async () => {
    gh.reset();
    const result = await cli(['--offline', '--github-server-url', gh.serverUrl, '--github-api-url', gh.apiUrl, '--no-config'], {
      GITHUB_TOKEN: 'x',
    });
    assert.equal(gh.count(), 0);
    assert.doesNotMatch(result.stdout, /impostor-commit/);
  });
});
