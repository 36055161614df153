/**
 * Who chooses the GitHub hosts the CLI talks to (and so where GITHUB_TOKEN goes). Two fake GitHubs on
 * loopback stand for the legitimate host and an attacker's; a scanned repository's configuration naming the
 * attacker must not send it anything. Every fetch is guarded: a request to a non-loopback address fails the
 * test instead of leaving the machine.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { chooseCliHosts, readUserConfig, userConfigPath } from '../../server/src/cli/hosts';
import { parseArgs } from '../../server/src/cli/args';
import { sha, standardFakeGitHub, type FakeGitHub } from '../support/fake-github';
import { runCli, tempDir, tree } from '../support/cli';

const TOKEN = 'ghp_HostsTestSecret1234567890abcdef';
const WORKFLOW = 'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n';

/** URLs the code under test tried to fetch outside loopback (they are refused, never sent). */
const offLoopback: string[] = [];
const realFetch = globalThis.fetch;
before(() => {
  globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
      offLoopback.push(url.href);
      throw new TypeError(`test guard: no request to ${url.host}`);
    }
    return realFetch(input, init);
  }) as typeof fetch;
});
after(() => {
  globalThis.fetch = realFetch;
});

describe('CLI GitHub hosts: a repository configuration never decides where the token goes', () => {
  let legit: FakeGitHub;
  let attacker: FakeGitHub;
  before(async () => {
    legit = await standardFakeGitHub().start();
    attacker = await standardFakeGitHub().start();
  });
  after(async () => {
    await legit.stop();
    await attacker.stop();
  });
  beforeEach(() => {
    legit.reset();
    attacker.reset();
    offLoopback.length = 0;
  });

  const repoWithConfig = (config: string) =>
    tree({ '.git/HEAD': 'ref: refs/heads/main\n', '.github/workflows/ci.yml': WORKFLOW, '.github/actions-warden.yml': config });
  const env = (extra: Record<string, string>) => ({ XDG_CACHE_HOME: tempDir('warden-hosts-cache-'), ...extra });

  test('config naming the attacker + token + GITHUB_SERVER_URL/GITHUB_API_URL: the attacker gets nothing, a config-error says why', async () => {
    const root = repoWithConfig(`github:\n  server-url: ${attacker.serverUrl}\n  api-url: ${attacker.apiUrl}\n`);
    const result = await runCli(['--fix', '--format', 'json', '.'], {
      cwd: root,
      env: env({ GITHUB_TOKEN: TOKEN, GITHUB_SERVER_URL: legit.serverUrl, GITHUB_API_URL: legit.apiUrl }),
    });
    assert.equal(
      attacker.requests.length,
      0,
      `the attacker received ${JSON.stringify(attacker.requests.map((r) => [r.path, r.authorization]))}`,
    );
    assert.ok(legit.count('/actions/checkout.git/') >= 1, result.stderr);
    assert.ok(
      legit.requests.some((request) => request.authorization !== undefined),
      'the token goes to the host the user chose',
    );
    assert.ok(
      readFileSync(join(root, '.github/workflows/ci.yml'), 'utf8').includes(`actions/checkout@${sha('co-4')} # v4.2.2`),
      'pinned from the legitimate host',
    );
    const output = JSON.parse(result.stdout) as { results?: unknown; files?: unknown };
    const text = JSON.stringify(output);
    const configErrors = text.split('"config-error"').length - 1;
    assert.equal(configErrors >= 2, true, `a config-error for server-url and one for api-url: ${result.stdout}`);
    assert.match(text, new RegExp(`names ${attacker.serverUrl.replace(/[.:/]/g, '\\$&')}, which you have not chosen`));
    assert.match(text, /cannot decide where your GitHub token is sent/);
    assert.equal(offLoopback.length, 0, offLoopback.join(', '));
    assert.ok(!result.stdout.includes(TOKEN) && !result.stderr.includes(TOKEN));
  });

  test('text output: the config-error points at the URL in the file and names the confirming flag', async () => {
    const root = repoWithConfig(`github:\n  server-url: ${attacker.serverUrl}\n`);
    const result = await runCli(['--online', '.'], { cwd: root, env: env({ GH_TOKEN: TOKEN, GITHUB_SERVER_URL: legit.serverUrl }) });
    assert.equal(attacker.requests.length, 0);
    const line = result.stdout.split('\n').find((candidate) => candidate.includes('config-error'));
    assert.ok(line, result.stdout);
    assert.ok(line.startsWith('.github/actions-warden.yml:2:15: '), line);
    assert.ok(line.includes(`--github-server-url ${attacker.serverUrl}`), line);
    assert.ok(line.includes(`online checks use ${legit.serverUrl} (from GITHUB_SERVER_URL)`), line);
    assert.equal(result.code, 1, 'the refusal is a finding');
  });

  test('github.hosts naming another host is refused too; public GitHub and the chosen host are accepted', async () => {
    const root = repoWithConfig(`github:\n  hosts: [github.com, 127.0.0.1:${new URL(legit.serverUrl).port}, evil.example]\n`);
    const result = await runCli(['--online', '.'], {
      cwd: root,
      env: env({ GITHUB_SERVER_URL: legit.serverUrl, GITHUB_API_URL: legit.apiUrl }),
    });
    const errors = result.stdout.split('\n').filter((candidate) => candidate.includes('config-error'));
    assert.equal(errors.length, 1, result.stdout);
    assert.match(errors[0], /`github\.hosts` names evil\.example, which you have not chosen/);
  });

  test('confirmed on the command line: --github-server-url naming the same host sends it there, with no config-error', async () => {
    const root = repoWithConfig(`github:\n  server-url: ${attacker.serverUrl}\n  api-url: ${attacker.apiUrl}\n`);
    const result = await runCli(['--fix', '--github-server-url', attacker.serverUrl, '--github-api-url', attacker.apiUrl, '.'], {
      cwd: root,
      env: env({ GITHUB_TOKEN: TOKEN }),
    });
    assert.ok(attacker.count('/actions/checkout.git/') >= 1, result.stderr);
    assert.equal(legit.requests.length, 0);
    assert.doesNotMatch(result.stdout, /config-error/);
  });

  test('the user configuration file chooses the host; the repository configuration does not', async () => {
    const configHome = tempDir('warden-xdg-config-');
    mkdirSync(join(configHome, 'actions-warden'));
    writeFileSync(
      join(configHome, 'actions-warden', 'config.yml'),
      `github:\n  server-url: ${legit.serverUrl}\n  api-url: ${legit.apiUrl}\n`,
    );
    const root = repoWithConfig(`github:\n  server-url: ${attacker.serverUrl}\n  api-url: ${attacker.apiUrl}\n`);
    const result = await runCli(['--fix', '.'], { cwd: root, env: env({ GITHUB_TOKEN: TOKEN, XDG_CONFIG_HOME: configHome }) });
    assert.equal(attacker.requests.length, 0);
    assert.ok(legit.count('/actions/checkout.git/') >= 1, result.stderr);
    assert.match(result.stdout, /config-error/);
    assert.ok(result.stdout.includes(join(configHome, 'actions-warden', 'config.yml')), 'the message names where the hosts come from');
  });

  test('GITHUB_SERVER_URL alone: the API follows it to <server>/api/v3 (the token never goes to api.github.com)', async () => {
    const root = tree({ '.github/workflows/ci.yml': WORKFLOW.replace('actions/checkout@v4', `actions/checkout@${sha('co-4')}`) });
    const result = await runCli(['--online', '--no-config', '.'], {
      cwd: root,
      env: env({ GITHUB_TOKEN: TOKEN, GITHUB_SERVER_URL: legit.serverUrl }),
    });
    assert.equal(offLoopback.length, 0, `requests left loopback: ${offLoopback.join(', ')}; stderr: ${result.stderr}`);
    assert.ok(
      legit.requests.some((request) => request.path.startsWith('/api/v3/')),
      JSON.stringify(legit.requests.map((request) => request.path)),
    );
  });

  test('--github-server-url alone: the API follows the flag, not GITHUB_API_URL from the environment', async () => {
    const root = tree({ '.github/workflows/ci.yml': WORKFLOW.replace('actions/checkout@v4', `actions/checkout@${sha('co-4')}`) });
    const result = await runCli(['--github-server-url', legit.serverUrl, '--no-config', '.'], {
      cwd: root,
      env: env({ GITHUB_TOKEN: TOKEN, GITHUB_API_URL: attacker.apiUrl }),
    });
    assert.equal(attacker.requests.length, 0, result.stderr);
    assert.ok(legit.requests.some((request) => request.path.startsWith('/api/v3/')));
  });

  test('credentials in a host URL are refused and never printed', async () => {
    const password = 'hunter2-secret';
    const root = repoWithConfig(`github:\n  server-url: https://someone:${password}@ghe.example.com\n`);
    const flag = await runCli(['--github-server-url', `https://someone:${password}@ghe.example.com`, '.'], { cwd: root });
    assert.equal(flag.code, 2);
    assert.ok(flag.stderr.includes('https://***@ghe.example.com'), flag.stderr);
    assert.ok(!flag.stderr.includes(password) && !flag.stdout.includes(password));

    const fromEnv = await runCli(['--online', '.'], {
      cwd: root,
      env: env({ GITHUB_SERVER_URL: `http://someone:${password}@127.0.0.1:${new URL(legit.serverUrl).port}`, GITHUB_TOKEN: TOKEN }),
    });
    assert.equal(legit.requests.length, 0, 'nothing is sent when the chosen URL carries credentials');
    assert.match(fromEnv.stderr, /online checks are off: GitHub server URL `http:\/\/\*\*\*@127\.0\.0\.1:\d+` contains credentials/);
    assert.match(fromEnv.stdout, /config-error/, 'the repository file is reported too');
    for (const output of [fromEnv.stdout, fromEnv.stderr]) assert.ok(!output.includes(password), output);
    assert.equal(offLoopback.length, 0);
  });
});

