import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, parseWorkflow, rangeText } from '../../support/analysis';
import { expectFindings } from '../../support/expect-findings';

/** Findings of one rule, as `[text covered, line]` pairs. */
function flagged(text: string, ruleId: string, options: Parameters<typeof findingsOf>[1] = {}): [string, number][] {
  return findingsOf(text, { ...options, ruleId }).map((f) => [rangeText(text, f.range), f.range.start.line]);
}

describe('dangerous-triggers', () => {
  const jobs = 'permissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n';

  test('string spelling', () => {
    const text = `on: pull_request_target\n${jobs}`;
    const findings = findingsOf(text, { ruleId: 'dangerous-triggers' });
    assert.equal(findings.length, 1);
    assert.equal(rangeText(text, findings[0].range), 'pull_request_target');
    assert.deepEqual(findings[0].range.start, { line: 0, character: 4 });
    assert.equal(findings[0].severity, 'high');
    assert.equal(findings[0].confidence, 'medium');
    assert.equal(findings[0].persona, 'regular');
    assert.match(findings[0].message, /its job inherits/);
  });

  test('flow list and block list spellings', () => {
    const flow = `on: [push, pull_request_target]\n${jobs}`;
    assert.deepEqual(flagged(flow, 'dangerous-triggers'), [['pull_request_target', 0]]);
    const block = `on:\n  - push\n  - pull_request_target\n  - workflow_run\n${jobs}`;
    assert.deepEqual(flagged(block, 'dangerous-triggers'), [
      ['pull_request_target', 2],
      ['workflow_run', 3],
    ]);
  });

  test('block map and flow map spellings', () => {
    const map = `on:\n  pull_request_target:\n    types: [opened, synchronize]\n  workflow_run:\n    workflows: [CI]\n${jobs}`;
    assert.deepEqual(flagged(map, 'dangerous-triggers'), [
      ['pull_request_target', 1],
      ['workflow_run', 3],
    ]);
    const flowMap = `on: {pull_request_target: {}}\n${jobs}`;
    assert.deepEqual(flagged(flowMap, 'dangerous-triggers'), [['pull_request_target', 0]]);
  });

  test('a quoted trigger flags the token with its quotes', () => {
    const text = `on: "pull_request_target"\n${jobs}`;
    assert.deepEqual(flagged(text, 'dangerous-triggers'), [['"pull_request_target"', 0]]);
  });

  test('emoji and CJK earlier on the line', () => {
    const text = `on: ["🚀", 部署, pull_request_target]\n${jobs}`;
    const [finding] = findingsOf(text, { ruleId: 'dangerous-triggers' });
    assert.equal(rangeText(text, finding.range), 'pull_request_target');
    assert.equal(finding.range.start.character, text.indexOf('pull_request_target'));
  });

  test('the message counts the jobs and names the trigger', () => {
    const text = `on: workflow_run\njobs:\n  a: {runs-on: x, steps: [{run: a}]}\n  b: {runs-on: x, steps: [{run: b}]}\n`;
    const [finding] = findingsOf(text, { ruleId: 'dangerous-triggers' });
    assert.match(finding.message, /^`workflow_run`/);
    assert.match(finding.message, /its 2 jobs inherit/);
  });

  test('safe triggers and the name appearing as a value are not flagged', () => {
    for (const on of [
      'push',
      '[pull_request, push]',
      '{pull_request: {types: [opened]}}',
      '{push: {branches: [pull_request_target]}}',
      'workflow_dispatch',
    ]) {
      assert.deepEqual(flagged(`on: ${on}\n${jobs}`, 'dangerous-triggers'), [], on);
    }
  });

  test('only workflows are audited', () => {
    const text = `on: pull_request_target\nruns:\n  using: composite\n  steps: []\n`;
    assert.deepEqual(flagged(text, 'dangerous-triggers', { path: 'action.yml' }), []);
  });
});

