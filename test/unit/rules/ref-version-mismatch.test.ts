import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze, DEFAULT_ANALYSIS_OPTIONS } from '../../../server/src/engine';
import { ParsedFile } from '../../../server/src/parse/document';
import { attachSnapshot, emptySnapshot } from '../../../server/src/resolve/snapshot';
import { refVersionMismatch } from '../../../server/src/rules/ref-version-mismatch';
import { applyFix, parseWorkflow, rangeText } from '../../support/analysis';
import { sha } from '../../support/fake-github';
import { onlineAnalysis, workflowUsing } from '../../support/online';
import { assertFindings } from '../../support/expect-findings';

const { online } = onlineAnalysis();
const CO4 = sha('co-4');
const ONLINE = ['ref-version-mismatch', 'impostor-commit', 'stale-action-refs', 'ref-confusion'];

const HEAD = 'a'.repeat(40);
const OTHER = 'b'.repeat(40);

function findings(uses: string) {
  const file = new ParsedFile(
    'file:///r/.github/workflows/x.yml',
    'workflow',
    `on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: ${uses}\n`,
  );
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

describe('ref-version-mismatch against a fake GitHub', () => {
  test('ref-version-mismatch: the comment names a tag on another commit; fix corrects the comment', async () => {
    const text = workflowUsing(`actions/checkout@${CO4} # v4.1.0`);
    const file = parseWorkflow(text);
    const [finding] = (await online(file)).filter((f) => f.ruleId === 'ref-version-mismatch');
    assert.ok(finding);
    assert.equal(rangeText(text, finding.range), 'v4.1.0');
    assert.match(finding.message, /v4\.1\.0.*pinned commit is `v4\.2\.2`/);
    const fixed = applyFix(text, finding.fixes[0]);
    assert.equal(fixed, workflowUsing(`actions/checkout@${CO4} # v4.2.2`));
    assert.deepEqual(
      (await online(parseWorkflow(fixed))).filter((f) => f.ruleId === 'ref-version-mismatch'),
      [],
    );
    const repin = applyFix(text, finding.fixes[1]);
    assert.equal(repin, workflowUsing(`actions/checkout@${sha('co-2')} # v4.1.0`));
  });

  test('ref-version-mismatch: truthful comment → nothing; missing comment → pedantic finding with a fix', async () => {
    assert.deepEqual(
      (await online(parseWorkflow(workflowUsing(`actions/checkout@${CO4} # v4.2.2`)))).filter(
        (f) => ONLINE.includes(f.ruleId) || f.ruleId === 'unpinned-uses',
      ),
      [],
    );
    const text = workflowUsing(`actions/checkout@${CO4}`);
    const [missing] = (await online(parseWorkflow(text))).filter((f) => f.ruleId === 'ref-version-mismatch');
    assert.equal(missing.persona, 'pedantic');
    assert.equal(applyFix(text, missing.fixes[0]), workflowUsing(`actions/checkout@${CO4} # v4.2.2`));
  });
});

describe('ref-version-mismatch: minimal workflows', () => {
  test('the comment names a release on another commit: the version in the comment', async () => {
    const found = await online(parseWorkflow(workflowUsing(`actions/checkout@${CO4}`, ' # v5.0.0')), { ruleId: 'ref-version-mismatch' });
    assertFindings(found, 'ref-version-mismatch', [
      ['6:74-6:80', /The comment says `v5.0.0` but `v5.0.0` .*; the pinned commit is `v4.2.2`/],
    ]);
  });

  test('no comment on a tagged commit: pedantic, on the whole value, naming the tag', async () => {
    const found = await online(parseWorkflow(workflowUsing(`actions/checkout@${sha('co-5')}`)), { ruleId: 'ref-version-mismatch' });
    assertFindings(found, 'ref-version-mismatch', [['6:14-6:71', /has no version comment; it is `v5.0.0`/]]);
    assert.equal(found[0].persona, 'pedantic');
  });

  test('a truthful version comment is not flagged', async () => {
    assertFindings(
      await online(parseWorkflow(workflowUsing(`actions/checkout@${sha('co-5')}`, ' # v5.0.0')), { ruleId: 'ref-version-mismatch' }),
      'ref-version-mismatch',
      [],
    );
  });

  test('a version tag ref (not a SHA) is not audited by this rule', async () => {
    assertFindings(
      await online(parseWorkflow(workflowUsing('actions/checkout@v4.2.2', ' # v4.1.0')), { ruleId: 'ref-version-mismatch' }),
      'ref-version-mismatch',
      [],
    );
  });
});

describe('ref-version-mismatch offline, from the bundled release table', () => {
  // actions/checkout v4.2.2 and v5.0.0, as their tags point (see knowledge/release-commits.generated.ts).
  const V422 = '11bd71901bbe5b1630ceea73d27597364c9af683';
  const V500 = '08c6903cd8c0fde910a37f88322edcfb5dd907a8';
  const offline = (uses: string) => {
    const text = `on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: ${uses}\n`;
    return { text, found: analyze(parseWorkflow(text), { ...DEFAULT_ANALYSIS_OPTIONS, persona: 'auditor', rules: [refVersionMismatch] }) };
  };

  test('a comment naming another release of a known commit is reported on the comment, with a fix', () => {
    const { text, found } = offline(`actions/checkout@${V422} # v4.1.0`);
    assert.equal(found.length, 1);
    assert.equal(rangeText(text, found[0].range), 'v4.1.0');
    assert.match(found[0].message, /the pinned commit 11bd71901bbe… is `v4\.2\.2` of `actions\/checkout`/);
    assert.equal(applyFix(text, found[0].fixes[0]), text.replace('# v4.1.0', '# v4.2.2'));
    assert.equal(offline(`actions/checkout@${V500} # v6.0.0`).found.length, 1, 'a v5 commit commented as v6');
    assert.equal(offline(`actions/checkout@${V422} # v5`).found.length, 1, 'a v4 commit commented as the v5 series');
  });

  test('a comment in the commit’s series, an unknown version, no comment or an unknown commit is not', () => {
    for (const uses of [
      `actions/checkout@${V422} # v4.2.2`,
      `actions/checkout@${V422} # 4.2.2`,
      `actions/checkout@${V422} # v4`,
      `actions/checkout@${V422} # v4.2`,
      `actions/checkout@${V422} # v99.0.0`,
      `actions/checkout@${V422}`,
      `actions/checkout@${'c'.repeat(40)} # v4.1.0`,
      `someone/else@${V422} # v4.1.0`,
    ]) {
      assert.deepEqual(offline(uses).found, [], uses);
    }
  });
});
