/**
 * The status bar item: how many findings the active file has, and whether online checks are on, off or
 * rate-limited and whether a GitHub account is used. The tooltip explains each state and links the commands.
 */
import * as vscode from 'vscode';
import {
  Commands,
  CONFIGURATION_SECTION,
  DIAGNOSTIC_SOURCE,
  type HiddenFindingsParams,
  type ServerStatusParams,
} from '../../shared/src/protocol';

export type OnlineState = 'online' | 'offline' | 'rate-limited';

export interface StatusSnapshot {
  visible: boolean;
  text: string;
  tooltip: string;
  findings: number;
  online: OnlineState;
  signedIn: boolean;
  running: boolean;
}

export interface StatusInputs {
  /** Whether the document is one the server analyses. */
  matches(document: vscode.TextDocument): boolean;
  signedIn(): boolean;
  account(): string | undefined;
  running(): boolean;
}

export function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE);
}

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('actionsWarden.status', vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[] = [];
  private server: ServerStatusParams | undefined;
  /** Per document: how many high-severity findings the persona or minimum confidence hides (from the server). */
  private readonly hidden = new Map<string, string>();
  private snapshot: StatusSnapshot = {
    visible: false,
    text: '',
    tooltip: '',
    findings: 0,
    online: 'offline',
    signedIn: false,
    running: false,
  };

  constructor(private readonly inputs: StatusInputs) {
    this.item.name = 'Actions Warden';
    this.item.command = Commands.showMenu;
    this.disposables.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.languages.onDidChangeDiagnostics((event) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (active && event.uris.some((uri) => uri.toString() === active)) this.update();
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(CONFIGURATION_SECTION)) this.update();
      }),
    );
    this.update();
  }

  setHiddenFindings(params: HiddenFindingsParams): void {
    if (params.sentence) this.hidden.set(params.uri, params.sentence);
    else this.hidden.delete(params.uri);
    if (vscode.window.activeTextEditor?.document.uri.toString() === params.uri) this.update();
  }

  setServerStatus(status: ServerStatusParams | undefined): void {
    this.server = status;
    this.update();
  }

  current(): StatusSnapshot {
    return { ...this.snapshot };
  }

  onlineState(): OnlineState {
    if (this.server) {
      if (this.server.rateLimitedUntil && Date.parse(this.server.rateLimitedUntil) > Date.now()) return 'rate-limited';
      return this.server.online ? 'online' : 'offline';
    }
    // Before the server reports anything: follow the setting, when the server contributes one.
    const offline = vscode.workspace.getConfiguration(CONFIGURATION_SECTION).get<boolean>('offline');
    return offline === false ? 'online' : 'offline';
  }

  update(): void {
    const editor = vscode.window.activeTextEditor;
    const document = editor?.document;
    const visible = document !== undefined && this.inputs.matches(document);
    const running = this.inputs.running();
    const online = this.onlineState();
    const signedIn = this.inputs.signedIn();
    const diagnostics = visible && document ? ourDiagnostics(document.uri) : [];
    const count = (severity: vscode.DiagnosticSeverity) => diagnostics.filter((diagnostic) => diagnostic.severity === severity).length;
    const errors = count(vscode.DiagnosticSeverity.Error);
    const warnings = count(vscode.DiagnosticSeverity.Warning);
    const infos = diagnostics.length - errors - warnings;

    const stateIcon = !running
      ? '$(warning)'
      : online === 'online'
        ? '$(cloud)'
        : online === 'rate-limited'
          ? '$(watch)'
          : '$(cloud-offline)';
    const text = `$(shield) ${diagnostics.length} ${stateIcon}`;

    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: Object.values(Commands) };
    md.supportThemeIcons = true;
    const fileName = document ? vscode.workspace.asRelativePath(document.uri, false) : '';
    md.appendMarkdown(`**Actions Warden** — ${diagnostics.length} finding${diagnostics.length === 1 ? '' : 's'} in \`${fileName}\``);
    if (diagnostics.length > 0) md.appendMarkdown(` (${errors} error, ${warnings} warning, ${infos} info)`);
    md.appendMarkdown('\n\n');
    const hidden = document ? this.hidden.get(document.uri.toString()) : undefined;
    if (visible && hidden) md.appendMarkdown(`$(eye-closed) ${escapeMarkdown(hidden)}.\n\n`);
    if (!running)
      md.appendMarkdown('$(warning) The language server is not running. [Restart it](command:' + Commands.restartServer + ').\n\n');
    const explanation: Record<OnlineState, string> = {
      online: '$(cloud) **Online checks on**: tags are resolved to commits and checked against GitHub.',
      offline: '$(cloud-offline) **Offline**: only checks that need no network run; tag → SHA pinning and impostor-commit checks are off.',
      'rate-limited': `$(watch) **Rate-limited by GitHub** until ${this.server?.rateLimitedUntil ?? 'later'}: online checks resume then. Signing in raises the limit.`,
    };
    md.appendMarkdown(explanation[online]);
    if (this.server?.message) md.appendMarkdown(` ${escapeMarkdown(this.server.message)}`);
    md.appendMarkdown(` [Toggle](command:${Commands.toggleOnline})\n\n`);
    md.appendMarkdown(
      signedIn
        ? `$(account) GitHub: signed in as **${escapeMarkdown(this.inputs.account() ?? 'unknown')}**. [Sign out](command:${Commands.signOut})\n\n`
        : `$(account) GitHub: anonymous (60 requests/hour). [Sign in](command:${Commands.signIn})\n\n`,
    );
    md.appendMarkdown(
      `[Re-run analysis](command:${Commands.reanalyze}) · [Show output](command:${Commands.showOutput}) · [Restart server](command:${Commands.restartServer})`,
    );

    this.item.text = text;
    this.item.tooltip = md;
    this.item.accessibilityInformation = {
      label: `Actions Warden: ${diagnostics.length} findings, ${online}${signedIn ? ', signed in to GitHub' : ''}`,
    };
    this.item.backgroundColor =
      !running || online === 'rate-limited' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    if (visible) this.item.show();
    else this.item.hide();
    this.snapshot = { visible, text, tooltip: md.value, findings: diagnostics.length, online, signedIn, running };
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, '\\$&');
}
