// CLI `--fix` in lockfile style (online, against the fake GitHub): the entries a listed workflow lacks are
// written into the lock beside it, with one minimal edit; --dry-run only shows the diff.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { run } from '../../server/src/cli/run';
import { FakeGitHub, sha } from '../support/fake-github';

const CI = '.github/workflows/ci.yml';
const LOCK = `# kept comment\r\nversion: v0.0.2\r\nworkflows:\r\n  ${CI}:\r\n    - acme/steady@v1\r\ndependencies:\r\n  acme/steady@v1:\r\n    ref: v1\r\n    commit: sha1-${sha('s-1')}\r\n    owner_id: 7\r\n    repo_id: 11\r\n`;
const WORKFLOW =
  'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: acme/steady@v1\n      - uses: acme/wrap@v2\n';

describe('CLI --fix locks what a listed workflow lacks', () => {
  let gh: FakeGitHub;
  let root: string;
  before(async () => {
    gh = await new FakeGitHub()
      .repo('acme/steady', {
        history: ['s-1'],
        branches: { main: 's-1' },
        tags: { v1: { commit: 's-1' } },
        files: { 's-1': { 'action.yml': 'runs:\n  using: node20\n  main: index.js\n' } },
        ids: { repoId: 11, ownerId: 7 },
      })
      .repo('acme/wrap', {
        history: ['w-1', 'w-2'],
        branches: { main: 'w-2' },
        tags: { v2: { commit: 'w-2' } },
        files: { 'w-2': { 'action.yml': 'runs:\n  using: composite\n  steps:\n    - uses: acme/steady@v1\n' } },
        ids: { repoId: 12, ownerId: 7 },
      })
      .start();
    root = mkdtempSync(join(tmpdir(), 'warden-lock-fix-'));
    mkdirSync(join(root, '.git'));
    mkdirSync(join(root, '.github', 'workflows'), { recursive: true });
    writeFileSync(join(root, CI), WORKFLOW);
  });
  after(async () => {
    await gh.stop();
    rmSync(root, { recursive: true, force: true });
  });
  const cli = async (args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await run([...args, '--no-config', '--github-server-url', gh.serverUrl, '--github-api-url', gh.apiUrl], {
      cwd: root,
      env: { XDG_CACHE_HOME: join(root, 'cache') },
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      readStdin: async () => new Uint8Array(),
    });
    return { code, stdout, stderr };
  };
  const lockPath = () => join(root, '.github', 'workflows', 'actions.lock');
  const expected =
    `# kept comment\r\nversion: v0.0.2\r\nworkflows:\r\n  ${CI}:\r\n    - acme/steady@v1\r\n    - acme/wrap@v2\r\ndependencies:\r\n  acme/steady@v1:\r\n    ref: v1\r\n    commit: sha1-${sha('s-1')}\r\n    owner_id: 7\r\n    repo_id: 11\r\n` +
    `  acme/wrap@v2:\r\n    ref: v2\r\n    commit: sha1-${sha('w-2')}\r\n    owner_id: 7\r\n    repo_id: 12\r\n    uses:\r\n      - acme/steady@v1\r\n`;

  test('--dry-run shows the lock diff and writes nothing', async () => {
    writeFileSync(lockPath(), LOCK);
    const result = await cli(['--fix', '--dry-run']);
    assert.equal(readFileSync(lockPath(), 'utf8'), LOCK);
    assert.match(result.stdout + result.stderr, /\+ {2}acme\/wrap@v2:/);
  });

  test('--fix writes the entry, its list item and keeps every other byte; the run then reports no unlocked-uses', async () => {
    writeFileSync(lockPath(), LOCK);
    const result = await cli(['--fix', '--format', 'json']);
    assert.equal(readFileSync(lockPath(), 'utf8'), expected, result.stderr);
    assert.match(result.stderr, /actions\.lock: \.github\/workflows\/ci\.yml: locked 1 entry \(acme\/wrap@v2\)/);
    assert.doesNotMatch(result.stdout, /unlocked-uses/);
  });

  test('offline, --fix does not touch the lock', async () => {
    writeFileSync(lockPath(), LOCK);
    gh.reset();
    await cli(['--fix', '--offline']);
    assert.equal(readFileSync(lockPath(), 'utf8'), LOCK);
    assert.equal(gh.count(), 0);
  });
});
