/**
 * Host decisions outside the CLI: the shared host helpers, URL credential redaction, the extension's
 * pure host/token policy (user settings only, Restricted Mode, sign-in scopes), package.json's setting
 * scopes, and the language server's online controller (a sign-in token stays on the hosts it is for).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  sanitizeConfiguration,
  serverSettings,
  signInScopes,
  signInTokenParams,
  storedAccess,
  USER_ONLY_SETTINGS,
  userLevelGitHub,
  type Inspected,
} from '../../client/src/host-policy';
import { redact } from '../../client/src/log';
import { OnlineController } from '../../server/src/features/online';
import { parseFile } from '../../server/src/parse/document';
import { checkBaseUrl } from '../../server/src/resolve/http';
import { apiUrlForServer, completeHosts, displayUrl, redactUrlCredentials, serverUrlForApi } from '../../shared/src/github-hosts';
import { normalizeSettings } from '../../shared/src/settings';
import { standardFakeGitHub, type FakeGitHub } from '../support/fake-github';
import { tempDir } from '../support/cli';

describe('shared host helpers', () => {
  test('the API follows the server (github.com, ghe.com, GHES) and back', () => {
    assert.equal(apiUrlForServer('https://github.com'), 'https://api.github.com');
    assert.equal(apiUrlForServer('https://github.com/'), 'https://api.github.com');
    assert.equal(apiUrlForServer('https://octo.ghe.com'), 'https://api.octo.ghe.com');
    assert.equal(apiUrlForServer('https://ghe.example.com'), 'https://ghe.example.com/api/v3');
    assert.equal(apiUrlForServer('https://ghe.example.com/prefix/'), 'https://ghe.example.com/prefix/api/v3');
    assert.equal(apiUrlForServer('http://127.0.0.1:8080'), 'http://127.0.0.1:8080/api/v3');
    assert.equal(apiUrlForServer('https://u:p@ghe.example.com'), null);
    assert.equal(serverUrlForApi('https://api.github.com'), 'https://github.com');
    assert.equal(serverUrlForApi('https://api.octo.ghe.com'), 'https://octo.ghe.com');
    assert.equal(serverUrlForApi('https://ghe.example.com/api/v3/'), 'https://ghe.example.com');
    assert.equal(serverUrlForApi('https://elsewhere.example/api'), null);
    assert.deepEqual(completeHosts(undefined, 'https://elsewhere.example/api'), {
      serverUrl: 'https://github.com',
      apiUrl: 'https://elsewhere.example/api',
    });
    assert.deepEqual(completeHosts(' ', undefined), { serverUrl: 'https://github.com', apiUrl: 'https://api.github.com' });
  });

  test('the server URL setting alone moves the API (language server settings)', () => {
    assert.deepEqual(normalizeSettings({ github: { serverUrl: 'https://ghe.example.com' } }).github, {
      serverUrl: 'https://ghe.example.com',
      apiUrl: 'https://ghe.example.com/api/v3',
      token: '',
    });
  });

  test('credentials in URLs are never shown', () => {
    assert.equal(displayUrl('https://user:pw@ghe.example.com/api/v3'), 'https://***@ghe.example.com/api/v3');
    assert.equal(displayUrl('https://ghe.example.com'), 'https://ghe.example.com');
    assert.equal(displayUrl('https://user:p/ss@ho st'), 'https://***@ho st', 'an unparsable URL is masked up to its last @');
    assert.equal(
      redact('could not reach https://me:hunter2@ghe.example.com/api'),
      'could not reach https://***@ghe.example.com/api',
      'the output channel too',
    );
    assert.equal(
      redactUrlCredentials('GET https://x-access-token:ghp_1@h.example/a?b=c@d and http://ok.example/x@y'),
      'GET https://***@h.example/a?b=c@d and http://ok.example/x@y',
    );
    for (const raw of ['https://user:hunter2@ghe.example.com', 'https://user:hunter2@ghe example.com', 'http://user:hunter2@10.0.0.1']) {
      const checked = checkBaseUrl(raw, 'GitHub server URL');
      assert.equal(checked.ok, false);
      assert.ok(
        !checked.ok && !checked.error.message.includes('hunter2') && checked.error.message.includes('***'),
        !checked.ok ? checked.error.message : '',
      );
    }
  });

  test('redaction runs in linear time on adversarial text', () => {
    for (const text of ['://@'.repeat(200_000), 'a'.repeat(400_000) + '://' + '@'.repeat(400_000), 'https://'.repeat(100_000)]) {
      const started = performance.now();
      redactUrlCredentials(text);
      displayUrl(text);
      assert.ok(performance.now() - started < 1000, `${text.length} characters took ${performance.now() - started} ms`);
    }
  });
});

describe('extension host policy (pure)', () => {
  const inspector =
    (values: Partial<Record<(typeof USER_ONLY_SETTINGS)[number], Inspected>>) => (key: (typeof USER_ONLY_SETTINGS)[number]) =>
      values[key];

  test('workspace and folder values of the hosts and the token are ignored', () => {
    const user = userLevelGitHub(
      inspector({
        'github.serverUrl': {
          defaultValue: 'https://github.com',
          workspaceValue: 'https://evil.example',
          workspaceFolderValue: 'https://evil.example',
        },
        'github.apiUrl': { defaultValue: 'https://api.github.com', workspaceValue: 'https://evil.example/api' },
        'github.token': { defaultValue: '', workspaceValue: 'ghp_workspace' },
      }),
    );
    assert.deepEqual(user, { github: { serverUrl: 'https://github.com', apiUrl: 'https://api.github.com', token: '' }, userHosts: false });
  });

  test('a user-level server URL alone moves the API; the user token is kept', () => {
    const user = userLevelGitHub(
      inspector({
        'github.serverUrl': { defaultValue: 'https://github.com', globalValue: 'https://ghe.example.com' },
        'github.token': { globalValue: ' ghp_user ' },
      }),
    );
    assert.deepEqual(user, {
      github: { serverUrl: 'https://ghe.example.com', apiUrl: 'https://ghe.example.com/api/v3', token: 'ghp_user' },
      userHosts: true,
    });
  });

  test('what the server receives: user hosts always, the token only in a trusted workspace', () => {
    const user = userLevelGitHub(inspector({ 'github.token': { globalValue: 'ghp_user' } }));
    const effective = {
      persona: 'auditor',
      github: { serverUrl: 'https://evil.example', apiUrl: 'https://evil.example/api', token: 'ghp_workspace' },
    };
    assert.deepEqual(serverSettings(effective, user, true), {
      persona: 'auditor',
      github: { serverUrl: 'https://github.com', apiUrl: 'https://api.github.com', token: 'ghp_user' },
    });
    assert.deepEqual(serverSettings(effective, user, false).github, {
      serverUrl: 'https://github.com',
      apiUrl: 'https://api.github.com',
      token: '',
    });
    const answered = sanitizeConfiguration(
      ['actionsWarden', 'actionsWarden.github', 'actionsWarden.github.apiUrl', 'actionsWarden.github.token', undefined, 'editor'],
      [effective, effective.github, 'https://evil.example/api', 'ghp_workspace', { actionsWarden: effective }, { tabSize: 2 }],
      user,
      false,
    );
    assert.deepEqual(answered, [
      { persona: 'auditor', github: { serverUrl: 'https://github.com', apiUrl: 'https://api.github.com', token: '' } },
      { serverUrl: 'https://github.com', apiUrl: 'https://api.github.com', token: '' },
      'https://api.github.com',
      '',
      { actionsWarden: { persona: 'auditor', github: { serverUrl: 'https://github.com', apiUrl: 'https://api.github.com', token: '' } } },
      { tabSize: 2 },
    ]);
    assert.ok(!JSON.stringify(answered).includes('evil') && !JSON.stringify(answered).includes('ghp_workspace'));
  });

  test('the sign-in token: never in Restricted Mode; with the hosts it is for; only to public GitHub or user-set hosts', () => {
    const publicUser = userLevelGitHub(() => undefined);
    assert.deepEqual(signInTokenParams('gho_x', 'me', publicUser, false), { token: null });
    assert.deepEqual(signInTokenParams('gho_x', 'me', publicUser, true), {
      token: 'gho_x',
      account: 'me',
      serverUrl: 'https://github.com',
      apiUrl: 'https://api.github.com',
    });
    const gheUser = userLevelGitHub(inspector({ 'github.serverUrl': { globalValue: 'https://ghe.example.com' } }));
    assert.equal(signInTokenParams('gho_x', 'me', gheUser, true).serverUrl, 'https://ghe.example.com');
    assert.deepEqual(
      signInTokenParams(
        'gho_x',
        'me',
        { github: { serverUrl: 'https://evil.example', apiUrl: 'https://evil.example/api/v3', token: '' }, userHosts: false },
        true,
      ),
      { token: null },
    );
    assert.deepEqual(signInTokenParams(undefined, 'me', publicUser, true), { token: null });
  });

  test('sign-in scopes: none for public repositories, repo only when chosen', () => {
    assert.deepEqual(signInScopes('public'), []);
    assert.deepEqual(signInScopes('private'), ['repo']);
    assert.equal(storedAccess(undefined), 'public');
    assert.equal(storedAccess('private'), 'private');
    assert.equal(storedAccess('anything'), 'public');
  });

  test('package.json: hosts and token are machine-scoped and restricted in untrusted workspaces', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
    const properties = manifest.contributes.configuration.properties;
    const untrusted = manifest.capabilities.untrustedWorkspaces;
    assert.equal(untrusted.supported, 'limited');
    for (const key of USER_ONLY_SETTINGS) {
      const id = `actionsWarden.${key}`;
      assert.ok(['machine', 'application'].includes(properties[id]?.scope), `${id} scope ${properties[id]?.scope}`);
      assert.ok(untrusted.restrictedConfigurations.includes(id), `${id} is restricted`);
    }
  });
});

describe('language server: the sign-in token stays on its hosts', () => {
  let legit: FakeGitHub;
  before(async () => {
    legit = await standardFakeGitHub().start();
  });
  after(async () => {
    await legit.stop();
  });
  const file = () =>
    parseFile(
      '/repo/.github/workflows/ci.yml',
      'workflow',
      'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n',
    );
  const controller = (logs: string[], notices: string[] = []) =>
    new OnlineController(
      { log: (message) => logs.push(message), notify: (_kind, message) => notices.push(message), status: () => undefined },
      tempDir('warden-online-cache-'),
    );

  test('a github.com sign-in is not sent to another configured host', async () => {
    const logs: string[] = [];
    const online = controller(logs);
    online.configure(normalizeSettings({ github: { serverUrl: legit.serverUrl, apiUrl: legit.apiUrl } }));
    online.setClientToken('gho_signInToken123456');
    legit.reset();
    await online.collect([file()]);
    assert.ok(legit.requests.length > 0);
    assert.ok(
      legit.requests.every((request) => request.authorization === undefined),
      JSON.stringify(legit.requests),
    );
    assert.ok(
      logs.some((line) => line.includes('not sent to them')),
      logs.join('\n'),
    );
  });

  test('a sign-in for the configured hosts is used', async () => {
    const online = controller([]);
    online.configure(normalizeSettings({ github: { serverUrl: legit.serverUrl, apiUrl: legit.apiUrl } }));
    online.setClientToken('gho_signInToken123456', { serverUrl: legit.serverUrl, apiUrl: legit.apiUrl });
    legit.reset();
    await online.collect([file()]);
    assert.ok(legit.requests.some((request) => request.authorization !== undefined));
  });

  test('a server URL with credentials: refused, never in a notice or a hover link', async () => {
    const notices: string[] = [];
    const online = controller([], notices);
    online.configure(normalizeSettings({ github: { serverUrl: 'https://me:hunter2@ghe.example.com' } }));
    const snapshot = await online.collect([file()]);
    assert.ok(!snapshot.serverUrl.includes('hunter2'), snapshot.serverUrl);
    assert.ok(notices.length > 0 && notices.every((notice) => !notice.includes('hunter2')), notices.join('\n'));
  });
});
