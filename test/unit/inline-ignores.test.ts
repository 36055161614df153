import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ignoreComments } from '../../server/src/suppressions/inline-ignores';
import { dangerousTriggers } from '../../server/src/rules/dangerous-triggers';
import { excessivePermissions } from '../../server/src/rules/excessive-permissions';
import { unpinnedUses } from '../../server/src/rules/unpinned-uses';
import type { Rule } from '../../server/src/rules/types';
import { findingsOf, lineOf, parseAs, rangeText, yaml } from '../support/analysis';

/** The rules under test: assertions about the whole set of findings run only these, so new rules don't break them. */
const CORE: readonly Rule[] = [dangerousTriggers, excessivePermissions, unpinnedUses];

/** Findings of one rule, as `[text covered, line]` pairs. */
function flagged(text: string, ruleId: string, options: Parameters<typeof findingsOf>[1] = {}): [string, number][] {
  return findingsOf(text, { ...options, ruleId }).map((f) => [rangeText(text, f.range), f.range.start.line]);
}

describe('inline ignores', () => {
  const base = (comment: string) =>
    `on: push\npermissions: {}\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4 ${comment}\n      - uses: actions/cache@v3\n`;

  test('`# warden: ignore[unpinned-uses]` on the line suppresses that finding only', () => {
    const text = base('# warden: ignore[unpinned-uses]');
    assert.deepEqual(flagged(text, 'unpinned-uses'), [['v3', 7]]);
  });

  test('`# zizmor: ignore[unpinned-uses]` is honoured too, with a reason after it', () => {
    const text = base('# zizmor: ignore[unpinned-uses] reviewed in #123');
    assert.deepEqual(flagged(text, 'unpinned-uses'), [['v3', 7]]);
  });

  test('several rules in one comment; other rules are not suppressed', () => {
    assert.deepEqual(flagged(base('# warden: ignore[dangerous-triggers, unpinned-uses]'), 'unpinned-uses'), [['v3', 7]]);
    assert.deepEqual(flagged(base('# warden: ignore[template-injection]'), 'unpinned-uses'), [
      ['v4', 6],
      ['v3', 7],
    ]);
  });

  test('a comment on the line above does not suppress', () => {
    const text = `on: push\npermissions: {}\njobs:\n  a:\n    steps:\n      # warden: ignore[unpinned-uses]\n      - uses: actions/checkout@v4\n`;
    assert.deepEqual(flagged(text, 'unpinned-uses'), [['v4', 6]]);
  });

  test('suppresses dangerous-triggers and excessive-permissions on their lines', () => {
    const text =
      'on: pull_request_target # zizmor: ignore[dangerous-triggers]\njobs: # warden: ignore[excessive-permissions]\n  a:\n    steps: [{run: x}]\n';
    assert.deepEqual(findingsOf(text, { rules: CORE }), []);
  });

  test('inside a `run: |` block scalar the marker is shell text and does not suppress', () => {
    const text = yaml`
      on: push
      permissions: {}
      jobs:
        a:
          steps:
            - uses: actions/checkout@v4
              run: |
                echo "# warden: ignore[unpinned-uses]"
                # zizmor: ignore[unpinned-uses]
    `;
    const file = parseAs(text);
    assert.deepEqual(ignoreComments(file), []);
    assert.deepEqual(flagged(text, 'unpinned-uses'), [['v4', 5]]);
  });

  test('a marker in a block scalar on a line the finding covers does not suppress', () => {
    // The folded value makes the finding span its lines; the text after `@v4` is part of the scalar.
    const text =
      'on: push\npermissions: {}\njobs:\n  a:\n    steps:\n      - uses: |-\n          actions/checkout@v4 # warden: ignore[unpinned-uses]\n';
    const findings = findingsOf(text, { ruleId: 'unpinned-uses' });
    assert.equal(findings.length, 1);
    assert.ok(findings[0].range.end.line >= lineOf(text, 'ignore['));
  });

  test('a marker inside a quoted string on the same line does not suppress; a real comment after it does', () => {
    const quoted = `on: push\npermissions: {}\njobs:\n  a:\n    steps:\n      - {uses: actions/checkout@v4, run: "x # warden: ignore[unpinned-uses]"}\n`;
    assert.deepEqual(flagged(quoted, 'unpinned-uses'), [['v4', 5]]);
    const real = quoted.replace('"}\n', '"} # warden: ignore[unpinned-uses]\n');
    assert.deepEqual(flagged(real, 'unpinned-uses'), []);
  });
});
