import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { superfluousActions as rule } from '../../../server/src/rules/superfluous-actions';
import { yaml } from '../../support/analysis';
import { run, texts } from '../../support/catalogue-rules';

describe('superfluous-actions', () => {
  test('informational, persona per action', () => {
    const text = yaml`
      on: push
      jobs:
        a:
          runs-on: x
          steps:
            - uses: andstor/file-existence-action@v3
            - uses: softprops/action-gh-release@v2
            - uses: actions/checkout@v4
    `;
    const all = run(rule, text);
    assert.deepEqual(texts(text, all), ['andstor/file-existence-action', 'softprops/action-gh-release']);
    assert.equal(all[0].severity, 'informational');
    assert.deepEqual(texts(text, run(rule, text, { persona: 'regular' })), ['andstor/file-existence-action']);
  });
});
