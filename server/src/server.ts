/**
 * Wires LSP requests and notifications to the feature modules. No analysis logic lives here: see
 * analysis.ts (cache), documents.ts (when to publish) and features/ (what to answer).
 */
import { TextDocuments, TextDocumentSyncKind, type Connection, type InitializeResult } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind } from 'vscode-languageserver-types';
import { CONFIGURATION_SECTION, SERVER_NAME } from '../../shared/src/protocol';
import { DEFAULT_SETTINGS, normalizeSettings, type WardenSettings } from '../../shared/src/settings';
import { AnalysisCache } from './analysis';
import { DiagnosticsScheduler } from './documents';
import { DEFAULT_ANALYSIS_OPTIONS, type AnalysisOptions } from './engine';
import { codeActions, FIX_ALL_KIND } from './features/code-actions';
import { hover } from './features/hover';
import { VERSION } from './version';

export function analysisOptions(settings: WardenSettings): AnalysisOptions {
  return { ...DEFAULT_ANALYSIS_OPTIONS, persona: settings.persona, minSeverity: settings.minSeverity };
}

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  let settings: WardenSettings = DEFAULT_SETTINGS;
  let pullConfiguration = false;
  const cache = new AnalysisCache(analysisOptions(settings));
  const scheduler = new DiagnosticsScheduler(
    cache,
    {
      publish: (uri, version, diagnostics) => void connection.sendDiagnostics({ uri, version, diagnostics }),
      logError: (message) => connection.console.error(message),
    },
    (uri) => (settings.enable ? documents.get(uri) : undefined),
    settings.debounceMs,
  );

  const applySettings = (raw: unknown) => {
    settings = normalizeSettings(raw);
    scheduler.debounceMs = settings.debounceMs;
    cache.setOptions(analysisOptions(settings));
    if (!settings.enable) for (const document of documents.all()) scheduler.closed(document.uri);
    scheduler.refreshAll(documents.keys());
  };

  connection.onInitialize((params): InitializeResult => {
    pullConfiguration = params.capabilities.workspace?.configuration === true;
    const initial = (params.initializationOptions as { settings?: unknown } | undefined)?.settings;
    if (initial) applySettings(initial);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
        hoverProvider: true,
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

  connection.onInitialized(() => void fetchSettings());
  connection.onDidChangeConfiguration((change) => {
    const pushed = (change.settings as Record<string, unknown> | undefined)?.[CONFIGURATION_SECTION];
    if (pushed !== undefined && !pullConfiguration) applySettings(pushed);
    else void fetchSettings();
  });

  documents.onDidChangeContent((event) => scheduler.changed(event.document.uri));
  documents.onDidClose((event) => scheduler.closed(event.document.uri));

  connection.onCodeAction((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document || !settings.enable) return [];
    return codeActions(cache.get(document), params.range, params.context.only, params.context.diagnostics);
  });

  connection.onHover((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document || !settings.enable) return null;
    return hover(cache.get(document), document.offsetAt(params.position));
  });

  connection.onShutdown(() => scheduler.dispose());
  documents.listen(connection);
  connection.listen();
}
