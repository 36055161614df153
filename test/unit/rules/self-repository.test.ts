import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { selfRepository as rule } from '../../../server/src/rules/self-repository';
import { yaml } from '../../support/analysis';
import { checkFix, run, texts } from '../../support/catalogue-rules';

describe('self-repository', () => {
  const text = yaml`
    on: push
    jobs:
      plain:
        runs-on: x
        steps:
          - uses: actions/checkout@v4
          - uses: ./.github/actions/setup
      pr:
        runs-on: x
        steps:
          - uses: actions/checkout@v4
            with:
              ref: \${{ github.event.pull_request.head.sha }}
          - uses: "./.github/actions/build"
      other:
        runs-on: x
        steps:
          - uses: actions/checkout@v4
            with:
              repository: org/tools
          - uses: ./tool
      nested:
        runs-on: x
        steps:
          - uses: ./../action/init
      reusable:
        uses: ./.github/workflows/r.yml
  `;
  test('./ actions from the workspace; other repositories, ../ and reusable workflows skipped', () => {
    const findings = run(rule, text);
    assert.deepEqual(texts(text, findings), ['./', './']);
    assert.equal(findings[0].fixes[0].safety, 'safe');
    assert.equal(findings[1].fixes[0].safety, 'unsafe');
    assert.match(findings[1].message, /ref checked out earlier in job `pr`/);
  });
  test('fix keeps quotes', () => {
    const findings = run(rule, text);
    checkFix(rule, text, findings[0], text.replace('uses: ./.github/actions/setup', 'uses: $/.github/actions/setup'));
    checkFix(rule, text, findings[1], text.replace('"./.github/actions/build"', '"$/.github/actions/build"'));
  });
});
