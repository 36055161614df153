import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, appendLines, insertLinesAbove } from '../../server/src/fixes/edits';
import { dangerousTriggers } from '../../server/src/rules/dangerous-triggers';
import { excessivePermissions } from '../../server/src/rules/excessive-permissions';
import type { Rule } from '../../server/src/rules/types';
import type { Finding, Fix, OffsetEdit } from '../../server/src/findings';
import { unpinnedUses } from '../../server/src/rules/unpinned-uses';
import { applyFix, findingsOf, lineOf, parseWorkflow, rangeText, toCRLF, yaml } from '../support/analysis';

/** What a finding is, independent of where it sits. */
function identity(finding: Finding) {
  return {
    ruleId: finding.ruleId,
    message: finding.message,
    severity: finding.severity,
    confidence: finding.confidence,
    persona: finding.persona,
  };
}

/** The rules whose findings some tests list in full (so that rules added later don't break them). */
const CORE: readonly Rule[] = [dangerousTriggers, excessivePermissions, unpinnedUses];

const MISSING = /No( workflow-level)? `permissions:`/;

/** The excessive-permissions finding about missing permissions (the one with fixes). */
function missingPermissions(text: string): Finding {
  const found = findingsOf(text, { ruleId: 'excessive-permissions' }).filter((f) => MISSING.test(f.message));
  assert.equal(found.length, 1, `expected one missing-permissions finding, got ${found.length}`);
  assert.ok(found[0].fixes.length > 0);
  return found[0];
}

/** The two workflow-level fixes: `permissions: {}` and the read-only `contents: read` block, found by title. */
function workflowLevelFixes(finding: Finding): { empty: Fix; readOnly: Fix; both: Fix[] } {
  const empty = finding.fixes.find((fix) => /^Add `permissions: \{\}` at workflow level/.test(fix.title));
  const readOnly = finding.fixes.find((fix) => /contents: read` at workflow level/.test(fix.title));
  assert.ok(empty, `no \`permissions: {}\` fix among ${finding.fixes.map((f) => f.title).join(' | ')}`);
  assert.ok(readOnly, 'no `contents: read` fix');
  return { empty, readOnly, both: [empty, readOnly] };
}

/**
 * Applies a fix that inserts text, then checks the contract of fixes: the document still parses, the
 * finding is gone, the original text is intact around the insertion, and every other finding is the same
 * (same rule, message, severity, and the same text at the same place once the insertion is taken out).
 */
function checkInsertionFix(text: string, fix: Fix): { after: string; at: number; inserted: string } {
  assert.equal(fix.edits.length, 1);
  const [edit] = fix.edits;
  assert.equal(edit.span.start, edit.span.end, 'an insertion');
  const at = edit.span.start;
  const inserted = edit.newText;
  const after = applyFix(text, fix);

  // Nothing else in the text changed.
  assert.equal(after.slice(0, at) + after.slice(at + inserted.length), text);

  // The result still parses.
  assert.deepEqual(parseWorkflow(after).problems, []);

  // The finding is gone; the others are unchanged, shifted by the insertion.
  const before = findingsOf(text, { persona: 'auditor' });
  const target = before.find((f) => f.ruleId === 'excessive-permissions' && MISSING.test(f.message))!;
  const others = before.filter((f) => f !== target);
  const rest = findingsOf(after, { persona: 'auditor' });
  assert.ok(!rest.some((f) => f.ruleId === 'excessive-permissions' && MISSING.test(f.message)), 'the finding is gone');
  const key = (f: Finding) => JSON.stringify(identity(f));
  const end = at + inserted.length;
  const unshift = (offset: number) => (offset >= end ? offset - inserted.length : offset);
  const unmatched = new Set(others);
  const take = (predicate: (o: Finding) => boolean): Finding | undefined => {
    const found = [...unmatched].find(predicate);
    if (found) unmatched.delete(found);
    return found;
  };
  for (const finding of rest) {
    if (finding.span.start >= at && finding.span.end <= end && finding.span.end > at) {
      // On the inserted lines. Either a finding that pointed at the line the insertion went above (a rule
      // anchored on the first key of the file, say), or a new remark about the inserted lines by another rule.
      const moved = take((o) => key(o) === key(finding) && o.span.start === at);
      assert.ok(moved || finding.ruleId !== 'excessive-permissions', `the fix must not raise a new ${finding.ruleId}: ${finding.message}`);
      continue;
    }
    const span = { start: unshift(finding.span.start), end: unshift(finding.span.end) };
    const match = take((o) => key(o) === key(finding) && o.span.start === span.start && o.span.end === span.end);
    assert.ok(match, `new or moved finding after the fix: ${finding.ruleId} ${JSON.stringify(finding.range)} ${finding.message}`);
    assert.equal(rangeText(after, finding.range), rangeText(text, match.range));
  }
  assert.deepEqual(
    [...unmatched].map((f) => `${f.ruleId}: ${f.message}`),
    [],
    'findings lost by the fix',
  );
  return { after, at, inserted };
}

