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
