import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../server/src/config/config-file';
import { analyze, DEFAULT_ANALYSIS_OPTIONS } from '../../../server/src/engine';
import { parseUses, type RemoteUses } from '../../../server/src/parse/uses';
import { policyPatternMatches, rejection, wildcardMatch, type RepositoryPolicy } from '../../../server/src/resolve/repo-policy';
import { repositoryPolicy as rule } from '../../../server/src/rules/repository-policy';
import { available } from '../../../server/src/views';
import { parseWorkflow, rangeText, yaml } from '../../support/analysis';

const remote = (text: string) => parseUses(text) as RemoteUses;
const SHA = 'a'.repeat(40);

/** The findings of the rule with a `policy:` configuration (the offline, expected policy). */
function withConfig(text: string, policyYaml: string) {
  const config = parseConfig(`policy:\n${policyYaml}`, '/r/.github/actions-warden.yml', 'warden');
  assert.deepEqual(config.problems, []);
  return analyze(parseWorkflow(text), {
    ...DEFAULT_ANALYSIS_OPTIONS,
    rules: [rule],
    ruleConfig: { 'repository-policy': config.rules['repository-policy'].config },
  });
}

function withOnline(text: string, policy: Partial<RepositoryPolicy>, configPolicy?: string) {
  const ruleConfig = configPolicy
    ? parseConfig(`policy:\n${configPolicy}`, '/r/.github/actions-warden.yml', 'warden').rules['repository-policy'].config
    : {};
  return analyze(parseWorkflow(text), {
    ...DEFAULT_ANALYSIS_OPTIONS,
    rules: [rule],
    ruleConfig: { 'repository-policy': ruleConfig },
    views: { policy: available<RepositoryPolicy>({ source: 'github', patterns: [], repository: 'acme/app', ...policy }) },
  });
}

const steps = yaml`
  on: push
  permissions: {}
  jobs:
    build:
      runs-on: ubuntu-latest
      steps:
        - uses: actions/checkout@v4
        - uses: acme/tool@${SHA}
        - uses: ./local-action
        - uses: other/thing/sub/dir@v2
        - uses: docker://alpine:3
    call:
      uses: other/workflows/.github/workflows/ci.yml@main
`;

