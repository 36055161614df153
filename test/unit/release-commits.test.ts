import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import type { Analysis } from '../../server/src/document-cache';
import { pinningHover } from '../../server/src/features/hovers/pinning';
import { commentAgreement, hasReleaseTable, knownRelease } from '../../server/src/knowledge/release-commits';
import { RELEASE_COMMITS } from '../../server/src/knowledge/release-commits.generated';
import { attachSnapshot, emptySnapshot } from '../../server/src/resolve/snapshot';
import { parseWorkflow } from '../support/analysis';

/**
 * Commits that several release tags of one repository really share, as `git show-ref --tags -d` of the
 * repository shows them (a re-tag of the same commit, or a major tag kept on an older series).
 */
const REAL_ALIASES = new Set(['github/codeql-action v3.29.5 v3.29.7', 'softprops/action-gh-release v0.1.15 v1']);

function pairs(tags: string): [string, string][] {
  const words = tags.split(' ');
  const out: [string, string][] = [];
  for (let i = 0; i < words.length; i += 2) out.push([words[i], words[i + 1]]);
  return out;
}

const key = (tag: string) => {
  const parts = tag.slice(1).split('.').map(Number);
  return parts.length === 1 ? [parts[0], Number.POSITIVE_INFINITY, 0] : parts;
};

describe('the bundled release table', () => {
  test('is well-formed: release and major tags, 40-hex commits, version order, no unexplained alias', () => {
    assert.ok(RELEASE_COMMITS.length >= 10);
    const repositories = new Set<string>();
    for (const source of RELEASE_COMMITS) {
      assert.match(source.repository, /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/);
      assert.ok(!repositories.has(source.repository.toLowerCase()), `${source.repository} twice`);
      repositories.add(source.repository.toLowerCase());
      const list = pairs(source.tags);
      assert.ok(list.length > 0, source.repository);
      const seen = new Set<string>();
      const byCommit = new Map<string, string[]>();
      for (const [i, [tag, commit]] of list.entries()) {
        assert.match(tag, /^v\d+(\.\d+\.\d+)?$/, `${source.repository} ${tag}`);
        assert.match(commit ?? '', /^[0-9a-f]{40}$/, `${source.repository} ${tag}`);
        assert.ok(!seen.has(tag), `${source.repository} ${tag} twice`);
        seen.add(tag);
        if (i > 0) {
          const [a, b] = [key(list[i - 1][0]), key(tag)];
          const order = a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
          assert.ok(order < 0, `${source.repository}: ${list[i - 1][0]} before ${tag}`);
        }
        byCommit.set(commit, [...(byCommit.get(commit) ?? []), tag]);
      }
      for (const tags of byCommit.values()) {
        if (tags.length === 1) continue;
        const releases = tags.filter((tag) => tag.includes('.'));
        const majors = tags.filter((tag) => !tag.includes('.'));
        // A major tag on the commit of one of its own releases is the usual moving major tag.
        const usual = releases.length === 1 && majors.length === 1 && releases[0].startsWith(`${majors[0]}.`);
        assert.ok(
          usual || REAL_ALIASES.has(`${source.repository} ${tags.join(' ')}`),
          `${source.repository}: ${tags.join(', ')} share a commit`,
        );
      }
    }
    for (const top of ['actions/checkout', 'actions/setup-node', 'actions/setup-python', 'actions/cache', 'actions/upload-artifact']) {
      assert.ok(hasReleaseTable(top), top);
    }
  });

  test('knows checkout from v1 to v6', () => {
    const checkout = pairs(RELEASE_COMMITS.find((source) => source.repository === 'actions/checkout')!.tags).map(([tag]) => tag);
    for (const tag of ['v1.0.0', 'v2.0.0', 'v3.0.0', 'v4.0.0', 'v5.0.0', 'v6.0.0', 'v1', 'v6']) assert.ok(checkout.includes(tag), tag);
  });

  test('looks a commit up, any case, and names its most specific release', () => {
    const release = knownRelease('Actions/Checkout', '11BD71901BBE5B1630CEEA73D27597364C9AF683');
    assert.equal(release?.version, 'v4.2.2');
    assert.equal(release?.major, 4);
    assert.equal(knownRelease('actions/checkout', 'f'.repeat(40)), null);
    assert.equal(knownRelease('someone/else', '11bd71901bbe5b1630ceea73d27597364c9af683'), null);
  });

  test('a comment agrees with its series, disagrees with another known one, and is unknown beyond the table', () => {
    const release = knownRelease('actions/checkout', '11bd71901bbe5b1630ceea73d27597364c9af683')!;
    for (const comment of ['v4.2.2', '4.2.2', 'v4', 'v4.2']) assert.equal(commentAgreement(release, comment), 'agrees', comment);
    for (const comment of ['v4.1.0', 'v3', 'v5.0.0', 'v4.1']) assert.equal(commentAgreement(release, comment), 'disagrees', comment);
    for (const comment of ['v99', 'v4.2.99', 'main', 'v4.2.2-beta']) assert.equal(commentAgreement(release, comment), 'unknown', comment);
  });
});

describe('the uses: hover offline', () => {
  const hover = (uses: string) => {
    const text = `on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: ${uses}\n`;
    const file = parseWorkflow(text);
    attachSnapshot(file, emptySnapshot(true));
    return pinningHover({ file } as Analysis, text.indexOf('uses: ') + 8)[0].markdown;
  };

  test('names the release of a known commit and checks the comment', () => {
    const pinned = 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683';
    assert.match(hover(pinned), /Commit `11bd71901bbe` is release `v4\.2\.2` of actions\/checkout/);
    assert.match(hover(`${pinned} # v4`), /✓ The comment `# v4` agrees/);
    assert.match(hover(`${pinned} # v4.1.0`), /⚠ The comment `# v4\.1\.0` is false: the commit is `v4\.2\.2`/);
    assert.match(hover(pinned), /Offline mode/);
  });

  test('says nothing about a commit the table does not know', () => {
    assert.doesNotMatch(hover(`actions/checkout@${'e'.repeat(40)} # v4.1.0`), /release|comment/);
  });
});
