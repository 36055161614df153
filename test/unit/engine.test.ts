import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine';
import { RULES } from '../../server/src/rules';
import { dangerousTriggers } from '../../server/src/rules/dangerous-triggers';
import { excessivePermissions } from '../../server/src/rules/excessive-permissions';
import { unpinnedUses } from '../../server/src/rules/unpinned-uses';
import type { Rule } from '../../server/src/rules/types';
import type { Finding } from '../../server/src/findings';
import { analysisOptions, analyzeText, findingsOf, rangeText, summarize, toCRLF, yaml } from '../support/analysis';

const SHA = '11bbf7e8c1d4a2b3f6e5d4c3b2a1908f7e6d5c4b';
/** The rules under test: assertions about the whole set of findings run only these, so new rules don't break them. */
const CORE: readonly Rule[] = [dangerousTriggers, excessivePermissions, unpinnedUses];

describe('engine: filtering, ordering, robustness', () => {
  const text = yaml`
    on: pull_request_target
    jobs:
      a:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
      b:
        permissions: read-all
        steps:
          - uses: actions/cache@${SHA}
  `;

  test('persona filtering: regular ⊂ pedantic ⊂ auditor', () => {
    const workflowCall = 'on: workflow_call\njobs:\n  a:\n    steps: [{uses: a/b@v1}]\n';
    const regular = findingsOf(workflowCall, { persona: 'regular', rules: CORE });
    const pedantic = findingsOf(workflowCall, { persona: 'pedantic', rules: CORE });
    const auditor = findingsOf(workflowCall, { persona: 'auditor', rules: CORE });
    assert.deepEqual(
      regular.map((f) => f.ruleId),
      ['unpinned-uses'],
    );
    assert.deepEqual(pedantic.map((f) => f.ruleId).sort(), ['excessive-permissions', 'unpinned-uses']);
    assert.deepEqual(summarize(auditor), summarize(pedantic));
  });

  test('minSeverity hides lower severities', () => {
    assert.deepEqual(
      findingsOf(text, { minSeverity: 'high', rules: CORE }).map((f) => f.ruleId),
      ['dangerous-triggers', 'unpinned-uses'],
    );
    const medium = findingsOf(text, { minSeverity: 'medium', rules: CORE }).map((f) => f.ruleId);
    assert.ok(medium.includes('excessive-permissions'));
    assert.ok(findingsOf(text, { minSeverity: 'high' }).every((f) => f.severity === 'high'));
  });

  test('minConfidence hides lower confidences', () => {
    const high = findingsOf(text, { minConfidence: 'high', rules: CORE });
    assert.ok(!high.some((f) => f.ruleId === 'dangerous-triggers'), 'dangerous-triggers has medium confidence');
    assert.ok(high.some((f) => f.ruleId === 'unpinned-uses'));
  });

  test('disabled rules do not run', () => {
    const ids = findingsOf(text, { disabledRules: ['unpinned-uses', 'dangerous-triggers'], rules: CORE }).map((f) => f.ruleId);
    assert.deepEqual([...new Set(ids)], ['excessive-permissions']);
  });

  test('syntax errors are shown whatever the filters', () => {
    const broken = 'on: push\njobs:\n\ta: 1\n';
    const findings = findingsOf(broken, {
      persona: 'regular',
      minSeverity: 'high',
      minConfidence: 'high',
      disabledRules: RULES.map((r) => r.id),
    });
    assert.deepEqual(
      findings.map((f) => f.ruleId),
      ['syntax-error'],
    );
  });

  test('findings are sorted by position and deterministic, whatever the rule order', () => {
    const first = findingsOf(text);
    assert.ok(first.length >= 4);
    assert.deepEqual(findingsOf(text, { rules: CORE }), findingsOf(text, { rules: [...CORE].reverse() }));
    for (let i = 1; i < first.length; i++) {
      assert.ok(first[i - 1].span.start <= first[i].span.start, 'sorted by start');
    }
    assert.deepEqual(findingsOf(text), first);
    assert.deepEqual(findingsOf(text, { rules: [...RULES].reverse() }), first);
  });

  test('a rule that throws becomes an internal-error finding and the others still report', () => {
    const broken: Rule = {
      id: 'boom',
      title: 'Boom',
      kinds: ['workflow'],
      severity: 'high',
      confidence: 'high',
      persona: 'regular',
      online: false,
      docs: { summary: '', why: '', fix: '' },
      check() {
        throw new Error('kaput');
      },
    };
    const findings = findingsOf(text, { rules: [broken, ...RULES] });
    const internal = findings.filter((f) => f.ruleId === 'internal-error');
    assert.equal(internal.length, 1);
    assert.match(internal[0].message, /boom.*kaput/);
    assert.ok(findings.some((f) => f.ruleId === 'unpinned-uses'));
  });

  test('unknown files give no findings; each kind runs only its rules', () => {
    const { file } = analyzeText(text, { path: 'notes.yml', kind: 'unknown' });
    assert.deepEqual(analyze(file, analysisOptions()), []);
    const asAction = findingsOf(text, { path: 'action.yml' }).map((f) => f.ruleId);
    assert.ok(!asAction.includes('dangerous-triggers') && !asAction.includes('excessive-permissions'));
  });

  test('every finding range maps back to its span', () => {
    const crlf = toCRLF(`name: "ワークフロー 🚀"\n${text}`);
    for (const finding of findingsOf(crlf) as Finding[]) {
      assert.equal(rangeText(crlf, finding.range), crlf.slice(finding.span.start, finding.span.end));
    }
  });
});
