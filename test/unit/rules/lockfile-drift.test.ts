import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../../../server/src/fixes/edits';
import { SHA_A, SHA_B, entry, lockFindings, lockText, wf, workflowFindings } from '../../support/lockfile';

const CI = '.github/workflows/ci.yml';

describe('lockfile-drift', () => {
  test('a ref changed by hand: error on the ref (not unlocked-uses), with a revert fix', () => {
    const lock = lockText({ [CI]: ['actions/checkout@v4.1.0'] }, [entry('actions/checkout@v4.1.0', 'v4.1.0', SHA_A)]);
    const text = wf('      - uses: actions/checkout@v4.2.0 # newer\n');
    const findings = workflowFindings(text, lock);
    assert.deepEqual(
      findings.map((f) => [f.ruleId, text.slice(f.span.start, f.span.end)]),
      [['lockfile-drift', 'v4.2.0']],
    );
    assert.match(findings[0].message, /holds `actions\/checkout` at `v4.1.0`/);
    const [fix] = findings[0].fixes;
    assert.equal(applyEdits(text, fix.edits), wf('      - uses: actions/checkout@v4.1.0 # newer\n'));
    assert.equal(fix.isPreferred, false);
  });

  test('stale entries and workflows whose file is gone, with removal fixes that keep the header', () => {
    const lock = lockText({ [CI]: ['actions/checkout@v4'], '.github/workflows/gone.yml': ['actions/cache@v4'] }, [
      entry('actions/checkout@v4', 'v4', SHA_A),
      entry('actions/cache@v4', 'v4', SHA_B),
      entry('actions/old@v1', 'v1', SHA_B),
    ]);
    const { findings } = lockFindings(lock, { [CI]: wf('      - uses: actions/checkout@v4\n') }, 'lockfile-drift');
    assert.deepEqual(
      findings.map((f) => [lock.slice(f.span.start, f.span.end), f.severity]),
      [
        ['.github/workflows/gone.yml', 'medium'],
        ['actions/cache@v4', 'medium'],
        ['actions/old@v1', 'medium'],
      ],
    );
    // Applying the fixes one at a time, re-parsing and re-checking after each, ends with no drift and no error.
    const workflows = { [CI]: wf('      - uses: actions/checkout@v4\n') };
    let fixed = lock;
    for (let round = 0; round < 5; round++) {
      const next = lockFindings(fixed, workflows).findings.find((f) => f.fixes.length > 0);
      if (!next) break;
      fixed = applyEdits(fixed, next.fixes[0].edits);
    }
    assert.ok(fixed.startsWith('# header\n'));
    assert.deepEqual(
      lockFindings(fixed, workflows).findings.map((f) => f.ruleId),
      [],
    );
    assert.equal(fixed, lockText({ [CI]: ['actions/checkout@v4'] }, [entry('actions/checkout@v4', 'v4', SHA_A)]));
  });

  test('a list that is not the transitive closure of the uses: is rewritten', () => {
    const lock = lockText({ [CI]: ['actions/checkout@v4'] }, [
      entry('actions/checkout@v4', 'v4', SHA_A),
      entry('my/composite@v1', 'v1', SHA_A, ['actions/setup@v2']),
      entry('actions/setup@v2', 'v2', SHA_B),
    ]);
    const workflow = wf('      - uses: actions/checkout@v4\n      - uses: my/composite@v1\n');
    const { findings } = lockFindings(lock, { [CI]: workflow }, 'lockfile-drift');
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /does not list `my\/composite@v1`, `actions\/setup@v2`/);
    const fixed = applyEdits(lock, findings[0].fixes[0].edits);
    assert.deepEqual(lockFindings(fixed, { [CI]: workflow }).findings, []);
  });

  test('a lock whose workflows match has no finding; without the workflows, only unreachable entries are stale', () => {
    const lock = lockText({ [CI]: ['actions/checkout@v4'] }, [entry('actions/checkout@v4', 'v4', SHA_A)]);
    assert.deepEqual(lockFindings(lock, { [CI]: wf('      - uses: actions/checkout@v4\n') }, 'lockfile-drift').findings, []);
    assert.deepEqual(lockFindings(lock, null, 'lockfile-drift').findings, []);
  });
});
