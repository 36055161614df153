/**
 * The language server: composes the feature modules of features/. Each feature declares its capabilities
 * and registers its handlers on the connection with a shared context (features/context.ts); this module
 * merges the capabilities, runs the lifecycle hooks and dispatches the server commands.
 */
import type { Connection, InitializeResult } from 'vscode-languageserver';
import { SERVER_NAME } from '../../shared/src/protocol';
import { codeActionsFeature } from './features/code-actions';
import { codeLensFeature } from './features/code-lenses';
import { completionFeature } from './features/completion';
import { createFeatureContext } from './features/context';
import { dependencySourceFeature } from './features/dependency-source';
import { diagnosticsFeature } from './features/diagnostics';
import { documentLinksFeature } from './features/document-links';
import { mergeCapabilities, onValidRequest, type CommandHandler, type Feature, type FeatureRegistration } from './features/feature';
import { hoverFeature } from './features/hover';
import { inlayHintsFeature } from './features/inlay-hints';
import { leastPrivilegeFeature } from './features/least-privilege';
import { lockActionsFeature } from './features/lock-actions';
import { onlineStatusFeature } from './features/online-status';
import { pinAllFeature } from './features/pin-all';
import { reanalyzeFeature } from './features/reanalyze';
import { recordChecksumFeature } from './features/record-checksum';
import { repositoryConfigurationFeature } from './features/repository-configuration';
import { repositoryPolicyFeature } from './features/repository-policy';
import { settingsFeature } from './features/settings';
import { updateAllFeature } from './features/update-all';
import { workspaceIndexFeature } from './features/workspace-index';
import { isExecuteCommandParams } from './params';
import { VERSION } from './version';

/** In registration order: diagnostics schedule a document before its repository configuration is looked at. */
export const FEATURES: readonly Feature[] = [
  settingsFeature,
  onlineStatusFeature,
  diagnosticsFeature,
  repositoryConfigurationFeature,
  workspaceIndexFeature,
  repositoryPolicyFeature,
  codeActionsFeature,
  hoverFeature,
  documentLinksFeature,
  pinAllFeature,
  updateAllFeature,
  reanalyzeFeature,
  leastPrivilegeFeature,
  recordChecksumFeature,
  completionFeature,
  inlayHintsFeature,
  codeLensFeature,
  lockActionsFeature,
  dependencySourceFeature,
];

export function startServer(connection: Connection, features: readonly Feature[] = FEATURES): void {
  const lifecycle = createFeatureContext(connection);
  const registrations: FeatureRegistration[] = features.map((feature) => feature.register(connection, lifecycle.context) ?? {});
  const commands = new Map<string, CommandHandler>(registrations.flatMap((registration) => Object.entries(registration.commands ?? {})));

  connection.onInitialize((params): InitializeResult => {
    lifecycle.initialize(params);
    const forClient = registrations.map((registration) => registration.initialize?.(params) ?? {});
    const capabilities = Object.assign(mergeCapabilities(features, [...commands.keys()]), ...forClient);
    return { capabilities, serverInfo: { name: SERVER_NAME, version: VERSION } };
  });
  connection.onInitialized(() => {
    lifecycle.initialized();
    for (const registration of registrations) registration.initialized?.();
  });
  onValidRequest(
    connection,
    'workspace/executeCommand',
    isExecuteCommandParams,
    async (params) => (await commands.get(params.command)?.(params.arguments)) ?? null,
  );
  connection.onShutdown(() => {
    for (const registration of registrations) registration.shutdown?.();
    lifecycle.shutdown();
  });
  lifecycle.context.documents.listen(connection);
  connection.listen();
}