describe('CLI host choice (pure)', () => {
  const none = () => assert.fail('no warning expected');
  test('order: flags, then GITHUB_SERVER_URL/GITHUB_API_URL, then GH_HOST, then the user configuration, then public GitHub', () => {
    const user = { path: '/home/u/.config/actions-warden/config.yml', serverUrl: 'https://user.example', problems: [] };
    const env = { GITHUB_SERVER_URL: 'https://env.example', GH_HOST: 'gh.example' };
    assert.deepEqual(chooseCliHosts({ githubServerUrl: 'https://flag.example' }, env, user, none), {
      serverUrl: 'https://flag.example',
      apiUrl: 'https://flag.example/api/v3',
      source: '--github-server-url',
    });
    assert.deepEqual(chooseCliHosts({}, env, user, none), {
      serverUrl: 'https://env.example',
      apiUrl: 'https://env.example/api/v3',
      source: 'GITHUB_SERVER_URL',
    });
    assert.deepEqual(chooseCliHosts({}, { GH_HOST: 'gh.example:8443' }, user, none), {
      serverUrl: 'https://gh.example:8443',
      apiUrl: 'https://gh.example:8443/api/v3',
      source: 'GH_HOST',
    });
    assert.deepEqual(chooseCliHosts({}, {}, user, none), {
      serverUrl: 'https://user.example',
      apiUrl: 'https://user.example/api/v3',
      source: user.path,
    });
    assert.deepEqual(chooseCliHosts({}, {}, null, none), {
      serverUrl: 'https://github.com',
      apiUrl: 'https://api.github.com',
      source: 'the default',
    });
    assert.deepEqual(chooseCliHosts({}, { GH_HOST: 'github.com' }, null, none), {
      serverUrl: 'https://github.com',
      apiUrl: 'https://api.github.com',
      source: 'GH_HOST',
    });
    assert.deepEqual(chooseCliHosts({ githubApiUrl: 'https://ghe.example/api/v3' }, {}, null, none), {
      serverUrl: 'https://ghe.example',
      apiUrl: 'https://ghe.example/api/v3',
      source: '--github-api-url',
    });
  });

  test('a GH_HOST that is not a host name is not used and is not echoed', () => {
    const warnings: string[] = [];
    const choice = chooseCliHosts({}, { GH_HOST: 'user:pw@evil.example' }, null, (message) => warnings.push(message));
    assert.equal(choice.serverUrl, 'https://github.com');
    assert.equal(warnings.length, 1);
    assert.ok(!warnings[0].includes('pw@'), warnings[0]);
  });

  test('the user configuration file: where it is, what is read from it', () => {
    assert.equal(userConfigPath({ XDG_CONFIG_HOME: '/x' }, 'linux'), join('/x', 'actions-warden', 'config.yml'));
    assert.equal(userConfigPath({ HOME: '/home/u' }, 'linux'), join('/home/u', '.config', 'actions-warden', 'config.yml'));
    assert.equal(userConfigPath({}, 'linux'), null);
    const dir = tempDir('warden-user-config-');
    const path = join(dir, 'config.yml');
    writeFileSync(path, 'github:\n  server-url: https://ghe.example\n  token: x\npersona: auditor\n');
    const config = readUserConfig(path)!;
    assert.equal(config.serverUrl, 'https://ghe.example');
    assert.equal(config.apiUrl, undefined);
    assert.equal(config.problems.length, 2, config.problems.join('; '));
    assert.equal(readUserConfig(join(dir, 'missing.yml')), null);
  });

  test('--github-*-url with credentials is a usage error that shows the URL redacted', () => {
    const parsed = parseArgs(['--github-api-url=https://x-access-token:ghp_abc@ghe.example/api/v3']);
    assert.equal(parsed.ok, false);
    assert.ok(
      !parsed.ok && parsed.error.includes('https://***@ghe.example/api/v3') && !parsed.error.includes('ghp_abc'),
      !parsed.ok ? parsed.error : '',
    );
  });
});
