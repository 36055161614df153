/**
 * Assertions for the tests of one rule: which findings, at exactly which ranges, saying what. A range is written
 * `line:character-line:character` (0-based LSP positions); a message is matched by a distinctive part of it.
 */
import assert from 'node:assert/strict';
import type { Finding } from '../../server/src/findings';
import { findingsOf, summarize, type FindingsOptions } from './analysis';

/** An expected finding: its range and a pattern its message matches. */
export type Expected = readonly [range: string, message: RegExp];

/** Checks that `findings` are exactly the expected ones of `ruleId`, in order. */
export function assertFindings(findings: readonly Finding[], ruleId: string, expected: readonly Expected[]): void {
  assert.deepEqual(
    summarize(findings),
    expected.map(([range]) => `${ruleId}@${range}`),
  );
  findings.forEach((finding, i) => assert.match(finding.message, expected[i][1]));
}

/** Runs the engine over `text` and checks the findings of `ruleId` (all other rules still run). */
export function expectFindings(text: string, ruleId: string, expected: readonly Expected[], options: FindingsOptions = {}): Finding[] {
  const findings = findingsOf(text, { ...options, ruleId });
  assertFindings(findings, ruleId, expected);
  return findings;
}
