/**
 * AttachedCache (server/src/parse/attached-cache.ts): the WeakMap API with the entries on the key (or on
 * the key's `attachments` host), invisible to serialisation and to other caches.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AttachedCache, attachmentsOf } from '../../server/src/parse/attached-cache';
import { ParsedFile } from '../../server/src/parse/document';

test('attached-cache: get, has, set and delete behave as a WeakMap does', () => {
  const cache = new AttachedCache<object, string | null>('test-values');
  const key = { name: 'a' };
  assert.equal(cache.get(key), undefined);
  assert.equal(cache.has(key), false);
  assert.equal(cache.set(key, 'x'), cache);
  assert.equal(cache.get(key), 'x');
  assert.equal(cache.has(key), true);
  // null is a value (a cached "nothing found"), not an absence.
  cache.set(key, null);
  assert.equal(cache.has(key), true);
  assert.equal(cache.get(key), null);
  assert.equal(cache.delete(key), true);
  assert.equal(cache.has(key), false);
  assert.equal(cache.delete(key), false);
});

test('attached-cache: two caches on one key keep their own entries, and serialisation never shows them', () => {
  const first = new AttachedCache<object, number>('first');
  const second = new AttachedCache<object, number>('second');
  const key = { name: 'a' };
  first.set(key, 1);
  second.set(key, 2);
  assert.equal(first.get(key), 1);
  assert.equal(second.get(key), 2);
  assert.deepEqual(Object.keys(key), ['name']);
  assert.equal(JSON.stringify(key), '{"name":"a"}');
  assert.deepEqual({ ...key, name: 'a' }, { name: 'a' });
});

test('attached-cache: entries of a ParsedFile live on its attachments object, so the file itself never changes shape', () => {
  const cache = new AttachedCache<ParsedFile, string>('test-file', attachmentsOf);
  const file = new ParsedFile('file:///repo/.github/workflows/ci.yml', 'workflow', 'on: push\njobs: {}\n');
  const ownBefore = Reflect.ownKeys(file);
  cache.set(file, 'cached');
  assert.equal(cache.get(file), 'cached');
  assert.deepEqual(Reflect.ownKeys(file), ownBefore);
  assert.equal(Object.getOwnPropertySymbols(file.attachments).length, 1);
  // Another file has its own attachments.
  const other = new ParsedFile('file:///repo/.github/workflows/other.yml', 'workflow', 'on: push\njobs: {}\n');
  assert.equal(cache.get(other), undefined);
});
