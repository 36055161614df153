/**
 * The language server's workspace index without the LSP: the workspace view it gives an analysis (the
 * other files of the same repository, the open document's text over the disk's), what it records, and
 * the re-analysis of the files whose findings depend on a file that changed (callers and callees through
 * the view). A test rule stands in for the cross-file rules: it reports what it read through the view.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-types';
import { DEFAULT_SETTINGS, type WardenSettings } from '../../shared/src/settings';
import { discover } from '../../server/src/cli/discover';
import { AnalysisCache } from '../../server/src/document-cache';
import { DEFAULT_ANALYSIS_OPTIONS } from '../../server/src/engine';
import type { ParsedFile } from '../../server/src/parse/document';
import type { Rule } from '../../server/src/rules/types';
import { FILE_CHANGED, FILE_CREATED, FILE_DELETED, WorkspaceDiagnostics } from '../../server/src/workspace/workspace-diagnostics';
import { WorkspaceIndex, type OpenText } from '../../server/src/workspace/workspace-index';

const roots: string[] = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'warden-index-'));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) write(root, rel, text);
  return root;
}
function write(root: string, rel: string, text: string): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), text);
}

/** Reports, on a workflow calling `./.github/workflows/<x>.yml`, the callee's `name:` as read through the workspace view. */
const CALLEE_NAME_RULE: Rule = {
  id: 'test-callee-name',
  title: 'test',
  kinds: ['workflow'],
  severity: 'low',
  confidence: 'high',
  persona: 'regular',
  docs: { summary: '', why: '', fix: '' },
  online: false,
  reads: ['workspace'],
  check(context) {
    if (!context.workspace.available) return;
    for (const site of context.file.uses) {
      if (!site.value.startsWith('./')) continue;
      const callee = context.workspace.value.files.get(site.value.slice(2));
      const name = callee ? nameOf(callee) : 'missing';
      context.report({ span: { start: site.valueStart, end: site.valueStart + site.value.length }, message: `callee ${name}` });
    }
  },
};

/** The `name:` on the first line of a test workflow. */
function nameOf(file: ParsedFile): string {
  return file.text.slice('name: '.length, file.text.indexOf('\n'));
}

const CALLER = 'on: push\njobs:\n  call:\n    uses: ./.github/workflows/callee.yml\n';
const callee = (name: string) =>
  `name: ${name}\non: workflow_call\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n`;

function harness(root: string, settings: Partial<WardenSettings> = {}) {
  const open = new Map<string, OpenText>();
  const published = new Map<string, Diagnostic[][]>();
  const refreshed: string[] = [];
  const cache = new AnalysisCache({ ...DEFAULT_ANALYSIS_OPTIONS, rules: [CALLEE_NAME_RULE] });
  const workspace = new WorkspaceDiagnostics(
    { openDocument: (path) => open.get(path) },
    cache,
    () => ({ ...DEFAULT_SETTINGS, debounceMs: 0, ...settings }),
    {
      publish: (uri, diagnostics) => published.set(uri, [...(published.get(uri) ?? []), diagnostics]),
      refreshOpen: (uri) => refreshed.push(uri),
      configFindings: () => undefined,
      beginProgress: async () => null,
      logError: (message) => assert.fail(message),
    },
  );
  cache.setViews((uri) => ({ workspace: workspace.index.viewFor(uri) }));
  workspace.index.setRoots([pathToFileURL(root).href]);
  const uri = (rel: string) => pathToFileURL(join(root, rel)).href;
  const messages = (rel: string) => (published.get(uri(rel)) ?? []).map((list) => list.map((diagnostic) => diagnostic.message));
  return { open, published, refreshed, cache, workspace, uri, messages };
}

