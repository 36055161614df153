/**
 * Repository configuration in the language server: every document is analysed with its repository's
 * configuration (see config/workspace.ts), configuration files open in the editor get their problems as
 * diagnostics, and a change to a configuration file (edited in the editor, or changed on disk as reported
 * by `workspace/didChangeWatchedFiles`) re-analyses every open document.
 */
import { DidChangeWatchedFilesNotification } from 'vscode-languageserver';
import { WorkspaceConfigs } from '../config/workspace';
import type { Feature } from './feature';

export const CONFIG_FILE_GLOBS = ['**/actions-warden.{yml,yaml}', '**/zizmor.{yml,yaml}'];

export const repositoryConfigurationFeature: Feature = {
  register(connection, context) {
    const { cache, documents, workspaceConfigs: configs } = context;
    let roots = '';
    const syncRoots = () => {
      const current = context.workspaceRoots();
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

    let watching = false;
    documents.onDidOpen(() => {
      // Documents arrive only after `initialized`, when dynamic registration is allowed.
      if (watching) return;
      watching = true;
      connection.client
        .register(DidChangeWatchedFilesNotification.type, { watchers: CONFIG_FILE_GLOBS.map((globPattern) => ({ globPattern })) })
        .catch(() =>
          connection.console.log(
            'The client cannot watch files: configuration changes on disk apply when the file is opened or saved in the editor.',
          ),
        );
    });
    documents.onDidChangeContent((event) => {
      if (!WorkspaceConfigs.isConfigUri(event.document.uri)) return;
      configs.setOpenText(event.document.uri, event.document.getText());
      context.configurationChanged();
    });
    documents.onDidClose((event) => {
      if (!WorkspaceConfigs.isConfigUri(event.document.uri)) return;
      configs.setOpenText(event.document.uri, undefined);
      context.configurationChanged();
    });
    context.onDidChangeWatchedFiles((changes) => {
      if (changes.some((change) => WorkspaceConfigs.isConfigUri(change.uri))) context.configurationChanged();
    });
  },
};