const PLAIN = yaml`
  name: CI
  on: push
  jobs:
    build:
      runs-on: ubuntu-latest
      steps:
        - uses: actions/checkout@v4
        - run: make
    lint:
      runs-on: ubuntu-latest
      permissions: write-all
      steps:
        - run: make lint
`;

describe('excessive-permissions fixes', () => {
  test('plain: `permissions: {}` goes on its own line directly above `jobs:`', () => {
    const finding = missingPermissions(PLAIN);
    const { empty, readOnly } = workflowLevelFixes(finding);
    assert.equal(readOnly.isPreferred, false);
    assert.equal(empty.safety, 'unsafe', 'jobs that relied on the default token lose it');
    assert.equal(finding.fixes.filter((fix) => fix.isPreferred).length, 1, 'exactly one preferred fix');
    const { after, inserted } = checkInsertionFix(PLAIN, empty);
    assert.equal(inserted, 'permissions: {}\n');
    assert.equal(lineOf(after, 'permissions: {}') + 1, lineOf(after, 'jobs:'));
    const workflow = parseWorkflow(after).workflow!;
    assert.equal(workflow.permissions!.value?.toString(), '{}');
    // The other findings (unpinned-uses, write-all on `lint`) are still there.
    assert.deepEqual(
      findingsOf(after, { rules: CORE }).map((f) => rangeText(after, f.range)),
      ['v4', 'write-all'],
    );
  });

  test('plain: the read-only variant inserts a two-line block', () => {
    const { after, inserted } = checkInsertionFix(PLAIN, workflowLevelFixes(missingPermissions(PLAIN)).readOnly);
    assert.equal(inserted, 'permissions:\n  contents: read\n');
    const permissions = parseWorkflow(after).workflow!.child('permissions');
    assert.deepEqual(
      permissions.entries.map((e) => [e.key, permissions.string(e.key)!.value]),
      [['contents', 'read']],
    );
  });

  test('comment lines directly above `jobs:` stay attached to it: the insertion goes above them', () => {
    const text = yaml`
      on: push
      env:
        A: 1
        # about A (indented: belongs to env)

      # The jobs of this workflow.
      # Keep them small.
      jobs:
        build:
          runs-on: ubuntu-latest
          steps: [{run: make}]
    `;
    for (const fix of workflowLevelFixes(missingPermissions(text)).both) {
      const { after, at, inserted } = checkInsertionFix(text, fix);
      assert.equal(at, text.indexOf('# The jobs'));
      const lines = after.split('\n');
      const jobs = lines.indexOf('jobs:');
      assert.deepEqual(lines.slice(jobs - 2, jobs), ['# The jobs of this workflow.', '# Keep them small.']);
      // The inserted block ends right above the comments.
      assert.equal(lines[jobs - 3], inserted.trimEnd().split('\n').at(-1));
      assert.ok(after.includes('  # about A (indented: belongs to env)\n\npermissions'));
    }
  });

  test('a comment at another indentation directly above `jobs:` is not moved past', () => {
    const text = 'on: push\nenv:\n  A: 1\n  # about A\njobs:\n  a:\n    steps: [{run: x}]\n';
    const { at } = checkInsertionFix(text, workflowLevelFixes(missingPermissions(text)).empty);
    assert.equal(at, text.indexOf('jobs:'));
  });

  test('CRLF file: inserted lines use CRLF', () => {
    const text = toCRLF(PLAIN);
    for (const fix of workflowLevelFixes(missingPermissions(text)).both) {
      const { after, inserted } = checkInsertionFix(text, fix);
      assert.ok(inserted.endsWith('\r\n'));
      assert.equal(/(?<!\r)\n/.test(after), false, 'no bare LF in the result');
    }
    assert.equal(
      checkInsertionFix(text, workflowLevelFixes(missingPermissions(text)).readOnly).inserted,
      'permissions:\r\n  contents: read\r\n',
    );
  });

  test('4-space indentation: the `contents: read` variant indents with 4 spaces', () => {
    const text = yaml`
      on: push
      jobs:
          build:
              runs-on: ubuntu-latest
              steps:
                  - uses: actions/checkout@v4
          test:
              runs-on: ubuntu-latest
              steps:
                  - run: make test
    `;
    const { after, inserted } = checkInsertionFix(text, workflowLevelFixes(missingPermissions(text)).readOnly);
    assert.equal(inserted, 'permissions:\n    contents: read\n');
    assert.equal(parseWorkflow(after).workflow!.child('permissions').string('contents')!.value, 'read');
  });

  test('`jobs:` on the first line: insertion at the very start', () => {
    const text = 'jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{uses: actions/checkout@v4}]\non: push\n';
    for (const fix of workflowLevelFixes(missingPermissions(text)).both) {
      const { at, after } = checkInsertionFix(text, fix);
      assert.equal(at, 0);
      assert.ok(after.startsWith('permissions:'));
    }
  });

  test('no trailing newline', () => {
    const text = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make';
    for (const fix of workflowLevelFixes(missingPermissions(text)).both) {
      const { after } = checkInsertionFix(text, fix);
      assert.ok(after.endsWith('- run: make'), 'the end of the file is untouched');
    }
  });

  test('tabs and non-ASCII elsewhere in the file', () => {
    const text = yaml`
      name: "Déploiement 🚀 部署"
      on: push  # ⚙\tcomment with a tab
      env:
        GREETING: "こんにちは\tworld"
      jobs:
        déployer:
          runs-on: ubuntu-latest
          steps:
            - name: "Étape ✨"
              run: |
                echo "🎉	tab inside"
            - uses: actions/checkout@v4
    `;
    assert.ok(text.includes('\t'));
    for (const fix of workflowLevelFixes(missingPermissions(text)).both) {
      const { after } = checkInsertionFix(text, fix);
      const [finding] = findingsOf(after, { ruleId: 'unpinned-uses' });
      assert.equal(rangeText(after, finding.range), 'v4');
    }
  });

  test('the pedantic finding (every job declares permissions) has a safe fix that removes it', () => {
    const text =
      'on: push\njobs:\n  a:\n    permissions: {contents: read}\n    steps: [{run: x}]\n  b:\n    permissions: {}\n    steps: [{run: y}]\n';
    const finding = missingPermissions(text);
    assert.equal(finding.persona, 'pedantic');
    const { empty } = workflowLevelFixes(finding);
    assert.equal(empty.safety, 'safe');
    assert.equal(empty.isPreferred, true);
    const { after } = checkInsertionFix(text, empty);
    assert.deepEqual(findingsOf(after, { rules: CORE }), []);
  });

  test('fixes are offered for a workflow_call-only workflow too', () => {
    const text = 'on: workflow_call\njobs:\n  a:\n    steps: [{run: x}]\n';
    const finding = missingPermissions(text);
    assert.equal(finding.persona, 'pedantic');
    checkInsertionFix(text, workflowLevelFixes(finding).empty);
  });
});

