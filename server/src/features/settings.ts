/**
 * The `actionsWarden` settings, for any LSP client:
 * - `initializationOptions.settings` are the starting values (absent: the defaults);
 * - when the client answers `workspace/configuration`, the `actionsWarden` section it returns is laid over
 *   them (a null answer keeps them), after `initialized` and again on every `workspace/didChangeConfiguration`;
 * - a client that does not answer it may push `{ actionsWarden: {...} }` in `workspace/didChangeConfiguration`.
 * No request leaves before the settings are known: while the first `workspace/configuration` answer is
 * awaited, the online controller has no resolver and online work waits (it may say `offline: true`).
 */
import { CONFIGURATION_SECTION } from '../../../shared/src/protocol';
import type { Feature } from './feature';

type RawSettings = Record<string, unknown>;

const asObject = (value: unknown): RawSettings | null =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as RawSettings) : null;

/** `pulled` laid over `base`, one level deeper for `github` (a client may give only some of its keys). */
export function layerSettings(base: unknown, pulled: unknown): RawSettings {
  const under = asObject(base) ?? {};
  const over = asObject(pulled);
  if (!over) return { ...under };
  const github = asObject(over.github) || asObject(under.github) ? { ...asObject(under.github), ...asObject(over.github) } : undefined;
  return { ...under, ...over, ...(github ? { github } : {}) };
}

export const settingsFeature: Feature = {
  capabilities: {},
  register(connection, context) {
    let initial: unknown;
    const fetchSettings = async () => {
      if (!context.client.pullConfiguration) return;
      let pulled: unknown = null;
      try {
        pulled = await connection.workspace.getConfiguration(CONFIGURATION_SECTION);
      } catch (error) {
        connection.console.warn(`Could not read settings: ${String(error)}`);
      }
      // Applied even when the request failed: the starting values are then the settings, and online work may start.
      context.updateSettings(layerSettings(initial, pulled));
    };
    connection.onDidChangeConfiguration((change) => {
      const pushed = (change.settings as Record<string, unknown> | undefined)?.[CONFIGURATION_SECTION];
      if (pushed !== undefined && !context.client.pullConfiguration) context.updateSettings(layerSettings(initial, pushed));
      else void fetchSettings();
    });
    return {
      initialize: (params) => {
        initial = asObject(params.initializationOptions)?.settings;
        // A client that answers workspace/configuration may still say `offline: true` there: hold online work until it does.
        context.updateSettings(initial ?? {}, { online: !context.client.pullConfiguration });
        return undefined;
      },
      initialized: () => void fetchSettings(),
    };
  },
};
