import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../server/src/engine';
import { toDiagnostic } from '../../server/src/features/diagnostics';
import type { Rule } from '../../server/src/rules/types';
import { analysisOptions, parseAs } from '../support/analysis';

test('a related location in another file keeps that file: positioned in its lines, its URI in the LSP diagnostic', () => {
  const other = parseAs(
    'on: workflow_call\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n',
    '.github/workflows/other.yml',
  );
  const file = parseAs('on: push\njobs: {}\n', '.github/workflows/main.yml');
  const runAt = other.text.indexOf('make');
  const rule: Rule = {
    id: 'test-related',
    title: 't',
    kinds: ['workflow'],
    severity: 'low',
    confidence: 'high',
    persona: 'regular',
    online: false,
    docs: { summary: 'x'.repeat(21), why: 'x'.repeat(21), fix: 'x'.repeat(21) },
    check: ({ report }) =>
      report({
        span: { start: 0, end: 2 },
        message: 'm',
        related: [
          { span: { start: runAt, end: runAt + 4 }, message: 'there', file: other },
          { span: { start: 4, end: 8 }, message: 'here' },
        ],
      }),
  };
  const [finding] = analyze(file, { ...analysisOptions(), rules: [rule] });
  assert.deepEqual(finding.related[0].range, { start: { line: 5, character: 13 }, end: { line: 5, character: 17 } });
  assert.equal(finding.related[0].uri, other.uri);
  assert.equal(finding.related[1].uri, undefined);
  const diagnostic = toDiagnostic(finding, { uri: file.uri, version: 0, file, findings: [finding] });
  assert.deepEqual(
    diagnostic.relatedInformation?.map((info) => info.location.uri),
    [other.uri, file.uri],
  );
});
