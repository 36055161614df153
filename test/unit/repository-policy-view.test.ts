/**
 * The editor's policy view of a document (features/repository-policy.ts) against the fake GitHub: the first
 * analysis asks and gets no view yet, the answer is used once it arrives, and when it expires the old answer
 * stays in use while it is read again, so repository-policy findings do not disappear for one analysis.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FeatureContext } from '../../server/src/features/feature';
import { RepositoryPolicies } from '../../server/src/features/repository-policy';
import { HttpClient } from '../../server/src/resolve/http';
import { FakeGitHub } from '../support/fake-github';

const TTL_MS = 200;
const URI = 'file:///nowhere/.github/workflows/ci.yml';

describe('the policy view in the editor', () => {
  let gh: FakeGitHub;
  before(async () => {
    gh = await new FakeGitHub().start();
    gh.policies.set('acme/app', { permissions: { enabled: true, allowed_actions: 'all', sha_pinning_required: true } });
  });
  after(async () => {
    await gh.stop();
  });

  test('an expired answer is kept while it is read again', async () => {
    const created = HttpClient.create({ serverUrl: gh.serverUrl, apiUrl: gh.apiUrl, token: 'view-token' });
    assert.ok(created.ok);
    const http = created.value;
    let reanalyses = 0;
    let answered: () => void = () => undefined;
    const context = {
      online: { isOffline: false, http, githubServerUrl: gh.serverUrl },
      workspaceConfigs: { configFor: () => ({ config: { policyRepository: 'acme/app' } }) },
      workspaceRoots: () => [],
      reanalyzeAll: () => {
        reanalyses++;
        answered();
      },
    } as unknown as FeatureContext;
    const policies = new RepositoryPolicies(context, () => undefined, TTL_MS);
    const nextAnswer = () => new Promise<void>((resolve) => (answered = resolve));

    let arrived = nextAnswer();
    const first = policies.viewFor(URI);
    assert.equal(first.available, false, 'nothing known before the first answer');
    await arrived;
    const fresh = policies.viewFor(URI);
    assert.ok(fresh.available && fresh.value.shaPinningRequired === true, JSON.stringify(fresh));
    const asked = gh.count('/actions/permissions');

    await new Promise((resolve) => setTimeout(resolve, TTL_MS + 50));
    arrived = nextAnswer();
    const expired = policies.viewFor(URI);
    assert.ok(expired.available && expired.value.shaPinningRequired === true, 'the expired answer is still used');
    await arrived;
    assert.ok(gh.count('/actions/permissions') > asked, 'and the settings were read again');
    assert.equal(reanalyses, 2);
    const renewed = policies.viewFor(URI);
    assert.ok(renewed.available && renewed.value.shaPinningRequired === true);
  });
});
