import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyRef, parseUses, usesTarget, type RemoteUses, type UsesReference } from '../../server/src/parse/uses';

const SHA = '11bbf7e8c1d4a2b3f6e5d4c3b2a1908f7e6d5c4b';

function remote(value: string): RemoteUses {
  const parsed = parseUses(value);
  assert.equal(parsed.kind, 'remote', `${value} should be remote, got ${JSON.stringify(parsed)}`);
  return parsed as RemoteUses;
}

/** The ref as the offsets point at it in the original string. */
function refSlice(value: string, uses: RemoteUses): string {
  return value.slice(uses.refStart, uses.refEnd);
}

describe('parseUses: remote actions', () => {
  test('owner/repo@ref', () => {
    const value = 'actions/checkout@v4';
    const uses = remote(value);
    assert.equal(uses.owner, 'actions');
    assert.equal(uses.repo, 'checkout');
    assert.equal(uses.repository, 'actions/checkout');
    assert.equal(uses.subpath, null);
    assert.equal(uses.isReusableWorkflow, false);
    assert.equal(uses.ref, 'v4');
    assert.equal(uses.refKind, 'version');
    assert.equal(uses.refStart, 17);
    assert.equal(uses.refEnd, 19);
    assert.equal(refSlice(value, uses), 'v4');
    assert.equal(usesTarget(uses), 'actions/checkout');
  });

  test('SHA-pinned', () => {
    const value = `actions/checkout@${SHA}`;
    const uses = remote(value);
    assert.equal(uses.ref, SHA);
    assert.equal(uses.refKind, 'sha');
    assert.equal(refSlice(value, uses), SHA);
  });

  test('subpath action o/r/sub/path@ref keeps the path and fetches o/r', () => {
    const value = 'github/codeql-action/upload-sarif/nested@v3.28.1';
    const uses = remote(value);
    assert.equal(uses.repository, 'github/codeql-action');
    assert.equal(uses.subpath, 'upload-sarif/nested');
    assert.equal(uses.isReusableWorkflow, false);
    assert.equal(uses.ref, 'v3.28.1');
    assert.equal(refSlice(value, uses), 'v3.28.1');
    assert.equal(usesTarget(uses), 'github/codeql-action/upload-sarif/nested');
  });

  test('reusable workflow o/r/.github/workflows/x.yml@ref', () => {
    for (const file of ['release.yml', 'release.yaml']) {
      const value = `octo-org/shared/.github/workflows/${file}@main`;
      const uses = remote(value);
      assert.equal(uses.isReusableWorkflow, true, value);
      assert.equal(uses.subpath, `.github/workflows/${file}`);
      assert.equal(uses.repository, 'octo-org/shared');
      assert.equal(uses.ref, 'main');
      assert.equal(uses.refKind, 'branch-like');
      assert.equal(refSlice(value, uses), 'main');
    }
    // A workflow file in a subfolder of .github/workflows is not a reusable workflow path.
    assert.equal(remote('o/r/.github/workflows/sub/x.yml@v1').isReusableWorkflow, false);
    assert.equal(remote('o/r/workflows/x.yml@v1').isReusableWorkflow, false);
  });

  test('missing ref: ref null, offsets at the end of the value', () => {
    const value = 'actions/checkout';
    const uses = remote(value);
    assert.equal(uses.ref, null);
    assert.equal(uses.refKind, null);
    assert.equal(uses.refStart, value.length);
    assert.equal(uses.refEnd, value.length);
  });

  test('empty ref after @', () => {
    const value = 'actions/checkout@';
    const uses = remote(value);
    assert.equal(uses.ref, '');
    assert.equal(uses.refKind, null);
    assert.equal(uses.refStart, value.length);
    assert.equal(uses.refEnd, value.length);
  });

  test('surrounding whitespace shifts the offsets to the ref as written', () => {
    const value = '  actions/setup-node@v4.1.0  ';
    const uses = remote(value);
    assert.equal(uses.ref, 'v4.1.0');
    assert.equal(refSlice(value, uses), 'v4.1.0');
  });

  test('an expression as ref', () => {
    const value = 'actions/checkout@${{ matrix.ref }}';
    const uses = remote(value);
    assert.equal(uses.refKind, 'expression');
    assert.equal(refSlice(value, uses), '${{ matrix.ref }}');
  });

  test('a ref containing slashes (branch release/v1)', () => {
    const value = 'o/r@release/v1';
    const uses = remote(value);
    assert.equal(uses.repository, 'o/r');
    assert.equal(uses.subpath, null);
    assert.equal(uses.ref, 'release/v1');
    assert.equal(uses.refKind, 'branch-like');
  });
});

