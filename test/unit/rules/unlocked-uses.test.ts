import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SHA_A, entry, lockText, wf, workflowFindings } from '../../support/lockfile';

const lock = lockText({ '.github/workflows/ci.yml': ['actions/checkout@v4'] }, [entry('actions/checkout@v4', 'v4', SHA_A)]);
const ids = (text: string, lockFile: string | null) =>
  workflowFindings(text, lockFile).map((f) => [f.ruleId, text.slice(f.span.start, f.span.end)]);

describe('unlocked-uses', () => {
  test('an onboarded workflow using a ref with no entry: error on the ref, in place of unpinned-uses', () => {
    const text = wf('      - uses: actions/checkout@v4\n      - uses: other/tool/sub@v2\n');
    assert.deepEqual(ids(text, lock), [['unlocked-uses', 'v2']]);
    const [finding] = workflowFindings(text, lock, 'unlocked-uses');
    assert.equal(finding.severity, 'high');
    assert.match(finding.message, /`other\/tool\/sub@v2` has no entry/);
  });

  test('a covered ref is pinned; owner and repo compare case-insensitively; sub-paths map to the repository', () => {
    const text = wf('      - uses: Actions/Checkout/sub@v4\n');
    assert.deepEqual(ids(text, lock), []);
  });

  test('a workflow the lock does not list keeps unpinned-uses', () => {
    const other = lockText({ '.github/workflows/other.yml': ['actions/checkout@v4'] }, [entry('actions/checkout@v4', 'v4', SHA_A)]);
    const text = wf('      - uses: other/tool@v2\n');
    assert.deepEqual(ids(text, other), [['unpinned-uses', 'v2']]);
    assert.deepEqual(ids(text, null), [['unpinned-uses', 'v2']]);
  });

  test('a lock in a format we do not read onboards nothing', () => {
    const text = wf('      - uses: other/tool@v2\n');
    assert.deepEqual(ids(text, lock.replace('v0.0.2', 'v9.9.9')), [['unpinned-uses', 'v2']]);
  });
});
