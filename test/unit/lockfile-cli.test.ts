// The CLI reads actions.lock: as a file of its own in a folder scan, beside the workflows, for a single
// workflow file, only inside the scanned root and never through a symbolic link.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { pinAllEdits } from '../../server/src/features/pinning';
import { ParsedFile } from '../../server/src/parse/document';
import { runCli, tempDir, tree, writeTree } from '../support/cli';
import { SHA_A, entry, lockText, wf } from '../support/lockfile';

const CI = '.github/workflows/ci.yml';
const LOCK = lockText({ [CI]: ['actions/checkout@v4'] }, [entry('actions/checkout@v4', 'v4', SHA_A)]);
const WORKFLOW = wf('      - uses: actions/checkout@v4\n      - uses: other/tool@v2\n');

async function rules(args: string[], cwd: string): Promise<string[]> {
  const result = await runCli(['--format', 'json', '--persona', 'auditor', '--no-config', ...args], { cwd });
  const report = JSON.parse(result.stdout) as { findings: { path: string; ruleId: string }[] };
  return report.findings
    .filter((f) => /pinned-uses|unlocked-uses|lockfile/.test(f.ruleId))
    .map((f) => `${f.path} ${f.ruleId}`)
    .sort();
}

describe('actions.lock in the CLI', () => {
  test('a folder scan analyses the lock and gives the workflows the lock beside them', async () => {
    const root = tree({ [CI]: WORKFLOW, '.github/workflows/actions.lock': LOCK });
    assert.deepEqual(await rules(['.'], root), ['.github/workflows/ci.yml unlocked-uses']);
    const report = JSON.parse((await runCli(['--format', 'json', '--no-config', '.'], { cwd: root })).stdout) as {
      files: { path: string; kind: string }[];
    };
    assert.ok(report.files.some((file) => file.path === '.github/workflows/actions.lock' && file.kind === 'lockfile'));
  });

  test('a single workflow file finds the lock in its folder', async () => {
    const root = tree({ [CI]: WORKFLOW, '.github/workflows/actions.lock': LOCK });
    assert.deepEqual(await rules([CI], root), ['.github/workflows/ci.yml unlocked-uses']);
  });

  test('without a lock, unpinned-uses as before', async () => {
    const root = tree({ [CI]: WORKFLOW });
    assert.deepEqual(await rules(['.'], root), ['.github/workflows/ci.yml unpinned-uses', '.github/workflows/ci.yml unpinned-uses']);
  });

  test('a lock that is a symbolic link is not read (the workflow keeps unpinned-uses)', async () => {
    const outside = tree({ 'actions.lock': LOCK });
    const root = tree({ [CI]: WORKFLOW });
    symlinkSync(join(outside, 'actions.lock'), join(root, '.github/workflows/actions.lock'));
    const found = await rules([CI], root);
    assert.deepEqual(found, ['.github/workflows/ci.yml unpinned-uses', '.github/workflows/ci.yml unpinned-uses']);
  });

  test("a lock's workflow that is gone is stale; one outside the scanned root is not read", async () => {
    const root = tempDir();
    mkdirSync(join(root, 'repo'));
    writeTree(join(root, 'repo'), {
      '.github/workflows/actions.lock': lockText({ [CI]: ['actions/checkout@v4'], '.github/workflows/gone.yml': [] }, [
        entry('actions/checkout@v4', 'v4', SHA_A),
      ]),
      [CI]: wf('      - uses: actions/checkout@v4\n'),
    });
    assert.deepEqual(await rules(['repo'], root), ['repo/.github/workflows/actions.lock lockfile-drift']);
    // Scanning only the workflows folder: the workflows' files lie inside it, so they are still read.
    assert.deepEqual(await rules(['repo/.github/workflows'], root), ['repo/.github/workflows/actions.lock lockfile-drift']);
  });

  test('pin-all leaves the uses: of a repository that pins with a lock', () => {
    const file = new ParsedFile('file:///repo/.github/workflows/ci.yml', 'workflow', wf('      - uses: actions/checkout@v4\n'));
    const snapshot = { offline: false } as unknown as Parameters<typeof pinAllEdits>[1];
    const result = pinAllEdits([file], snapshot, () => true);
    assert.equal(result.pinned, 0);
    assert.match(result.skipped[0].reason, /actions\.lock/);
  });
});
