/**
 * The whole workspace in the Problems panel: after `initialized`, the workspace folders are indexed and
 * the files that are not open are analysed in the background (workspace/workspace-diagnostics.ts), kept
 * current through `workspace/didChangeWatchedFiles`. The server registers the file watchers itself
 * (dynamic registration), so any LSP client that allows it gets them, not only the VS Code extension.
 */
import { DidChangeWatchedFilesNotification } from 'vscode-languageserver';
import type { Feature } from './feature';

/**
 * What the server watches: every YAML file (workflows, actions, Dependabot and configuration files, and
 * whatever YAML kind the classifier learns), anything in a workflows folder (the lockfile), `.gitignore`
 * files (they change what is collected) and `.github` folders (deleted or moved as a whole).
 */
export const WORKSPACE_WATCH_GLOBS = ['**/*.{yml,yaml}', '**/.github/workflows/*', '**/.gitignore', '**/.github', '**/.github/workflows'];

export const workspaceIndexFeature: Feature = {
  // Folders added or removed at run time are indexed (or dropped) without a restart.
  capabilities: { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } },
  register(connection, context) {
    const { documents, workspace } = context;
    documents.onDidOpen((event) => workspace.opened(event.document.uri));
    documents.onDidChangeContent((event) => workspace.edited(event.document.uri));
    context.onDidChangeWatchedFiles((changes) => workspace.changedOnDisk(changes));
    let watching = false;
    const watch = () => {
      if (watching) return;
      watching = true;
      if (context.client.watchFiles) {
        connection.client
          .register(DidChangeWatchedFilesNotification.type, { watchers: WORKSPACE_WATCH_GLOBS.map((globPattern) => ({ globPattern })) })
          .catch(() => connection.console.log('The client cannot watch files: changes on disk show when the file is opened.'));
      } else {
        connection.console.log('The client does not let the server watch files: changes on disk show when the file is opened.');
      }
    };
    const foldersChanged = (event: { added: readonly { uri: string }[]; removed: readonly { uri: string }[] }) => {
      const current = context.workspaceRoots();
      const removed = new Set(event.removed.map((folder) => folder.uri));
      const added = event.added.map((folder) => folder.uri).filter((uri) => !current.includes(uri) && !removed.has(uri));
      const next = current.filter((uri) => !removed.has(uri)).concat(added);
      context.setWorkspaceRoots(next);
      const started = Date.now();
      void workspace.setRoots(next).then(() => {
        if (workspace.index.hasRoots) watch();
        connection.console.log(
          `Workspace folders changed (${added.length} added, ${removed.size} removed): indexed ${workspace.index.size} file(s) in ${Date.now() - started} ms.`,
        );
        context.reanalyzeAll();
      });
    };
    return {
      initialized: () => {
        try {
          connection.workspace.onDidChangeWorkspaceFolders(foldersChanged);
        } catch {
          // The client does not send folder changes: the folders of `initialize` stay.
        }
        if (!workspace.index.hasRoots) return;
        watch();
        const started = Date.now();
        void workspace
          .start()
          .then(() =>
            connection.console.log(
              `Indexed ${workspace.index.size} file(s) of the workspace in ${Date.now() - started} ms${workspace.index.truncated ? ' (stopped at the limit)' : ''}.`,
            ),
          );
      },
    };
  },
};
