/**
 * End-to-end tests in a real VS Code (extension host + workbench), written against the `vscode` API only, so
 * the same suite runs under @vscode/test-electron and inside code-server (scripts/e2e/). The workspace is a
 * fresh copy of test/e2e/fixtures/workspace made by the runner; tests may change its files.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { ActionsWardenApi } from '../../client/src/extension';
import { bundledLatestRelease } from '../../server/src/knowledge/release-versions';
import { Commands, CONFIGURATION_SECTION, DIAGNOSTIC_SOURCE, ServerCommands } from '../../shared/src/protocol';
import { ruleDocsUrl } from '../../shared/src/rule-docs';
import { sha, standardFakeGitHub } from '../support/fake-github';

const EXTENSION_ID = 'actions-warden.actions-warden';
const FIX_ALL_KIND = 'source.fixAll.actionsWarden';

// ---------------------------------------------------------------- helpers

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

function workspaceFile(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace must be open');
  return vscode.Uri.joinPath(folder.uri, relative);
}

async function open(relative: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceFile(relative));
  return vscode.window.showTextDocument(document, { preview: false });
}

function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  return code === undefined ? undefined : typeof code === 'object' ? String(code.value) : String(code);
}

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE);
}

function waitForRule(uri: vscode.Uri, ruleId: string, timeoutMs = 30_000): Promise<vscode.Diagnostic> {
  return waitFor(`a ${ruleId} diagnostic in ${uri.path}`, () => ours(uri).find((diagnostic) => codeOf(diagnostic) === ruleId), timeoutMs);
}

function positionOf(document: vscode.TextDocument, needle: string, nth = 0): vscode.Position {
  let index = -1;
  for (let i = 0; i <= nth; i++) index = document.getText().indexOf(needle, index + 1);
  assert.ok(index >= 0, `"${needle}" not found in ${document.uri.path}`);
  return document.positionAt(index);
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : 'value' in content ? content.value : ''))
    .join('\n');
}

/** Applies a WorkspaceEdit's edits for one document to a string, as VS Code would. */
function applyToText(text: string, document: vscode.TextDocument, edit: vscode.WorkspaceEdit): string {
  const edits = edit
    .entries()
    .filter(([uri]) => uri.toString() === document.uri.toString())
    .flatMap(([, textEdits]) => textEdits)
    .map((textEdit) => ({
      start: document.offsetAt(textEdit.range.start),
      end: document.offsetAt(textEdit.range.end),
      newText: textEdit.newText,
    }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** Saves and waits until the file on disk has the editor's text (a save can report false while a participant runs). */
async function saveDocument(document: vscode.TextDocument): Promise<void> {
  await waitFor(
    `${document.uri.path} to be saved`,
    async () => {
      if (document.isDirty) await document.save();
      return !document.isDirty && fs.readFileSync(document.uri.fsPath, 'utf8') === document.getText();
    },
    20_000,
  );
}

function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

function hintLabel(hint: vscode.InlayHint): string {
  return typeof hint.label === 'string' ? hint.label : hint.label.map((part) => part.value).join('');
}

async function setSetting(section: string, key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration(section).update(key, value, vscode.ConfigurationTarget.Workspace);
}

// ---------------------------------------------------------------- the suite

suite('Actions Warden in a real VS Code', () => {
  let api: ActionsWardenApi;

  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension<ActionsWardenApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    api = await extension.activate();
  });

  suiteTeardown(async () => {
    for (const key of ['persona', 'minSeverity']) await setSetting(CONFIGURATION_SECTION, key, undefined);
    await setSetting('editor', 'codeActionsOnSave', undefined);
  });

  test('activates, starts the language server and registers its commands', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    assert.equal(extension.isActive, true);
    assert.ok(api.client, 'the language client exists');
    await waitFor('the language server to run', () => api.client?.isRunning());
    assert.equal(api.client.initializeResult?.serverInfo?.name, 'actions-warden');
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const command of Object.values(Commands)) assert.ok(registered.has(command), `command ${command} is registered`);
  });

  test('activation completes within a generous bound and logs its time once', async function () {
    const { setupMs, serverReadyMs, activatedMs } = api.activation;
    assert.ok(activatedMs > 0 && activatedMs < 30_000, `activation took ${activatedMs} ms (bound: 30 s on a busy machine)`);
    assert.ok(
      setupMs <= serverReadyMs && serverReadyMs <= activatedMs,
      `setup ${setupMs} ≤ server ready ${serverReadyMs} ≤ activated ${activatedMs}`,
    );
    const lines = api.recentLog().filter((line) => /^Activated in \d+ ms; language server actions-warden \S+ ready in \d+ ms/.test(line));
    assert.equal(lines.length, 1, `one activation line in the output channel: ${JSON.stringify(lines)}`);
    const note = `activated in ${Math.round(activatedMs)} ms, language server ready in ${Math.round(serverReadyMs)} ms, client setup ${Math.round(setupMs)} ms`;
    console.log(`Actions Warden ${note}`);
    // test/e2e/index.ts appends the note to this test's line in the results the runner prints.
    if (this.test) (this.test as Mocha.Runnable & { note?: string }).note = note;
  });

  test('publishes diagnostics with rule ids, docs links and exact ranges for a vulnerable workflow', async () => {
    const editor = await open('.github/workflows/vulnerable.yml');
    const document = editor.document;
    const uri = document.uri;
    const trigger = await waitForRule(uri, 'dangerous-triggers');
    const permissions = await waitForRule(uri, 'excessive-permissions');
    const unpinned = await waitForRule(uri, 'unpinned-uses');

    assert.equal(document.getText(trigger.range), 'pull_request_target');
    assert.deepEqual(trigger.range.start, positionOf(document, 'pull_request_target'));
    assert.equal(document.getText(permissions.range), 'write-all');
    assert.deepEqual(permissions.range.start, positionOf(document, 'write-all'));
    assert.equal(document.getText(unpinned.range), 'v4');
    assert.deepEqual(unpinned.range.start, positionOf(document, 'actions/checkout@v4').translate(0, 'actions/checkout@'.length));
    assert.match(unpinned.message, /actions\/checkout/);

    for (const diagnostic of [trigger, permissions, unpinned]) {
      assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error, `${codeOf(diagnostic)} is high severity`);
      const code = diagnostic.code as { value: string; target: vscode.Uri };
      assert.equal(code.target.toString(true), ruleDocsUrl(code.value), 'the diagnostic links its rule documentation');
    }
  });

  test('the status bar item counts the findings of the active file', async () => {
    const editor = await open('.github/workflows/vulnerable.yml');
    await waitForRule(editor.document.uri, 'unpinned-uses');
    const expected = ours(editor.document.uri).length;
    const status = await waitFor('the status item to count the findings', () => {
      const snapshot = api.status();
      return snapshot.findings === expected && snapshot;
    });
    assert.equal(status.visible, true);
    assert.equal(status.running, true);
    assert.match(status.text, new RegExp(`\\b${expected}\\b`));
    assert.match(status.tooltip, /Actions Warden/);
    assert.match(status.tooltip, /online|offline|rate-limited/i);
    assert.match(status.tooltip, /GitHub/);
  });

  test('a hover on a trigger explains it and links the rule documentation', async () => {
    const editor = await open('.github/workflows/vulnerable.yml');
    await waitForRule(editor.document.uri, 'dangerous-triggers');
    const at = positionOf(editor.document, 'pull_request_target').translate(0, 5);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, at);
    const text = hoverText(hovers ?? []);
    assert.match(text, /pull_request_target/);
    assert.match(text, /dangerous-triggers/);
    assert.ok(text.includes(ruleDocsUrl('dangerous-triggers')), `hover links the docs: ${text}`);
  });

  test('a uses: value is a document link to the action at its ref', async () => {
    const editor = await open('.github/workflows/vulnerable.yml');
    await waitForRule(editor.document.uri, 'dangerous-triggers');
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', editor.document.uri);
    const link = (links ?? []).find((candidate) => editor.document.getText(candidate.range) === 'actions/checkout@v4');
    assert.ok(
      link,
      `a link on actions/checkout@v4 among ${(links ?? []).map((candidate) => editor.document.getText(candidate.range)).join(', ')}`,
    );
    assert.equal(link.target?.toString(true), 'https://github.com/actions/checkout/tree/v4');
  });

  test('the permissions quick fix is preferred and rewrites the file', async () => {
    const editor = await open('.github/workflows/permissions.yml');
    const document = editor.document;
    const before = document.getText();
    const finding = await waitForRule(document.uri, 'excessive-permissions');
    const actions =
      (await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        document.uri,
        finding.range,
        vscode.CodeActionKind.QuickFix.value,
      )) ?? [];
    // the API command does not hand back each action's diagnostics: recognise the permissions fixes by title
    const fixes = actions.filter((action) => /permissions/i.test(action.title) && !/^ignore\b/i.test(action.title));
    assert.ok(fixes.length > 0, 'a permissions fix is offered');
    for (const fix of fixes) assert.ok(fix.kind && vscode.CodeActionKind.QuickFix.contains(fix.kind), `${fix.title} is a quickfix`);
    const preferred = fixes.find((fix) => fix.isPreferred);
    assert.ok(preferred?.edit, 'one fix is marked preferred');

    assert.ok(await vscode.workspace.applyEdit(preferred.edit));
    await saveDocument(document);
    const onDisk = fs.readFileSync(document.uri.fsPath, 'utf8');
    assert.match(onDisk, /^permissions:/m, 'a workflow-level permissions block was written');
    const keptLines = before.split('\n').filter((line) => line.length > 0);
    let cursor = 0;
    for (const line of keptLines) {
      cursor = onDisk.indexOf(line, cursor);
      assert.ok(cursor >= 0, `original line kept in order: ${line}`);
    }
    await waitFor(
      'the fixed finding to disappear',
      () => !ours(document.uri).some((d) => codeOf(d) === 'excessive-permissions' && d.message === finding.message),
    );
  });

  test('palette: "Add Least-Privilege Permissions" changes the active file', async () => {
    const editor = await open('.github/workflows/least-privilege.yml');
    await waitForRule(editor.document.uri, 'excessive-permissions');
    const applied = await vscode.commands.executeCommand<boolean>(Commands.addLeastPrivilegePermissions);
    assert.notEqual(applied, false);
    await waitFor('a permissions block in the file', () => /^permissions:/m.test(editor.document.getText()));
  });

  test('a configuration change takes effect (persona, minimum severity)', async () => {
    const editor = await open('.github/workflows/fix-all.yml');
    const uri = editor.document.uri;
    await sleep(1500); // regular persona: give the server time to publish (nothing) for this file
    assert.equal(
      ours(uri).filter((d) => codeOf(d) === 'excessive-permissions').length,
      0,
      'regular persona: the hardening finding is hidden',
    );

    await setSetting(CONFIGURATION_SECTION, 'persona', 'pedantic');
    const finding = await waitForRule(uri, 'excessive-permissions');
    assert.equal(editor.document.getText(finding.range), 'jobs');

    await setSetting(CONFIGURATION_SECTION, 'minSeverity', 'high');
    await waitFor('low findings to be hidden by minSeverity', () => ours(uri).length === 0);
    await setSetting(CONFIGURATION_SECTION, 'minSeverity', undefined);
    await waitForRule(uri, 'excessive-permissions');
  });

  test('fix-all runs on save through editor.codeActionsOnSave', async () => {
    await setSetting(CONFIGURATION_SECTION, 'persona', 'pedantic');
    await setSetting('editor', 'codeActionsOnSave', { [FIX_ALL_KIND]: 'explicit' });
    const editor = await open('.github/workflows/fix-all.yml');
    const document = editor.document;
    await waitForRule(document.uri, 'excessive-permissions');

    // Dirty the file, ask the server what fix-all will do to this version, save, compare with the disk.
    // A second attempt is allowed: under load the server has answered a save-time code action request with
    // nothing (see the report: onCodeAction returns [] when the cached analysis was replaced meanwhile).
    let attempt = 0;
    for (;;) {
      attempt++;
      assert.ok(
        await editor.edit((builder) =>
          builder.insert(new vscode.Position(document.lineCount, 0), `# saved by the end-to-end test (${attempt})\n`),
        ),
      );
      const fixAll = await waitFor('a fix-all action for the edited version', async () => {
        const actions =
          (await vscode.commands.executeCommand<vscode.CodeAction[]>(
            'vscode.executeCodeActionProvider',
            document.uri,
            new vscode.Range(0, 0, document.lineCount, 0),
            FIX_ALL_KIND,
          )) ?? [];
        return actions.find((action) => action.kind?.value === FIX_ALL_KIND && action.edit);
      });
      const expected = applyToText(document.getText(), document, fixAll.edit!);
      assert.match(expected, /^permissions: \{\}$/m);
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.files.save');
      try {
        await waitFor(
          'the saved file to contain the fix-all result',
          () => fs.readFileSync(document.uri.fsPath, 'utf8') === expected,
          15_000,
        );
        break;
      } catch (error) {
        if (attempt >= 2) throw error;
        console.warn(`fix-all on save: attempt ${attempt} saved without the fix; retrying once`);
      }
    }
    assert.equal(document.isDirty, false);
    await waitFor('the fixed finding to disappear', () => !ours(document.uri).some((d) => codeOf(d) === 'excessive-permissions'));
  });

  test('re-run analysis and restart keep diagnostics coming', async () => {
    const editor = await open('.github/workflows/vulnerable.yml');
    const uri = editor.document.uri;
    await waitForRule(uri, 'dangerous-triggers');
    await vscode.commands.executeCommand(Commands.reanalyze);
    await waitForRule(uri, 'dangerous-triggers');

    await vscode.commands.executeCommand(Commands.restartServer);
    await waitFor('the restarted server to run', () => api.client?.isRunning());
    await waitForRule(uri, 'dangerous-triggers', 45_000);
    await waitFor('the status item to show the server running', () => api.status().running);
  });

  test('a GitHub token reaches the server but never the output channel, even with a verbose trace', async () => {
    // vscode-languageclient traces only when the channel's log level is Trace; force a verbose message trace.
    await api.client!.setTrace(2 /* Trace.Verbose */);
    const token = `ghp_${Array.from({ length: 36 }, () => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[Math.floor(Math.random() * 62)]).join('')}`;
    await api.useToken(token, 'e2e-account');
    await waitFor(
      'the token notification in the trace',
      () => api.recentLog().some((line) => line.includes('actionsWarden/githubToken')),
      15_000,
    );
    await vscode.commands.executeCommand(Commands.reanalyze);
    await sleep(500);
    const log = api.recentLog().join('\n');
    assert.ok(!log.includes(token), 'the token is not in the output channel');
    assert.ok(!log.includes(token.slice(4)), 'no part of the token is in the output channel');
    assert.match(api.status().tooltip, /e2e\\?-account/);

    await vscode.commands.executeCommand(Commands.signOut);
    assert.equal(api.status().signedIn, false);
    await api.client!.setTrace(0 /* Trace.Off */);
  });

  test('toggle online checks runs without error', async () => {
    await open('.github/workflows/vulnerable.yml');
    const before = api.status().online;
    await vscode.commands.executeCommand(Commands.toggleOnline);
    await vscode.commands.executeCommand(Commands.toggleOnline);
    await waitFor('the online state to be back', () => api.status().online === before, 10_000);
  });

  test("code lenses show each job's token permissions, clickable where least privilege can be added", async () => {
    const editor = await open('.github/workflows/complete.yml');
    const document = editor.document;
    const jobLine = (id: string) => positionOf(document, `\n  ${id}:`).line + 1;
    const lenses = await waitFor('the token lenses of both jobs', async () => {
      const found = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri)) ?? [];
      const tokens = found.filter((lens) => lens.command?.title.startsWith('token: '));
      return tokens.length >= 2 && tokens;
    });
    const on = (id: string) => lenses.find((lens) => lens.range.start.line === jobLine(id));
    const build = on('build');
    const publish = on('publish');
    assert.ok(
      build && publish,
      `a lens on each job id: ${lenses.map((lens) => `${lens.range.start.line}: ${lens.command?.title}`).join('; ')}`,
    );
    assert.equal(document.getText(build.range), 'build', 'the lens sits on the job id');
    assert.equal(build.command?.title, 'token: contents: read', 'the declared scope, as the job gets it');
    assert.match(publish.command?.title ?? '', /^token: repository default \(no permissions: block/);
    assert.equal(publish.command?.command, ServerCommands.addLeastPrivilegePermissions.id, 'the lens adds least-privilege permissions');
    assert.deepEqual(publish.command?.arguments, [document.uri.toString()]);
  });

  test('uses: completion inserts the action pinned to its bundled release commit offline; the inlay hint names a bare pin', async () => {
    const latest = bundledLatestRelease('actions/checkout');
    assert.ok(latest && /^[0-9a-f]{40}$/.test(latest.commit), 'the bundled table knows a release of actions/checkout');
    const editor = await open('.github/workflows/complete.yml');
    const document = editor.document;
    try {
      // type a step as a user would, then ask for the completions at the end of `actions/checko`
      assert.ok(
        await editor.edit((builder) => builder.insert(positionOf(document, '      - run: make'), '      - uses: actions/checko\n')),
      );
      const typed = positionOf(document, 'actions/checko');
      const at = typed.translate(0, 'actions/checko'.length);
      const list = await waitFor('actions/checkout among the uses: completions', async () => {
        const found = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, at);
        return found?.items.some((candidate) => labelOf(candidate) === 'actions/checkout') && found;
      });
      const item = list.items.find((candidate) => labelOf(candidate) === 'actions/checkout')!;
      assert.ok(!list.items.some((candidate) => labelOf(candidate) === 'actions/checko'), 'the typed value is not offered back');
      const label = item.label as vscode.CompletionItemLabel;
      assert.match(label.description ?? '', /verified publisher/, 'the publisher badge');
      assert.ok(
        item.detail?.includes(`${latest.version} (bundled release table)`),
        `the detail names the release and where it is known from: ${item.detail}`,
      );
      const insertText = typeof item.insertText === 'string' ? item.insertText : item.insertText?.value;
      assert.equal(
        insertText,
        `actions/checkout@${latest.commit} # ${latest.version}`,
        'offline: the bundled release, pinned, version in a comment',
      );
      const range = item.range instanceof vscode.Range ? item.range : item.range?.replacing;
      assert.ok(range, 'the item replaces a range');
      assert.equal(document.getText(range), 'actions/checko', 'only the typed token is replaced');

      // accept it, then drop the comment: the inlay hint says which release the bare SHA is
      assert.ok(await editor.edit((builder) => builder.replace(range, insertText)));
      const line = document.lineAt(typed.line);
      assert.equal(line.text, `      - uses: actions/checkout@${latest.commit} # ${latest.version}`);
      const comment = ` # ${latest.version}`;
      assert.ok(
        await editor.edit((builder) =>
          builder.delete(new vscode.Range(typed.line, line.text.length - comment.length, typed.line, line.text.length)),
        ),
      );
      const end = document.lineAt(typed.line).range.end;
      const hint = await waitFor('an inlay hint after the bare SHA pin', async () => {
        const hints =
          (await vscode.commands.executeCommand<vscode.InlayHint[]>(
            'vscode.executeInlayHintProvider',
            document.uri,
            new vscode.Range(0, 0, document.lineCount, 0),
          )) ?? [];
        return hints.find((candidate) => candidate.position.line === typed.line);
      });
      assert.equal(hintLabel(hint), `# ${latest.version}`);
      assert.deepEqual(hint.position, end, 'the hint sits right after the SHA');
    } finally {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  test('the pin quick fix, online against a fake GitHub on loopback, replaces the tag with the commit SHA', async () => {
    const gh = await standardFakeGitHub().start();
    const settingsFile = workspaceFile('.vscode/settings.json').fsPath;
    const original = fs.readFileSync(settingsFile, 'utf8');
    try {
      // `offline` is written to the workspace file; the hosts are user settings only (a workspace value is ignored).
      const settings = JSON.parse(original) as Record<string, unknown>;
      Object.assign(settings, { 'actionsWarden.offline': false });
      fs.writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
      const config = vscode.workspace.getConfiguration(CONFIGURATION_SECTION);
      await config.update('github.serverUrl', gh.serverUrl, vscode.ConfigurationTarget.Global);
      await config.update('github.apiUrl', gh.apiUrl, vscode.ConfigurationTarget.Global);
      await waitFor(
        'VS Code to read the fake GitHub settings',
        () => vscode.workspace.getConfiguration(CONFIGURATION_SECTION).inspect('github.serverUrl')?.globalValue === gh.serverUrl,
        15_000,
      );

      const editor = await open('.github/workflows/pin.yml');
      const document = editor.document;
      const finding = await waitForRule(document.uri, 'unpinned-uses');
      assert.equal(document.getText(finding.range), 'v4');
      const pin = await waitFor(
        'a preferred pin fix from the online resolver',
        async () => {
          const actions =
            (await vscode.commands.executeCommand<vscode.CodeAction[]>(
              'vscode.executeCodeActionProvider',
              document.uri,
              finding.range,
              vscode.CodeActionKind.QuickFix.value,
            )) ?? [];
          return actions.find((action) => action.isPreferred && /^Pin actions\/checkout/.test(action.title) && action.edit);
        },
        30_000,
      );
      const before = document.getText();
      assert.ok(await vscode.workspace.applyEdit(pin.edit!));
      await saveDocument(document);
      const line = document.lineAt(finding.range.start.line).text;
      assert.equal(
        line,
        `      - uses: actions/checkout@${sha('co-4')} # v4.2.2 # keep this comment`,
        'pinned to the peeled commit, the tag and the comment kept',
      );
      const others = (text: string) =>
        text
          .split('\n')
          .filter((_, i) => i !== finding.range.start.line)
          .join('\n');
      assert.equal(others(document.getText()), others(before), 'only the uses: line changed');
      assert.equal(fs.readFileSync(document.uri.fsPath, 'utf8'), document.getText());
      assert.ok(gh.count('/actions/checkout.git/') >= 1, 'the fake GitHub was asked');
    } finally {
      fs.writeFileSync(settingsFile, original);
      const config = vscode.workspace.getConfiguration(CONFIGURATION_SECTION);
      await config.update('github.serverUrl', undefined, vscode.ConfigurationTarget.Global);
      await config.update('github.apiUrl', undefined, vscode.ConfigurationTarget.Global);
      await gh.stop();
    }
  });
});
