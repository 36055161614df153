import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { archivedUses as rule } from '../../../server/src/rules/archived-uses';
import { yaml } from '../../support/analysis';
import { run, texts } from '../../support/catalogue-rules';

describe('archived-uses', () => {
  test('archived repositories and organisations, case-insensitively', () => {
    const text = yaml`
      on: push
      jobs:
        a:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/create-release@v1
            - uses: Actions-RS/toolchain@v1
            - uses: actions/checkout@v4
            - uses: ruby/setup-ruby@v1
    `;
    const findings = run(rule, text);
    assert.deepEqual(texts(text, findings), ['actions/create-release', 'Actions-RS/toolchain']);
    assert.match(findings[0].message, /gh release create/);
    assert.equal(findings[0].severity, 'medium');
  });
});
