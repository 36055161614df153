/**
 * The repository's Actions settings as the configured host answers them: wrong types, unknown values,
 * huge pattern lists and bodies that are not JSON give a policy with those fields unknown (or an error),
 * never a crash, and never a pattern that is not a string. Against the fake GitHub on loopback.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { HttpClient } from '../../server/src/resolve/http';
import { fetchRepositoryPolicy, rejection } from '../../server/src/resolve/repo-policy';
import { FakeGitHub } from '../support/fake-github';

describe('repository policy answers', () => {
  let gh: FakeGitHub;
  let http: HttpClient;
  before(async () => {
    gh = await new FakeGitHub().start();
    const created = HttpClient.create({ serverUrl: gh.serverUrl, apiUrl: gh.apiUrl, token: 'policy-token', timeoutMs: 2000 });
    assert.ok(created.ok);
    http = created.value;
  });
  after(() => gh.stop());

  test('wrong types and unknown values leave the fields unknown', async () => {
    gh.policies.set('o/types', {
      permissions: { enabled: 'yes', allowed_actions: 'everything', sha_pinning_required: 1 },
      workflow: { default_workflow_permissions: 'admin', can_approve_pull_request_reviews: 'no' },
    });
    const answer = await fetchRepositoryPolicy(http, 'o', 'types');
    assert.ok('policy' in answer);
    const { policy } = answer;
    assert.equal(policy.enabled, undefined);
    assert.equal(policy.allowedActions, undefined);
    assert.equal(policy.shaPinningRequired, undefined);
    assert.equal(policy.defaultWorkflowPermissions, undefined);
    assert.equal(policy.canApprovePullRequestReviews, undefined);
  });

  test('a selected list of mixed values and thousands of entries keeps at most 1000 strings', async () => {
    const patterns: unknown[] = [1, null, { a: 1 }, ['x'], 'good/*', ...Array.from({ length: 5000 }, (_, i) => `o${i}/*`)];
    gh.policies.set('o/many', {
      permissions: { enabled: true, allowed_actions: 'selected' },
      selected: { github_owned_allowed: 'true', patterns_allowed: patterns },
    });
    const answer = await fetchRepositoryPolicy(http, 'o', 'many');
    assert.ok('policy' in answer);
    assert.equal(answer.policy.patterns.length, 1000);
    assert.ok(answer.policy.patterns.every((pattern) => typeof pattern === 'string'));
    assert.equal(answer.policy.githubOwnedAllowed, undefined);
    assert.equal(rejection(answer.policy, { owner: 'good', repo: 'x', subpath: null, ref: 'v1' }), null);
    assert.match(
      rejection(answer.policy, { owner: 'bad', repo: 'x', subpath: null, ref: 'v1' }) ?? '',
      /not in the repository's allowed actions/,
    );
  });

  test('answers that are not objects, or not JSON', async () => {
    gh.policies.set('o/array', {
      permissions: [1, 2] as unknown as Record<string, unknown>,
      selected: 'x' as unknown as Record<string, unknown>,
    });
    const array = await fetchRepositoryPolicy(http, 'o', 'array');
    assert.ok('policy' in array);
    assert.equal(array.policy.allowedActions, undefined);
    gh.hostBehaviour = 'malformed';
    try {
      const broken = await fetchRepositoryPolicy(http, 'o', 'array');
      assert.ok('unavailable' in broken, JSON.stringify(broken));
    } finally {
      gh.hostBehaviour = null;
    }
  });
});
