/**
 * Builds the FeatureContext of a connection: the open documents, the analysis cache with its diagnostics
 * scheduler, the settings, the online controller, the repository configurations, and what the client said
 * it can do. Features reach each other only through it.
 */
import { TextDocuments, type Connection, type InitializeParams } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { join } from 'node:path';
import { StatusNotification } from '../../../shared/src/protocol';
import { DEFAULT_SETTINGS, normalizeSettings, type WardenSettings } from '../../../shared/src/settings';
import type { AnalysisOptions } from '../analysis-options';
import { WorkspaceConfigs } from '../config/workspace';
import { AnalysisCache, type Analysis } from '../document-cache';
import { DEFAULT_ANALYSIS_OPTIONS } from '../engine';
import { DiagnosticsScheduler } from './diagnostics-scheduler';
import { showMessage, type ClientAbilities, type FeatureContext } from './feature';
import { OnlineController, within } from './online';

export function analysisOptions(settings: WardenSettings): AnalysisOptions {
  return {
    ...DEFAULT_ANALYSIS_OPTIONS,
    persona: settings.persona,
    minSeverity: settings.minSeverity,
    minConfidence: settings.minConfidence,
  };
}

export interface ContextLifecycle {
  readonly context: FeatureContext;
  /** Reads the client's abilities, workspace folders and cache folder from `initialize`. */
  initialize(params: InitializeParams): void;
  /** The client is initialised: sends what waited for it. */
  initialized(): void;
  shutdown(): void;
}

export function createFeatureContext(connection: Connection): ContextLifecycle {
  const documents = new TextDocuments(TextDocument);
  let settings: WardenSettings = DEFAULT_SETTINGS;
  let workspaceRoots: string[] = [];
  const client: ClientAbilities = {
    pullConfiguration: false,
    edits: { applyEdit: false, documentChanges: false, createFiles: false },
    pullDiagnostics: false,
    diagnosticRefresh: false,
  };
  const cache = new AnalysisCache(analysisOptions(settings));
  const workspaceConfigs = new WorkspaceConfigs();

  let initialized = false;
  const deferred: (() => void)[] = [];
  const whenInitialized = (send: () => void) => (initialized ? send() : deferred.push(send));

  // Online checks: notices and status wait until the client is initialised.
  const online = new OnlineController({
    log: (message) => connection.console.log(message),
    notify: (kind, message) => whenInitialized(() => showMessage(connection, kind, message)),
    status: (state) => whenInitialized(() => void connection.sendNotification(StatusNotification, state)),
  });
  // Pull mode: the client asks for diagnostics; when they changed (online results, settings), it is asked to pull again.
  let refreshTimer: NodeJS.Timeout | undefined;
  const requestRefresh = () => {
    if (!client.diagnosticRefresh || refreshTimer) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = undefined;
      whenInitialized(() => void connection.languages.diagnostics.refresh().catch(() => undefined));
    }, 50);
  };
  const enrichments = new WeakMap<Analysis, Promise<boolean>>();
  const enrich = (analysis: Analysis): Promise<boolean> => {
    let pending = enrichments.get(analysis);
    if (!pending) {
      pending = online.enrich(analysis).then((changed) => {
        if (changed) cache.reanalyze(analysis);
        return changed;
      });
      enrichments.set(analysis, pending);
    }
    return pending;
  };
  const scheduler = new DiagnosticsScheduler(
    cache,
    {
      publish: (uri, version, diagnostics) => {
        if (!client.pullDiagnostics) void connection.sendDiagnostics({ uri, version, diagnostics });
        else if (version !== undefined) requestRefresh();
      },
      logError: (message) => connection.console.error(message),
    },
    (uri) => (settings.enable ? documents.get(uri) : undefined),
    settings.debounceMs,
    enrich,
  );
  const refreshAll = () => scheduler.refreshAll(documents.keys());

  const context: FeatureContext = {
    documents,
    cache,
    scheduler,
    online,
    workspaceConfigs,
    client,
    settings: () => settings,
    updateSettings: (raw, options) => {
      settings = normalizeSettings(raw);
      scheduler.debounceMs = settings.debounceMs;
      if (options?.online !== false) online.configure(settings);
      cache.setOptions(analysisOptions(settings));
      if (!settings.enable) for (const document of documents.all()) scheduler.closed(document.uri);
      refreshAll();
    },
    workspaceRoots: () => workspaceRoots,
    currentAnalysis: (uri) => {
      const document = documents.get(uri);
      return document && settings.enable ? cache.get(document) : null;
    },
    enrichedAnalysis: async (uri, waitMs) => {
      for (let attempt = 0; attempt < 3; attempt++) {
        const document = documents.get(uri);
        if (!document || !settings.enable) return null;
        const version = document.version;
        const analysis = await cache.getAsync(document);
        if (!analysis) {
          // Cancelled: a newer version arrived (this request is stale) or the settings changed (try again).
          if (documents.get(uri)?.version !== version) return null;
          continue;
        }
        await within(enrich(analysis), waitMs, false);
        if (documents.get(uri)?.version !== analysis.version) return null;
        // When the cache was rebuilt during the wait (settings, token or configuration changed), the rebuilt analysis is used.
        if (cache.peek(uri, analysis.version) === analysis) return analysis;
      }
      const document = documents.get(uri);
      return document ? cache.get(document) : null;
    },
    enrich,
    reanalyzeAll: () => {
      cache.setOptions(analysisOptions(settings));
      refreshAll();
    },
    configurationChanged: () => {
      workspaceConfigs.invalidate();
      cache.clear();
      refreshAll();
    },
    whenInitialized,
  };

  return {
    context,
    initialize: (params) => {
      client.pullConfiguration = params.capabilities.workspace?.configuration === true;
      const workspaceEdit = params.capabilities.workspace?.workspaceEdit;
      client.edits = {
        applyEdit: params.capabilities.workspace?.applyEdit === true,
        documentChanges: workspaceEdit?.documentChanges === true,
        createFiles: (workspaceEdit?.resourceOperations ?? []).includes('create'),
      };
      const init = (params.initializationOptions ?? {}) as { globalStoragePath?: unknown; cacheDir?: unknown; diagnosticMode?: unknown };
      client.pullDiagnostics = params.capabilities.textDocument?.diagnostic !== undefined && init.diagnosticMode !== 'push';
      client.diagnosticRefresh = params.capabilities.workspace?.diagnostics?.refreshSupport === true;
      const storage =
        typeof init.cacheDir === 'string'
          ? init.cacheDir
          : typeof init.globalStoragePath === 'string'
            ? join(init.globalStoragePath, 'resolve-cache')
            : null;
      online.setCacheDir(storage);
      workspaceRoots = (params.workspaceFolders ?? [])
        .map((folder) => folder.uri)
        .concat(params.workspaceFolders ? [] : params.rootUri ? [params.rootUri] : []);
    },
    initialized: () => {
      initialized = true;
      for (const send of deferred.splice(0)) send();
    },
    shutdown: () => {
      scheduler.dispose();
      clearTimeout(refreshTimer);
    },
  };
}