test('a caller is analysed with its callee from the index, and re-analysed when the callee changes on disk', async () => {
  const root = folder({ '.git/HEAD': '', '.github/workflows/caller.yml': CALLER, '.github/workflows/callee.yml': callee('first') });
  const { workspace, uri, messages } = harness(root);
  await workspace.start();
  await workspace.idle();
  assert.deepEqual(messages('.github/workflows/caller.yml'), [['callee first']]);

  write(root, '.github/workflows/callee.yml', callee('second'));
  workspace.changedOnDisk([{ uri: uri('.github/workflows/callee.yml'), type: FILE_CHANGED }]);
  await workspace.idle();
  assert.deepEqual(messages('.github/workflows/caller.yml').at(-1), ['callee second'], 'the dependent caller was re-analysed');

  workspace.changedOnDisk([{ uri: uri('.github/workflows/callee.yml'), type: FILE_DELETED }]);
  await workspace.idle();
  assert.deepEqual(messages('.github/workflows/caller.yml').at(-1), ['callee missing']);
  assert.deepEqual(messages('.github/workflows/callee.yml').at(-1), [], 'the deleted file is cleared');

  write(root, '.github/workflows/callee.yml', callee('third'));
  workspace.changedOnDisk([{ uri: uri('.github/workflows/callee.yml'), type: FILE_CREATED }]);
  await workspace.idle();
  assert.deepEqual(messages('.github/workflows/caller.yml').at(-1), ['callee third'], 'a file looked up before it existed counts');
});

test('an unrelated change re-analyses only the changed file', async () => {
  const root = folder({
    '.git/HEAD': '',
    '.github/workflows/caller.yml': CALLER,
    '.github/workflows/callee.yml': callee('first'),
    '.github/workflows/other.yml': callee('other'),
  });
  const { workspace, uri, published } = harness(root);
  await workspace.start();
  await workspace.idle();
  const before = published.get(uri('.github/workflows/caller.yml'))!.length;
  workspace.changedOnDisk([{ uri: uri('.github/workflows/other.yml'), type: FILE_CHANGED }]);
  await workspace.idle();
  assert.equal(published.get(uri('.github/workflows/caller.yml'))!.length, before);
  assert.equal(published.get(uri('.github/workflows/other.yml'))!.length, 2);
});

test("the open document's text wins in the view; an open caller is refreshed when its callee changes", async () => {
  const root = folder({ '.git/HEAD': '', '.github/workflows/caller.yml': CALLER, '.github/workflows/callee.yml': callee('disk') });
  const { workspace, open, uri, messages, refreshed, cache } = harness(root);
  await workspace.start();
  await workspace.idle();
  const calleePath = join(root, '.github/workflows/callee.yml');
  open.set(calleePath, { uri: uri('.github/workflows/callee.yml'), version: 1, text: callee('editor') });
  workspace.opened(uri('.github/workflows/callee.yml'));
  workspace.edited(uri('.github/workflows/callee.yml'));
  await new Promise((resolve) => setTimeout(resolve, 10));
  await workspace.idle();
  assert.deepEqual(messages('.github/workflows/caller.yml').at(-1), ['callee editor'], "the caller reads the editor's text");

  // The caller opens: its analysis goes through the cache with the same view; a callee edit refreshes it.
  const callerPath = join(root, '.github/workflows/caller.yml');
  open.set(callerPath, { uri: uri('.github/workflows/caller.yml'), version: 1, text: CALLER });
  workspace.opened(uri('.github/workflows/caller.yml'));
  const analysis = cache.get({ uri: uri('.github/workflows/caller.yml'), version: 1, getText: () => CALLER });
  assert.deepEqual(
    analysis.findings.map((finding) => finding.message),
    ['callee editor'],
  );
  open.set(calleePath, { uri: uri('.github/workflows/callee.yml'), version: 2, text: callee('edited') });
  workspace.edited(uri('.github/workflows/callee.yml'));
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual(refreshed, [uri('.github/workflows/caller.yml')]);

  // The callee closes: the caller (open) is refreshed again, now reading the disk copy.
  open.delete(calleePath);
  assert.equal(workspace.closed(uri('.github/workflows/callee.yml')), true, 'the disk findings replace the editor findings');
  assert.deepEqual(refreshed, [uri('.github/workflows/caller.yml'), uri('.github/workflows/caller.yml')]);
});

test('each repository of a workspace folder gets its own view; the analysed file is not in it', () => {
  const root = folder({
    'one/.github/workflows/a.yml': callee('a'),
    'one/actions/x/action.yml': 'name: x\nruns:\n  using: composite\n  steps: []\n',
    'two/.github/workflows/b.yml': callee('b'),
    'two/node_modules/y/action.yml': 'name: y\n',
  });
  const index = new WorkspaceIndex({ openDocument: () => undefined });
  index.setRoots([pathToFileURL(root).href]);
  const early = index.viewFor(pathToFileURL(join(root, 'one/.github/workflows/a.yml')).href);
  assert.equal(early.available, false, 'not indexed before the first scan');
  index.scan();
  const view = index.viewFor(pathToFileURL(join(root, 'one/.github/workflows/a.yml')).href);
  assert.ok(view.available);
  assert.equal(view.value.root, pathToFileURL(join(root, 'one')).href);
  assert.deepEqual([...view.value.files.keys()], ['actions/x/action.yml']);
  assert.equal(view.value.files.get('actions/x/action.yml')?.kind, 'action');
  const other = index.viewFor(pathToFileURL(join(root, 'two/.github/workflows/b.yml')).href);
  assert.ok(other.available);
  assert.deepEqual([...other.value.files.keys()], [], 'node_modules is skipped and the file itself is left out');
  assert.equal(index.viewFor('untitled:Untitled-1').available, false);
});

