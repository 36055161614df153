/**
 * Wires repository configuration into the language server: every document is analysed with its
 * repository's configuration (see workspace.ts), configuration files open in the editor get their
 * problems as diagnostics, and a change to a configuration file (edited in the editor, or changed on
 * disk as reported by `workspace/didChangeWatchedFiles`) re-analyses every open document.
 */
import { DidChangeWatchedFilesNotification, type Connection, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalysisCache } from '../analysis';
import { WorkspaceConfigs } from './workspace';

export const CONFIG_FILE_GLOBS = ['**/actions-warden.{yml,yaml}', '**/zizmor.{yml,yaml}'];

export function attachWorkspaceConfig(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  cache: AnalysisCache,
  workspaceRoots: () => readonly string[],
  refreshAll: () => void,
): WorkspaceConfigs {
  const configs = new WorkspaceConfigs();
  let roots = '';
  const syncRoots = () => {
    const current = workspaceRoots();
    if (current.join('\n') !== roots) {
      roots = current.join('\n');
      configs.setWorkspaceFolders(current);
    }
  };
  cache.setHooks({
    optionsFor: (uri, base) => {
      syncRoots();
      return configs.optionsFor(uri, base);
    },
    otherFindings: (document) => configs.otherFindings(document),
  });

  const configChanged = () => {
    configs.invalidate();
    cache.clear();
    refreshAll();
  };

  let watching = false;
  documents.onDidOpen(() => {
    // Documents arrive only after `initialized`, when dynamic registration is allowed.
    if (watching) return;
    watching = true;
    connection.client
      .register(DidChangeWatchedFilesNotification.type, { watchers: CONFIG_FILE_GLOBS.map((globPattern) => ({ globPattern })) })
      .catch(() => connection.console.log('The client cannot watch files: configuration changes on disk apply when the file is opened or saved in the editor.'));
  });
  documents.onDidChangeContent((event) => {
    if (!WorkspaceConfigs.isConfigUri(event.document.uri)) return;
    configs.setOpenText(event.document.uri, event.document.getText());
    configChanged();
  });
  documents.onDidClose((event) => {
    if (!WorkspaceConfigs.isConfigUri(event.document.uri)) return;
    configs.setOpenText(event.document.uri, undefined);
    configChanged();
  });
  connection.onDidChangeWatchedFiles((params) => {
    if (params.changes.some((change) => WorkspaceConfigs.isConfigUri(change.uri))) configChanged();
  });
  return configs;
}
