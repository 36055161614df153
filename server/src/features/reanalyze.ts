/** The "re-run analysis" command: every analysis is rebuilt from the current settings and re-published. */
import { ServerCommands } from '../../../shared/src/protocol';
import type { Feature } from './feature';

export const reanalyzeFeature: Feature = {
  register(_connection, context) {
    return {
      commands: {
        [ServerCommands.reanalyze.id]: () => {
          context.reanalyzeAll();
          return null;
        },
      },
    };
  },
};
