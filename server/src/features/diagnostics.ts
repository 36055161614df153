/** Findings → LSP diagnostics, and the feature that publishes them. */
import {
  DocumentDiagnosticReportKind,
  LSPErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  type DocumentDiagnosticReport,
} from 'vscode-languageserver';
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver-types';
import { DIAGNOSTIC_SOURCE } from '../../../shared/src/protocol';
import { ruleDocsUrl } from '../../../shared/src/rule-docs';
import type { Analysis } from '../document-cache';
import type { Finding, Severity } from '../findings';
import { onValidRequest, type Feature } from './feature';
import { isDocumentDiagnosticParams } from '../params';

/** How long a pull waits for online results when the client cannot be asked to pull again later. */
const PULL_ONLINE_WAIT_MS = 3000;

/** What rides on `Diagnostic.data` so code actions can find the finding again without state. */
export interface DiagnosticData {
  ruleId: string;
  version: number;
  start: number;
  end: number;
}

export function lspSeverity(severity: Severity): DiagnosticSeverity {
  switch (severity) {
    case 'high':
      return DiagnosticSeverity.Error;
    case 'medium':
    case 'low':
      return DiagnosticSeverity.Warning;
    default:
      return DiagnosticSeverity.Information;
  }
}

/** How a related location's URI is given to the client (FeatureContext.relatedUri); the identity by default. */
export type RelatedUriMap = (uri: string) => string;

const asIs: RelatedUriMap = (uri) => uri;

export function toDiagnostic(finding: Finding, analysis: Analysis, relatedUri: RelatedUriMap = asIs): Diagnostic {
  const relatedInformation: DiagnosticRelatedInformation[] = finding.related.map((related) => ({
    // In another file (a caller, a called workflow or action, or a dependency's file at a commit): its URI.
    location: { uri: related.uri === undefined ? analysis.uri : relatedUri(related.uri), range: related.range },
    message: related.message,
  }));
  const data: DiagnosticData = { ruleId: finding.ruleId, version: analysis.version, start: finding.span.start, end: finding.span.end };
  return {
    range: finding.range,
    severity: lspSeverity(finding.severity),
    code: finding.ruleId,
    codeDescription: { href: ruleDocsUrl(finding.ruleId) },
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
    ...(relatedInformation.length > 0 ? { relatedInformation } : {}),
    data,
  };
}

export function diagnosticsOf(analysis: Analysis, relatedUri: RelatedUriMap = asIs): Diagnostic[] {
  return analysis.findings.map((finding) => toDiagnostic(finding, analysis, relatedUri));
}

/**
 * Every open document is analysed and its diagnostics published (when: see diagnostics-scheduler.ts), or,
 * for a client that pulls them, returned by `textDocument/diagnostic` (the client is asked to pull again
 * when online results arrive, if it can be; otherwise the pull waits a moment for them).
 */
export const diagnosticsFeature: Feature = {
  capabilities: { textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental } },
  register(connection, context) {
    context.documents.onDidChangeContent((event) => context.scheduler.changed(event.document.uri));
    context.documents.onDidClose((event) => context.scheduler.closed(event.document.uri));
    onValidRequest(
      connection,
      'textDocument/diagnostic',
      isDocumentDiagnosticParams,
      async (params): Promise<DocumentDiagnosticReport | ResponseError<unknown>> => {
        const uri = params.textDocument.uri;
        if (!context.documents.get(uri) || !context.settings().enable) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
        const analysis = await context.enrichedAnalysis(uri, context.client.diagnosticRefresh ? 0 : PULL_ONLINE_WAIT_MS);
        // The document changed meanwhile: the client pulls again for the new version.
        if (!analysis)
          return new ResponseError(LSPErrorCodes.ServerCancelled, 'The document changed during analysis.', { retriggerRequest: true });
        return { kind: DocumentDiagnosticReportKind.Full, items: diagnosticsOf(analysis, context.relatedUri) };
      },
    );
    return {
      initialize: () =>
        context.client.pullDiagnostics
          ? { diagnosticProvider: { identifier: DIAGNOSTIC_SOURCE, interFileDependencies: false, workspaceDiagnostics: false } }
          : {},
    };
  },
};
