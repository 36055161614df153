import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze, DEFAULT_ANALYSIS_OPTIONS } from '../../server/src/engine';
import { ParsedFile } from '../../server/src/parse/document';
import type { Rule } from '../../server/src/rules/types';

test('fixes reported as a function are computed only when read, once, and a failure gives no fix', () => {
  let calls = 0;
  const rule: Rule = {
    id: 'test-lazy',
    title: 'test',
    kinds: ['workflow'],
    severity: 'low',
    confidence: 'high',
    persona: 'regular',
    docs: { summary: '', why: '', fix: '' },
    check({ report }) {
      report({
        span: { start: 0, end: 2 },
        message: 'lazy',
        fixes: () => {
          calls++;
          return [{ title: 'fix it', isPreferred: true, safety: 'safe', edits: [{ span: { start: 0, end: 2 }, newText: 'on' }] }];
        },
      });
      report({ span: { start: 0, end: 2 }, message: 'throws', fixes: () => { throw new Error('boom'); } });
    },
  };
  const file = new ParsedFile('file:///.github/workflows/x.yml', 'workflow', 'on: push\n');
  const [lazy, throwing] = analyze(file, { ...DEFAULT_ANALYSIS_OPTIONS, rules: [rule] });
  assert.equal(calls, 0, 'not computed by the analysis');
  assert.equal(lazy.fixes.length, 1);
  assert.equal(lazy.fixes[0].title, 'fix it');
  assert.equal(lazy.fixes.length, 1);
  assert.equal(calls, 1, 'computed once');
  assert.deepEqual(throwing.fixes, []);
});
