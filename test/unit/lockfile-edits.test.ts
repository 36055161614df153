import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../../server/src/fixes/edits';
import { addLockEntries, removeLockEntries, rewriteWorkflowList } from '../../server/src/lockfile/edits';
import { parseLockText } from '../../server/src/lockfile/read';
import { LOCKFILE_HEADER } from '../../server/src/lockfile/types';
import { SHA_A, SHA_B, entry, lockText } from '../support/lockfile';

const CI = '.github/workflows/ci.yml';
const input = (owner: string, repo: string, ref: string, sha: string, uses?: string[]) => ({
  owner,
  repo,
  ref,
  commit: `sha1-${sha}`,
  ownerId: 7,
  repoId: 9,
  ...(uses ? { uses } : {}),
});

describe('lock edits', () => {
  test('creating a lock writes the header and a lock with no problem', () => {
    const text = applyEdits('', addLockEntries(undefined, CI, [input('Actions', 'Checkout', 'v4', SHA_A)]));
    assert.ok(text.startsWith(`${LOCKFILE_HEADER.join('\n')}\nversion: v0.0.2\n`));
    const lock = parseLockText(text);
    assert.deepEqual(lock.problems, []);
    assert.deepEqual(
      lock.workflows[0].pins.map((pin) => pin.key),
      ['actions/checkout@v4'],
    );
    assert.equal(lock.entries[0].ownerId?.value, 7);
  });

  test('adding to an existing lock keeps every other byte (comments, CRLF) and lists the workflow', () => {
    const before = lockText({ [CI]: ['actions/checkout@v4'] }, [entry('actions/checkout@v4', 'v4', SHA_A)])
      .replace('version:', '# kept\nversion:')
      .replace(/\n/g, '\r\n');
    const edits = addLockEntries(before, CI, [
      input('actions', 'checkout', 'v4', SHA_A),
      input('my', 'composite', 'v1', SHA_B, ['actions/checkout@v4']),
    ]);
    const after = applyEdits(before, edits);
    assert.ok(after.startsWith('# header\r\n# kept\r\nversion: v0.0.2\r\n'));
    assert.ok(!/[^\r]\n/.test(after), 'CRLF kept');
    const lock = parseLockText(after);
    assert.deepEqual(lock.problems, []);
    assert.deepEqual(
      lock.workflows[0].pins.map((pin) => pin.key),
      ['actions/checkout@v4', 'my/composite@v1'],
    );
    assert.deepEqual(
      lock.entries.map((e) => e.key),
      ['actions/checkout@v4', 'my/composite@v1'],
    );
    // Every byte of the old text is still there, in order.
    let at = 0;
    for (const char of before) at = after.indexOf(char, at) + 1;
    assert.ok(at > 0);
  });

  test('an entry of a full-SHA `uses:` is written and listed under its SHA key, its ref naming the tag', () => {
    const before = lockText({ [CI]: ['actions/checkout@v4'] }, [entry('actions/checkout@v4', 'v4', SHA_A)]);
    const after = applyEdits(
      before,
      addLockEntries(before, CI, [{ ...input('actions', 'checkout', 'v4.1.0', SHA_B), key: `actions/checkout@${SHA_B}` }]),
    );
    assert.equal(
      after,
      lockText({ [CI]: ['actions/checkout@v4', `actions/checkout@${SHA_B}`] }, [
        entry('actions/checkout@v4', 'v4', SHA_A),
        `  actions/checkout@${SHA_B}:\n    ref: v4.1.0\n    commit: sha1-${SHA_B}\n    owner_id: 7\n    repo_id: 9\n`,
      ]),
    );
  });

  test('a new workflow is added to the workflows map', () => {
    const before = lockText({ [CI]: ['actions/checkout@v4'] }, [entry('actions/checkout@v4', 'v4', SHA_A)]);
    const after = applyEdits(before, addLockEntries(before, '.github/workflows/b.yml', [input('actions', 'checkout', 'v4', SHA_A)]));
    const lock = parseLockText(after);
    assert.deepEqual(lock.problems, []);
    assert.deepEqual(
      lock.workflows.map((w) => w.path),
      [CI, '.github/workflows/b.yml'],
    );
  });

  test('removing an entry removes it from the lists too; rewriting a list sets it exactly', () => {
    const before = lockText({ [CI]: ['actions/checkout@v4', 'actions/old@v1'] }, [
      entry('actions/checkout@v4', 'v4', SHA_A),
      entry('actions/old@v1', 'v1', SHA_B),
    ]);
    const removed = parseLockText(applyEdits(before, removeLockEntries(before, ['actions/old@v1'])));
    assert.deepEqual(removed.problems, []);
    assert.deepEqual(
      removed.entries.map((e) => e.key),
      ['actions/checkout@v4'],
    );
    assert.deepEqual(
      removed.workflows[0].pins.map((pin) => pin.key),
      ['actions/checkout@v4'],
    );
    const rewritten = parseLockText(applyEdits(before, rewriteWorkflowList(before, CI, ['actions/old@v1'])));
    assert.deepEqual(
      rewritten.workflows[0].pins.map((pin) => pin.key),
      ['actions/old@v1'],
    );
  });

  test('a lock that is not valid YAML is not edited', () => {
    assert.deepEqual(addLockEntries('version: [\n', CI, [input('a', 'b', 'v1', SHA_A)]), []);
  });
});
