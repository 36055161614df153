/** Findings → LSP diagnostics. */
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver-types';
import { DIAGNOSTIC_SOURCE, ruleDocsUrl } from '../../../shared/src/protocol';
import type { Analysis } from '../analysis';
import type { Finding, Severity } from '../findings';

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
    location: { uri: analysis.uri, range: related.range },
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
