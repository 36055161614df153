import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseWorkflow, rangeText } from '../../support/analysis';
import { sha } from '../../support/fake-github';
import { onlineAnalysis, workflowUsing } from '../../support/online';
import { assertFindings } from '../../support/expect-findings';

const { gh, online } = onlineAnalysis();
const CO4 = sha('co-4');

describe('impostor-commit', () => {
  test('impostor-commit: a fork-only commit is reported; upstream history is not', async () => {
    const text = workflowUsing(`actions/checkout@${sha('co-evil')} # v4.2.1`);
    const findings = await online(parseWorkflow(text));
    const impostor = findings.find((f) => f.ruleId === 'impostor-commit');
    assert.ok(impostor);
    assert.equal(rangeText(text, impostor.range), sha('co-evil'));
    assert.match(impostor.message, /not on any branch or tag of actions\/checkout/);
    const upstream = await online(parseWorkflow(workflowUsing(`actions/checkout@${sha('co-1')}`)));
    assert.deepEqual(
      upstream.filter((f) => f.ruleId === 'impostor-commit'),
      [],
    );
  });

  test('impostor-commit reports only what is proven (failed comparisons → nothing)', async () => {
    gh().setBehaviour('actions/checkout', 'ok', 'error-500');
    const findings = await online(parseWorkflow(workflowUsing(`actions/checkout@${sha('co-evil')}`)));
    assert.deepEqual(
      findings.filter((f) => f.ruleId === 'impostor-commit'),
      [],
    );
    gh().setBehaviour('actions/checkout', 'ok');
  });
});

describe('impostor-commit: minimal workflows', () => {
  test('a commit only in a fork: the SHA', async () => {
    const found = await online(parseWorkflow(workflowUsing(`actions/checkout@${sha('co-evil')}`)), { ruleId: 'impostor-commit' });
    assertFindings(found, 'impostor-commit', [['6:31-6:71', /is not on any branch or tag of actions\/checkout .*it comes from a fork/]]);
  });

  test('a fork commit with a version comment is still reported on the SHA', async () => {
    const found = await online(parseWorkflow(workflowUsing(`actions/checkout@${sha('co-evil')}`, ' # v4.2.1')), {
      ruleId: 'impostor-commit',
    });
    assertFindings(found, 'impostor-commit', [['6:31-6:71', /runs the fork's code/]]);
  });

  test('an untagged commit of the upstream history is not an impostor', async () => {
    assertFindings(
      await online(parseWorkflow(workflowUsing(`actions/checkout@${sha('co-1')}`)), { ruleId: 'impostor-commit' }),
      'impostor-commit',
      [],
    );
  });

  test('a tagged upstream commit is not an impostor', async () => {
    assertFindings(
      await online(parseWorkflow(workflowUsing(`actions/checkout@${CO4}`, ' # v4.2.2')), { ruleId: 'impostor-commit' }),
      'impostor-commit',
      [],
    );
  });
});
