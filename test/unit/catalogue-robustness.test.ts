import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RULES } from '../../server/src/rules';
import { analyzeText } from '../support/analysis';
import { MALFORMED } from '../support/catalogue-rules';

describe('catalogue rules on malformed input', () => {
  for (const path of ['.github/workflows/x.yml', 'action.yml', '.github/dependabot.yml']) {
    test(`never throw (${path})`, () => {
      for (const text of MALFORMED) {
        const { findings } = analyzeText(text, { path, rules: RULES });
        assert.deepEqual(
          findings.filter((f) => f.ruleId === 'internal-error'),
          [],
          text,
        );
      }
    });
  }
  test('every rule declares persona, severity, confidence and docs', () => {
    for (const rule of RULES) {
      assert.ok(['regular', 'pedantic', 'auditor'].includes(rule.persona), rule.id);
      assert.ok(rule.docs.summary && rule.docs.why && rule.docs.fix, rule.id);
    }
  });
});
