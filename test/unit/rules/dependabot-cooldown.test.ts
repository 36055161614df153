import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dependabotCooldown as rule } from '../../../server/src/rules/dependabot-cooldown';
import { toCRLF, yaml } from '../../support/analysis';
import { checkFix, run, texts } from '../../support/catalogue-rules';
import { run as runWithConfig } from '../../support/attack-path-rules';

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

describe("dependabot-cooldown and Dependabot's own 3-day default", () => {
  const entry = (lines: string) =>
    `version: 2\nupdates:\n  - package-ecosystem: github-actions\n    directory: /\n    schedule:\n      interval: weekly\n${lines}`;

  test('no cooldown: the message names the 3-day default and the finding is low', () => {
    const [finding] = run(rule, entry(''), { path });
    assert.match(finding.message, /waits only Dependabot's default of 3 days\. Add `cooldown: \{ default-days: 7 \}`/);
    assert.equal(finding.severity, 'low');
  });

  test('default-days below the default (0 opts out) is medium; between the default and the minimum is low', () => {
    const [zero] = run(rule, entry('    cooldown:\n      default-days: 0\n'), { path });
    assert.match(zero.message, /less than Dependabot's own default of 3/);
    assert.equal(zero.severity, 'medium');
    const [four] = run(rule, entry('    cooldown:\n      default-days: 4\n'), { path });
    assert.doesNotMatch(four.message, /own default/);
    assert.equal(four.severity, 'low');
  });

  test('github-actions takes only default-days: semver keys alone leave every update on the default', () => {
    const [finding] = run(rule, entry('    cooldown:\n      semver-major-days: 30\n'), { path });
    assert.match(finding.message, /all of them for `github-actions`, which takes only `default-days`/);
  });

  test('a configured minimum at or below the default accepts a missing cooldown, not a lower explicit one', () => {
    const config = { days: 3 };
    assert.deepEqual(runWithConfig('dependabot-cooldown', entry(''), path, config), []);
    assert.equal(runWithConfig('dependabot-cooldown', entry('    cooldown:\n      default-days: 1\n'), path, config).length, 1);
    assert.equal(runWithConfig('dependabot-cooldown', entry(''), path, { days: 4 }).length, 1);
  });
});
