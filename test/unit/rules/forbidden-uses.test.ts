import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, DEFAULT_ANALYSIS_OPTIONS } from '../../../server/src/engine';
import { forbiddenUses as rule, matchesUsesPattern } from '../../../server/src/rules/forbidden-uses';
import { parseUses, type RemoteUses } from '../../../server/src/parse/uses';
import { parseWorkflow, rangeText, yaml } from '../../support/analysis';

const remote = (text: string) => parseUses(text) as RemoteUses;
const text = yaml`
  on: push
  jobs:
    a:
      runs-on: x
      steps:
        - uses: actions/checkout@v4
        - uses: evil/thing@v1
        - uses: Actions/cache/restore@v4
`;
function findings(config: Record<string, unknown>) {
  return analyze(parseWorkflow(text), { ...DEFAULT_ANALYSIS_OPTIONS, rules: [rule], ruleConfig: { 'forbidden-uses': config } });
}

describe('forbidden-uses', () => {
  test('patterns', () => {
    assert.ok(matchesUsesPattern('*', remote('a/b@v1')));
    assert.ok(matchesUsesPattern('actions/*', remote('Actions/cache@v1')));
    assert.ok(matchesUsesPattern('actions/cache', remote('actions/cache/restore@v1')));
    assert.ok(matchesUsesPattern('actions/cache/restore', remote('actions/cache/restore@v1')));
    assert.ok(!matchesUsesPattern('actions/cache/save', remote('actions/cache/restore@v1')));
    assert.ok(matchesUsesPattern('a/b@v1', remote('a/b@v1')));
    assert.ok(!matchesUsesPattern('a/b@v2', remote('a/b@v1')));
  });
  test('allow list', () => {
    const found = findings({ allow: ['actions/*'] });
    assert.deepEqual(
      found.map((f) => rangeText(text, f.range)),
      ['evil/thing@v1'],
    );
  });
  test('deny list', () => {
    const found = findings({ deny: ['actions/cache'] });
    assert.deepEqual(
      found.map((f) => rangeText(text, f.range)),
      ['Actions/cache/restore@v4'],
    );
    assert.match(found[0].message, /deny pattern `actions\/cache`/);
  });
  test('no configuration: silent; wrong types ignored', () => {
    assert.deepEqual(findings({}), []);
    assert.deepEqual(findings({ allow: 'actions/*' }), []);
  });
});