describe('edit builders', () => {
  test('insertLinesAbove uses the indentation of the anchor line', () => {
    const text = 'a:\n  b: 1\n  c: 2\n';
    const file = parseWorkflow(text);
    const edit = insertLinesAbove(file, text.indexOf('c:'), ['x: 0']);
    assert.equal(applyEdits(text, [edit]), 'a:\n  b: 1\n  x: 0\n  c: 2\n');
  });

  test('appendLines adds a line break first when the text lacks one', () => {
    const withoutBreak = parseWorkflow('on: push');
    assert.equal(applyEdits(withoutBreak.text, [appendLines(withoutBreak, ['a: 1'])]), 'on: push\na: 1\n');
    const crlf = parseWorkflow('on: push\r\nx: 1');
    assert.equal(applyEdits(crlf.text, [appendLines(crlf, ['a: 1'])]), 'on: push\r\nx: 1\r\na: 1\r\n');
    const withBreak = parseWorkflow('on: push\n');
    assert.equal(applyEdits(withBreak.text, [appendLines(withBreak, ['a: 1'])]), 'on: push\na: 1\n');
  });
});

describe('applyEdits', () => {
  const text = '0123456789';
  const edit = (start: number, end: number, newText: string): OffsetEdit => ({ span: { start, end }, newText });

  test('overlapping edits throw', () => {
    assert.throws(() => applyEdits(text, [edit(2, 5, 'x'), edit(4, 7, 'y')]), /overlapping/);
    assert.throws(() => applyEdits(text, [edit(4, 7, 'y'), edit(2, 5, 'x')]), /overlapping/);
    assert.throws(() => applyEdits(text, [edit(0, 10, ''), edit(3, 3, 'in')]), /overlapping/, 'an insertion inside a replacement');
  });

  test('non-overlapping edits give the same result in any order', () => {
    const edits = [edit(0, 1, 'A'), edit(3, 5, ''), edit(5, 5, '+'), edit(7, 10, 'Z'), edit(6, 7, 'six')];
    const expected = 'A12+5sixZ';
    const permutations = (items: OffsetEdit[]): OffsetEdit[][] =>
      items.length <= 1
        ? [items]
        : items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((p) => [item, ...p]));
    for (const order of permutations(edits)) assert.equal(applyEdits(text, order), expected);
  });

  test('adjacent edits do not overlap', () => {
    assert.equal(applyEdits(text, [edit(0, 5, 'a'), edit(5, 10, 'b')]), 'ab');
  });

  test('insertions at the same offset keep their order, as in LSP', () => {
    assert.equal(applyEdits(text, [edit(3, 3, 'A'), edit(3, 3, 'B'), edit(3, 3, 'C')]), '012ABC3456789');
  });

  test('no edits and empty text', () => {
    assert.equal(applyEdits(text, []), text);
    assert.equal(applyEdits('', [edit(0, 0, 'x')]), 'x');
  });

  test('the input array is not reordered', () => {
    const edits = [edit(0, 1, 'a'), edit(5, 6, 'b')];
    applyEdits(text, edits);
    assert.deepEqual(
      edits.map((e) => e.newText),
      ['a', 'b'],
    );
  });
});
