/** Findings → LSP diagnostics, and the feature that publishes them. */
import { TextDocumentSyncKind } from 'vscode-languageserver';
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver-types';
import { DIAGNOSTIC_SOURCE } from '../../../shared/src/protocol';
import { ruleDocsUrl } from '../../../shared/src/rule-docs';
import type { Analysis } from '../document-cache';
import type { Finding, Severity } from '../findings';
import type { Feature } from './feature';

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

export function toDiagnostic(finding: Finding, analysis: Analysis): Diagnostic {
  const relatedInformation: DiagnosticRelatedInformation[] = finding.related.map((related) => ({
    // In another file (a caller, a called workflow or action, or a dependency's file at a commit): its URI.
    location: { uri: related.uri ?? analysis.uri, range: related.range },
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

export function diagnosticsOf(analysis: Analysis): Diagnostic[] {
  return analysis.findings.map((finding) => toDiagnostic(finding, analysis));
}

/** Every open document is analysed and its diagnostics published (when: see diagnostics-scheduler.ts). */
export const diagnosticsFeature: Feature = {
  capabilities: { textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental } },
  register(_connection, context) {
    context.documents.onDidChangeContent((event) => context.scheduler.changed(event.document.uri));
    context.documents.onDidClose((event) => context.scheduler.closed(event.document.uri));
  },
};
