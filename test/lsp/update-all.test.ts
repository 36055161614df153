/**
 * "Update All Actions in This File / in the Workspace" against the fake GitHub's releases and their dates:
 * each SHA pin takes the update its own quick fix prefers (minimum release age included), a release younger
 * than the minimum is held back and named with its age, tags are left as they are, and nothing else changes.
 * In lockfile style a release tag is moved the same way and re-locked in the same workspace edit.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { WorkspaceEdit } from 'vscode-languageserver-types';
import type { UpdateAllSummary } from '../../shared/src/protocol';
import { daysAgo, FakeGitHub, sha } from '../support/fake-github';
import { lockFindings, workflowFindings } from '../support/lockfile';
import { applyTextEdits, TestLspClient } from '../support/lsp-client';

const OLD1 = sha('old-1');
const OLD2 = sha('old-2');
const YOUNG1 = sha('young-1');
const FRESH1 = sha('fresh-1');
const FRESH2 = sha('fresh-2');

const lines = (...steps: string[]) => [
  'on: push',
  'permissions: {}',
  'jobs:',
  '  build:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  ...steps.map((s) => `      - ${s}`),
  '',
];

interface Session {
  client: TestLspClient;
  applied: WorkspaceEdit[];
  messages: string[];
}

/** A server session that records the edits and messages it sends; the workspace folder is optional. */
async function openSession(
  gh: FakeGitHub,
  root: string,
  sessions: Session[],
  settings: Record<string, unknown>,
  workspaceFolder?: string,
): Promise<Session> {
  const s: Session = { client: new TestLspClient(), applied: [], messages: [] };
  sessions.push(s);
  s.client.connection.onRequest('workspace/applyEdit', (params: { edit: WorkspaceEdit }) => {
    s.applied.push(params.edit);
    return { applied: true };
  });
  s.client.connection.onRequest('window/showMessageRequest', (params: { message: string }) => {
    s.messages.push(params.message);
    return null;
  });
  await s.client.connection.sendRequest('initialize', {
    processId: null,
    rootUri: null,
    capabilities: { workspace: { applyEdit: true } },
    initializationOptions: {
      settings: { debounceMs: 0, github: { serverUrl: gh.serverUrl, apiUrl: gh.apiUrl }, ...settings },
      cacheDir: mkdtempSync(join(root, 'cache-')),
    },
    ...(workspaceFolder ? { workspaceFolders: [{ uri: pathToFileURL(workspaceFolder).href, name: 'ws' }] } : {}),
  });
  await s.client.connection.sendNotification('initialized', {});
  return s;
}

/** Stops the servers of earlier tests (their background work would reach the fake after its counts are reset). */
async function stopSessions(sessions: Session[]): Promise<void> {
  for (const earlier of sessions.splice(0)) await earlier.client.shutdown();
}

/** Opens `text` at `uri` in the session and runs "Update All Actions in This File" on it. */
async function updateFile(s: Session, uri: string, text: string): Promise<UpdateAllSummary> {
  await s.client.open(uri, text);
  return (await s.client.connection.sendRequest('workspace/executeCommand', {
    command: 'actionsWarden.server.updateAllInFile',
    arguments: [uri],
  })) as UpdateAllSummary;
}

