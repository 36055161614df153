import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze, DEFAULT_ANALYSIS_OPTIONS, settleLazyFixes } from '../../server/src/engine';
import { ParsedFile } from '../../server/src/parse/document';
import type { Rule } from '../../server/src/rules/types';

function lazyRule(counter: { calls: number }): Rule {
  return {
    id: 'test-lazy',
    title: 'test',
    kinds: ['workflow'],
    severity: 'low',
    confidence: 'high',
    persona: 'regular',
    online: false,
    docs: { summary: '', why: '', fix: '' },
    check({ report }) {
      report({
        span: { start: 0, end: 2 },
        message: 'lazy',
        fixes: () => {
          counter.calls++;
          return [{ title: 'fix it', isPreferred: true, safety: 'safe', edits: [{ span: { start: 0, end: 2 }, newText: 'on' }] }];
        },
      });
      report({
        span: { start: 3, end: 7 },
        message: 'eager',
        fixes: [{ title: 'eager fix', isPreferred: true, safety: 'safe', edits: [{ span: { start: 3, end: 7 }, newText: 'push' }] }],
      });
      report({
        span: { start: 3, end: 8 },
        message: 'throws',
        fixes: () => {
          throw new Error('boom');
        },
      });
    },
  };
}

test('settleLazyFixes computes lazy fixes now (once) or drops them, and leaves eager fixes alone', () => {
  const file = new ParsedFile('file:///.github/workflows/x.yml', 'workflow', 'on: push\n');
  const computed = { calls: 0 };
  const findings = analyze(file, { ...DEFAULT_ANALYSIS_OPTIONS, rules: [lazyRule(computed)] });
  settleLazyFixes(findings, 'compute');
  assert.equal(computed.calls, 1, 'computed by settling');
  assert.deepEqual(
    findings.map((finding) => finding.fixes.map((fix) => fix.title)),
    [['fix it'], ['eager fix'], []],
  );
  assert.equal(computed.calls, 1, 'not computed again when read');
  // A settled finding is a plain object again: its fixes are an own, enumerable, writable data property.
  const descriptor = Object.getOwnPropertyDescriptor(findings[0], 'fixes')!;
  assert.equal(typeof descriptor.get, 'undefined');
  assert.equal(descriptor.enumerable, true);
  assert.deepEqual(JSON.parse(JSON.stringify(findings[0])).fixes[0].title, 'fix it');

  const dropped = { calls: 0 };
  const others = analyze(file, { ...DEFAULT_ANALYSIS_OPTIONS, rules: [lazyRule(dropped)] });
  settleLazyFixes(others, 'drop');
  assert.deepEqual(
    others.map((finding) => finding.fixes.length),
    [0, 1, 0],
    'lazy fixes dropped, eager ones kept',
  );
  assert.equal(dropped.calls, 0, 'never computed');
});

test('fixes reported as a function are computed only when read, once, and a failure gives no fix', () => {
  const counter = { calls: 0 };
  const file = new ParsedFile('file:///.github/workflows/x.yml', 'workflow', 'on: push\n');
  const [lazy, , throwing] = analyze(file, { ...DEFAULT_ANALYSIS_OPTIONS, rules: [lazyRule(counter)] });
  assert.equal(counter.calls, 0, 'not computed by the analysis');
  assert.equal(lazy.fixes.length, 1);
  assert.equal(lazy.fixes[0].title, 'fix it');
  assert.equal(lazy.fixes.length, 1);
  assert.equal(counter.calls, 1, 'computed once');
  assert.deepEqual(throwing.fixes, []);
});
