import assert from 'node:assert/strict';
import { test } from 'node:test';
import { measureNesting, MAX_NESTING } from '../../server/src/parse/guards';
import { parseUses } from '../../server/src/parse/uses';
import { findingsOf } from '../support/analysis';

test('deep flow nesting is reported, not parsed, and the report is deterministic', () => {
  const text = `on: push\njobs: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
  const first = findingsOf(text).filter((finding) => finding.ruleId === 'syntax-error');
  const second = findingsOf(text).filter((finding) => finding.ruleId === 'syntax-error');
  assert.equal(first.length, 1);
  assert.match(first[0].message, /nests more than 200 levels/);
  assert.deepEqual(first, second);
  assert.equal(first[0].span.start, 'on: push\njobs: '.length + MAX_NESTING);
});

test('deep block nesting is reported', () => {
  const text = Array.from({ length: 400 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n');
  assert.equal(measureNesting(text).offset !== -1, true);
  const sequences = Array.from({ length: 300 }, (_, i) => `${'  '.repeat(i)}- `).join('\n') + 'x';
  assert.equal(measureNesting(sequences).offset !== -1, true);
});

test('brackets in quotes, comments and ordinary scripts do not count as nesting', () => {
  const text = [
    'on: push',
    'jobs:',
    '  a:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    `      - run: echo '${'['.repeat(500)}'  # ${'{'.repeat(500)}`,
    '      - run: |',
    '          if [[ -f x ]]; then echo "{[("; fi',
  ].join('\n');
  assert.equal(measureNesting(text).offset, -1);
  assert.ok(measureNesting(text).depth < 10);
});

test('a uses value with white space before the @ is invalid, not a repository named with a space', () => {
  assert.equal(parseUses('actions/checkout @v4').kind, 'invalid');
  const reference = parseUses('o/r@v1@v2');
  assert.equal(reference.kind, 'remote');
  if (reference.kind === 'remote') {
    assert.equal(reference.repo, 'r');
    assert.equal(reference.ref, 'v1@v2');
  }
});
