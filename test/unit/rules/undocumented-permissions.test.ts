import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyFix, findingsOf, rangeText } from '../../support/analysis';
import { expectFindings } from '../../support/expect-findings';

const RULE = { ruleId: 'undocumented-permissions' } as const;

describe('undocumented-permissions', () => {
  const text = `on: pull_request
permissions: {}
jobs:
  a:
    runs-on: x
    permissions:
      contents: read
      pull-requests: write
      # labels the PR
      issues: write
      checks: write  # test reporter
      statuses: none
    steps:
      - run: gh pr comment 1 --body x
        env: { GH_TOKEN: "\${{ github.token }}" }
`;
  test('flags job-level scopes without a comment, not contents: read, none, or commented ones', () => {
    const findings = findingsOf(text, RULE);
    assert.deepEqual(
      findings.map((f) => rangeText(text, f.range)),
      ['pull-requests'],
    );
    assert.equal(findingsOf(text, { ...RULE, persona: 'regular' }).length, 0, 'pedantic');
    assert.match(findings[0].message, /`gh pr comment`/);
  });

  test('the fix adds the inferred reason as a comment and the finding goes away', () => {
    const [finding] = findingsOf(text, RULE);
    const after = applyFix(text, finding.fixes[0]);
    assert.ok(after.includes('      pull-requests: write  # gh pr comment\n'));
    assert.deepEqual(findingsOf(after, RULE), []);
    assert.equal(finding.fixes[0].safety, 'safe');
  });

  test('workflow-level blocks and flow maps without a known reason get no fix, never throw', () => {
    assert.deepEqual(findingsOf('on: push\npermissions:\n  issues: write\njobs:\n  a:\n    steps: [{run: x}]\n', RULE), []);
    const flow = 'on: push\njobs:\n  a:\n    permissions: {issues: write}\n    steps: [{run: x}]\n';
    const [finding] = findingsOf(flow, RULE);
    assert.equal(rangeText(flow, finding.range), 'issues');
    assert.deepEqual(finding.fixes, []);
    assert.doesNotThrow(() => findingsOf('jobs:\n  a:\n    permissions: [1]\n', RULE));
  });
});

describe('undocumented-permissions: minimal workflows', () => {
  test('a job-level write scope without a comment: the scope key', () => {
    const text =
      'on: push\npermissions: {}\njobs:\n  triage:\n    runs-on: ubuntu-latest\n    permissions:\n      issues: write\n    steps:\n      - run: gh issue edit 1 --add-label x\n';
    expectFindings(text, 'undocumented-permissions', [['6:6-6:12', /`issues: write` in job `triage` has no comment saying why/]]);
  });

  test('each uncommented write scope is its own finding', () => {
    const text =
      'on: push\npermissions: {}\njobs:\n  triage:\n    runs-on: ubuntu-latest\n    permissions:\n      issues: write\n      pull-requests: write\n    steps:\n      - run: gh issue edit 1 --add-label x\n';
    expectFindings(text, 'undocumented-permissions', [
      ['6:6-6:12', /`issues: write`/],
      ['7:6-7:19', /`pull-requests: write` in job `triage`/],
    ]);
  });

  test('a write scope with a comment is not flagged', () => {
    expectFindings(
      'on: push\npermissions: {}\njobs:\n  triage:\n    runs-on: ubuntu-latest\n    permissions:\n      issues: write  # gh issue edit\n    steps:\n      - run: gh issue edit 1 --add-label x\n',
      'undocumented-permissions',
      [],
    );
  });

  test('`contents: read` needs no comment', () => {
    expectFindings(
      'on: push\npermissions: {}\njobs:\n  triage:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: read\n    steps:\n      - run: gh issue edit 1 --add-label x\n',
      'undocumented-permissions',
      [],
    );
  });
});
