/**
 * `--format github`: GitHub Actions workflow commands, one per finding, which the runner turns into
 * annotations on the changed files: `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`.
 * high → error, medium and low → warning, informational → notice. The summary line follows, as plain text.
 * (GitHub shows at most 10 annotations of each level per step; the log keeps them all.)
 *
 * Properties and messages are percent-encoded as the runner expects (`%`, CR, LF, and `:` `,` in
 * properties), then the other unsafe characters are shown escaped (./escape), as in every other format.
 */
import type { Severity } from '../findings';
import { escapeText } from './escape';
import type { FileResult } from './results';
import { summaryLine } from './format-text';

export function annotationLevel(severity: Severity): 'error' | 'warning' | 'notice' {
  return severity === 'high' ? 'error' : severity === 'informational' ? 'notice' : 'warning';
}

/** Escaping of a command's message. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping of a command property's value (also `:` and `,`, which delimit properties). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatGithub(results: readonly FileResult[]): string {
  const out: string[] = [];
  for (const result of results) {
    for (const finding of result.findings) {
      const { start, end } = finding.range;
      const properties = [
        `file=${escapeText(escapeProperty(result.path))}`,
        `line=${start.line + 1}`,
        `col=${start.character + 1}`,
        `endLine=${end.line + 1}`,
        `endColumn=${end.character + 1}`,
        `title=${escapeProperty(`${finding.ruleId} (${finding.severity})`)}`,
      ];
      out.push(`::${annotationLevel(finding.severity)} ${properties.join(',')}::${escapeText(escapeData(finding.message))}`);
    }
  }
  out.push(summaryLine(results));
  return out.join('\n') + '\n';
}
