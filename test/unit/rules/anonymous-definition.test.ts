import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { anonymousDefinition as rule } from '../../../server/src/rules/anonymous-definition';
import { run, texts } from '../../support/catalogue-rules';

describe('anonymous-definition', () => {
  test('unnamed workflow (low) and jobs (informational), pedantic', () => {
    const text = 'on: push\njobs:\n  a:\n    runs-on: x\n  b:\n    name: B\n    runs-on: x\n';
    const findings = run(rule, text);
    assert.deepEqual(texts(text, findings), ['on', 'a']);
    assert.deepEqual(
      findings.map((f) => f.severity),
      ['low', 'informational'],
    );
    assert.ok(findings.every((f) => f.persona === 'pedantic'));
    assert.deepEqual(run(rule, 'name: CI\non: push\njobs:\n  a:\n    name: A\n    runs-on: x\n'), []);
  });
});
