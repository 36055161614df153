/**
 * Palette commands. The work happens in the server: the commands it implements are called with
 * `workspace/executeCommand` (ServerCommands, typed in shared/src/protocol.ts); the client only picks the
 * target and reports. "Toggle online checks" is a settings change, made here.
 */
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';
import { Commands, CONFIGURATION_SECTION, ServerCommands, type ServerCommand } from '../../shared/src/protocol';
import { ruleDocsUrl } from '../../shared/src/rule-docs';
import type { GitHubAuth } from './github-auth';
import { ourDiagnostics, type StatusBar } from './status';

export interface CommandContext {
  client: () => LanguageClient | undefined;
  output: vscode.LogOutputChannel;
  auth: GitHubAuth;
  status: StatusBar;
  matches(document: vscode.TextDocument): boolean;
}

export function diagnosticCode(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  const { output } = ctx;

  const execute = async <Args extends unknown[], Result>(command: ServerCommand<Args, Result>, ...args: Args): Promise<Result> => {
    const client = ctx.client();
    if (!client) throw new Error('the language server is not running');
    output.debug(`executeCommand ${command.id}`);
    return (await client.sendRequest(ExecuteCommandRequest.type, { command: command.id, arguments: args })) as Result;
  };

  const activeSupported = (): vscode.TextDocument | undefined => {
    const document = vscode.window.activeTextEditor?.document;
    if (document && ctx.matches(document)) return document;
    void vscode.window.showInformationMessage('Actions Warden: open a workflow, action.yml or dependabot.yml file first.');
    return undefined;
  };

  const reanalyze = async () => {
    if (!ctx.client()) return;
    await execute(ServerCommands.reanalyze);
    output.info('Re-running analysis of the open files.');
  };

  const pinAllInFile = async () => {
    const document = activeSupported();
    if (!document) return;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Actions Warden: pinning actions…' }, () =>
      execute(ServerCommands.pinAllInFile, document.uri.toString()),
    );
  };

  const pinAllInWorkspace = async () => {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Actions Warden: pinning actions in the workspace…' },
      () => execute(ServerCommands.pinAllInWorkspace),
    );
  };

  const updateAllInFile = async () => {
    const document = activeSupported();
    if (!document) return;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Actions Warden: updating actions…' }, () =>
      execute(ServerCommands.updateAllInFile, document.uri.toString()),
    );
  };

  const updateAllInWorkspace = async () => {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Actions Warden: updating actions in the workspace…' },
      () => execute(ServerCommands.updateAllInWorkspace),
    );
  };

  const lockWorkflow = async () => {
    const document = activeSupported();
    if (!document) return;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Actions Warden: locking actions…' }, () =>
      execute(ServerCommands.lockWorkflow, document.uri.toString()),
    );
  };

  /** The server applies the file's preferred excessive-permissions fix; true when an edit was applied. */
  const addLeastPrivilege = async (): Promise<boolean> => {
    const document = activeSupported();
    if (!document) return false;
    const result = await execute(ServerCommands.addLeastPrivilegePermissions, document.uri.toString());
    if (result?.title)
      output.info(
        `${result.applied ? 'Applied' : 'Could not apply'} "${result.title}" to ${vscode.workspace.asRelativePath(document.uri)}.`,
      );
    return result?.applied ?? false;
  };

  /** Flips `actionsWarden.offline` in the user settings; says so when a workspace value overrides it. */
  const toggleOnline = async () => {
    const config = vscode.workspace.getConfiguration(CONFIGURATION_SECTION);
    const next = !(config.get<boolean>('offline') ?? false);
    await config.update('offline', next, vscode.ConfigurationTarget.Global);
    output.info(`Online checks ${next ? 'off' : 'on'} in the user settings.`);
    const inspected = config.inspect<boolean>('offline');
    const shadowing = inspected?.workspaceFolderValue ?? inspected?.workspaceValue;
    if (shadowing !== undefined && shadowing !== next) {
      void vscode.window.showWarningMessage(
        `Actions Warden: this workspace sets actionsWarden.offline to ${shadowing}, which overrides the user setting.`,
      );
    }
  };

  /** Opens the docs of the given rule, of the finding under the cursor, or of one picked from the file's findings. */
  const openRuleDocs = async (ruleId?: unknown): Promise<string | undefined> => {
    let id = typeof ruleId === 'string' && /^[a-z0-9-]+$/.test(ruleId) ? ruleId : undefined;
    const editor = vscode.window.activeTextEditor;
    if (!id && editor) {
      const diagnostics = ourDiagnostics(editor.document.uri);
      const here = diagnostics.find((diagnostic) => diagnostic.range.contains(editor.selection.active));
      id = here ? diagnosticCode(here) : undefined;
      if (!id) {
        const ids = [...new Set(diagnostics.map(diagnosticCode).filter((code): code is string => !!code))].sort();
        if (ids.length > 0) id = await vscode.window.showQuickPick(ids, { placeHolder: 'Open the documentation of which rule?' });
      }
    }
    if (!id)
      id = (
        await vscode.window.showInputBox({
          prompt: 'Rule id, e.g. unpinned-uses',
          validateInput: (v) => (/^[a-z0-9-]+$/.test(v) ? undefined : 'lowercase letters, digits and dashes'),
        })
      )?.trim();
    if (!id) return undefined;
    const url = ruleDocsUrl(id);
    await vscode.env.openExternal(vscode.Uri.parse(url));
    return url;
  };

  /** Adds `source.fixAll.actionsWarden: "explicit"` to the user's `editor.codeActionsOnSave` for YAML files, keeping what is there. */
  const enableFixOnSave = async () => {
    const configuration = vscode.workspace.getConfiguration('editor', { languageId: 'yaml' });
    const current = configuration.inspect<Record<string, unknown> | string[]>('codeActionsOnSave')?.globalLanguageValue;
    const existing = Array.isArray(current)
      ? Object.fromEntries(current.map((kind) => [kind, 'explicit']))
      : current && typeof current === 'object'
        ? current
        : {};
    const updated = { ...existing, 'source.fixAll.actionsWarden': 'explicit' };
    await configuration.update('codeActionsOnSave', updated, vscode.ConfigurationTarget.Global, true);
    void vscode.window.showInformationMessage(
      'Actions Warden: safe fixes are now applied when you save a YAML file (editor.codeActionsOnSave in your user settings for [yaml]).',
    );
  };

  const showRepositorySettings = async () => {
    if (!ctx.client()) return;
    const report = await execute(ServerCommands.showRepositorySettings);
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: report });
    await vscode.window.showTextDocument(document, { preview: true });
  };

  const signIn = async () => {
    if (await ctx.auth.signIn(true))
      void vscode.window.showInformationMessage(`Actions Warden: signed in to GitHub as ${ctx.auth.accountLabel}.`);
  };

  const showMenu = async () => {
    const items: (vscode.QuickPickItem & { command: string })[] = [
      { label: '$(refresh) Re-run analysis', command: Commands.reanalyze },
      { label: '$(pinned) Pin all actions in this file', command: Commands.pinAllInFile },
      { label: '$(pinned) Pin all actions in the workspace', command: Commands.pinAllInWorkspace },
      { label: '$(arrow-up) Update all actions in this file', command: Commands.updateAllInFile },
      { label: '$(arrow-up) Update all actions in the workspace', command: Commands.updateAllInWorkspace },
      { label: '$(lock) Add least-privilege permissions', command: Commands.addLeastPrivilegePermissions },
      { label: '$(cloud) Toggle online checks', command: Commands.toggleOnline },
      { label: '$(shield) Show repository security settings', command: Commands.showRepositorySettings },
      ctx.auth.signedIn
        ? { label: '$(account) Sign out of GitHub', description: ctx.auth.accountLabel, command: Commands.signOut }
        : { label: '$(account) Sign in to GitHub', command: Commands.signIn },
      { label: '$(book) Open a rule’s documentation', command: Commands.openRuleDocs },
      { label: '$(output) Show output', command: Commands.showOutput },
      { label: '$(debug-restart) Restart the language server', command: Commands.restartServer },
    ];
    const picked = await vscode.window.showQuickPick(items, { placeHolder: 'Actions Warden' });
    if (picked) await vscode.commands.executeCommand(picked.command);
  };

  const guarded = <A extends unknown[], R>(name: string, run: (...args: A) => Promise<R>) =>
    vscode.commands.registerCommand(name, async (...args: A) => {
      try {
        return await run(...args);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        output.error(`${name} failed: ${message}`);
        void vscode.window.showErrorMessage(`Actions Warden: ${message}`);
        return undefined;
      }
    });

  return [
    guarded(Commands.reanalyze, reanalyze),
    guarded(Commands.pinAllInFile, pinAllInFile),
    guarded(Commands.pinAllInWorkspace, pinAllInWorkspace),
    guarded(Commands.updateAllInFile, updateAllInFile),
    guarded(Commands.updateAllInWorkspace, updateAllInWorkspace),
    guarded(Commands.lockWorkflow, lockWorkflow),
    guarded(Commands.addLeastPrivilegePermissions, addLeastPrivilege),
    guarded(Commands.enableFixOnSave, enableFixOnSave),
    guarded(Commands.toggleOnline, toggleOnline),
    guarded(Commands.openRuleDocs, openRuleDocs),
    guarded(Commands.signIn, signIn),
    guarded(Commands.signOut, () => ctx.auth.signOut()),
    guarded(Commands.showMenu, showMenu),
    guarded(Commands.showRepositorySettings, showRepositorySettings),
    vscode.commands.registerCommand(Commands.showOutput, () => output.show(true)),
  ];
}
