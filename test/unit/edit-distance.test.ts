import assert from 'node:assert/strict';
import { test } from 'node:test';
import { editDistance } from '../../server/src/parse/edit-distance';

test('edit distance: insertions, deletions and substitutions count one each', () => {
  assert.equal(editDistance('checkout', 'checkout'), 0);
  assert.equal(editDistance('checkout', 'chekout'), 1);
  assert.equal(editDistance('checkout', 'checkoutt'), 1);
  assert.equal(editDistance('checkout', 'checkaut'), 1);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('kitten', 'sitting'), 3);
});

test('edit distance: a swap of neighbours is two edits, or one with swaps', () => {
  assert.equal(editDistance('fromat', 'format'), 2);
  assert.equal(editDistance('fromat', 'format', { swaps: true }), 1);
  assert.equal(editDistance('ca', 'abc', { swaps: true }), 3, 'optimal string alignment: no edit inside a swapped pair');
});

test('edit distance with a limit answers limit + 1 as soon as the distance is past it', () => {
  assert.equal(editDistance('actions/checkout', 'actions/cache', { limit: 1 }), 2);
  assert.equal(editDistance('abc', 'abcdefgh', { limit: 2 }), 3, 'lengths alone rule it out');
  assert.equal(editDistance('chekout', 'checkout', { limit: 1 }), 1, 'a distance within the limit is exact');
  const long = 'x'.repeat(5000);
  const started = performance.now();
  assert.equal(editDistance(long, 'y'.repeat(5000), { limit: 2 }), 3);
  assert.ok(performance.now() - started < 1000, 'stops at the first row past the limit');
});
