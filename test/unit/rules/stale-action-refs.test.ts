import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseWorkflow, rangeText } from '../../support/analysis';
import { sha } from '../../support/fake-github';
import { onlineAnalysis, workflowUsing } from '../../support/online';
import { assertFindings } from '../../support/expect-findings';

const { online } = onlineAnalysis();
const CO4 = sha('co-4');

describe('stale-action-refs', () => {
  test('stale-action-refs: a SHA that no tag points at (pedantic); a tagged SHA is fine', async () => {
    const text = workflowUsing(`actions/checkout@${sha('co-1')}`);
    const [stale] = (await online(parseWorkflow(text))).filter((f) => f.ruleId === 'stale-action-refs');
    assert.ok(stale);
    assert.equal(stale.persona, 'pedantic');
    assert.equal(rangeText(text, stale.range), sha('co-1'));
    assert.deepEqual(
      (await online(parseWorkflow(workflowUsing(`actions/checkout@${CO4} # v4.2.2`)))).filter((f) => f.ruleId === 'stale-action-refs'),
      [],
    );
  });
});

describe('stale-action-refs: minimal workflows', () => {
  test('an untagged commit of actions/checkout: the SHA', async () => {
    const found = await online(parseWorkflow(workflowUsing(`actions/checkout@${sha('co-1')}`)), { ruleId: 'stale-action-refs' });
    assertFindings(found, 'stale-action-refs', [
      ['6:31-6:71', new RegExp(`No tag of actions/checkout points at ${sha('co-1').slice(0, 12)}…: .*runs unreleased code`)],
    ]);
  });

  test('an untagged commit of another repository: the SHA', async () => {
    const found = await online(parseWorkflow(workflowUsing(`octo/tools@${sha('ot-1')}`)), { ruleId: 'stale-action-refs' });
    assertFindings(found, 'stale-action-refs', [['6:25-6:65', /No tag of octo\/tools points at/]]);
  });

  test('a commit a release tag points at is not stale', async () => {
    assertFindings(
      await online(parseWorkflow(workflowUsing(`actions/checkout@${CO4}`, ' # v4.2.2')), { ruleId: 'stale-action-refs' }),
      'stale-action-refs',
      [],
    );
  });

  test('a tag ref (not a SHA) is not audited by this rule', async () => {
    assertFindings(
      await online(parseWorkflow(workflowUsing('octo/tools@v1.0.0')), { ruleId: 'stale-action-refs' }),
      'stale-action-refs',
      [],
    );
  });
});
