import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { applyFix, findingsOf, parseAs } from '../../support/analysis';
import { expectFindings } from '../../support/expect-findings';

describe('insecure-commands', () => {
  it('insecure-commands: flags truthy values at any level, fix removes the entry', () => {
    const text = `on: push\nenv:\n  ACTIONS_ALLOW_UNSECURE_COMMANDS: true\n  KEEP: 1\njobs:\n  a:\n    runs-on: ubuntu-latest\n    env:\n      ACTIONS_ALLOW_UNSECURE_COMMANDS: 'false'\n    steps:\n      - run: echo\n`;
    const found = findingsOf(text, { ruleId: 'insecure-commands' });
    assert.equal(found.length, 1);
    const fixed = applyFix(text, found[0].fixes[0]);
    assert.equal(fixed, text.replace('  ACTIONS_ALLOW_UNSECURE_COMMANDS: true\n', ''));
    assert.equal(findingsOf(fixed, { ruleId: 'insecure-commands' }).length, 0);
    assert.equal(parseAs(fixed).problems.length, 0);
  });
});

describe('insecure-commands: minimal workflows', () => {
  test('workflow-level `true`: the key', () => {
    const text =
      'on: push\npermissions: {}\nenv:\n  ACTIONS_ALLOW_UNSECURE_COMMANDS: true\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n';
    expectFindings(text, 'insecure-commands', [
      ['3:2-3:33', /`ACTIONS_ALLOW_UNSECURE_COMMANDS: true` lets any text printed by a step set environment variables/],
    ]);
  });

  test("step-level `'true'` (a string): the key", () => {
    const text =
      "on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n        env:\n          ACTIONS_ALLOW_UNSECURE_COMMANDS: 'true'\n";
    expectFindings(text, 'insecure-commands', [['8:10-8:41', /`ACTIONS_ALLOW_UNSECURE_COMMANDS: true`/]]);
  });

  test("`'false'` is not flagged", () => {
    expectFindings(
      "on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n        env:\n          ACTIONS_ALLOW_UNSECURE_COMMANDS: 'false'\n",
      'insecure-commands',
      [],
    );
  });

  test('another ACTIONS_ variable is not flagged', () => {
    expectFindings(
      'on: push\npermissions: {}\nenv:\n  ACTIONS_STEP_DEBUG: true\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n',
      'insecure-commands',
      [],
    );
  });
});
