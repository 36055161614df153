import assert from 'node:assert/strict';
import { test } from 'node:test';
import { measureNesting } from '../../server/src/parse/guards';
import { findingsOf } from '../support/analysis';

// Fuzz mutant 9-70007 (a trivy workflow + deepNesting + byteFlip): a bracket left open in a block script
// made the guard stop counting block depth, so 1,500 nested keys reached the YAML parser, which overflowed
// its stack on cold code and not once the JIT had warmed up: two analyses of one text disagreed.
const deep = (lines: number) => Array.from({ length: lines }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n');
const script = [
  'on: push',
  'jobs:',
  '  a:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - run: |',
  '          const x = f({',
  '          echo "[${{ github.sha }}"',
  '',
].join('\n');

test('deep block nesting below a script with an unclosed bracket is still refused', () => {
  const text = `${script}${deep(1500)}\n`;
  const nesting = measureNesting(text);
  assert.notEqual(nesting.offset, -1);
  const first = findingsOf(text).filter((finding) => finding.ruleId === 'syntax-error');
  assert.equal(first.length, 1);
  assert.match(first[0].message, /nests more than 200 levels/);
  for (let i = 0; i < 5; i++) assert.deepEqual(findingsOf(text), findingsOf(text));
});

test('an unclosed bracket in a script alone does not make a shallow file too deep', () => {
  const text = `${script}${deep(20)}\n`;
  assert.equal(measureNesting(text).offset, -1);
});
