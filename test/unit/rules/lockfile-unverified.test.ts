// lockfile-unverified: the lock's entries verified online, through the CLI against the fake GitHub.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { run } from '../../../server/src/cli/run';
import { FakeGitHub, sha } from '../../support/fake-github';

const ACTION = 'runs:\n  using: node20\n  main: index.js\n';

function fixture(): FakeGitHub {
  return new FakeGitHub()
    .repo('acme/steady', {
      history: ['s-1'],
      branches: { main: 's-1' },
      tags: { v1: { commit: 's-1' } },
      files: { 's-1': { 'action.yml': ACTION } },
      ids: { repoId: 11, ownerId: 7 },
    })
    .repo('acme/moving', {
      history: ['m-1', 'm-2'],
      branches: { main: 'm-2' },
      tags: { v2: { commit: 'm-2' } },
      files: { 'm-1': { 'action.yml': ACTION }, 'm-2': { 'action.yml': ACTION } },
      ids: { repoId: 12, ownerId: 7 },
    })
    .repo('acme/forked', {
      history: ['k-1'],
      branches: { main: 'k-1' },
      forkCommits: { 'k-evil': 'k-1' },
      tags: { v3: { commit: 'k-1' } },
      ids: { repoId: 13, ownerId: 7 },
    })
    .repo('acme/jacked', {
      history: ['j-1'],
      branches: { main: 'j-1' },
      tags: { v1: { commit: 'j-1' } },
      ids: { repoId: 99, ownerId: 98 },
    });
}

function entry(key: string, ref: string, commit: string, ownerId: number, repoId: number): string {
  return `  ${key}:\n    ref: ${ref}\n    commit: sha1-${commit}\n    owner_id: ${ownerId}\n    repo_id: ${repoId}\n`;
}

const KEYS = ['acme/steady@v1', 'acme/moving@v2', 'acme/forked@v3', 'acme/jacked@v1'];
const LOCK = `# header\nversion: v0.0.2\nworkflows:\n  .github/workflows/ci.yml:\n${KEYS.map((k) => `    - ${k}\n`).join('')}dependencies:\n${[
  entry('acme/steady@v1', 'v1', sha('s-1'), 7, 11),
  entry('acme/moving@v2', 'v2', sha('m-1'), 7, 12),
  entry('acme/forked@v3', 'v3', sha('k-evil'), 7, 13),
  entry('acme/jacked@v1', 'v1', sha('j-1'), 7, 14),
].join('')}`;
const WORKFLOW = `on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n${KEYS.map((k) => `      - uses: ${k}\n`).join('')}`;

interface JsonFinding {
  ruleId: string;
  severity: string;
  message: string;
  range: { start: { line: number; character: number } };
  fixes?: { title: string; edits: unknown[] }[];
}

describe('lockfile-unverified (online, CLI)', () => {
  let gh: FakeGitHub;
  let root: string;
  before(async () => {
    gh = await fixture().start();
    root = mkdtempSync(join(tmpdir(), 'warden-lock-unverified-'));
    mkdirSync(join(root, '.git'));
    mkdirSync(join(root, '.github', 'workflows'), { recursive: true });
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
  const findingsOf = (stdout: string, path: string): JsonFinding[] => {
    const report = JSON.parse(stdout) as { findings: (JsonFinding & { path: string })[] };
    return report.findings.filter((f) => f.path.endsWith(path) && f.ruleId === 'lockfile-unverified');
  };
  const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length - 1;

  test('an unreachable pin and an id mismatch are errors, a moved ref is informational with the re-lock fix; a confirmed entry says nothing', async () => {
    writeFileSync(join(root, '.github', 'workflows', 'actions.lock'), LOCK);
    writeFileSync(join(root, '.github', 'workflows', 'ci.yml'), WORKFLOW);
    const result = await cli(['--format', 'json', '--persona', 'auditor']);
    const findings = findingsOf(result.stdout, 'actions.lock');
    const at = (key: string) => findings.filter((f) => f.range.start.line === lineOf(LOCK, `  ${key}:`));
    assert.deepEqual(at('acme/steady@v1'), [], result.stderr);
    const [forked] = at('acme/forked@v3');
    assert.equal(forked?.severity, 'high', JSON.stringify(findings));
    assert.match(
      forked.message,
      /the pin is unreachable: .*history was rewritten, the entry was tampered with, or it is an impostor commit/,
    );
    assert.equal(forked.range.start.character, 2);
    const [jacked] = at('acme/jacked@v1');
    assert.equal(jacked?.severity, 'high');
    assert.match(jacked.message, /not the repository that was locked: its repository id is 99, not 14/);
    const [moved] = at('acme/moving@v2');
    assert.equal(moved?.severity, 'informational');
    assert.match(moved.message, /ref moved; re-lock to update/);
    assert.match(moved.fixes?.[0]?.title ?? '', /^Re-lock `acme\/moving@v2`/);
  });

  test('--fix=all re-locks the moved entry, keeping every other byte', async () => {
    writeFileSync(join(root, '.github', 'workflows', 'actions.lock'), LOCK);
    await cli(['--fix=all', '--format', 'json']);
    const after = readFileSync(join(root, '.github', 'workflows', 'actions.lock'), 'utf8');
    assert.equal(after, LOCK.replace(`sha1-${sha('m-1')}`, `sha1-${sha('m-2')}`));
  });

  test('a rate limit is inconclusive, never verified', async () => {
    writeFileSync(join(root, '.github', 'workflows', 'actions.lock'), LOCK);
    gh.reset();
    for (const name of ['acme/steady', 'acme/moving', 'acme/forked', 'acme/jacked']) gh.setBehaviour(name, 'ok', 'rate-limit-403');
    try {
      const result = await cli(['--format', 'json', '--persona', 'auditor', '--cache-dir', join(root, 'cache-rl')]);
      const findings = findingsOf(result.stdout, 'actions.lock');
      assert.ok(findings.length >= 4, JSON.stringify(findings));
      for (const finding of findings) assert.match(finding.message, /^Inconclusive, not verified: /);
    } finally {
      for (const name of ['acme/steady', 'acme/moving', 'acme/forked', 'acme/jacked']) gh.setBehaviour(name, 'ok');
    }
  });

  test('offline: nothing is asked and nothing is said', async () => {
    gh.reset();
    const result = await cli(['--format', 'json', '--offline']);
    assert.equal(gh.count(), 0);
    assert.deepEqual(findingsOf(result.stdout, 'actions.lock'), []);
  });
});
