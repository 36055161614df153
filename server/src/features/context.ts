/**
 * Builds the FeatureContext of a connection: the open documents, the analysis cache with its diagnostics
 * scheduler, the settings, the online controller, the repository configurations, and what the client said
 * it can do. Features reach each other only through it.
 */
import { TextDocuments, type Connection, type InitializeParams } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { join } from 'node:path';
import { HiddenFindingsNotification, StatusNotification } from '../../../shared/src/protocol';
import { hiddenSentence, SETTINGS_SWITCHES, summarizeHiddenEntries } from '../../../shared/src/hidden';
import { dependencyDocumentUri } from '../../../shared/src/dependency-uri';
import { DEFAULT_SETTINGS, normalizeSettings, type WardenSettings } from '../../../shared/src/settings';
import type { AnalysisOptions } from '../analysis-options';
import { WorkspaceConfigs } from '../config/workspace';
import { AnalysisCache, type Analysis } from '../document-cache';
import { DEFAULT_ANALYSIS_OPTIONS } from '../engine';
import { dependencySourceLenses } from './code-lenses';
import { DiagnosticsScheduler } from './diagnostics-scheduler';
import { showMessage, type ClientAbilities, type FeatureContext } from './feature';
import { OnlineController, within } from './online';
import { WorkspaceDiagnostics } from '../workspace/workspace-diagnostics';
import { fileUriToPath, type OpenText } from '../workspace/workspace-index';
import type { WorkDoneProgressServerReporter } from 'vscode-languageserver';
import type { AnalysisViews } from '../views';

