/**
 * Palette commands. The work happens in the server: commands it implements are called with
 * `workspace/executeCommand` (ids in ServerCommands); the client only picks the target and reports.
 */
import * as vscode from 'vscode';
import { DidChangeConfigurationNotification, ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';
import { Commands, CONFIGURATION_SECTION, ruleDocsUrl, ServerCommands } from '../../shared/src/protocol';
import type { GitHubAuth } from './github-auth';
import { ourDiagnostics, type StatusBar } from './status';

export interface CommandContext {
  client: () => LanguageClient | undefined;
  output: vscode.LogOutputChannel;
  auth: GitHubAuth;
  status: StatusBar;
  matches(document: vscode.TextDocument): boolean;
}

/** Whether the running server advertises a `workspace/executeCommand` id. */
export function serverSupports(client: LanguageClient | undefined, command: string): boolean {
  const commands = client?.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
  return commands.includes(command);
}

export function diagnosticCode(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  const { output } = ctx;

  const execute = async (command: string, args: unknown[]): Promise<unknown> => {
    const client = ctx.client();
    if (!client) throw new Error('the language server is not running');
    output.debug(`executeCommand ${command}`);
    return client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
  };

  const activeSupported = (): vscode.TextDocument | undefined => {
    const document = vscode.window.activeTextEditor?.document;
    if (document && ctx.matches(document)) return document;
    void vscode.window.showInformationMessage('Actions Warden: open a workflow, action.yml or dependabot.yml file first.');
    return undefined;
  };

  const notSupported = (what: string) => {
    output.warn(`${what}: this version of the language server does not implement it yet.`);
    void vscode.window.showWarningMessage(`Actions Warden: ${what} is not available in this server version.`);
  };

  const reanalyze = async () => {
    const client = ctx.client();
    if (!client) return;
    if (serverSupports(client, ServerCommands.reanalyze)) await execute(ServerCommands.reanalyze, []);
    // Otherwise: a configuration change makes the server re-read its settings and re-analyse every open file.
    else await client.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    output.info('Re-running analysis of the open files.');
  };

  const pinAllInFile = async () => {
    const document = activeSupported();
    if (!document) return;
    if (!serverSupports(ctx.client(), ServerCommands.pinAllInFile)) return notSupported('Pin all actions in this file');
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Actions Warden: pinning actions…' }, () =>
      execute(ServerCommands.pinAllInFile, [document.uri.toString()]),
    );
  };

  const pinAllInWorkspace = async () => {
    if (!serverSupports(ctx.client(), ServerCommands.pinAllInWorkspace)) return notSupported('Pin all actions in the workspace');
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Actions Warden: pinning actions in the workspace…' }, () =>
      execute(ServerCommands.pinAllInWorkspace, []),
    );
  };

  /** Server command when available; otherwise applies the preferred permissions fix the server offers for this file. */
  const addLeastPrivilege = async (): Promise<boolean> => {
    const document = activeSupported();
    if (!document) return false;
    if (serverSupports(ctx.client(), ServerCommands.addLeastPrivilegePermissions)) {
      await execute(ServerCommands.addLeastPrivilegePermissions, [document.uri.toString()]);
      return true;
    }
    const findings = ourDiagnostics(document.uri).filter((diagnostic) => diagnosticCode(diagnostic) === 'excessive-permissions');
    for (const diagnostic of findings) {
      const actions =
        (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
      // `vscode.executeCodeActionProvider` does not return the actions' diagnostics: recognise ours by title
      const ours = actions.filter((action) => /permissions/i.test(action.title) && !/^ignore\b/i.test(action.title));
      const chosen = ours.find((action) => action.isPreferred) ?? ours[0];
      if (!chosen?.edit) continue;
      const applied = await vscode.workspace.applyEdit(chosen.edit);
      output.info(`${applied ? 'Applied' : 'Could not apply'} "${chosen.title}" to ${vscode.workspace.asRelativePath(document.uri)}.`);
      return applied;
    }
    void vscode.window.showInformationMessage('Actions Warden: no permissions change to make in this file.');
    return false;
  };

  const toggleOnline = async () => {
    if (serverSupports(ctx.client(), ServerCommands.toggleOnline)) {
      await execute(ServerCommands.toggleOnline, []);
      return;
    }
    const config = vscode.workspace.getConfiguration(CONFIGURATION_SECTION);
    const inspected = config.inspect<boolean>('offline');
    if (inspected?.defaultValue === undefined) return notSupported('Online checks');
    const next = !(config.get<boolean>('offline') ?? false);
    // write where the effective value comes from, so the toggle is not shadowed by a more specific scope
    const target =
      inspected.workspaceFolderValue !== undefined
        ? vscode.ConfigurationTarget.WorkspaceFolder
        : inspected.workspaceValue !== undefined
          ? vscode.ConfigurationTarget.Workspace
          : vscode.ConfigurationTarget.Global;
    await config.update('offline', next, target);
    output.info(`Online checks ${next ? 'off' : 'on'}.`);
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
    if (!id) id = (await vscode.window.showInputBox({ prompt: 'Rule id, e.g. unpinned-uses', validateInput: (v) => (/^[a-z0-9-]+$/.test(v) ? undefined : 'lowercase letters, digits and dashes') }))?.trim();
    if (!id) return undefined;
    const url = ruleDocsUrl(id);
    await vscode.env.openExternal(vscode.Uri.parse(url));
    return url;
  };

  const signIn = async () => {
    if (await ctx.auth.signIn(true)) void vscode.window.showInformationMessage(`Actions Warden: signed in to GitHub as ${ctx.auth.accountLabel}.`);
  };

  const showMenu = async () => {
    const items: (vscode.QuickPickItem & { command: string })[] = [
      { label: '$(refresh) Re-run analysis', command: Commands.reanalyze },
      { label: '$(pinned) Pin all actions in this file', command: Commands.pinAllInFile },
      { label: '$(pinned) Pin all actions in the workspace', command: Commands.pinAllInWorkspace },
      { label: '$(lock) Add least-privilege permissions', command: Commands.addLeastPrivilegePermissions },
      { label: '$(cloud) Toggle online checks', command: Commands.toggleOnline },
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
    guarded(Commands.addLeastPrivilegePermissions, addLeastPrivilege),
    guarded(Commands.toggleOnline, toggleOnline),
    guarded(Commands.openRuleDocs, openRuleDocs),
    guarded(Commands.signIn, signIn),
    guarded(Commands.signOut, () => ctx.auth.signOut()),
    guarded(Commands.showMenu, showMenu),
    vscode.commands.registerCommand(Commands.showOutput, () => output.show(true)),
  ];
}
