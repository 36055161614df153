/**
 * Text output: one line per finding, `path:line:col: severity rule-id message` with 1-based line and
 * column (the column counts UTF-16 code units, as LSP does), files and findings in order, then a
 * summary line. Editors and CI logs turn `path:line:col:` into links.
 */
import type { Severity } from '../rules/types';
import { summarize, type FileResult } from './results';

export interface TextFormatOptions {
  color: boolean;
}

const RESET = '\x1b[0m';
const BOLD = '\x1b[1m';
const DIM = '\x1b[2m';
const SEVERITY_COLORS: Record<Severity, string> = {
  high: '\x1b[31m', // red
  medium: '\x1b[33m', // yellow
  low: '\x1b[36m', // cyan
  informational: '\x1b[2m', // dim
};

export function formatText(results: readonly FileResult[], options: TextFormatOptions): string {
  const paint = (code: string, text: string) => (options.color ? `${code}${text}${RESET}` : text);
  const out: string[] = [];
  for (const result of results) {
    for (const finding of result.findings) {
      const { line, character } = finding.range.start;
      const location = paint(BOLD, `${result.path}:${line + 1}:${character + 1}:`);
      const message = finding.message.replace(/\s*\r?\n\s*/g, ' ');
      out.push(`${location} ${paint(SEVERITY_COLORS[finding.severity], finding.severity)} ${paint(DIM, finding.ruleId)} ${message}`);
    }
  }
  out.push(summaryLine(results));
  return out.join('\n') + '\n';
}

/** `N findings (H high, M medium, L low, I informational) in F files`, or `No findings in F files`. */
export function summaryLine(results: readonly FileResult[]): string {
  const summary = summarize(results);
  const files = `${summary.files} ${summary.files === 1 ? 'file' : 'files'}`;
  if (summary.findings === 0) return `No findings in ${files}`;
  const counts = (['high', 'medium', 'low', 'informational'] as const).map((severity) => `${summary.bySeverity[severity]} ${severity}`).join(', ');
  return `${summary.findings} ${summary.findings === 1 ? 'finding' : 'findings'} (${counts}) in ${files}`;
}
