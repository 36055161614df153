/**
 * The thin VS Code client: starts dist/server.js over IPC for workflow, action metadata and Dependabot
 * files, forwards `actionsWarden.*` settings (GitHub hosts and tokens from user settings only), and adds the palette commands, the status bar item, the
 * GitHub sign-in and the output channel. All analysis happens in the server.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  State,
  TransportKind,
  type DocumentSelector,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  Commands,
  CONFIGURATION_SECTION,
  DependencySourceRequest,
  GitHubTokenNotification,
  HiddenFindingsNotification,
  type HiddenFindingsParams,
  StatusNotification,
  type GitHubTokenParams,
  type ServerStatusParams,
} from '../../shared/src/protocol';
import { DEPENDENCY_SCHEME, parseDependencyUri } from '../../shared/src/dependency-uri';
import { registerCommands } from './commands';
import { GitHubAuth } from './github-auth';
import { sanitizeConfiguration, serverSettings, userLevelGitHub } from './host-policy';
import { RecentLines, redactingChannel } from './log';
import { StatusBar, type StatusSnapshot } from './status';

let client: LanguageClient | undefined;

/** Files the server analyses: by path pattern (file and untitled schemes) and by the GitHub Actions language id. */
export const DOCUMENT_SELECTOR: DocumentSelector = [
  ...['file', 'untitled'].flatMap((scheme) => [
    { scheme, pattern: '**/.github/workflows/*.{yml,yaml}' },
    { scheme, pattern: '**/action.{yml,yaml}' },
    { scheme, pattern: '**/.github/dependabot.{yml,yaml}' },
    { scheme, pattern: '**/.github/workflows/actions.lock' },
  ]),
  { language: 'github-actions-workflow' },
  // A dependency's file at a commit, shown read-only from the server's caches (analysed like the others).
  { scheme: DEPENDENCY_SCHEME },
];

/** What `activate` returns: used by the end-to-end tests, stable enough for other extensions to read. */
export interface ActionsWardenApi {
  readonly client: LanguageClient | undefined;
  status(): StatusSnapshot;
  /** The last lines written to the output channel, after redaction. */
  recentLog(): string[];
  /** Hands a token to the server as a sign-in would (tests use it to prove the token never reaches the log). */
  useToken(token: string, account: string): Promise<void>;
  /** How long this activation took, in ms from the start of `activate` (also logged once at info level). */
  readonly activation: ActivationTiming;
}

export interface ActivationTiming {
  /** The client's own synchronous setup: output channel, status bar, language client, commands. */
  readonly setupMs: number;
  /** Until the language server answered `initialize` and the client is running (`client.start()` resolved). */
  readonly serverReadyMs: number;
  /** Until `activate` resolved (the GitHub session restored, when the user had signed in). */
  readonly activatedMs: number;
}

