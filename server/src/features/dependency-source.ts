/**
 * The read-only virtual documents of a dependency's file at a commit (shared/src/dependency-uri.ts): the
 * `actionsWarden/dependencySource` request answers their text (the client's content provider asks it), and
 * the `openDependencySource` server command (run by the code lens on a resolved `uses:`) asks the client to
 * show one (`window/showDocument`). Opened, such a document is analysed like any action or workflow file: its
 * kind comes from its path. The URI's parts are checked before anything is read; the host is always the
 * configured one, and offline nothing is read.
 */
import { DependencySourceRequest, ServerCommands } from '../../../shared/src/protocol';
import { dependencySourceProblem, parseDependencyUri, type DependencySource } from '../../../shared/src/dependency-uri';
import { onValidRequest, type Feature } from './feature';

const isSource = (params: unknown): params is DependencySource => dependencySourceProblem(params) === null;

export const dependencySourceFeature: Feature = {
  register(connection, context) {
    onValidRequest(connection, DependencySourceRequest.method, isSource, async (source) => {
      const read = await context.online.readDependencyFile(source.owner, source.repo, source.commit, source.path);
      return read.ok ? { text: read.value.text } : { text: null, message: read.error.message };
    });
    return {
      commands: {
        [ServerCommands.openDependencySource.id]: async (args) => {
          const uri = typeof args?.[0] === 'string' ? args[0] : '';
          if (!parseDependencyUri(uri)) return { shown: false };
          try {
            const result = await connection.window.showDocument({ uri, takeFocus: true });
            return { shown: result.success };
          } catch {
            return { shown: false };
          }
        },
      },
    };
  },
};
