/**
 * The "re-run analysis" command: the workspace folders are walked again (for clients that cannot watch
 * files), and every analysis is rebuilt from the current settings and re-published.
 */
import { ServerCommands } from '../../../shared/src/protocol';
import type { Feature } from './feature';

export const reanalyzeFeature: Feature = {
  register(_connection, context) {
    return {
      commands: {
        [ServerCommands.reanalyze.id]: async () => {
          if (context.workspace.started) await context.workspace.rescan();
          context.reanalyzeAll();
          return null;
        },
      },
    };
  },
};
