/**
 * Wires LSP requests and notifications to the feature modules. No analysis logic lives here: see
 * analysis.ts (cache), documents.ts (when to publish) and features/ (what to answer).
 */
import { ErrorCodes, ResponseError, TextDocuments, TextDocumentSyncKind, type Connection, type InitializeResult } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind } from 'vscode-languageserver-types';
import { CONFIGURATION_SECTION, GITHUB_TOKEN_NOTIFICATION, SERVER_NAME, ServerCommands, STATUS_NOTIFICATION, type GitHubTokenParams } from '../../shared/src/protocol';
import { DEFAULT_SETTINGS, normalizeSettings, type WardenSettings } from '../../shared/src/settings';
import { AnalysisCache, type Analysis } from './analysis';
import { OnlineController, within } from './features/online';
import { pinningCodeActions } from './features/pinning';
import { pinAllCommand, workspaceFiles } from './features/pin-all';
import { attachSnapshot, emptySnapshot, snapshotOf } from './resolve/snapshot';
import { join } from 'node:path';
import { attachWorkspaceConfig } from './config/lsp';
import { DiagnosticsScheduler } from './documents';
import { DEFAULT_ANALYSIS_OPTIONS, type AnalysisOptions } from './engine';
import { codeActions, FIX_ALL_KIND } from './features/code-actions';
import { documentLinks } from './features/document-links';
import { hover } from './features/hover';
import { readConfigText, recordChecksumActions, recordChecksumCommand } from './features/record-checksum';
import { uriToPath } from './config/workspace';
import { isCodeActionParams, isDocumentLinkParams, isExecuteCommandParams, isHoverParams } from './params';
import { VERSION } from './version';

