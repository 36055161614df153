/**
 * The `actionsWarden` settings: given in `initializationOptions`, then pulled with `workspace/configuration`
 * when the client answers it (else taken from `workspace/didChangeConfiguration` pushes), re-read on every
 * configuration change.
 */
import { CONFIGURATION_SECTION } from '../../../shared/src/protocol';
import type { Feature } from './feature';

export const settingsFeature: Feature = {
  capabilities: {},
  register(connection, context) {
    const fetchSettings = async () => {
      if (!context.client.pullConfiguration) return;
      try {
        context.updateSettings(await connection.workspace.getConfiguration(CONFIGURATION_SECTION));
      } catch (error) {
        connection.console.warn(`Could not read settings: ${String(error)}`);
      }
    };
    connection.onDidChangeConfiguration((change) => {
      const pushed = (change.settings as Record<string, unknown> | undefined)?.[CONFIGURATION_SECTION];
      if (pushed !== undefined && !context.client.pullConfiguration) context.updateSettings(pushed);
      else void fetchSettings();
    });
    return {
      initialize: (params) => {
        const init = (params.initializationOptions ?? {}) as { settings?: unknown };
        if (init.settings) context.updateSettings(init.settings);
        else context.online.configure(context.settings());
      },
      initialized: () => void fetchSettings(),
    };
  },
};
