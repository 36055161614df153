import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze, DEFAULT_ANALYSIS_OPTIONS } from '../../server/src/engine';
import { ParsedFile } from '../../server/src/parse/document';
import { attachSnapshot, emptySnapshot } from '../../server/src/resolve/snapshot';
import { refVersionMismatch } from '../../server/src/rules/ref-version-mismatch';

const HEAD = 'a'.repeat(40);
const OTHER = 'b'.repeat(40);

function findings(uses: string) {
  const file = new ParsedFile('file:///r/.github/workflows/x.yml', 'workflow', `on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: ${uses}\n`);
  const snapshot = emptySnapshot(false);
  snapshot.repos.set('o/r', {
    ok: true,
    value: {
      repository: 'o/r',
      tags: [
        { name: 'v1.2.3', kind: 'tag', commit: HEAD },
        { name: 'cargo-hack', kind: 'tag', commit: HEAD },
        { name: 'v1.0.0', kind: 'tag', commit: OTHER },
      ],
      branches: [{ name: 'main', kind: 'branch', commit: HEAD }],
      defaultBranch: 'main',
      fetchedAt: 0,
    },
  });
  attachSnapshot(file, snapshot);
  return analyze(file, { ...DEFAULT_ANALYSIS_OPTIONS, persona: 'auditor', rules: [refVersionMismatch] });
}

test('a comment naming the branch or the non-version tag the pin came from is not a missing version comment', () => {
  assert.deepEqual(findings(`o/r@${HEAD} # main`), []);
  assert.deepEqual(findings(`o/r@${HEAD} # cargo-hack`), []);
  assert.deepEqual(findings(`o/r@${HEAD} # v1.2.3`), []);
});

test('no comment, an unrelated comment, or a version on another commit are still reported', () => {
  assert.match(findings(`o/r@${HEAD}`)[0]?.message ?? '', /has no version comment; it is `v1.2.3`/);
  assert.match(findings(`o/r@${HEAD} # pinned by hand`)[0]?.message ?? '', /has no version comment/);
  assert.match(findings(`o/r@${HEAD} # v1.0.0`)[0]?.message ?? '', /points at bbbbbbbbbbbb…, not at the pinned commit/);
  assert.match(findings(`o/r@${OTHER} # cargo-hack`)[0]?.message ?? '', /has no version comment; it is `v1.0.0`/);
});