export function analysisOptions(settings: WardenSettings): AnalysisOptions {
  return { ...DEFAULT_ANALYSIS_OPTIONS, persona: settings.persona, minSeverity: settings.minSeverity, minConfidence: settings.minConfidence };
}

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  let settings: WardenSettings = DEFAULT_SETTINGS;
  let pullConfiguration = false;
  /** What the client can apply (initialize capabilities): the record-checksum command adapts its edit. */
  let editCapabilities = { applyEdit: false, documentChanges: false, createFiles: false };
  const cache = new AnalysisCache(analysisOptions(settings));
  // Online checks: notices and status wait until the client is initialised (LSP forbids them before).
  let initialized = false;
  const deferred: (() => void)[] = [];
  const whenInitialized = (send: () => void) => (initialized ? send() : deferred.push(send));
  const online = new OnlineController({
    log: (message) => connection.console.log(message),
    notify: (kind, message) =>
      whenInitialized(() => void connection.sendNotification('window/showMessage', { type: kind === 'info' ? 3 : 2, message })),
    status: (state) => whenInitialized(() => void connection.sendNotification(STATUS_NOTIFICATION, state)),
  });
  const enrichments = new WeakMap<Analysis, Promise<boolean>>();
  /** Resolves the analysis' uses once, re-runs the rules with the results; true when findings changed. */
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
  let workspaceRoots: string[] = [];
  const scheduler = new DiagnosticsScheduler(
    cache,
    {
      publish: (uri, version, diagnostics) => void connection.sendDiagnostics({ uri, version, diagnostics }),
      logError: (message) => connection.console.error(message),
    },
    (uri) => (settings.enable ? documents.get(uri) : undefined),
    settings.debounceMs,
    enrich,
  );

  const applySettings = (raw: unknown) => {
    settings = normalizeSettings(raw);
    scheduler.debounceMs = settings.debounceMs;
    online.configure(settings);
    cache.setOptions(analysisOptions(settings));
    if (!settings.enable) for (const document of documents.all()) scheduler.closed(document.uri);
    scheduler.refreshAll(documents.keys());
  };

  connection.onInitialize((params): InitializeResult => {
    pullConfiguration = params.capabilities.workspace?.configuration === true;
    const workspaceEdit = params.capabilities.workspace?.workspaceEdit;
    editCapabilities = {
      applyEdit: params.capabilities.workspace?.applyEdit === true,
      documentChanges: workspaceEdit?.documentChanges === true,
      createFiles: (workspaceEdit?.resourceOperations ?? []).includes('create'),
    };
    const init = (params.initializationOptions ?? {}) as { settings?: unknown; globalStoragePath?: unknown; cacheDir?: unknown };
    const storage = typeof init.cacheDir === 'string' ? init.cacheDir : typeof init.globalStoragePath === 'string' ? join(init.globalStoragePath, 'resolve-cache') : null;
    online.setCacheDir(storage);
    workspaceRoots = (params.workspaceFolders ?? []).map((folder) => folder.uri).concat(params.workspaceFolders ? [] : params.rootUri ? [params.rootUri] : []);
    if (init.settings) applySettings(init.settings);
    else online.configure(settings);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
        hoverProvider: true,
        documentLinkProvider: { resolveProvider: false },
        executeCommandProvider: { commands: [ServerCommands.pinAllInFile, ServerCommands.pinAllInWorkspace, ServerCommands.reanalyze, ServerCommands.recordChecksum] },
      },
      serverInfo: { name: SERVER_NAME, version: VERSION },
    };
  });

  const fetchSettings = async () => {
    if (!pullConfiguration) return;
    try {
      applySettings(await connection.workspace.getConfiguration(CONFIGURATION_SECTION));
    } catch (error) {
      connection.console.warn(`Could not read settings: ${String(error)}`);
    }
  };

  connection.onInitialized(() => {
    initialized = true;
    for (const send of deferred.splice(0)) send();
    void fetchSettings();
  });
  connection.onNotification(GITHUB_TOKEN_NOTIFICATION, (params: GitHubTokenParams) => {
    if (online.setClientToken(typeof params?.token === 'string' ? params.token : null, { serverUrl: typeof params?.serverUrl === 'string' ? params.serverUrl : undefined, apiUrl: typeof params?.apiUrl === 'string' ? params.apiUrl : undefined })) {
      cache.setOptions(analysisOptions(settings));
      scheduler.refreshAll(documents.keys());
    }
  });
  connection.onDidChangeConfiguration((change) => {
    const pushed = (change.settings as Record<string, unknown> | undefined)?.[CONFIGURATION_SECTION];
    if (pushed !== undefined && !pullConfiguration) applySettings(pushed);
    else void fetchSettings();
  });

  documents.onDidChangeContent((event) => scheduler.changed(event.document.uri));
  documents.onDidClose((event) => scheduler.closed(event.document.uri));
  // Repository configuration files (.github/actions-warden.yml, zizmor.yml): see config/lsp.ts.
  const workspaceConfigs = attachWorkspaceConfig(connection, documents, cache, () => workspaceRoots, () => scheduler.refreshAll(documents.keys()));

  /**
   * The analysis of a document's current version with its online results (waiting at most `waitMs` for
   * them). Null when the document closed or changed meanwhile (the request is stale). When the cache was
   * rebuilt during the wait (settings, token or configuration changed), the rebuilt analysis is used.
   */
  const enrichedAnalysis = async (uri: string, waitMs: number): Promise<Analysis | null> => {
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
      if (cache.peek(uri, analysis.version) === analysis) return analysis;
    }
    const document = documents.get(uri);
    return document ? cache.get(document) : null;
  };

  /**
   * Registers a request handler that answers InvalidParams (-32602) when the params do not have the shape
   * the handler reads (null, a missing document or position), instead of failing inside it.
   */
  const onValidRequest = <P>(method: string, valid: (params: unknown) => params is P, handler: (params: P) => unknown) =>
    connection.onRequest(method, (params: unknown) => (valid(params) ? handler(params) : new ResponseError(ErrorCodes.InvalidParams, `Invalid params for ${method}`)));

  onValidRequest('textDocument/codeAction', isCodeActionParams, async (params) => {
    // Pin fixes need resolved tags: wait (bounded) for the online results of this version. Fix-all runs on
    // save under VS Code's short codeActionsOnSave timeout, so it takes what is there almost at once.
    const onlyFixAll = (params.context.only ?? []).length > 0 && params.context.only!.every((kind) => kind.startsWith(CodeActionKind.SourceFixAll));
    const analysis = await enrichedAnalysis(params.textDocument.uri, onlyFixAll ? 250 : 8000);
    if (!analysis) return [];
    return [...codeActions(analysis, params.range, params.context.only, params.context.diagnostics), ...pinningCodeActions(analysis, params.range, params.context.only), ...recordChecksumActions(analysis, params.range, params.context.only, online.isOffline)];
  });

  onValidRequest('textDocument/hover', isHoverParams, async (params) => {
    const analysis = await enrichedAnalysis(params.textDocument.uri, 5000);
    const document = documents.get(params.textDocument.uri);
    if (!analysis || !document) return null;
    if (online.isOffline && !snapshotOf(analysis.file)) attachSnapshot(analysis.file, emptySnapshot(true));
    return hover(analysis, document.offsetAt(params.position));
  });

  onValidRequest('textDocument/documentLink', isDocumentLinkParams, async (params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document || !settings.enable) return [];
    // Null when cancelled (a newer version arrived: the client asks again for it; or the settings changed).
    const analysis = await cache.getAsync(document);
    return analysis ? documentLinks(analysis.file, { serverUrl: settings.github.serverUrl }) : [];
  });

  onValidRequest('workspace/executeCommand', isExecuteCommandParams, async (params) => {
    if (params.command === ServerCommands.recordChecksum) {
      // unverified-download: fetch ONE URL the user chose, record its sha256, insert the check (features/record-checksum.ts).
      return recordChecksumCommand(params.arguments, {
        isOffline: () => online.isOffline,
        analysis: (uri) => {
          const document = documents.get(uri);
          return document && settings.enable ? cache.get(document) : null;
        },
        configFileFor: (uri) => {
          const found = workspaceConfigs.configFor(uri);
          return found ? { path: found.config.path, format: found.config.format } : null;
        },
        readText: (path) => readConfigText(path, (uri) => {
          const open = documents.get(uri);
          return open ? { text: open.getText(), version: open.version } : undefined;
        }),
        workspaceFolders: () => workspaceRoots.map(uriToPath).filter((path): path is string => path !== null),
        pathOf: uriToPath,
        applyEdit: async (label, edit) => (await connection.workspace.applyEdit({ label, edit })).applied,
        editCapabilities,
        notify: (level, message) => void connection.sendNotification('window/showMessage', { type: level === 'error' ? 1 : level === 'warning' ? 2 : 3, message }),
        configChanged: () => {
          workspaceConfigs.invalidate();
          cache.clear();
          scheduler.refreshAll(documents.keys());
        },
      });
    }
    if (params.command === ServerCommands.reanalyze) {
      cache.setOptions(analysisOptions(settings));
      scheduler.refreshAll(documents.keys());
      return null;
    }
    if (params.command !== ServerCommands.pinAllInFile && params.command !== ServerCommands.pinAllInWorkspace) return null;
    const targets = () =>
      params.command === ServerCommands.pinAllInFile
        ? [String(params.arguments?.[0] ?? '')].filter(Boolean).map((uri) => ({ uri, text: documents.get(uri)?.getText() }))
        : workspaceFiles(workspaceRoots).map((uri) => ({ uri, text: documents.get(uri)?.getText() }));
    return pinAllCommand(targets, online, {
      applyEdit: async (label, changes) => (await connection.workspace.applyEdit({ label, edit: { changes } })).applied,
      notify: (message) => void connection.sendNotification('window/showMessage', { type: 3, message }),
    });
  });

  connection.onShutdown(() => scheduler.dispose());
  documents.listen(connection);
  connection.listen();
}