export function analysisOptions(settings: WardenSettings): AnalysisOptions {
  return {
    ...DEFAULT_ANALYSIS_OPTIONS,
    persona: settings.persona,
    minSeverity: settings.minSeverity,
    minConfidence: settings.minConfidence,
    // The editor's pinning style; a repository's `pinning.style` is merged over it.
    ...(settings.pinning.style !== 'auto' ? { ruleConfig: { 'unpinned-uses': { style: settings.pinning.style } } } : {}),
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
    refresh: { inlayHints: false, codeLens: false },
    edits: { applyEdit: false, documentChanges: false, createFiles: false },
    watchFiles: false,
    workDoneProgress: false,
    pullDiagnostics: false,
    diagnosticRefresh: false,
    dependencyDocuments: false,
  };
  const settingsListeners: ((settings: WardenSettings, previous: WardenSettings) => void)[] = [];
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
  // A dependency's web URL on the configured server, for a client that shows the virtual documents: the same file
  // at the same commit in the editor (a URL of another host, or of this one under older settings, is left as it is).
  const relatedUri = (uri: string): string => (client.dependencyDocuments ? dependencyDocumentUri(uri, online.githubServerUrl) : uri);
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
  // The dependency walk: after the snapshot (its ref look-ups are then cached), its findings published when it finishes.
  const walks = new WeakMap<Analysis, Promise<boolean>>();
  const follow = (analysis: Analysis): Promise<boolean> => {
    let pending = walks.get(analysis);
    if (!pending) {
      pending = enrich(analysis)
        .then(() => online.followDependencies(analysis, followsDependencies(analysis.uri)))
        .then((changed) => {
          if (changed) {
            cache.reanalyze(analysis);
            // The code lenses that open a dependency's source appear once the walk read it.
            if (client.refresh.codeLens && settings.codeLens && dependencySourceLenses(analysis).length > 0)
              whenInitialized(() => void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined));
          }
          return changed;
        });
      walks.set(analysis, pending);
    }
    return pending;
  };
  // The setting, and the repository's `follow-dependencies: false` (config/apply.ts sets the view absent).
  const followsDependencies = (uri: string) => settings.followDependencies && cache.optionsFor(uri).views?.dependencies === undefined;
  const scheduler = new DiagnosticsScheduler(
    cache,
    {
      relatedUri: (uri) => relatedUri(uri),
      publish: (uri, version, diagnostics) => {
        const analysis = version === undefined ? undefined : cache.peek(uri, version);
        const sentence = hiddenSentence(summarizeHiddenEntries(analysis?.hiddenHigh ?? [], settings.persona), SETTINGS_SWITCHES);
        void connection.sendNotification(HiddenFindingsNotification, { uri, sentence });
        if (!client.pullDiagnostics) void connection.sendDiagnostics({ uri, version, diagnostics });
        else if (version !== undefined) requestRefresh();
      },
      logError: (message) => connection.console.error(message),
    },
    (uri) => (settings.enable ? documents.get(uri) : undefined),
    settings.debounceMs,
    enrich,
    follow,
  );

  // The workspace index sees open documents by file-system path: the editor's text wins over the disk's.
  const openByPath = new Map<string, string>();
  documents.onDidOpen((event) => {
    const path = fileUriToPath(event.document.uri);
    if (path !== null) openByPath.set(path, event.document.uri);
  });
  documents.onDidClose((event) => {
    const path = fileUriToPath(event.document.uri);
    if (path !== null && openByPath.get(path) === event.document.uri) openByPath.delete(path);
  });
  const openDocument = (path: string): OpenText | undefined => {
    const uri = openByPath.get(path);
    const document = uri === undefined ? undefined : documents.get(uri);
    return document ? { uri: document.uri, version: document.version, text: document.getText() } : undefined;
  };
  const workspace = new WorkspaceDiagnostics({ openDocument }, cache, () => settings, {
    publish: (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }),
    relatedUri: (uri) => relatedUri(uri),
    refreshOpen: (uri) => {
      cache.delete(uri);
      scheduler.changed(uri);
    },
    configFindings: (uri, text) => workspaceConfigs.otherFindings({ uri, getText: () => text }),
    beginProgress: async (title) => {
      if (!client.workDoneProgress) return null;
      let reporter: WorkDoneProgressServerReporter;
      try {
        reporter = await connection.window.createWorkDoneProgress();
      } catch {
        return null;
      }
      reporter.begin(title, 0, undefined, false);
      return { report: (percentage, message) => reporter.report(percentage, message), done: () => reporter.done() };
    },
    logError: (message) => connection.console.error(message),
  });
  // More views (the repository's Actions policy) are added by features through `addViews`.
  const viewProviders: ((uri: string) => Partial<AnalysisViews>)[] = [];
  cache.setViews((uri) => Object.assign({ workspace: workspace.index.viewFor(uri) }, ...viewProviders.map((provider) => provider(uri))));
  scheduler.closeHandler = (uri) => workspace.closed(uri);
  const watchedFilesListeners: ((changes: readonly { uri: string; type: number }[]) => void)[] = [];
  connection.onDidChangeWatchedFiles((params) => {
    for (const listener of watchedFilesListeners) listener(params.changes);
  });

  const refreshAll = () => {
    scheduler.refreshAll(documents.keys());
    workspace.reanalyzeAll();
  };

  const context: FeatureContext = {
    documents,
    cache,
    scheduler,
    online,
    workspaceConfigs,
    client,
    workspace,
    onDidChangeWatchedFiles: (listener) => void watchedFilesListeners.push(listener),
    addViews: (provider) => void viewProviders.push(provider),
    settings: () => settings,
    onSettingsChanged: (listener) => void settingsListeners.push(listener),
    updateSettings: (raw, options) => {
      const previous = settings;
      settings = normalizeSettings(raw);
      scheduler.debounceMs = settings.debounceMs;
      if (options?.online !== false) online.configure(settings);
      cache.setOptions(analysisOptions(settings));
      if (!settings.enable) for (const document of documents.all()) scheduler.closed(document.uri);
      refreshAll();
      for (const listener of settingsListeners) listener(settings, previous);
    },
    relatedUri,
    workspaceRoots: () => workspaceRoots,
    setWorkspaceRoots: (uris) => {
      workspaceRoots = [...uris];
    },
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
        await within(follow(analysis), waitMs, false);
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
      client.refresh = {
        inlayHints: params.capabilities.workspace?.inlayHint?.refreshSupport === true,
        codeLens: params.capabilities.workspace?.codeLens?.refreshSupport === true,
      };
      const workspaceEdit = params.capabilities.workspace?.workspaceEdit;
      client.edits = {
        applyEdit: params.capabilities.workspace?.applyEdit === true,
        documentChanges: workspaceEdit?.documentChanges === true,
        createFiles: (workspaceEdit?.resourceOperations ?? []).includes('create'),
      };
      client.watchFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
      client.workDoneProgress = params.capabilities.window?.workDoneProgress === true;
      const init = (params.initializationOptions ?? {}) as {
        globalStoragePath?: unknown;
        cacheDir?: unknown;
        diagnosticMode?: unknown;
        capabilities?: unknown;
      };
      client.pullDiagnostics = params.capabilities.textDocument?.diagnostic !== undefined && init.diagnosticMode !== 'push';
      const extra = init.capabilities && typeof init.capabilities === 'object' ? (init.capabilities as Record<string, unknown>) : {};
      client.dependencyDocuments = extra.dependencyDocuments === true;
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
      workspace.index.setRoots(workspaceRoots);
    },
    initialized: () => {
      initialized = true;
      for (const send of deferred.splice(0)) send();
    },
    shutdown: () => {
      scheduler.dispose();
      workspace.dispose();
      clearTimeout(refreshTimer);
    },
  };
}
