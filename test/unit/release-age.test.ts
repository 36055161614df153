/**
 * The minimum release age of the update actions, piece by piece: the setting, the configuration key,
 * Dependabot's cooldown, the plan (pure, from a snapshot with dates), the REST date lookup, and the
 * layering of settings a generic LSP client sends.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { normalizeSettings } from '../../shared/src/settings';
import { parseConfig } from '../../server/src/config/config-file';
import { planUpdates, updateSize } from '../../server/src/fixes/pin';
import { dependabotCooldownOf, releaseAgePolicy } from '../../server/src/features/release-age';
import { layerSettings } from '../../server/src/features/settings';
import { parseVersion } from '../../server/src/resolve/versions';
import { GitHubResolver } from '../../server/src/resolve/resolver';
import { collectSnapshot, releaseDateKey } from '../../server/src/resolve/snapshot';
import { parseWorkflow } from '../support/analysis';
import { daysAgo, sha, FakeGitHub } from '../support/fake-github';

const NOW = Date.UTC(2026, 5, 1);

describe('minimum release age: settings and configuration', () => {
  test('actionsWarden.pinning.minReleaseAgeDays defaults to 3, is clamped to 0..365, and a bad value falls back', () => {
    assert.equal(normalizeSettings({}).pinning.minReleaseAgeDays, 3);
    assert.equal(normalizeSettings({ pinning: { minReleaseAgeDays: 10 } }).pinning.minReleaseAgeDays, 10);
    assert.equal(normalizeSettings({ pinning: { minReleaseAgeDays: -4 } }).pinning.minReleaseAgeDays, 0);
    assert.equal(normalizeSettings({ pinning: { minReleaseAgeDays: 9999 } }).pinning.minReleaseAgeDays, 365);
    assert.equal(normalizeSettings({ pinning: { minReleaseAgeDays: 'soon' } }).pinning.minReleaseAgeDays, 3);
  });

  test('pinning.min-release-age-days is read; a bad value is a problem on the value', () => {
    assert.equal(parseConfig('pinning:\n  min-release-age-days: 7\n', 'c.yml', 'warden').minReleaseAgeDays, 7);
    const bad = parseConfig('pinning:\n  min-release-age-days: soon\n', 'c.yml', 'warden');
    assert.equal(bad.minReleaseAgeDays, undefined);
    assert.equal(bad.problems.length, 1);
    assert.equal(bad.text.slice(bad.problems[0].span.start, bad.problems[0].span.end), 'soon');
  });

  test("Dependabot's cooldown of the github-actions entry only, per update size, raising the configured minimum", () => {
    const text = [
      'version: 2',
      'updates:',
      '  - package-ecosystem: npm',
      '    directory: /',
      '    cooldown: { default-days: 30 }',
      '  - package-ecosystem: github-actions',
      '    directory: /',
      '    cooldown:',
      '      default-days: 5',
      '      semver-major-days: 14',
      '',
    ].join('\n');
    const cooldown = dependabotCooldownOf(text, '/r/.github/dependabot.yml');
    assert.deepEqual({ ...cooldown, path: undefined }, { default: 5, major: 14, minor: undefined, patch: undefined, path: undefined });
    const policy = releaseAgePolicy(3, cooldown, NOW, 'setting');
    assert.equal(policy.minAgeDays('major'), 14);
    assert.equal(policy.minAgeDays('minor'), 5);
    assert.equal(releaseAgePolicy(10, cooldown, NOW, 'setting').minAgeDays('patch'), 10);
    assert.equal(dependabotCooldownOf('version: 2\nupdates:\n  - package-ecosystem: github-actions\n', '/d.yml'), null);
  });

  test('settings from workspace/configuration are laid over initializationOptions; a null answer keeps them', () => {
    const initial = { persona: 'auditor', github: { serverUrl: 'https://ghe.example', token: 't' } };
    assert.deepEqual(layerSettings(initial, null), initial);
    assert.deepEqual(layerSettings(initial, { offline: true, github: { apiUrl: 'https://ghe.example/api/v3' } }), {
      persona: 'auditor',
      offline: true,
      github: { serverUrl: 'https://ghe.example', token: 't', apiUrl: 'https://ghe.example/api/v3' },
    });
    assert.deepEqual(layerSettings(undefined, [1, 2]), {});
  });
});

describe('minimum release age: planning and dates', () => {
  let gh: FakeGitHub;
  before(async () => {
    gh = new FakeGitHub().repo('octo/dated', {
      history: ['d-1', 'd-2', 'd-3'],
      branches: { main: 'd-3' },
      tags: { 'v1.0.0': { commit: 'd-1' }, 'v1.0.1': { commit: 'd-2', annotated: true }, 'v1.1.0': { commit: 'd-3' } },
    });
    gh.dates.release('octo/dated', 'v1.1.0', daysAgo(1)).commitDate('d-2', daysAgo(6));
    await gh.start();
  });
  after(() => gh.stop());

  test('update sizes', () => {
    assert.equal(updateSize(parseVersion('v1.2.3'), parseVersion('v2.0.0')!), 'major');
    assert.equal(updateSize(parseVersion('v1.2.3'), parseVersion('v1.3.0')!), 'minor');
    assert.equal(updateSize(parseVersion('v1.2.3'), parseVersion('v1.2.9')!), 'patch');
    assert.equal(updateSize(null, parseVersion('v1.2.9')!), null);
  });

  test('release dates come from the release, else from the commit; a young latest is not preferred, the newest old enough is', async () => {
    const resolver = new GitHubResolver({ serverUrl: gh.serverUrl, apiUrl: gh.apiUrl, timeoutMs: 1500 });
    const released = await resolver.releaseDate('octo', 'dated', 'v1.1.0', sha('d-3'));
    assert.ok(released.ok && released.value.source === 'release');
    const committed = await resolver.releaseDate('octo', 'dated', 'v1.0.1', sha('d-2'));
    assert.ok(committed.ok && committed.value.source === 'commit');
    gh.reset();
    await resolver.releaseDate('octo', 'dated', 'v1.1.0', sha('d-3'));
    assert.equal(gh.requests.length, 0, 'cached');

    const file = parseWorkflow(`on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: octo/dated@${sha('d-1')} # v1.0.0\n`);
    const snapshot = await collectSnapshot([file], resolver, { memberships: false, advisories: false });
    const now = Date.now();
    snapshot.releaseDates = new Map([
      [releaseDateKey('octo', 'dated', 'v1.1.0'), released],
      [releaseDateKey('octo', 'dated', 'v1.0.1'), committed],
    ]);
    const plans = planUpdates(file, file.uses[0], snapshot, releaseAgePolicy(3, null, now, 'setting'));
    assert.deepEqual(
      plans.map((plan) => [plan.to, plan.ripe, plan.fix.isPreferred, plan.size]),
      [
        ['v1.0.1', true, true, 'patch'],
        ['v1.1.0', false, false, 'minor'],
      ],
    );
    assert.match(plans[1].fix.title, /only 2\d hours old: younger than the 3-day minimum release age/);
    assert.match(plans[0].fix.title, /newest release older than 3 days, 6 days old, patch update/);

    // Unknown dates are never taken for old enough.
    snapshot.releaseDates = new Map();
    const undated = planUpdates(file, file.uses[0], snapshot, releaseAgePolicy(3, null, now, 'setting'));
    assert.deepEqual(
      undated.map((plan) => [plan.to, plan.fix.isPreferred]),
      [['v1.1.0', false]],
    );
    assert.match(undated[0].fix.title, /release date unknown, so the 3-day minimum release age cannot be checked/);
    // 0 days: the latest is preferred without a date.
    assert.deepEqual(
      planUpdates(file, file.uses[0], snapshot, releaseAgePolicy(0, null, now, 'setting')).map((plan) => [plan.to, plan.fix.isPreferred]),
      [['v1.1.0', true]],
    );
  });
});
