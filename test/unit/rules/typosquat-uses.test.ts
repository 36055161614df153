import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { typosquatTarget, typosquatUses as rule } from '../../../server/src/rules/typosquat-uses';
import { yaml } from '../../support/analysis';
import { run, texts } from '../../support/catalogue-rules';

describe('typosquat-uses', () => {
  test('one edit away under another owner', () => {
    assert.equal(typosquatTarget('actons/checkout'), 'actions/checkout');
    assert.equal(typosquatTarget('action/checkout'), 'actions/checkout');
    assert.equal(typosquatTarget('docker/login-actions'), null, 'same owner as docker/login-action');
    assert.equal(typosquatTarget('actions/checkout'), null);
    assert.equal(typosquatTarget('my-org/checkout'), null);
  });
  test('reports the owner/repo', () => {
    const text = yaml`
      on: push
      jobs:
        a:
          runs-on: x
          steps:
            - uses: actlons/checkout@v4
            - uses: actions/cache@v4
    `;
    const findings = run(rule, text);
    assert.deepEqual(texts(text, findings), ['actlons/checkout']);
    assert.equal(findings[0].confidence, 'low');
  });
});
