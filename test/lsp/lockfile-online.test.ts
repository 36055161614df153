/**
 * actions.lock online through the real server, against the fake GitHub: the "Add to actions.lock" fix of
 * unlocked-uses writes the entry (peeled commit, ids, transitive `uses`) and lists it for the workflow;
 * "Lock all actions of this workflow" creates the lock with its header; lockfile-unverified is published
 * on the lock's entries.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, Command, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { FakeGitHub, sha } from '../support/fake-github';
import { lockFindings, workflowFindings } from '../support/lockfile';
import { applyTextEdits, byCode, EDITOR_WORKSPACE_CAPABILITIES, TestLspClient } from '../support/lsp-client';

const CI = '.github/workflows/ci.yml';

function fixture(): FakeGitHub {
  return new FakeGitHub()
    .repo('acme/base', {
      history: ['b-1'],
      branches: { main: 'b-1' },
      tags: { v1: { commit: 'b-1' } },
      files: { 'b-1': { 'action.yml': 'runs:\n  using: node20\n  main: index.js\n' } },
      ids: { repoId: 21, ownerId: 7 },
    })
    .repo('acme/comp', {
      history: ['c-1', 'c-2'],
      branches: { main: 'c-2' },
      tags: { v2: { commit: 'c-1', annotated: true } },
      forkCommits: { 'c-evil': 'c-1' },
      files: { 'c-1': { 'action.yml': 'runs:\n  using: composite\n  steps:\n    - uses: acme/leaf/sub@v3\n' } },
      ids: { repoId: 22, ownerId: 7 },
    })
    .repo('acme/leaf', {
      history: ['l-1'],
      branches: { main: 'l-1' },
      tags: { v3: { commit: 'l-1' } },
      files: { 'l-1': { 'sub/action.yml': 'runs:\n  using: docker\n  image: Dockerfile\n' } },
      ids: { repoId: 23, ownerId: 8 },
    })
    .repo('acme/fresh', {
      history: ['f-1'],
      branches: { main: 'f-1' },
      tags: { v1: { commit: 'f-1' } },
      files: { 'f-1': { 'action.yml': 'runs:\n  using: node20\n  main: index.js\n' } },
      ids: { repoId: 25, ownerId: 9 },
    })
    .repo('acme/tagged', {
      history: ['t-1', 't-2', 't-3'],
      branches: { main: 't-3' },
      tags: {
        'v1.1.0': { commit: 't-1' },
        v1: { commit: 't-2' },
        'v1.2.0': { commit: 't-2', annotated: true },
        'v1.3.0-rc.1': { commit: 't-2' },
      },
      files: { 't-2': { 'action.yml': 'runs:\n  using: node20\n  main: index.js\n' } },
      ids: { repoId: 24, ownerId: 7 },
    });
}

const LOCK = `# Locked by hand for this test.\nversion: v0.0.2\nworkflows:\n  ${CI}:\n    - acme/base@v1\ndependencies:\n  acme/base@v1:\n    ref: v1\n    commit: sha1-${sha('b-1')}\n    owner_id: 7\n    repo_id: 21\n`;
const WORKFLOW =
  'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: acme/base@v1\n      - uses: acme/comp@v2\n';

describe('actions.lock online in the editor', () => {
  let gh: FakeGitHub;
  let client: TestLspClient;
  let root: string;
  const applied: WorkspaceEdit[] = [];
  const messages: string[] = [];

  before(async () => {
    gh = await fixture().start();
    root = mkdtempSync(join(tmpdir(), 'warden-lsp-lock-online-'));
    client = new TestLspClient();
    client.connection.onRequest('workspace/applyEdit', (params: { edit: WorkspaceEdit }) => {
      applied.push(params.edit);
      return { applied: true };
    });
    client.connection.onRequest('window/showMessageRequest', (params: { message: string }) => {
      messages.push(params.message);
      return null;
    });
    await client.connection.sendRequest('initialize', {
      processId: null,
      rootUri: null,
      capabilities: {
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true }, codeAction: { dataSupport: true } },
        workspace: EDITOR_WORKSPACE_CAPABILITIES,
      },
      initializationOptions: {
        settings: { debounceMs: 0, github: { serverUrl: gh.serverUrl, apiUrl: gh.apiUrl } },
        cacheDir: join(root, 'cache'),
      },
    });
    await client.connection.sendNotification('initialized', {});
  });
  after(async () => {
    await client.shutdown();
    await gh.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const repo = (name: string, lock: string | null) => {
    const dir = join(root, name);
    mkdirSync(join(dir, '.git'), { recursive: true });
    mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
    if (lock !== null) writeFileSync(join(dir, '.github', 'workflows', 'actions.lock'), lock);
    writeFileSync(join(dir, CI), WORKFLOW);
    return {
      ci: pathToFileURL(join(dir, CI)).href,
      lock: pathToFileURL(join(dir, '.github', 'workflows', 'actions.lock')).href,
    };
  };

  test('"Add to actions.lock" on unlocked-uses writes the entry and its dependency, and lists both for the workflow', async () => {
    const uris = repo('one', LOCK);
    const published = await client.open(uris.ci, WORKFLOW);
    const [unlocked] = byCode(published.diagnostics, 'unlocked-uses');
    assert.ok(unlocked, JSON.stringify(published.diagnostics.map((d) => d.code)));
    const actions: CodeAction[] = await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: uris.ci },
      range: unlocked.range,
      context: { diagnostics: [unlocked] },
    });
    const add = actions.find((action) => action.title === 'Add to actions.lock');
    assert.ok(add?.command, JSON.stringify(actions.map((a) => a.title)));
    const command = add.command as Command;
    assert.deepEqual(command.arguments, [uris.ci, 'acme/comp@v2']);
    applied.length = 0;
    const result = await client.connection.sendRequest('workspace/executeCommand', {
      command: command.command,
      arguments: command.arguments,
    });
    assert.equal((result as { applied: boolean }).applied, true, JSON.stringify(result));
    const edit = applied[0];
    const edits = edit.changes?.[uris.lock] ?? (edit.documentChanges?.[0] as TextDocumentEdit | undefined)?.edits ?? [];
    const after = applyTextEdits(LOCK, edits as TextEdit[]);
    assert.equal(
      after,
      `# Locked by hand for this test.\nversion: v0.0.2\nworkflows:\n  ${CI}:\n    - acme/base@v1\n    - acme/comp@v2\n    - acme/leaf@v3\ndependencies:\n  acme/base@v1:\n    ref: v1\n    commit: sha1-${sha('b-1')}\n    owner_id: 7\n    repo_id: 21\n` +
        `  acme/comp@v2:\n    ref: v2\n    commit: sha1-${sha('c-1')}\n    owner_id: 7\n    repo_id: 22\n    uses:\n      - acme/leaf@v3\n` +
        `  acme/leaf@v3:\n    ref: v3\n    commit: sha1-${sha('l-1')}\n    owner_id: 8\n    repo_id: 23\n`,
    );
  });

  test('"Lock all actions of this workflow" creates the lock with its header when there is none', async () => {
    const uris = repo('two', null);
    await client.open(uris.ci, WORKFLOW);
    applied.length = 0;
    const result = await client.connection.sendRequest('workspace/executeCommand', {
      command: 'actionsWarden.server.lockWorkflow',
      arguments: [uris.ci],
    });
    assert.equal((result as { applied: boolean }).applied, true, JSON.stringify(result));
    const changes = applied[0].documentChanges ?? [];
    assert.deepEqual(changes[0], { kind: 'create', uri: uris.lock, options: { ignoreIfExists: true } });
    const text = applyTextEdits('', (changes[1] as TextDocumentEdit).edits as TextEdit[]);
    assert.match(text, /^# This file is machine-generated/);
    assert.match(
      text,
      new RegExp(`workflows:\\n  "${CI.replace(/\./g, '\\.')}":\\n    - acme/base@v1\\n    - acme/comp@v2\\n    - acme/leaf@v3\\n`),
    );
    assert.match(
      text,
      new RegExp(
        `acme/comp@v2:\\n    ref: v2\\n    commit: sha1-${sha('c-1')}\\n    owner_id: 7\\n    repo_id: 22\\n    uses:\\n      - acme/leaf@v3\\n`,
      ),
    );
  });

  test('"Pin All Actions in This File" in lockfile style locks the workflow in actions.lock and leaves its `uses:` as they are', async () => {
    const uris = repo('four', LOCK);
    await client.open(uris.ci, WORKFLOW);
    applied.length = 0;
    const result = (await client.connection.sendRequest('workspace/executeCommand', {
      command: 'actionsWarden.server.pinAllInFile',
      arguments: [uris.ci],
    })) as { applied: boolean; pinned: number; locked?: number; lockNotes?: string[] };
    assert.equal(result.applied, true, JSON.stringify(result));
    assert.equal(result.pinned, 0);
    assert.equal(result.locked, 2);
    assert.equal(applied.length, 1);
    const edit = applied[0];
    const touched = [
      ...Object.keys(edit.changes ?? {}),
      ...(edit.documentChanges ?? []).map((c) => (c as TextDocumentEdit).textDocument?.uri),
    ];
    assert.deepEqual(touched, [uris.lock], 'only the lock is edited: the workflow keeps its `uses:`');
    const edits = edit.changes?.[uris.lock] ?? (edit.documentChanges?.[0] as TextDocumentEdit | undefined)?.edits ?? [];
    assert.equal(
      applyTextEdits(LOCK, edits as TextEdit[]),
      `# Locked by hand for this test.\nversion: v0.0.2\nworkflows:\n  ${CI}:\n    - acme/base@v1\n    - acme/comp@v2\n    - acme/leaf@v3\ndependencies:\n  acme/base@v1:\n    ref: v1\n    commit: sha1-${sha('b-1')}\n    owner_id: 7\n    repo_id: 21\n` +
        `  acme/comp@v2:\n    ref: v2\n    commit: sha1-${sha('c-1')}\n    owner_id: 7\n    repo_id: 22\n    uses:\n      - acme/leaf@v3\n` +
        `  acme/leaf@v3:\n    ref: v3\n    commit: sha1-${sha('l-1')}\n    owner_id: 8\n    repo_id: 23\n`,
    );
  });

  test('in lockfile style, unpinned-uses of a workflow the lock does not list offers "Add to actions.lock" (preferred), which lists it', async () => {
    const other = LOCK.replace(CI, '.github/workflows/other.yml');
    const uris = repo('five', other);
    const published = await client.open(uris.ci, WORKFLOW);
    const unpinned = byCode(published.diagnostics, 'unpinned-uses').find((d) => d.range.start.line === 7);
    assert.ok(unpinned, JSON.stringify(published.diagnostics.map((d) => d.code)));
    const actions: CodeAction[] = await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: uris.ci },
      range: unpinned.range,
      context: { diagnostics: [unpinned] },
    });
    const add = actions.find((action) => action.title === 'Add to actions.lock');
    assert.ok(add?.command, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(add.isPreferred, true);
    assert.deepEqual(
      actions.filter((action) => action.isPreferred).map((action) => action.title),
      ['Add to actions.lock'],
    );
    const command = add.command as Command;
    assert.deepEqual(command.arguments, [uris.ci, 'acme/comp@v2']);
    applied.length = 0;
    const result = await client.connection.sendRequest('workspace/executeCommand', {
      command: command.command,
      arguments: command.arguments,
    });
    assert.equal((result as { applied: boolean }).applied, true, JSON.stringify(result));
    const edit = applied[0];
    const edits = edit.changes?.[uris.lock] ?? (edit.documentChanges?.[0] as TextDocumentEdit | undefined)?.edits ?? [];
    assert.match(
      applyTextEdits(other, edits as TextEdit[]),
      new RegExp(`  "${CI.replace(/\./g, '\\.')}":\\n    - acme/comp@v2\\n    - acme/leaf@v3\\n`),
    );
  });

  test('lockfile-unverified is published on an unreachable entry of the open lock', async () => {
    const bad = LOCK.replace(sha('b-1'), sha('c-evil'))
      .replace(/acme\/base/g, 'acme/comp')
      .replace(/v1/g, 'v2')
      .replace('repo_id: 21', 'repo_id: 22');
    const uris = repo('three', bad);
    await client.open(uris.lock, bad);
    const published = await client.waitForDiagnostics(uris.lock, (params) => byCode(params.diagnostics, 'lockfile-unverified').length > 0);
    const [finding] = byCode(published.diagnostics, 'lockfile-unverified');
    assert.match(String(finding.message), /the pin is unreachable/);
    assert.deepEqual(finding.range.start, { line: bad.split('\n').indexOf('  acme/comp@v2:'), character: 2 });
  });

  test('a bare SHA of an onboarded workflow: "Write `<tag>` … and lock it" rewrites `uses:` and locks the tag in one edit; no tag, no action', async () => {
    const tagged = `acme/tagged@${sha('t-2')}`;
    const untagged = `acme/tagged@${sha('t-3')}`;
    const workflow = `on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ${tagged} # v1.2.0\n      - uses: ${untagged}\n      - uses: ${tagged}\n`;
    const key = (commit: string) => `acme/tagged@${sha(commit)}`;
    const lock =
      `version: v0.0.2\nworkflows:\n  ${CI}:\n    - ${key('t-2')}\n    - ${key('t-3')}\ndependencies:\n` +
      `  ${key('t-2')}:\n    ref: v1.2.0\n    commit: sha1-${sha('t-2')}\n    owner_id: 7\n    repo_id: 24\n` +
      `  ${key('t-3')}:\n    ref: main\n    commit: sha1-${sha('t-3')}\n    owner_id: 7\n    repo_id: 24\n`;
    const uris = repo('bare', lock);
    writeFileSync(fileURLToPath(uris.ci), workflow);
    await client.open(uris.ci, workflow);
    // The online results name the tag in the message (and say when there is none).
    const published = await client.waitForDiagnostics(uris.ci, (params) =>
      byCode(params.diagnostics, 'unpinned-uses').some((d) => /points at this commit/.test(String(d.message))),
    );
    const bare = byCode(published.diagnostics, 'unpinned-uses');
    assert.deepEqual(
      bare.map((d) => d.range.start.line),
      [6, 7, 8],
    );
    assert.match(String(bare[0].message), /tag `v1\.2\.0` points at this commit: write it instead and lock it/);
    assert.match(String(bare[1].message), /no tag of `acme\/tagged` points at this commit/);
    const actionsAt = (diagnostic: (typeof bare)[number]): Promise<CodeAction[]> =>
      client.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri: uris.ci },
        range: diagnostic.range,
        context: { diagnostics: [diagnostic] },
      });
    assert.deepEqual(
      (await actionsAt(bare[1])).filter((action) => /lock/i.test(action.title)),
      [],
      'nothing offered where no tag points at the commit',
    );
    const write = (await actionsAt(bare[0])).find(
      (action) => action.title === 'Write `v1.2.0` instead of the SHA and lock it (actions.lock)',
    );
    assert.ok(write?.command, 'the highest release tag (not `v1`, not the release candidate)');
    assert.equal(write.isPreferred, true);
    applied.length = 0;
    const result = await client.connection.sendRequest('workspace/executeCommand', {
      command: write.command.command,
      arguments: write.command.arguments,
    });
    assert.equal((result as { applied: boolean }).applied, true, JSON.stringify(result));
    assert.equal(applied.length, 1, 'one workspace edit for both files');
    const changes = (applied[0].documentChanges ?? []) as TextDocumentEdit[];
    assert.deepEqual(
      changes.map((change) => change.textDocument.uri),
      [uris.ci, uris.lock],
    );
    const workflowAfter = applyTextEdits(workflow, changes[0].edits as TextEdit[]);
    assert.equal(
      workflowAfter,
      workflow.replace(`${tagged} # v1.2.0`, 'acme/tagged@v1.2.0').replace(`${tagged}\n`, 'acme/tagged@v1.2.0\n'),
      'both uses of the SHA get the tag, the version comment that named it goes; the untagged SHA stays',
    );
    const lockAfter = applyTextEdits(lock, changes[1].edits as TextEdit[]);
    assert.equal(
      lockAfter,
      `version: v0.0.2\nworkflows:\n  ${CI}:\n    - ${key('t-3')}\n    - acme/tagged@v1.2.0\ndependencies:\n` +
        `  ${key('t-3')}:\n    ref: main\n    commit: sha1-${sha('t-3')}\n    owner_id: 7\n    repo_id: 24\n` +
        `  acme/tagged@v1.2.0:\n    ref: v1.2.0\n    commit: sha1-${sha('t-2')}\n    owner_id: 7\n    repo_id: 24\n`,
    );
    // Re-read: the lock covers every ref of the rewritten workflow, and the lock has nothing stale.
    const coverage = workflowFindings(workflowAfter, lockAfter).map((f) => `${f.ruleId}: ${f.message}`);
    assert.deepEqual(
      coverage.filter((line) => /^(unlocked-uses|lockfile-drift)/.test(line)),
      [],
    );
    assert.equal(coverage.filter((line) => line.startsWith('unpinned-uses')).length, 1, 'only the untagged SHA is still reported');
    assert.deepEqual(lockFindings(lockAfter, { [CI]: workflowAfter }).findings, []);
  });

  test('fix-all in lockfile style locks the refs already known in the same edit, fetches nothing itself, and never rewrites `uses:`', async () => {
    const workflow = `${WORKFLOW.replace('acme/comp@v2', 'acme/fresh@v1')}      - uses: acme/base@v1\n`;
    const uris = repo('fixall', LOCK);
    writeFileSync(fileURLToPath(uris.ci), workflow);
    const published = await client.open(uris.ci, workflow);
    assert.deepEqual(
      byCode(published.diagnostics, 'unlocked-uses').map((d) => d.range.start.line),
      [7],
    );
    const fixAll = async (): Promise<CodeAction | undefined> =>
      (
        (await client.connection.sendRequest('textDocument/codeAction', {
          textDocument: { uri: uris.ci },
          range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } },
          context: { diagnostics: [], only: ['source.fixAll.actionsWarden'] },
        })) as CodeAction[]
      )[0];
    // The ids of acme/fresh were never asked for: the first fix-all answers at once with nothing to lock.
    const before = gh.count('/repos/acme/fresh');
    const started = Date.now();
    const first = await fixAll();
    assert.ok(Date.now() - started < 5000);
    assert.equal(first, undefined, JSON.stringify(first));
    // It started resolving them in the background: a later fix-all locks the ref.
    let action: CodeAction | undefined;
    for (const until = Date.now() + 10_000; !action && Date.now() < until; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      action = await fixAll();
    }
    assert.ok(action?.edit, 'a later fix-all carries the lock edit');
    assert.ok(gh.count('/repos/acme/fresh') > before, 'the ids were fetched in the background');
    assert.equal(action.title, 'Fix all safe Actions Warden findings (and lock acme/fresh@v1 in actions.lock)');
    const changes = (action.edit.documentChanges ?? []) as TextDocumentEdit[];
    assert.deepEqual(
      changes.map((change) => change.textDocument.uri),
      [uris.lock],
      'no edit of the workflow: its `uses:` are not rewritten to SHAs',
    );
    const lockAfter = applyTextEdits(LOCK, changes[0].edits as TextEdit[]);
    assert.equal(
      lockAfter,
      `# Locked by hand for this test.\nversion: v0.0.2\nworkflows:\n  ${CI}:\n    - acme/base@v1\n    - acme/fresh@v1\ndependencies:\n  acme/base@v1:\n    ref: v1\n    commit: sha1-${sha('b-1')}\n    owner_id: 7\n    repo_id: 21\n` +
        `  acme/fresh@v1:\n    ref: v1\n    commit: sha1-${sha('f-1')}\n    owner_id: 9\n    repo_id: 25\n`,
    );
    assert.deepEqual(
      workflowFindings(workflow, lockAfter).filter((f) => /^(unlocked-uses|lockfile-drift|unpinned-uses)$/.test(f.ruleId)),
      [],
      'the lock covers the workflow after the edit',
    );
  });

  test('an actions.lock that links outside the repository is never edited, even while it is open in the editor', async () => {
    const workflow = `${WORKFLOW.replace('acme/comp@v2', 'acme/fresh@v1')}`;
    const uris = repo('linked-lock', null);
    writeFileSync(fileURLToPath(uris.ci), workflow);
    const outside = join(root, 'outside.lock');
    writeFileSync(outside, LOCK);
    symlinkSync(outside, fileURLToPath(uris.lock));
    // The editor shows the link's text under the link's URI, as VS Code does for an opened link.
    await client.open(uris.lock, LOCK);
    await client.open(uris.ci, workflow);
    const lockEdits = (action: CodeAction | Command | undefined): TextDocumentEdit[] =>
      (((action as CodeAction | undefined)?.edit?.documentChanges ?? []) as TextDocumentEdit[]).filter(
        (change) => change.textDocument.uri === uris.lock,
      );
    // Long enough for the background resolution of acme/fresh that a later fix-all would use.
    for (const until = Date.now() + 3000; Date.now() < until; ) {
      const actions = (await client.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri: uris.ci },
        range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } },
        context: { diagnostics: [], only: ['source.fixAll.actionsWarden'] },
      })) as (CodeAction | Command)[];
      assert.deepEqual(actions.flatMap(lockEdits), [], 'fix-all edits the linked lock');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const before = applied.length;
    const result = (await client.connection.sendRequest('workspace/executeCommand', {
      command: 'actionsWarden.server.addToLock',
      arguments: [uris.ci, 'acme/fresh@v1'],
    })) as { applied: boolean; message: string };
    assert.equal(result.applied, false, result.message);
    assert.match(result.message, /cannot be read \(a link/);
    assert.equal(applied.length, before, 'no edit was sent');
    assert.equal(readFileSync(outside, 'utf8'), LOCK);
    unlinkSync(fileURLToPath(uris.lock));
  });
});
