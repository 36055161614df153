import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SHA_A, entry, lockFindings, lockText } from '../../support/lockfile';

const errors = (text: string) =>
  lockFindings(text, null, 'lockfile-error').findings.map((f) => [text.slice(f.span.start, f.span.end), f.message] as const);
const covered = (text: string) => errors(text).map(([token]) => token);

describe('lockfile-error', () => {
  const good = lockText({ '.github/workflows/ci.yml': ['actions/checkout@v4'] }, [entry('actions/checkout@v4', 'v4', SHA_A)]);

  test('a well-formed lock has no finding', () => {
    assert.deepEqual(errors(good), []);
  });

  test('a v0.0.1 lock with tag fields and digest-suffixed keys is read', () => {
    const text = `version: v0.0.1\nworkflows:\n  .github/workflows/ci.yml:\n    - actions/checkout@v4:sha1-${SHA_A}\ndependencies:\n  actions/checkout@v4:sha1-${SHA_A}:\n    tag: v4\n    owner_id: 1\n    repo_id: 2\n`;
    assert.deepEqual(errors(text), []);
  });

  test('unknown top-level and entry keys, at the key', () => {
    const text = good.replace('version:', 'extra: 1\nversion:').replace('    repo_id: 2\n', '    repo_id: 2\n    tag: v4\n');
    assert.deepEqual(covered(text), ['extra', 'tag']);
  });

  test('missing, unsupported and future versions name the versions we read', () => {
    assert.match(errors(good.replace('version: v0.0.2\n', ''))[0][1], /no `version`.*v0\.0\.2 and v0\.0\.1/);
    const future = errors(good.replace('v0.0.2', 'v0.1.0'));
    assert.deepEqual(
      future.map(([token]) => token),
      ['v0.1.0'],
    );
    assert.match(future[0][1], /not one we read \(v0\.0\.2 and v0\.0\.1\)/);
  });

  test('missing or empty ref and commit; a commit that is not an algorithm-prefixed digest', () => {
    assert.deepEqual(covered(good.replace('    ref: v4\n', '')), ['actions/checkout@v4']);
    assert.deepEqual(covered(good.replace('ref: v4', "ref: ''")), ["''"]);
    assert.deepEqual(covered(good.replace(`sha1-${SHA_A}`, SHA_A)), [SHA_A]);
    assert.deepEqual(covered(good.replace(`sha1-${SHA_A}`, `sha1-${SHA_A.slice(1)}`)), [`sha1-${SHA_A.slice(1)}`]);
    assert.deepEqual(covered(good.replace(`sha1-${SHA_A}`, `sha256-${'c'.repeat(64)}`)), []);
  });

  test('ids that are not positive integers', () => {
    assert.deepEqual(covered(good.replace('owner_id: 1', 'owner_id: 0').replace('repo_id: 2', "repo_id: '2'")), ['0', "'2'"]);
  });

  test('a key that is not owner/repo@ref (sub-paths are not part of a key)', () => {
    const text = lockText({}, [entry('actions/cache/save@v4', 'v4', SHA_A)]);
    const found = errors(text);
    assert.equal(found[0][0], 'actions/cache/save@v4');
    assert.match(found[0][1], /sub-paths/);
  });

  test('a ref that disagrees with its key; a SHA key whose commit differs', () => {
    assert.deepEqual(covered(good.replace('ref: v4', 'ref: v5')), ['v5']);
    const shaKey = lockText({}, [entry(`actions/checkout@${SHA_A}`, 'v4.2.2', 'b'.repeat(40))]);
    assert.deepEqual(covered(shaKey), [`sha1-${'b'.repeat(40)}`]);
    assert.deepEqual(covered(lockText({}, [entry(`actions/checkout@${SHA_A}`, 'v4.2.2', SHA_A)])), []);
  });

  test('duplicate keys, also when only the case of owner or repo differs', () => {
    const text = lockText({}, [entry('actions/checkout@v4', 'v4', SHA_A), entry('Actions/Checkout@v4', 'v4', SHA_A)]);
    assert.deepEqual(covered(text), ['Actions/Checkout@v4']);
  });

  test('workflow keys that are absolute or contain .., \\, : or control characters', () => {
    for (const bad of ['/abs/ci.yml', '.github/../ci.yml', '"a\\\\b.yml"', '"c:ci.yml"', '"a\\tb.yml"']) {
      const text = lockText({ [bad]: ['actions/checkout@v4'] }, [entry('actions/checkout@v4', 'v4', SHA_A)]);
      assert.deepEqual(covered(text), [bad], bad);
    }
  });

  test('a uses: edge or a workflow list item with no entry', () => {
    const text = lockText({ '.github/workflows/ci.yml': ['actions/missing@v1'] }, [
      entry('actions/checkout@v4', 'v4', SHA_A, ['actions/gone@v2']),
    ]);
    assert.deepEqual(covered(text), ['actions/missing@v1', 'actions/gone@v2']);
  });

  test('a cycle is reported at the edge that closes it', () => {
    const text = lockText({}, [entry('a/one@v1', 'v1', SHA_A, ['a/two@v1']), entry('a/two@v1', 'v1', SHA_A, ['a/one@v1'])]);
    const found = errors(text);
    assert.equal(found.length, 1);
    assert.match(found[0][1], /cycle/);
    assert.equal(text.indexOf(found[0][0], text.indexOf('a/two@v1:')) > 0, true);
  });

  test('a lock over 1 MiB', () => {
    const text = `${good}${'# padding\n'.repeat(110_000)}`;
    const found = errors(text);
    assert.equal(found.length, 1);
    assert.match(found[0][1], /larger than 1 MiB/);
  });

  test('bad input never crashes', () => {
    for (const text of [
      '',
      '- a\n',
      'version: [\n',
      'version: v0.0.2\ndependencies: 3\nworkflows: [a]\n',
      'version: v0.0.2\ndependencies:\n  a/b@v1: x\n',
    ]) {
      assert.doesNotThrow(() => errors(text));
    }
  });
});
