/** Helpers for the tests of the catalogue rules: run one rule, read back ranges, check a fix. */
import assert from 'node:assert/strict';
import { RULES } from '../../server/src/rules';
import type { Rule } from '../../server/src/rules/types';
import type { Finding } from '../../server/src/findings';
import type { Persona } from '../../shared/src/settings';
import { analyzeText, applyFix, rangeText } from './analysis';

export function run(
  rule: Rule,
  text: string,
  options: { path?: string; persona?: Persona; config?: Record<string, unknown> } = {},
): Finding[] {
  const { findings } = analyzeText(text, {
    path: options.path,
    persona: options.persona ?? 'auditor',
    rules: [rule],
    ...(options.config ? {} : {}),
  });
  return findings.filter((finding) => finding.ruleId === rule.id);
}

export function texts(text: string, findings: readonly Finding[]): string[] {
  return findings.map((finding) => rangeText(text, finding.range));
}

/** Applies the fix, re-parses, re-runs every rule: this finding is gone and nothing else changed. */
export function checkFix(rule: Rule, text: string, finding: Finding, expected: string, path?: string): void {
  assert.ok(finding.fixes.length > 0, 'the finding has a fix');
  const fixed = applyFix(text, finding.fixes[0]);
  assert.equal(fixed, expected);
  const key = (f: Finding) => `${f.ruleId}:${f.message}`;
  const before = analyzeText(text, { path, rules: RULES }).findings.map(key);
  const after = analyzeText(fixed, { path, rules: RULES }).findings.map(key);
  assert.ok(!after.includes(key(finding)), `finding gone after the fix: ${finding.message}`);
  // Other rules: the same number of findings per rule (a bumped ref may change their wording, not their count).
  const others = (keys: string[]) =>
    keys
      .filter((k) => !k.startsWith(`${rule.id}:`))
      .map((k) => k.slice(0, k.indexOf(':')))
      .sort();
  assert.deepEqual(others(after), others(before), 'no other rule changed');
  assert.equal(after.filter((k) => k.startsWith(`${rule.id}:`)).length, before.filter((k) => k.startsWith(`${rule.id}:`)).length - 1);
}

/** Robustness: the rule never throws on odd shapes. */
export const MALFORMED: readonly string[] = [
  'jobs: 3\non: push\n',
  'on: push\njobs:\n  a: null\n  b: "x"\n  c:\n    steps: 5\n    container: [1]\n    services: x\n',
  'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - null\n      - uses: 42\n      - uses:\n      - if: [1]\n      - with: str\n',
  '- just\n- a list\n',
  '',
  'runs:\n  using: composite\n  steps: {}\n  image: 3\n',
  'updates: 3\n',
  'updates:\n  - null\n  - package-ecosystem: [1]\n    cooldown: 3\n',
];