describe('parseUses: local, same-repository and docker', () => {
  test('./local action', () => {
    assert.deepEqual(parseUses('./.github/actions/setup'), { kind: 'local', path: './.github/actions/setup', isReusableWorkflow: false });
    assert.deepEqual(parseUses('./'), { kind: 'local', path: './', isReusableWorkflow: false });
    assert.equal(parseUses('.').kind, 'local');
  });

  test('./.github/workflows/x.yml is a local reusable workflow', () => {
    assert.deepEqual(parseUses('./.github/workflows/build.yml'), {
      kind: 'local',
      path: './.github/workflows/build.yml',
      isReusableWorkflow: true,
    });
    assert.equal((parseUses('./.github/workflows/build.yaml') as { isReusableWorkflow: boolean }).isReusableWorkflow, true);
  });

  test('$/same-repo/path', () => {
    assert.deepEqual(parseUses('$/same-repo/path'), { kind: 'self', path: 'same-repo/path', isReusableWorkflow: false });
    assert.deepEqual(parseUses('$/.github/workflows/ci.yml'), { kind: 'self', path: '.github/workflows/ci.yml', isReusableWorkflow: true });
  });

  test('docker://alpine', () => {
    assert.deepEqual(parseUses('docker://alpine'), { kind: 'docker', image: 'alpine', tag: null, digest: null });
    assert.deepEqual(parseUses('docker://alpine:3.20'), { kind: 'docker', image: 'alpine', tag: '3.20', digest: null });
  });

  test('docker with registry port, tag and digest', () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    assert.deepEqual(parseUses(`docker://ghcr.io:443/o/i:1.2@${digest}`), {
      kind: 'docker',
      image: 'ghcr.io:443/o/i',
      tag: '1.2',
      digest,
    });
    // A port without a tag is not mistaken for a tag.
    assert.deepEqual(parseUses('docker://localhost:5000/tools/lint'), {
      kind: 'docker',
      image: 'localhost:5000/tools/lint',
      tag: null,
      digest: null,
    });
    assert.deepEqual(parseUses(`docker://debian@${digest}`), { kind: 'docker', image: 'debian', tag: null, digest });
  });
});

describe('parseUses: invalid input', () => {
  test('empty and blank', () => {
    for (const value of ['', '   ', '\n']) assert.equal(parseUses(value).kind, 'invalid', JSON.stringify(value));
  });

  test('junk that is not owner/repo, ./path or docker://', () => {
    for (const value of ['checkout', 'checkout@v4', '@v4', '/repo@v1', 'owner/@v1', '\u0000']) {
      const parsed: UsesReference = parseUses(value);
      assert.equal(parsed.kind, 'invalid', `${JSON.stringify(value)} -> ${JSON.stringify(parsed)}`);
      assert.ok(parsed.kind === 'invalid' && parsed.reason.length > 0);
    }
  });

  test('never throws on arbitrary strings', () => {
    let seed = 7;
    const alphabet = 'ab/@.:$ \t${}-_9\u00e9\ud83d\ude80';
    for (let i = 0; i < 2000; i++) {
      let value = '';
      const length = i % 24;
      for (let j = 0; j < length; j++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        value += alphabet[seed % alphabet.length];
      }
      const parsed = parseUses(value);
      if (parsed.kind === 'remote') {
        assert.ok(parsed.refStart >= 0 && parsed.refStart <= parsed.refEnd && parsed.refEnd <= value.length, value);
        if (parsed.ref !== null) assert.equal(value.slice(parsed.refStart, parsed.refEnd), parsed.ref);
      }
    }
  });
});

describe('classifyRef', () => {
  test('full 40-hex SHA', () => {
    assert.equal(classifyRef(SHA), 'sha');
    assert.equal(classifyRef('0'.repeat(40)), 'sha');
  });

  test('abbreviated SHAs (7 to 39 hex) are short-sha', () => {
    for (const ref of ['abc1234', 'deadbeef', SHA.slice(0, 12), SHA.slice(0, 39)]) assert.equal(classifyRef(ref), 'short-sha', ref);
  });

  test('too long or too short hex is not a SHA', () => {
    assert.equal(classifyRef(`${SHA}0`), 'branch-like');
    assert.equal(classifyRef('abc12'), 'branch-like');
  });

  test('versions', () => {
    for (const ref of ['v4', 'v4.2', 'v4.2.2', '1.0', '1.0.0', 'v1.2.3-beta.1', 'v2.0.0+build.5', '3']) {
      assert.equal(classifyRef(ref), 'version', ref);
    }
  });

  test('branch-like refs', () => {
    for (const ref of ['main', 'master', 'release/v1', 'feature-x', 'v4-dev-branch/x', 'latest', 'stable']) {
      assert.equal(classifyRef(ref), 'branch-like', ref);
    }
  });

  test('expressions', () => {
    assert.equal(classifyRef('${{ inputs.ref }}'), 'expression');
    assert.equal(classifyRef('v${{ matrix.major }}'), 'expression');
  });
});
