import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseWorkflow } from '../../support/analysis';
import { onlineAnalysis, workflowUsing } from '../../support/online';
import { assertFindings } from '../../support/expect-findings';

const { online } = onlineAnalysis();

describe('ref-confusion', () => {
  test('ref-confusion: not reported for a plain tag', async () => {
    assert.deepEqual(
      (await online(parseWorkflow(workflowUsing('actions/checkout@v4')))).filter((f) => f.ruleId === 'ref-confusion'),
      [],
    );
  });
});

describe('ref-confusion: minimal workflows', () => {
  test('`v1` is both a tag and a branch on different commits: the ref', async () => {
    const found = await online(parseWorkflow(workflowUsing('octo/tools@v1')), { ruleId: 'ref-confusion' });
    assertFindings(found, 'ref-confusion', [
      ['6:25-6:27', /`v1` is both a tag and a branch of octo\/tools \(tag [0-9a-f]{12}…, branch [0-9a-f]{12}…\)/],
    ]);
  });

  test('a subpath action of that repository: the ref after `@`', async () => {
    const found = await online(parseWorkflow(workflowUsing('octo/tools/lint@v1')), { ruleId: 'ref-confusion' });
    assertFindings(found, 'ref-confusion', [['6:30-6:32', /`v1` is both a tag and a branch of octo\/tools/]]);
  });

  test('a ref that is only a tag is not flagged', async () => {
    assertFindings(await online(parseWorkflow(workflowUsing('octo/tools@v1.0.0')), { ruleId: 'ref-confusion' }), 'ref-confusion', []);
  });

  test('a ref that is only a branch is not flagged', async () => {
    assertFindings(await online(parseWorkflow(workflowUsing('actions/checkout@main')), { ruleId: 'ref-confusion' }), 'ref-confusion', []);
  });
});
