import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dependabotExecution as rule } from '../../../server/src/rules/dependabot-execution';
import { yaml } from '../../support/analysis';
import { checkFix, run, texts } from '../../support/catalogue-rules';

const path = '.github/dependabot.yml';

describe('dependabot-execution', () => {
  test('allow is reported and fixed to deny; deny is silent', () => {
    const text = yaml`
      version: 2
      updates:
        - package-ecosystem: pip
          directory: /
          insecure-external-code-execution: allow
        - package-ecosystem: bundler
          directory: /
          insecure-external-code-execution: deny
    `;
    const findings = run(rule, text, { path });
    assert.deepEqual(texts(text, findings), ['allow']);
    assert.match(findings[0].message, /`pip`/);
    checkFix(rule, text, findings[0], text.replace(': allow', ': deny'), path);
  });
});
