/**
 * What an LSP feature module is: the capabilities it adds and a `register(connection, context)` that
 * installs its handlers. server.ts composes the list: it merges the capabilities, runs the lifecycle hooks
 * and dispatches `workspace/executeCommand` to the command handlers the features return.
 */
import {
  ErrorCodes,
  ResponseError,
  type Connection,
  type InitializeParams,
  type MessageActionItem,
  type ServerCapabilities,
  type TextDocuments,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { WardenSettings } from '../../../shared/src/settings';
import type { WorkspaceConfigs } from '../config/workspace';
import type { Analysis, AnalysisCache } from '../document-cache';
import type { WorkspaceDiagnostics } from '../workspace/workspace-diagnostics';
import type { DiagnosticsScheduler } from './diagnostics-scheduler';
import type { OnlineController } from './online';
import type { AnalysisViews } from '../views';

/** What the client said it can do in `initialize`. */
export interface ClientAbilities {
  /** It answers `workspace/configuration` (settings are pulled, not pushed). */
  pullConfiguration: boolean;
  /** It accepts `workspace/inlayHint/refresh` and `workspace/codeLens/refresh`. */
  refresh: { inlayHints: boolean; codeLens: boolean };
  /** What it can apply: `workspace.applyEdit`, versioned `documentChanges`, the `create` resource operation. */
  edits: { applyEdit: boolean; documentChanges: boolean; createFiles: boolean };
  /** It lets the server register file watchers (`workspace/didChangeWatchedFiles` dynamic registration). */
  watchFiles: boolean;
  /** It shows server-initiated work-done progress (`window/workDoneProgress/create`). */
  workDoneProgress: boolean;
  /**
   * It pulls diagnostics (`textDocument/diagnostic`): they are then not pushed (a client showing both would
   * show each twice). `initializationOptions.diagnosticMode: "push"` keeps pushing.
   */
  pullDiagnostics: boolean;
  /** It answers `workspace/diagnostic/refresh` (asked to pull again when online results or settings change). */
  diagnosticRefresh: boolean;
  /**
   * It shows the `actions-warden-dependency:` virtual documents (`initializationOptions.capabilities.dependencyDocuments`,
   * sent by the VS Code extension): related locations inside a dependency then point at them instead of the web URL.
   */
  dependencyDocuments: boolean;
}

/** What every feature may use: the documents, their analyses, the settings, the online controller, logging. */
export interface FeatureContext {
  readonly documents: TextDocuments<TextDocument>;
  readonly cache: AnalysisCache;
  readonly scheduler: DiagnosticsScheduler;
  readonly online: OnlineController;
  /** The repository configuration of each document (.github/actions-warden.yml, zizmor.yml). */
  readonly workspaceConfigs: WorkspaceConfigs;
  readonly client: ClientAbilities;
  /** The workspace index and the diagnostics of the files that are not open (workspace/). */
  readonly workspace: WorkspaceDiagnostics;
  /** Adds a listener for `workspace/didChangeWatchedFiles` (the connection takes one handler; features share it). */
  onDidChangeWatchedFiles(listener: (changes: readonly { uri: string; type: number }[]) => void): void;
  /** Adds views to every analysis (the workspace view is the context's own): called per document. */
  addViews(provider: (uri: string) => Partial<AnalysisViews>): void;
  settings(): WardenSettings;
  /**
   * The URI a related location in another file is given to the client with: a dependency's web URL on the
   * configured GitHub server becomes its virtual document when the client shows those; anything else as it is.
   */
  relatedUri(uri: string): string;
  /** Calls `listener` after each settings update (features whose results the client caches ask it to refresh). */
  onSettingsChanged(listener: (settings: WardenSettings, previous: WardenSettings) => void): void;
  /**
   * Applies raw `actionsWarden` settings (normalised here) and re-analyses the open documents. With
   * `online: false` the online controller is not configured yet (the settings are not final).
   */
  updateSettings(raw: unknown, options?: { online?: boolean }): void;
  /** Workspace folder URIs (or the root URI) given in `initialize`, as changed since (`workspace/didChangeWorkspaceFolders`). */
  workspaceRoots(): readonly string[];
  /** Replaces the workspace folder URIs (folders added or removed at run time). */
  setWorkspaceRoots(uris: readonly string[]): void;
  /** The analysis of an open document's current version, computed now when needed; null when closed or disabled. */
  currentAnalysis(uri: string): Analysis | null;
  /**
   * The analysis of a document's current version with its online results, waiting at most `waitMs` for
   * them; null when the document closed or changed meanwhile (the request is stale).
   */
  enrichedAnalysis(uri: string, waitMs: number): Promise<Analysis | null>;
  /** Resolves an analysis' uses once and re-runs its rules with the results; true when its findings changed. */
  enrich(analysis: Analysis): Promise<boolean>;
  /** Rebuilds every analysis from the current settings and re-publishes the open documents. */
  reanalyzeAll(): void;
  /** A configuration file changed: forget what was read, rebuild every analysis. */
  configurationChanged(): void;
  /** Runs `send` once the client is initialised (LSP forbids server-to-client messages before). */
  whenInitialized(send: () => void): void;
}

export type CommandHandler = (args: readonly unknown[] | undefined) => unknown;

export interface FeatureRegistration {
  /** The server commands the feature implements, by id: advertised in `executeCommandProvider`. */
  commands?: Record<string, CommandHandler>;
  /** Reads the `initialize` params (after the context has read its own); may add capabilities that depend on the client. */
  initialize?(params: InitializeParams): ServerCapabilities | undefined;
  /** After the client's `initialized` notification. */
  initialized?(): void;
  shutdown?(): void;
}

export interface Feature {
  /** What the feature adds to the server's capabilities (commands come from its registration). */
  readonly capabilities?: ServerCapabilities;
  register(connection: Connection, context: FeatureContext): FeatureRegistration | void;
}

/** The features' capabilities in one object; `executeCommandProvider` lists every command they implement. */
export function mergeCapabilities(features: readonly Feature[], commands: readonly string[]): ServerCapabilities {
  const merged: ServerCapabilities = Object.assign({}, ...features.map((feature) => feature.capabilities ?? {}));
  return commands.length > 0 ? { ...merged, executeCommandProvider: { commands: [...commands] } } : merged;
}

/**
 * Registers a request handler that answers InvalidParams (-32602) when the params do not have the shape
 * the handler reads (null, a missing document or position), instead of failing inside it.
 */
export function onValidRequest<P>(
  connection: Connection,
  method: string,
  valid: (params: unknown) => params is P,
  handler: (params: P) => unknown,
): void {
  connection.onRequest(method, (params: unknown) =>
    valid(params) ? handler(params) : new ResponseError(ErrorCodes.InvalidParams, `Invalid params for ${method}`),
  );
}

export type MessageLevel = 'info' | 'warning' | 'error';

/**
 * Shows a message in the client (a show-message request without actions). A client that cannot show
 * it answers with an error: the message then goes to the log instead of failing the server.
 */
export function showMessage(connection: Connection, level: MessageLevel, message: string): void {
  // With an (empty) list of actions the typings return the request's promise, which rejects when the client cannot show it.
  const noActions: MessageActionItem[] = [];
  const { window } = connection;
  const shown =
    level === 'error'
      ? window.showErrorMessage(message, ...noActions)
      : level === 'warning'
        ? window.showWarningMessage(message, ...noActions)
        : window.showInformationMessage(message, ...noActions);
  shown.then(undefined, () => connection.console.log(message));
}
