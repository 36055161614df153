/**
 * The thin VS Code client: starts dist/server.js over IPC for workflow, action metadata and Dependabot
 * files, and forwards `actionsWarden.*` settings. All analysis happens in the server.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type DocumentSelector, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { Commands, CONFIGURATION_SECTION } from '../../shared/src/protocol';

let client: LanguageClient | undefined;

/** Files the server analyses: by path pattern (file and untitled schemes) and by the GitHub Actions language id. */
export const DOCUMENT_SELECTOR: DocumentSelector = [
  ...['file', 'untitled'].flatMap((scheme) => [
    { scheme, pattern: '**/.github/workflows/*.{yml,yaml}' },
    { scheme, pattern: '**/action.{yml,yaml}' },
    { scheme, pattern: '**/.github/dependabot.{yml,yaml}' },
  ]),
  { language: 'github-actions-workflow' },
];

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Actions Warden', { log: true });
  context.subscriptions.push(output);

  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: output,
    synchronize: { configurationSection: CONFIGURATION_SECTION },
    initializationOptions: { settings: vscode.workspace.getConfiguration(CONFIGURATION_SECTION) },
  };

  client = new LanguageClient('actionsWarden', 'Actions Warden', serverOptions, clientOptions);
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.restartServer, async () => {
      await client?.restart();
    }),
    vscode.commands.registerCommand(Commands.showOutput, () => output.show(true)),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
