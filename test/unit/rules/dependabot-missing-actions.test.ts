import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dependabotMissingActions as rule } from '../../../server/src/rules/dependabot-missing-actions';
import { yaml } from '../../support/analysis';
import { checkFix, run, texts } from '../../support/catalogue-rules';

const path = '.github/dependabot.yml';

describe('dependabot-missing-actions', () => {
  test('no github-actions ecosystem: pedantic finding with an appended entry', () => {
    const text = yaml`
      version: 2
      updates:
        - package-ecosystem: npm
          directory: /
          schedule:
            interval: weekly
    `;
    const findings = run(rule, text, { path });
    assert.deepEqual(texts(text, findings), ['updates']);
    assert.equal(findings[0].persona, 'pedantic');
    assert.deepEqual(run(rule, text, { path, persona: 'regular' }), []);
    const expected =
      text +
      '  - package-ecosystem: github-actions\n    directory: /\n    schedule:\n      interval: weekly\n    cooldown:\n      default-days: 7\n';
    checkFix(rule, text, findings[0], expected, path);
  });
  test('present: silent', () => {
    const text = 'version: 2\nupdates:\n  - package-ecosystem: "github-actions"\n    directory: /\n';
    assert.deepEqual(run(rule, text, { path }), []);
  });
});
