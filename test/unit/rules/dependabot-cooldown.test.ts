import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dependabotCooldown as rule } from '../../../server/src/rules/dependabot-cooldown';
import { toCRLF, yaml } from '../../support/analysis';
import { checkFix, run, texts } from '../../support/catalogue-rules';

const path = '.github/dependabot.yml';

describe('dependabot-cooldown', () => {
  const text = yaml`
    version: 2
    updates:
      - package-ecosystem: github-actions
        directory: /
        schedule:
          interval: weekly
        cooldown:
          default-days: 7
      - package-ecosystem: npm # js
        directory: /
        schedule:
          interval: daily
      - package-ecosystem: pip
        directory: /
        cooldown:
          default-days: 3
      - package-ecosystem: cargo
        directory: /
        cooldown:
          semver-major-days: 14
  `;

  test('every entry is judged, not only up to the first compliant one', () => {
    const findings = run(rule, text, { path });
    assert.deepEqual(texts(text, findings), ['npm', '3', 'cooldown']);
    assert.match(findings[0].message, /`npm` updates have no cooldown/);
  });

  test('fixes: insert, raise, add default-days', () => {
    const findings = run(rule, text, { path });
    checkFix(
      rule,
      text,
      findings[0],
      text.replace('      interval: daily\n', '      interval: daily\n    cooldown:\n      default-days: 7\n'),
      path,
    );
    checkFix(rule, text, findings[1], text.replace('default-days: 3', 'default-days: 7'), path);
    checkFix(rule, text, findings[2], text.replace('    semver-major-days: 14', '    default-days: 7\n      semver-major-days: 14'), path);
  });

  test('CRLF and a last entry without a final newline', () => {
    const crlf = toCRLF('version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /');
    const [finding] = run(rule, crlf, { path });
    checkFix(rule, crlf, finding, crlf + '\r\n    cooldown:\r\n      default-days: 7', path);
  });

  test('configurable minimum', () => {
    assert.equal(run(rule, text, { path }).length, 3);
  });
});