describe('repository-policy', () => {
  test('wildcards match any run of characters, and nothing else', () => {
    assert.ok(wildcardMatch('*', ''));
    assert.ok(wildcardMatch('a*c', 'abbbc'));
    assert.ok(wildcardMatch('a/*', 'a/b/c'));
    assert.ok(!wildcardMatch('a*d', 'abc'));
    assert.ok(!wildcardMatch('abc', 'ab'));
    // A long hostile text with many stars finishes quickly (no exponential backtracking).
    const started = Date.now();
    assert.ok(!wildcardMatch('*a*a*a*a*a*a*a*b', 'a'.repeat(20000)));
    assert.ok(Date.now() - started < 2000);
  });

  test('a hostile allowed-list pattern against a long sub-path is matched in linear time', () => {
    // The configuration's `policy.allowed` and the workflow's `uses:` both come from the repository.
    const policy: RepositoryPolicy = { source: 'config', allowedActions: 'selected', patterns: [`o/r/*${'a'.repeat(40_000)}b`] };
    const subject = { owner: 'o', repo: 'r', subpath: 'a'.repeat(80_000), ref: 'v1' };
    const started = Date.now();
    assert.match(rejection(policy, subject) ?? '', /not in the repository's allowed actions/);
    assert.equal(rejection(policy, { ...subject, subpath: `${'a'.repeat(80_000)}b` }), null);
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
  });

  test('patterns: owner, repository, sub-path, ref, case of names but not of refs', () => {
    assert.ok(policyPatternMatches('acme/*', remote('ACME/tool@v1')));
    assert.ok(policyPatternMatches('acme/tool@*', remote('acme/tool/sub@v1')));
    assert.ok(policyPatternMatches('acme/tool', remote('acme/tool/sub/dir@v1')));
    assert.ok(policyPatternMatches('acme/tool/sub/*', remote('acme/tool/sub/dir@v1')));
    assert.ok(!policyPatternMatches('acme/tool/other/*', remote('acme/tool/sub@v1')));
    assert.ok(policyPatternMatches('acme/tool@v1', remote('acme/tool@v1')));
    assert.ok(!policyPatternMatches('acme/tool@v1', remote('acme/tool@V1')));
    assert.ok(!policyPatternMatches('acme/tool@v1', remote('acme/tool@v2')));
    assert.ok(!policyPatternMatches('acme/tool', remote('acme/toolbox@v1')));
  });

  test('blocks win over every allowance, even with all actions allowed', () => {
    const policy: RepositoryPolicy = { source: 'github', allowedActions: 'all', patterns: ['!acme/tool@v1'] };
    assert.match(rejection(policy, remote('acme/tool@v1')) ?? '', /blocked by `!acme\/tool@v1`/);
    assert.equal(rejection(policy, remote('acme/tool@v2')), null);
  });

  test('offline `require-sha-pinning`: a tag of an action fails; SHAs, local actions, images and reusable workflows do not', () => {
    const text = steps;
    const found = withConfig(text, '  require-sha-pinning: true\n');
    assert.deepEqual(
      found.map((finding) => rangeText(text, finding.range)),
      ['actions/checkout@v4', 'other/thing/sub/dir@v2'],
    );
    assert.equal(
      found[0].message,
      "`actions/checkout@v4`: this run will fail under the repository's policy: it requires actions pinned to a full-length commit SHA (the configuration's `policy:`)",
    );
  });

  test('offline `allowed`: what no pattern covers fails, naming what is allowed; local actions always pass', () => {
    const text = steps;
    const found = withConfig(text, '  allowed: [actions/*, acme/*, other/workflows/*]\n');
    assert.deepEqual(
      found.map((finding) => rangeText(text, finding.range)),
      ['other/thing/sub/dir@v2'],
    );
    assert.match(
      found[0].message,
      /`other\/thing\/sub\/dir@v2`: this run will fail under the repository's policy: it is not in the repository's allowed actions \(allowed: `actions\/\*`, `acme\/\*`, `other\/workflows\/\*`\)/,
    );
  });

  test('no policy at all: nothing is said', () => {
    const found = analyze(parseWorkflow(steps), { ...DEFAULT_ANALYSIS_OPTIONS, rules: [rule] });
    assert.deepEqual(found, []);
  });

  test('online: GitHub-owned and the repository owner are allowed under `selected`; verified creators are not judged', () => {
    const text = steps;
    const strict = withOnline(text, { allowedActions: 'selected', githubOwnedAllowed: true, patterns: ['acme/*'] });
    assert.deepEqual(
      strict.map((finding) => rangeText(text, finding.range)),
      ['other/thing/sub/dir@v2', 'other/workflows/.github/workflows/ci.yml@main'],
    );
    assert.match(strict[0].message, /allowed: GitHub-owned, `acme\/\*`\) \(the repository's settings\)/);
    const verified = withOnline(text, { allowedActions: 'selected', githubOwnedAllowed: true, verifiedAllowed: true, patterns: [] });
    assert.deepEqual(verified, []);
  });

  test('online `local_only`: only actions of the repository owner', () => {
    const text = steps;
    const found = withOnline(text, { allowedActions: 'local_only' });
    assert.deepEqual(
      found.map((finding) => rangeText(text, finding.range)),
      ['actions/checkout@v4', 'other/thing/sub/dir@v2', 'other/workflows/.github/workflows/ci.yml@main'],
    );
  });

  test('the online policy wins over the configured one', () => {
    const found = withOnline(steps, { allowedActions: 'all', shaPinningRequired: false }, '  require-sha-pinning: true\n');
    assert.deepEqual(found, []);
  });

  const noPermissions = yaml`
    on: pull_request
    jobs:
      test:
        runs-on: ubuntu-latest
        steps:
          - run: make test
      lint:
        runs-on: ubuntu-latest
        permissions:
          contents: read
        steps:
          - run: make lint
  `;

  test('a write default token: jobs without `permissions:` are named, at the `jobs:` key', () => {
    const found = withOnline(noPermissions, { defaultWorkflowPermissions: 'write' });
    assert.equal(found.length, 1);
    assert.equal(rangeText(noPermissions, found[0].range), 'jobs');
    assert.match(found[0].message, /No `permissions:` for job `test`: the repository's default `GITHUB_TOKEN` permission is write/);
    assert.equal(found[0].related.length, 1);
  });

  test('a read default token, or a workflow-level `permissions:`, says nothing', () => {
    assert.deepEqual(withOnline(noPermissions, { defaultWorkflowPermissions: 'read' }), []);
    const declared = noPermissions.replace('on: pull_request\n', 'on: pull_request\npermissions:\n  contents: read\n');
    assert.deepEqual(withOnline(declared, { defaultWorkflowPermissions: 'write' }), []);
    assert.deepEqual(withConfig(noPermissions, '  default-permissions: read\n'), []);
  });

  test('Actions may approve pull requests: said at each `pull-requests: write`', () => {
    const text = yaml`
      on: pull_request_target
      permissions: {}
      jobs:
        approve:
          runs-on: ubuntu-latest
          permissions:
            pull-requests: write
          steps:
            - run: gh pr review --approve
        read:
          runs-on: ubuntu-latest
          permissions:
            pull-requests: read
          steps:
            - run: echo
    `;
    const found = withConfig(text, '  can-approve-pull-requests: true\n');
    assert.deepEqual(
      found.map((finding) => rangeText(text, finding.range)),
      ['pull-requests'],
    );
    assert.match(found[0].message, /may approve pull requests/);
    assert.deepEqual(withConfig(text, '  can-approve-pull-requests: false\n'), []);
  });

  test('configuration problems: unknown keys with a suggestion, wrong types, bad patterns', () => {
    const config = parseConfig(
      'policy:\n  require-sha-pining: true\n  default-permissions: admin\n  allowed: [actions, "a b/c"]\n  repository: not-a-repo\n',
      '/r/.github/actions-warden.yml',
      'warden',
    );
    const messages = config.problems.map((problem) => problem.message);
    assert.ok(messages.some((message) => message.includes('did you mean `require-sha-pinning`')));
    assert.ok(messages.some((message) => message.includes('`policy.default-permissions` must be `read` or `write`')));
    assert.equal(messages.filter((message) => message.includes('is not an allowed-actions pattern')).length, 2);
    assert.ok(messages.some((message) => message.includes('`policy.repository` must be `owner/repo`')));
    const good = parseConfig('policy:\n  repository: acme/app\n', '/r/.github/actions-warden.yml', 'warden');
    assert.equal(good.policyRepository, 'acme/app');
  });
});
