import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { concurrencyLimits as rule } from '../../../server/src/rules/concurrency-limits';
import { yaml } from '../../support/analysis';
import { run, texts } from '../../support/catalogue-rules';

const job = '\njobs:\n  a:\n    runs-on: x\n    steps: [{run: echo}]\n';

describe('concurrency-limits', () => {
  test('push workflow without concurrency: pedantic', () => {
    const text = 'on: push' + job;
    const findings = run(rule, text);
    assert.deepEqual(texts(text, findings), ['on']);
    assert.equal(findings[0].persona, 'pedantic');
    assert.deepEqual(run(rule, text, { persona: 'regular' }), []);
  });
  test('group without cancel-in-progress', () => {
    const text = 'on: pull_request\nconcurrency: ci' + job;
    assert.deepEqual(texts(text, run(rule, text)), ['concurrency']);
  });
  test('the message names the events of this workflow that start a newer run, never a push it does not have', () => {
    const message = (on: string) => run(rule, `on: ${on}${job}`)[0]?.message ?? '';
    const prTarget = message('[pull_request_target, issues]');
    assert.match(prTarget, /every push to a pull request starts another full run/);
    assert.doesNotMatch(prTarget, /every push starts/);
    assert.match(message('push'), /: every push starts another full run/);
    assert.match(message('merge_group'), /every merge-queue update starts/);
    assert.match(message('[push, pull_request]'), /every push to a branch or to a pull request starts/);
    assert.match(message('[pull_request, merge_group]'), /every push to a pull request or merge-queue update starts/);
  });
  test('silent: cancel-in-progress (even false or an expression), every job limited, schedule-only', () => {
    for (const text of [
      yaml`
        on: push
        concurrency:
          group: x
          cancel-in-progress: \${{ github.ref != 'refs/heads/main' }}
      ` + job,
      'on: push\nconcurrency:\n  group: x\n  cancel-in-progress: false' + job,
      'on: push\njobs:\n  a:\n    concurrency: {group: x, cancel-in-progress: true}\n    runs-on: x\n',
      'on:\n  schedule:\n    - cron: "0 0 * * *"' + job,
      'on: workflow_call' + job,
    ]) {
      assert.deepEqual(run(rule, text), [], text);
    }
  });
});