describe('dangerous-triggers: minimal workflows', () => {
  test('pull_request_target is flagged on the trigger name', () => {
    const text = 'on: pull_request_target\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n';
    expectFindings(text, 'dangerous-triggers', [['0:4-0:23', /`pull_request_target` runs with the base repository's secrets/]]);
  });

  test('workflow_run in a flow list is flagged on its own item', () => {
    const text = 'on: [push, workflow_run]\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n';
    expectFindings(text, 'dangerous-triggers', [['0:11-0:23', /`workflow_run` runs with .*a run started from a fork pull request/]]);
  });

  test('pull_request (no secrets, read-only token for forks) is not flagged', () => {
    expectFindings(
      'on: pull_request\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n',
      'dangerous-triggers',
      [],
    );
  });

  test('push and issues are not flagged', () => {
    expectFindings(
      'on: [push, issues]\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n',
      'dangerous-triggers',
      [],
    );
  });
});

describe('dangerous-triggers: actions documented as safe under pull_request_target', () => {
  const labeler = (steps: string, on = 'pull_request_target') =>
    `on: ${on}\npermissions:\n  contents: read\n  pull-requests: write\njobs:\n  label:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;
  const LABELER = '      - uses: actions/labeler@8558fd74291d67161a8a78ce36a881fa63b766a9 # v5\n';

  test('a workflow that only runs actions/labeler is silent at the regular persona', () => {
    expectFindings(labeler(LABELER), 'dangerous-triggers', [], { persona: 'regular' });
  });

  test('the auditor still hears about it, at informational severity, naming the action', () => {
    const findings = findingsOf(labeler(LABELER), { ruleId: 'dangerous-triggers', persona: 'auditor' });
    assert.equal(findings.length, 1);
    assert.equal(findings[0].persona, 'auditor');
    assert.equal(findings[0].severity, 'informational');
    assert.match(findings[0].message, /only runs `actions\/labeler`, documented as safe/);
  });

  test('several jobs of safe actions (any case) stay silent at the regular persona', () => {
    const text = `${labeler(LABELER)}  title:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: Amannn/Action-Semantic-Pull-Request@v5\n`;
    expectFindings(text, 'dangerous-triggers', [], { persona: 'regular' });
  });

  test('a checkout, a script or an unknown action next to the labeler keeps the finding', () => {
    for (const extra of [
      '      - uses: actions/checkout@v4\n',
      '      - run: echo ${{ github.event.pull_request.title }}\n',
      '      - uses: someone/comment-action@v1\n',
    ]) {
      const findings = findingsOf(labeler(LABELER + extra), { ruleId: 'dangerous-triggers', persona: 'regular' });
      assert.equal(findings.length, 1, extra);
      assert.equal(findings[0].severity, 'high');
      assert.match(findings[0].message, /its job inherits that privilege/);
    }
  });

  test('a job calling a reusable workflow is not known to be safe', () => {
    const text = `on: pull_request_target\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n${LABELER}  b:\n    uses: ./.github/workflows/label.yml\n`;
    assert.equal(findingsOf(text, { ruleId: 'dangerous-triggers', persona: 'regular' }).length, 1);
  });

  test('workflow_run running only the labeler is still flagged (artifacts of the triggering run are untrusted)', () => {
    assert.equal(findingsOf(labeler(LABELER, 'workflow_run'), { ruleId: 'dangerous-triggers', persona: 'regular' }).length, 1);
  });
});

describe('dangerous-triggers: the trigger hover', () => {
  test('pull_request_target says the workflow comes from the default branch and that PR code is still untrusted', async () => {
    const { triggerHover } = await import('../../../server/src/features/hovers/triggers');
    const text = 'on: pull_request_target\njobs: {}\n';
    const [section] = triggerHover({ file: parseWorkflow(text), findings: [] } as never, 6);
    assert.match(section.markdown, /Since 2025-12-08/);
    assert.match(section.markdown, /default branch/);
    assert.match(section.markdown, /still the contributor's/);
  });

  test('pull_request has no such note', async () => {
    const { triggerHover } = await import('../../../server/src/features/hovers/triggers');
    const [section] = triggerHover({ file: parseWorkflow('on: pull_request\njobs: {}\n'), findings: [] } as never, 6);
    assert.doesNotMatch(section.markdown, /2025-12-08/);
  });
});
