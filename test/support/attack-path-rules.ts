import { strict as assert } from 'node:assert';
import { applyFix, findingsOf, parseWorkflow, rangeText } from './analysis';
import { RULES } from '../../server/src/rules';
import type { Finding } from '../../server/src/findings';

export function run(ruleId: string, text: string, path?: string, config?: Record<string, unknown>): Finding[] {
  void parseWorkflow;
  const rule = RULES.find((r) => r.id === ruleId)!;
  const wrapped = config ? { ...rule, check: (ctx: Parameters<typeof rule.check>[0]) => rule.check({ ...ctx, config }) } : rule;
  return findingsOf(text, { rules: [wrapped], ruleId, ...(path ? { path } : {}) });
}

export function texts(text: string, findings: Finding[]): string[] {
  return findings.map((finding) => rangeText(text, finding.range));
}

/** Applies the preferred fix of the first finding, re-runs the rule and checks the finding is gone. */
export function fixAndRecheck(ruleId: string, text: string, path?: string, config?: Record<string, unknown>): string {
  const before = run(ruleId, text, path, config);
  assert.ok(before.length > 0, 'expected a finding');
  const fix = before[0].fixes.find((f) => f.isPreferred) ?? before[0].fixes[0];
  assert.ok(fix, 'expected a fix');
  const fixed = applyFix(text, fix);
  const after = run(ruleId, fixed, path, config);
  assert.equal(after.length, before.length - 1, `finding not removed:\n${fixed}`);
  return fixed;
}
