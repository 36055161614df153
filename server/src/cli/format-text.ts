/**
 * Text output: one line per finding, `path:line:col: severity rule-id message` with 1-based line and
 * column (the column counts UTF-16 code units, as LSP does), files and findings in order, then a
 * summary line. Editors and CI logs turn `path:line:col:` into links. On a terminal each finding is
 * followed by a code frame: its first source line with carets under the reported range.
 *
 * Paths, messages and source lines are untrusted: they go through ./escape, so control characters and
 * bidirectional controls are shown as `\x1b`, `\u202e`, ... and no line can start a workflow command.
 */
import type { Finding, Severity } from '../findings';
import { escapeText, escapeTextWithColumns, pathAtLineStart } from './escape';
import { summarize, type FileResult } from './results';
import { joinLines } from '../parse/strings';

export interface TextFormatOptions {
  color: boolean;
  /** Print the finding's first line under it with carets under the range (on a terminal). */
  codeFrame?: boolean;
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
      const location = paint(BOLD, `${pathAtLineStart(result.path)}:${line + 1}:${character + 1}:`);
      const message = joinLines(finding.message);
      out.push(`${location} ${paint(SEVERITY_COLORS[finding.severity], finding.severity)} ${paint(DIM, finding.ruleId)} ${escapeText(message)}`);
      if (options.codeFrame) out.push(...codeFrame(result, finding, (text) => paint(SEVERITY_COLORS[finding.severity], text), (text) => paint(DIM, text)));
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

/** Source lines longer than this are cut, with an ellipsis, in a code frame. */
const MAX_FRAME_LENGTH = 200;

/**
 * Tabs are shown as one space each and unsafe characters in their escaped form; the carets are placed
 * through the escape's column map, so they stay under the reported range (columns count UTF-16 code units).
 */
export function codeFrame(result: FileResult, finding: Finding, mark: (text: string) => string, dim: (text: string) => string): string[] {
  const { start, end } = finding.range;
  if (start.line >= result.lines.lineCount) return [];
  const text = result.lines.lineText(start.line);
  let cut = text.length;
  if (text.length > MAX_FRAME_LENGTH) {
    // Never split a surrogate pair (its half would show as an escape).
    const code = text.charCodeAt(MAX_FRAME_LENGTH - 1);
    cut = code >= 0xd800 && code <= 0xdbff ? MAX_FRAME_LENGTH - 1 : MAX_FRAME_LENGTH;
  }
  const escaped = escapeTextWithColumns(text.slice(0, cut).replace(/\t/g, ' '));
  const shown = cut < text.length ? escaped.text + '…' : escaped.text;
  // Columns past the cut (only when truncated) sit under the ellipsis.
  const column = (character: number) => (character <= cut ? escaped.columns[character] : shown.length);
  const from = column(Math.min(start.character, text.length));
  const to = end.line === start.line ? Math.max(from + 1, column(Math.min(end.character, text.length))) : Math.max(from + 1, shown.length);
  const gutter = String(start.line + 1);
  const pad = ' '.repeat(gutter.length);
  return [`${dim(`${gutter} |`)} ${shown}`, `${dim(`${pad} |`)} ${' '.repeat(from)}${mark('^'.repeat(to - from))}`];
}