export async function activate(context: vscode.ExtensionContext): Promise<ActionsWardenApi> {
  const activationStart = performance.now();
  const channel = vscode.window.createOutputChannel('Actions Warden', { log: true });
  context.subscriptions.push(channel);
  const recent = new RecentLines();
  let auth: GitHubAuth | undefined;
  const output = redactingChannel(channel, () => auth?.secrets() ?? [], recent);

  const matches = (document: vscode.TextDocument) => vscode.languages.match(DOCUMENT_SELECTOR as vscode.DocumentSelector, document) > 0;
  const sendToken = async (params: GitHubTokenParams) => {
    if (client?.state === State.Running) await client.sendNotification(GitHubTokenNotification, params);
  };
  // GitHub hosts and tokens: user settings only, no token in Restricted Mode (host-policy.ts).
  const userGitHub = () => userLevelGitHub((key) => vscode.workspace.getConfiguration(CONFIGURATION_SECTION).inspect(key));
  const trusted = () => vscode.workspace.isTrusted;
  const settingsForServer = () =>
    serverSettings(JSON.parse(JSON.stringify(vscode.workspace.getConfiguration(CONFIGURATION_SECTION))), userGitHub(), trusted());
  auth = new GitHubAuth(context.globalState, output, sendToken, userGitHub, trusted);
  const status = new StatusBar({
    matches,
    signedIn: () => auth?.signedIn ?? false,
    account: () => auth?.accountLabel,
    running: () => client?.state === State.Running,
  });
  context.subscriptions.push(
    auth,
    status,
    auth.onDidChange(() => status.update()),
  );

  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: output,
    traceOutputChannel: output,
    // No `synchronize.configurationSection`: it would push the effective settings, workspace values
    // included. The server pulls them instead, through the middleware below.
    // Push diagnostics: VS Code shows pushed and pulled diagnostics side by side, and the push path is the one the
    // end-to-end tests cover. Other editors get pull diagnostics when they ask for them (docs/editors.md).
    // `capabilities.dependencyDocuments`: this client shows `actions-warden-dependency:` documents (the content provider
    // below), so related locations inside a dependency open the file at its commit in the editor, not a web page.
    initializationOptions: {
      settings: settingsForServer(),
      globalStoragePath: context.globalStorageUri.fsPath,
      diagnosticMode: 'push',
      capabilities: { dependencyDocuments: true },
    },
    middleware: {
      workspace: {
        configuration: async (params, token, next) => {
          const results = await next(params, token);
          if (!Array.isArray(results)) return results;
          return sanitizeConfiguration(
            params.items.map((item) => item.section),
            results,
            userGitHub(),
            trusted(),
          );
        },
      },
    },
  };

  client = new LanguageClient('actionsWarden', 'Actions Warden', serverOptions, clientOptions);
  // The text of `actions-warden-dependency:` documents comes from the server (which checks the URI again).
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(DEPENDENCY_SCHEME, {
      provideTextDocumentContent: async (uri) => {
        const source = parseDependencyUri(uri.toString());
        if (!source || client?.state !== State.Running)
          return `# Actions Warden: ${source ? 'the language server is not running' : 'not a dependency file URI'}\n`;
        const answer = await client.sendRequest(DependencySourceRequest, source);
        return answer.text ?? `# Actions Warden: not read: ${(answer.message ?? '').replace(/[\r\n]+/g, ' ')}\n`;
      },
    }),
  );
  client.onNotification(StatusNotification, (params: ServerStatusParams) => status.setServerStatus(params));
  client.onNotification(HiddenFindingsNotification, (params: HiddenFindingsParams) => status.setHiddenFindings(params));
  context.subscriptions.push(
    client.onDidChangeState((event) => {
      status.update();
      if (event.newState === State.Running) void auth?.resend();
    }),
  );

  const settingsChanged = async () => {
    if (client?.state !== State.Running) return;
    await client.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await auth?.resend();
  };
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(CONFIGURATION_SECTION)) void settingsChanged();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      output.info('Workspace trusted: the GitHub token settings and sign-in are used from now on.');
      void settingsChanged().then(() => auth?.restore());
    }),
  );

  const setContext = () => {
    const document = vscode.window.activeTextEditor?.document;
    void vscode.commands.executeCommand('setContext', 'actionsWarden.activeFileSupported', document !== undefined && matches(document));
  };
  context.subscriptions.push(vscode.window.onDidChangeActiveTextEditor(setContext));
  setContext();

  context.subscriptions.push(
    ...registerCommands({ client: () => client, output, auth, status, matches }),
    vscode.commands.registerCommand(Commands.restartServer, async () => {
      output.info('Restarting the language server.');
      status.setServerStatus(undefined);
      await client?.restart();
    }),
  );

  const setupMs = performance.now() - activationStart;
  await client.start();
  const serverReadyMs = performance.now() - activationStart;
  const info = client.initializeResult?.serverInfo;
  status.update();
  await auth.restore();
  const activation: ActivationTiming = { setupMs, serverReadyMs, activatedMs: performance.now() - activationStart };
  output.info(
    `Activated in ${Math.round(activation.activatedMs)} ms; language server ${info?.name ?? '?'} ${info?.version ?? ''} ready in ${Math.round(serverReadyMs)} ms (client setup ${Math.round(setupMs)} ms, VS Code ${vscode.version}).`,
  );

  return {
    get client() {
      return client;
    },
    status: () => {
      status.update();
      return status.current();
    },
    recentLog: () => recent.all(),
    useToken: (token, account) => auth!.use(token, account),
    activation,
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
