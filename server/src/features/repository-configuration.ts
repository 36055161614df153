/**
 * Repository configuration in the language server: every document is analysed with its repository's
 * configuration (see config/workspace.ts), configuration files open in the editor get their problems as
 * diagnostics, and a change to a configuration file (edited in the editor, or changed on disk as reported
 * by `workspace/didChangeWatchedFiles`) re-analyses every open document.
 */
import { DidChangeWatchedFilesNotification } from 'vscode-languageserver';
import { uriToPath, WorkspaceConfigs } from '../config/workspace';
import { LockReader, workflowsFolderOf } from '../lockfile/locate';
import { LOCKFILE_NAME } from '../lockfile/types';
import type { Feature } from './feature';

export const CONFIG_FILE_GLOBS = ['**/actions-warden.{yml,yaml}', '**/zizmor.{yml,yaml}', `**/.github/workflows/${LOCKFILE_NAME}`];

function isLockUri(uri: string): boolean {
  return uri.endsWith(`/.github/workflows/${LOCKFILE_NAME}`);
}

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
    // The actions.lock beside a workflow, read from the editor when open, else from disk inside the
    // workspace folder (or the repository) holding it, links not followed.
    const locks = new LockReader();
    cache.setHooks({
      optionsFor: (uri, base) => {
        syncRoots();
        const options = configs.optionsFor(uri, base);
        const path = uriToPath(uri);
        const folder = path ? workflowsFolderOf(path) : null;
        if (!path || !folder) return options;
        const within =
          context
            .workspaceRoots()
            .map(uriToPath)
            .filter((root): root is string => root !== null && (path === root || path.startsWith(root.endsWith('/') ? root : `${root}/`)))
            .sort((a, b) => b.length - a.length)[0] ?? folder.repoRoot;
        const own = path.endsWith(LOCKFILE_NAME) ? documents.get(uri)?.getText() : undefined;
        return { ...options, views: { ...options.views, lock: locks.viewFor(path, within, own) } };
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
      if (isLockUri(event.document.uri)) {
        // Every workflow beside it is re-analysed against the edited lock.
        const path = uriToPath(event.document.uri);
        if (path) locks.setOpenText(path, event.document.getText());
        context.configurationChanged();
        return;
      }
      if (!WorkspaceConfigs.isConfigUri(event.document.uri)) return;
      configs.setOpenText(event.document.uri, event.document.getText());
      context.configurationChanged();
    });
    documents.onDidClose((event) => {
      if (isLockUri(event.document.uri)) {
        const path = uriToPath(event.document.uri);
        if (path) locks.setOpenText(path, undefined);
        context.configurationChanged();
        return;
      }
      if (!WorkspaceConfigs.isConfigUri(event.document.uri)) return;
      configs.setOpenText(event.document.uri, undefined);
      context.configurationChanged();
    });
    context.onDidChangeWatchedFiles((changes) => {
      if (changes.some((change) => isLockUri(change.uri))) {
        locks.invalidate();
        context.configurationChanged();
      } else if (changes.some((change) => WorkspaceConfigs.isConfigUri(change.uri))) context.configurationChanged();
    });
  },
};