describe('update all actions (minimum release age)', () => {
  let gh: FakeGitHub;
  let root: string;
  const sessions: Session[] = [];

  before(async () => {
    gh = new FakeGitHub()
      .repo('octo/old', {
        history: ['old-1', 'old-2'],
        branches: { main: 'old-2' },
        tags: { 'v1.0.0': { commit: 'old-1' }, 'v1.1.0': { commit: 'old-2', annotated: true } },
      })
      .repo('octo/young', {
        history: ['young-1', 'young-2'],
        branches: { main: 'young-2' },
        tags: { 'v3.0.0': { commit: 'young-1' }, 'v3.1.0': { commit: 'young-2' } },
      })
      .repo('octo/fresh', {
        history: ['fresh-1', 'fresh-2', 'fresh-3'],
        branches: { main: 'fresh-3' },
        tags: { 'v1.0.0': { commit: 'fresh-1' }, 'v1.1.0': { commit: 'fresh-2' }, 'v2.0.0': { commit: 'fresh-3' } },
      });
    // octo/old v1.1.0: released 20 days ago. octo/young v3.1.0: a day ago. octo/fresh: v2.0.0 a day ago, v1.1.0 ten days ago.
    gh.dates
      .release('octo/old', 'v1.1.0', daysAgo(20))
      .release('octo/young', 'v3.1.0', daysAgo(1))
      .release('octo/fresh', 'v2.0.0', daysAgo(1))
      .release('octo/fresh', 'v1.1.0', daysAgo(10));
    await gh.start();
    root = mkdtempSync(join(tmpdir(), 'warden-lsp-update-all-'));
  });
  after(async () => {
    for (const session of sessions) await session.client.shutdown();
    await gh.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const session = (workspaceFolder?: string, settings: Record<string, unknown> = {}) =>
    openSession(gh, root, sessions, settings, workspaceFolder);

  test('in a file: the old-enough release is taken, the day-old one is held back and named with its age; other bytes are kept', async () => {
    const s = await session();
    const uri = 'file:///repo/.github/workflows/update.yml';
    // CRLF, quotes and comment text must all survive: only the refs and version comments change.
    const text = lines(
      `uses: octo/old@${OLD1} # v1.0.0`,
      `uses: "octo/young@${YOUNG1}"   # v3.0.0 keep this`,
      `uses: octo/fresh@${FRESH1} # v1.0.0 (the first)`,
      'uses: octo/old@v1.0.0',
    ).join('\r\n');
    const summary = await updateFile(s, uri, text);
    assert.equal(summary.updated, 2, JSON.stringify(summary));
    assert.equal(summary.applied, true);
    assert.equal(s.applied.length, 1, 'one workspace edit');
    assert.deepEqual(Object.keys(s.applied[0].changes ?? {}), [uri]);
    assert.equal(
      applyTextEdits(text, s.applied[0].changes![uri]),
      lines(
        `uses: octo/old@${OLD2} # v1.1.0`,
        `uses: "octo/young@${YOUNG1}"   # v3.0.0 keep this`,
        `uses: octo/fresh@${FRESH2} # v1.1.0 (the first)`,
        'uses: octo/old@v1.0.0',
      ).join('\r\n'),
    );
    assert.deepEqual(
      summary.held.map((h) => [h.uses, h.release, h.tookInstead]),
      [
        ['octo/young', 'v3.1.0', null],
        ['octo/fresh', 'v2.0.0', 'v1.1.0'],
      ],
    );
    const message = s.messages.find((m) => m.startsWith('Updated '));
    assert.ok(message, JSON.stringify(s.messages));
    assert.match(message, /^Updated 2 action reference\(s\) in 1 file\(s\)\./);
    assert.match(message, /octo\/young v3\.1\.0 \(only 2\d hours old; minimum 3 days\)/);
    assert.match(message, /octo\/fresh v2\.0\.0 \(only 2\d hours old; minimum 3 days; updated to v1\.1\.0 instead\)/);
    assert.match(message, /Left 1 as they are: octo\/old@v1\.0\.0 \(not pinned to a full commit SHA/);
  });

  test('in the workspace: one edit across two files, each repository resolved once', async () => {
    const folder = join(root, 'ws');
    mkdirSync(join(folder, '.github', 'workflows'), { recursive: true });
    const a = lines(`uses: octo/old@${OLD1} # v1.0.0`).join('\n');
    const b = lines(`uses: octo/young@${YOUNG1} # v3.0.0`, `uses: 'octo/old@${OLD1}' # v1.0.0`).join('\n');
    writeFileSync(join(folder, '.github', 'workflows', 'a.yml'), a);
    writeFileSync(join(folder, '.github', 'workflows', 'b.yml'), b);
    await stopSessions(sessions);
    gh.reset();
    const s = await session(folder);
    const summary = (await s.client.connection.sendRequest('workspace/executeCommand', {
      command: 'actionsWarden.server.updateAllInWorkspace',
      arguments: [],
    })) as { updated: number; files: number };
    assert.equal(summary.updated, 2, JSON.stringify(summary));
    assert.equal(summary.files, 2);
    assert.equal(s.applied.length, 1);
    const changes = s.applied[0].changes!;
    const uriA = pathToFileURL(join(folder, '.github', 'workflows', 'a.yml')).href;
    const uriB = pathToFileURL(join(folder, '.github', 'workflows', 'b.yml')).href;
    assert.deepEqual(Object.keys(changes).sort(), [uriA, uriB].sort());
    assert.equal(applyTextEdits(a, changes[uriA]), lines(`uses: octo/old@${OLD2} # v1.1.0`).join('\n'));
    assert.equal(
      applyTextEdits(b, changes[uriB]),
      lines(`uses: octo/young@${YOUNG1} # v3.0.0`, `uses: 'octo/old@${OLD2}' # v1.1.0`).join('\n'),
    );
    assert.equal(gh.count('/octo/old.git/'), 1, 'octo/old is listed once for both files');
    assert.ok(s.messages.some((m) => /^Updated 2 .* in 2 file\(s\)\. Held back 1 .*octo\/young v3\.1\.0 \(only 2\d hours old/.test(m)));
  });

  test('a minimum of 0 takes the newest release, across a major', async () => {
    const s = await session(undefined, { pinning: { minReleaseAgeDays: 0 } });
    const uri = 'file:///repo/.github/workflows/zero.yml';
    const text = lines(`uses: octo/fresh@${FRESH1} # v1.0.0`).join('\n');
    const summary = await updateFile(s, uri, text);
    assert.deepEqual([summary.updated, summary.held.length], [1, 0], JSON.stringify(summary));
    assert.equal(applyTextEdits(text, s.applied[0].changes![uri]), lines(`uses: octo/fresh@${sha('fresh-3')} # v2.0.0`).join('\n'));
  });

  test('offline: nothing is asked or changed, and the message says why', async () => {
    await stopSessions(sessions);
    gh.reset();
    const s = await session(undefined, { offline: true });
    const uri = 'file:///repo/.github/workflows/off.yml';
    const summary = await updateFile(s, uri, lines(`uses: octo/old@${OLD1} # v1.0.0`).join('\n'));
    assert.deepEqual([summary.offline, summary.updated], [true, 0]);
    assert.equal(s.applied.length, 0);
    assert.ok(
      s.messages.some((m) => /offline .*updating needs the releases on GitHub/.test(m)),
      JSON.stringify(s.messages),
    );
    assert.equal(gh.count(), 0, 'no request at all');
  });
});

describe('update all actions in lockfile style (actions.lock)', () => {
  const CI = '.github/workflows/ci.yml';
  let gh: FakeGitHub;
  let root: string;
  const sessions: Session[] = [];
  const node = 'runs:\n  using: node20\n  main: index.js\n';

  before(async () => {
    gh = new FakeGitHub()
      .repo('acme/tool', {
        history: ['t-1', 't-2'],
        branches: { main: 't-2' },
        tags: { 'v1.0.0': { commit: 't-1' }, 'v1.1.0': { commit: 't-2', annotated: true }, v1: { commit: 't-2' } },
        // v1.0.0 is a composite using acme/leaf; v1.1.0 no longer is.
        files: {
          't-1': { 'action.yml': 'runs:\n  using: composite\n  steps:\n    - uses: acme/leaf@v3\n' },
          't-2': { 'action.yml': node },
        },
        ids: { repoId: 31, ownerId: 7 },
      })
      .repo('acme/leaf', {
        history: ['l-1'],
        branches: { main: 'l-1' },
        tags: { v3: { commit: 'l-1' } },
        files: { 'l-1': { 'action.yml': node } },
        ids: { repoId: 33, ownerId: 8 },
      })
      .repo('acme/young', {
        history: ['y-1', 'y-2'],
        branches: { main: 'y-2' },
        tags: { 'v2.0.0': { commit: 'y-1' }, 'v2.1.0': { commit: 'y-2' }, v2: { commit: 'y-2' } },
        files: { 'y-1': { 'action.yml': node }, 'y-2': { 'action.yml': node } },
        ids: { repoId: 32, ownerId: 7 },
      });
    // acme/tool v1.1.0: 20 days old (taken). acme/young v2.1.0: a day old (held back).
    gh.dates.release('acme/tool', 'v1.1.0', daysAgo(20)).release('acme/young', 'v2.1.0', daysAgo(1));
    await gh.start();
    root = mkdtempSync(join(tmpdir(), 'warden-lsp-update-all-lock-'));
  });
  after(async () => {
    for (const session of sessions) await session.client.shutdown();
    await gh.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const session = (settings: Record<string, unknown> = {}) => openSession(gh, root, sessions, settings);

  const entry = (key: string, ref: string, commit: string, ownerId: number, repoId: number, uses: string[] = []) =>
    `  ${key}:\n    ref: ${ref}\n    commit: sha1-${sha(commit)}\n    owner_id: ${ownerId}\n    repo_id: ${repoId}\n` +
    (uses.length > 0 ? `    uses:\n${uses.map((use) => `      - ${use}\n`).join('')}` : '');
  const LOCK =
    `# Locked by hand for this test.\nversion: v0.0.2\nworkflows:\n  ${CI}:\n    - acme/tool@v1.0.0\n    - acme/leaf@v3\n    - acme/young@v2.0.0\ndependencies:\n` +
    entry('acme/tool@v1.0.0', 'v1.0.0', 't-1', 7, 31, ['acme/leaf@v3']) +
    entry('acme/leaf@v3', 'v3', 'l-1', 8, 33) +
    entry('acme/young@v2.0.0', 'v2.0.0', 'y-1', 7, 32);
  // Quotes, a comment and CRLF must survive: only the tag's characters change.
  const WORKFLOW = lines('uses: "acme/tool@v1.0.0"  # the tool, v1.0.0', 'uses: acme/young@v2.0.0').join('\r\n');

  const repo = (name: string) => {
    const dir = join(root, name);
    mkdirSync(join(dir, '.git'), { recursive: true });
    mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
    writeFileSync(join(dir, '.github', 'workflows', 'actions.lock'), LOCK);
    writeFileSync(join(dir, CI), WORKFLOW);
    return { ci: pathToFileURL(join(dir, CI)).href, lock: pathToFileURL(join(dir, '.github', 'workflows', 'actions.lock')).href };
  };

  test('a release tag moves to the newest release old enough and is re-locked in the same edit; a too-young release is held back', async () => {
    const uris = repo('locked');
    const s = await session();
    const summary = await updateFile(s, uris.ci, WORKFLOW);
    assert.equal(summary.updated, 1, JSON.stringify(summary));
    assert.equal(summary.applied, true);
    assert.equal(summary.relocked, 1);
    assert.equal(s.applied.length, 1, 'one workspace edit for the workflow and its lock');
    const changes = s.applied[0].changes ?? {};
    assert.deepEqual(Object.keys(changes).sort(), [uris.ci, uris.lock].sort());
    // Only the ref's characters of the workflow change.
    assert.deepEqual(
      changes[uris.ci].map((edit) => edit.newText),
      ['v1.1.0'],
    );
    const workflowAfter = applyTextEdits(WORKFLOW, changes[uris.ci]);
    assert.equal(workflowAfter, WORKFLOW.replace('"acme/tool@v1.0.0"', '"acme/tool@v1.1.0"'));
    // The old entry and what only it used go; the new one is written and listed; the held-back one is untouched.
    const lockAfter = applyTextEdits(LOCK, changes[uris.lock]);
    assert.equal(
      lockAfter,
      `# Locked by hand for this test.\nversion: v0.0.2\nworkflows:\n  ${CI}:\n    - acme/young@v2.0.0\n    - acme/tool@v1.1.0\ndependencies:\n` +
        entry('acme/young@v2.0.0', 'v2.0.0', 'y-1', 7, 32) +
        entry('acme/tool@v1.1.0', 'v1.1.0', 't-2', 7, 31),
    );
    assert.deepEqual(
      summary.held.map((h) => [h.uses, h.release, h.tookInstead]),
      [['acme/young', 'v2.1.0', null]],
    );
    const message = s.messages.find((m) => m.startsWith('Updated '));
    assert.ok(message, JSON.stringify(s.messages));
    assert.match(message, /acme\/young v2\.1\.0 \(only 2\d hours old; minimum 3 days\)/);
    assert.match(message, /actions\.lock: \.github\/workflows\/ci\.yml: locked 1 entry \(acme\/tool@v1\.1\.0\); removed 1 replaced entry/);
    // Re-checked: the lock covers the rewritten workflow, and nothing in the lock is stale or mislisted.
    assert.deepEqual(
      workflowFindings(workflowAfter, lockAfter)
        .filter((f) => /^(unlocked-uses|lockfile-drift|unpinned-uses|lockfile-error)$/.test(f.ruleId))
        .map((f) => `${f.ruleId}: ${f.message}`),
      [],
    );
    assert.deepEqual(
      lockFindings(lockAfter, { [CI]: workflowAfter }).findings.map((f) => `${f.ruleId}: ${f.message}`),
      [],
    );
  });

  test('a SHA pin of a listed workflow is re-locked under its new SHA key in the same edit', async () => {
    const uris = repo('sha');
    const key = (commit: string) => `acme/tool@${sha(commit)}`;
    const lock = `version: v0.0.2\nworkflows:\n  ${CI}:\n    - ${key('t-1')}\ndependencies:\n${entry(key('t-1'), 'v1.0.0', 't-1', 7, 31)}`;
    const workflow = lines(`uses: ${key('t-1')} # v1.0.0`).join('\n');
    writeFileSync(fileURLToPath(uris.lock), lock);
    writeFileSync(fileURLToPath(uris.ci), workflow);
    const s = await session();
    const summary = await updateFile(s, uris.ci, workflow);
    assert.deepEqual([summary.updated, summary.relocked], [1, 1], JSON.stringify(summary));
    const changes = s.applied[0].changes ?? {};
    const workflowAfter = applyTextEdits(workflow, changes[uris.ci]);
    assert.equal(workflowAfter, lines(`uses: ${key('t-2')} # v1.1.0`).join('\n'));
    const lockAfter = applyTextEdits(lock, changes[uris.lock]);
    assert.equal(
      lockAfter,
      `version: v0.0.2\nworkflows:\n  ${CI}:\n    - ${key('t-2')}\ndependencies:\n${entry(key('t-2'), 'v1.1.0', 't-2', 7, 31)}`,
    );
    assert.deepEqual(
      workflowFindings(workflowAfter, lockAfter).filter((f) => /^(unlocked-uses|lockfile-drift)$/.test(f.ruleId)),
      [],
    );
    assert.deepEqual(lockFindings(lockAfter, { [CI]: workflowAfter }).findings, []);
  });

  test('a floating tag that moved forward keeps its form and only its entry is re-locked; one moved to a too-young release is held back', async () => {
    const uris = repo('moved');
    // Locked when v1 named t-1 and v2 named y-1; both tags moved since (v1 to the 20-day-old v1.1.0, v2 to the day-old v2.1.0).
    const lock =
      `version: v0.0.2\nworkflows:\n  ${CI}:\n    - acme/tool@v1\n    - acme/young@v2\n    - acme/leaf@v3\ndependencies:\n` +
      entry('acme/tool@v1', 'v1', 't-1', 7, 31) +
      entry('acme/young@v2', 'v2', 'y-1', 7, 32) +
      entry('acme/leaf@v3', 'v3', 'l-1', 8, 33);
    const workflow = lines('uses: acme/tool@v1', 'uses: acme/young@v2', 'uses: acme/leaf@v3').join('\n');
    writeFileSync(fileURLToPath(uris.lock), lock);
    writeFileSync(fileURLToPath(uris.ci), workflow);
    const s = await session();
    const summary = await updateFile(s, uris.ci, workflow);
    assert.deepEqual([summary.updated, summary.relocked, summary.applied], [0, 1, true], JSON.stringify(summary));
    assert.deepEqual(Object.keys(s.applied[0].changes ?? {}), [uris.lock], 'the workflow is not edited');
    const lockAfter = applyTextEdits(lock, s.applied[0].changes![uris.lock]);
    assert.equal(lockAfter, lock.replace(`sha1-${sha('t-1')}`, `sha1-${sha('t-2')}`));
    assert.deepEqual(
      summary.held.map((h) => [h.uses, h.release, h.tookInstead]),
      [['acme/young', 'v2 → v2.1.0', null]],
    );
    const message = s.messages.find((m) => m.startsWith('No `uses:` rewritten.'));
    assert.ok(message, JSON.stringify(s.messages));
    assert.match(message, new RegExp(`re-locked acme/tool@v1 at ${sha('t-2').slice(0, 12)}`));
    assert.match(message, /acme\/young v2 → v2\.1\.0 \(only 2\d hours old; minimum 3 days\)/);
    assert.deepEqual(lockFindings(lockAfter, { [CI]: workflow }).findings, []);
    assert.deepEqual(
      workflowFindings(workflow, lockAfter).filter((f) => /^(unlocked-uses|lockfile-drift)$/.test(f.ruleId)),
      [],
    );
  });

  test('a floating major tag keeps its form and is listed; offline nothing changes and the message says why', async () => {
    const uris = repo('floating');
    const floating = lines('uses: acme/tool@v1').join('\n');
    writeFileSync(fileURLToPath(uris.ci), floating);
    const s = await session();
    const summary = await updateFile(s, uris.ci, floating);
    assert.deepEqual([summary.updated, s.applied.length], [0, 0], JSON.stringify(summary));
    assert.deepEqual(
      summary.skipped.map((skip) => [skip.uses, /floating version tag keeps its form/.test(skip.reason)]),
      [['acme/tool@v1', true]],
    );
    await stopSessions(sessions);
    gh.reset();
    const off = await session({ offline: true });
    const offline = await updateFile(off, uris.ci, WORKFLOW);
    assert.deepEqual([offline.offline, offline.updated, off.applied.length], [true, 0, 0]);
    assert.ok(off.messages.some((m) => /offline .*updating needs the releases on GitHub, so nothing was changed/.test(m)));
    assert.equal(gh.count(), 0, 'no request at all');
  });
});