test('parsed files are kept within the budget; the rest are parsed again when read', () => {
  const files: Record<string, string> = { '.git/HEAD': '' };
  for (let index = 0; index < 10; index++) files[`.github/workflows/w${index}.yml`] = callee(`w${index}`);
  const root = folder(files);
  const index = new WorkspaceIndex({ openDocument: () => undefined }, callee('w0').length * 3);
  index.setRoots([pathToFileURL(root).href]);
  index.scan();
  const view = index.viewFor(pathToFileURL(join(root, '.github/workflows/w0.yml')).href);
  assert.ok(view.available);
  const names = [...view.value.files.values()].map(nameOf);
  assert.deepEqual(names.sort(), ['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8', 'w9']);
  assert.deepEqual(index.parsedStats(), { files: 3, chars: callee('w0').length * 3 });
  assert.equal(view.value.files.get('.github/workflows/w1.yml')?.text.startsWith('name: w1\n'), true);
});

test('the index collects what the CLI collects from the same folder (walked folder by folder)', async () => {
  const outside = folder({ '.github/workflows/out.yml': callee('out') });
  const root = folder({
    'action.yml': 'name: top\nruns:\n  using: composite\n  steps: []\n',
    'a/.github/workflows/x.yml': callee('x'),
    'a/.github/dependabot.yml': 'version: 2\nupdates: []\n',
    'b/deep/er/action.yaml': 'name: deep\nruns:\n  using: composite\n  steps: []\n',
    'vendor/.github/workflows/v.yml': callee('v'),
    'vendor/keep/.github/workflows/k.yml': callee('k'),
    'node_modules/m/action.yml': 'name: m\n',
    '.gitignore': 'vendor/*\n!vendor/keep/\n',
    '.github/actions-warden.yml': 'persona: auditor\n',
  });
  symlinkSync(join(root, 'a'), join(root, 'link-to-a'));
  symlinkSync(outside, join(root, 'link-out'));
  symlinkSync(join(root, 'b', 'deep'), join(root, 'a', 'into-b'));
  const index = new WorkspaceIndex({ openDocument: () => undefined });
  index.setRoots([pathToFileURL(root).href]);
  await index.scanAsync();
  const indexed = [...index.all()].filter((file) => file.kind !== 'config').map((file) => file.path);
  const cli = discover([root], root).targets.map((target) => target.path);
  assert.deepEqual(indexed.sort(), cli.sort());
  assert.deepEqual(
    [...index.all()].filter((file) => file.kind === 'config').map((file) => file.rel),
    ['.github/actions-warden.yml'],
  );
});

test('a file deleted while open and then closed has its diagnostics cleared', async () => {
  const root = folder({ '.git/HEAD': '', '.github/workflows/caller.yml': CALLER, '.github/workflows/callee.yml': callee('x') });
  const { workspace, open, uri, published } = harness(root);
  await workspace.start();
  await workspace.idle();
  const path = join(root, '.github/workflows/caller.yml');
  open.set(path, { uri: uri('.github/workflows/caller.yml'), version: 1, text: CALLER });
  workspace.opened(uri('.github/workflows/caller.yml'));
  rmSync(path);
  workspace.changedOnDisk([{ uri: uri('.github/workflows/caller.yml'), type: FILE_DELETED }]);
  open.delete(path);
  const before = published.get(uri('.github/workflows/caller.yml'))!.length;
  assert.equal(workspace.closed(uri('.github/workflows/caller.yml')), true);
  await workspace.idle();
  const after = published.get(uri('.github/workflows/caller.yml'))!;
  assert.equal(after.length, before + 1);
  assert.deepEqual(after.at(-1), [], "the editor's diagnostics of the deleted file are cleared");
  assert.equal(workspace.index.byUri(uri('.github/workflows/caller.yml')), undefined);
});
