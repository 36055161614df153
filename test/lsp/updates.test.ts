/**
 * "Update to the latest release" under a minimum release age (actionsWarden.pinning.minReleaseAgeDays,
 * the repository's pinning.min-release-age-days, Dependabot's cooldown for github-actions), against the
 * fake GitHub's release and commit dates.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, Hover } from 'vscode-languageserver-types';
import { daysAgo, sha, standardFakeGitHub, type FakeGitHub } from '../support/fake-github';
import { TestLspClient } from '../support/lsp-client';

const V100 = sha('fr-1');

const workflow = (ref = V100, comment = 'v1.0.0') =>
  [
    'on: push',
    'permissions: {}',
    'jobs:',
    '  build:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    `      - uses: octo/fresh@${ref} # ${comment}`,
    '',
  ].join('\n');

describe('update actions respect a minimum release age', () => {
  let gh: FakeGitHub;
  let root: string;
  const clients: TestLspClient[] = [];

  before(async () => {
    gh = standardFakeGitHub().repo('octo/fresh', {
      history: ['fr-1', 'fr-2', 'fr-3', 'fr-4'],
      branches: { main: 'fr-4' },
      tags: {
        'v1.0.0': { commit: 'fr-1' },
        'v1.1.0': { commit: 'fr-2', annotated: true },
        'v1.2.0': { commit: 'fr-3' },
        'v2.0.0': { commit: 'fr-4', annotated: true },
        v2: { commit: 'fr-4' },
      },
    });
    // v2.0.0 is a GitHub release published a day ago; v1.2.0 has no release (its commit is 2 days old);
    // v1.1.0 was released 10 days ago.
    gh.dates.release('octo/fresh', 'v2.0.0', daysAgo(1)).release('octo/fresh', 'v1.1.0', daysAgo(10)).commitDate('fr-3', daysAgo(2));
    await gh.start();
    root = mkdtempSync(join(tmpdir(), 'warden-lsp-updates-'));
  });
  after(async () => {
    for (const client of clients) await client.shutdown();
    await gh.stop();
    rmSync(root, { recursive: true, force: true });
  });

  async function actionsFor(settings: Record<string, unknown>, uri: string, text = workflow()): Promise<CodeAction[]> {
    const client = new TestLspClient();
    clients.push(client);
    await client.initialize({ debounceMs: 0, github: { serverUrl: gh.serverUrl, apiUrl: gh.apiUrl }, ...settings });
    await client.open(uri, text);
    const line = 6;
    const character = text.split('\n')[line].indexOf('@') + 4;
    return client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line, character }, end: { line, character } },
      context: { diagnostics: [] },
    });
  }

  const updates = (actions: CodeAction[]) =>
    actions
      .filter((action) => action.title.startsWith('Update octo/fresh'))
      .map((action) => ({ title: action.title, preferred: action.isPreferred === true }));

  test('default 3 days: the day-old major release is offered, not preferred, saying its age; the newest release old enough is preferred', async () => {
    gh.reset();
    const found = updates(await actionsFor({}, 'file:///repo/.github/workflows/a.yml'));
    assert.equal(found.length, 2, JSON.stringify(found));
    const [ripe, young] = found;
    assert.equal(ripe.preferred, true);
    assert.match(ripe.title, /^Update octo\/fresh to v1\.1\.0 \(newest release older than 3 days, 10 days old, minor update\)$/);
    assert.equal(young.preferred, false);
    assert.match(
      young.title,
      /^Update octo\/fresh to v2\.0\.0 \(latest release, only 2\d hours old: younger than the 3-day minimum release age, major update\)$/,
    );
    assert.ok(gh.count('/releases/tags/v2.0.0') >= 1, 'the release date comes from the REST API');
    assert.ok(gh.count(`/commits/${sha('fr-3')}`) >= 1, 'a tag without a release is dated by its commit');
  });

  test('minReleaseAgeDays 0 prefers the latest release', async () => {
    const found = updates(await actionsFor({ pinning: { minReleaseAgeDays: 0 } }, 'file:///repo/.github/workflows/b.yml'));
    assert.deepEqual(found, [
      { title: 'Update octo/fresh to v2.0.0 (latest release, ' + found[0]?.title.split('latest release, ')[1], preferred: true },
    ]);
    assert.match(found[0].title, /hours old, major update\)$/);
  });

  test("Dependabot's cooldown for github-actions raises the minimum; the repository's min-release-age-days replaces the setting", async () => {
    const repo = join(root, 'dependabot');
    mkdirSync(join(repo, '.github', 'workflows'), { recursive: true });
    writeFileSync(
      join(repo, '.github', 'dependabot.yml'),
      'version: 2\nupdates:\n  - package-ecosystem: github-actions\n    directory: /\n    schedule: { interval: weekly }\n    cooldown:\n      default-days: 14\n',
    );
    const uri = pathToFileURL(join(repo, '.github', 'workflows', 'c.yml')).href;
    const found = updates(await actionsFor({}, uri));
    assert.equal(found.length, 1, 'nothing is 14 days old: only the latest, not preferred');
    assert.equal(found[0].preferred, false);
    assert.match(found[0].title, /younger than the 14-day minimum release age/);

    writeFileSync(join(repo, '.github', 'actions-warden.yml'), 'pinning:\n  min-release-age-days: 0\n');
    writeFileSync(
      join(repo, '.github', 'dependabot.yml'),
      'version: 2\nupdates:\n  - package-ecosystem: github-actions\n    directory: /\n',
    );
    const relaxed = updates(await actionsFor({ pinning: { minReleaseAgeDays: 30 } }, uri));
    assert.equal(relaxed.length, 1);
    assert.equal(relaxed[0].preferred, true, JSON.stringify(relaxed));
    assert.match(relaxed[0].title, /to v2\.0\.0 \(latest release/);
  });

  test('the uses: hover shows the current and latest versions with their dates, the update size and a compare link', async () => {
    const client = new TestLspClient();
    clients.push(client);
    await client.initialize({ debounceMs: 0, github: { serverUrl: gh.serverUrl, apiUrl: gh.apiUrl } });
    const uri = 'file:///repo/.github/workflows/hover.yml';
    const text = workflow();
    await client.open(uri, text);
    const hover: Hover = await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: 6, character: 20 },
    });
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /Current: `v1\.0\.0`, committed 20\d\d-\d\d-\d\d/);
    assert.match(
      value,
      /Latest: `v2\.0\.0`, released \d{4}-\d\d-\d\d \(2\d hours ago\) · major update · \[compare\]\([^)]*\/octo\/fresh\/compare\/v1\.0\.0\.\.\.v2\.0\.0\)/,
    );
    assert.match(value, /younger than the 3-day minimum release age/);
  });
});
