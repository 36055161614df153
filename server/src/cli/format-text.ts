/**
 * Text output: one line per finding, `path:line:col: severity rule-id message` with 1-based line and
 * column (the column counts UTF-16 code units, as LSP does), files and findings in order, then a
 * summary line. Editors and CI logs turn `path:line:col:` into links. On a terminal each finding is
 * followed by a code frame: its first source line with carets under the reported range.
 *
 * Each finding teaches where to read more and whether `--fix` helps: the rule id is a hyperlink to the
 * rule's page on terminals that support them (else the page's URL ends the first finding of each rule),
 * `[fix]` marks a finding that `--fix` fixes and `[fix: --fix=all]` one that only `--fix=all` does, and
 * a last line counts both.
 *
 * Paths, messages and source lines are untrusted: they go through ./escape, so control characters and
 * bidirectional controls are shown as `\x1b`, `\u202e`, ... and no line can start a workflow command.
 */
import { ruleDocsUrl } from '../../../shared/src/rule-docs';
import type { Finding, Severity } from '../findings';
import { escapeText, escapeTextWithColumns, pathAtLineStart } from './escape';
import { summarize, summarizeHidden, type FileResult } from './results';
import { hiddenSentence, type HiddenSwitches } from '../../../shared/src/hidden';
import { joinLines } from '../parse/strings';

export interface TextFormatOptions {
  color: boolean;
  /** Print the finding's first line under it with carets under the range (on a terminal). */
  codeFrame?: boolean;
  /**
   * Write each rule id as an OSC 8 hyperlink to its documentation (a terminal that supports them). Without,
   * the documentation URL ends the first finding of each rule.
   */
  hyperlinks?: boolean;
  /** Print the summary lines (default true; false when no file could be read at all). */
  summary?: boolean;
}

/** The command-line flags that show what a persona or the minimum confidence hides. */
export const CLI_SWITCHES: HiddenSwitches = {
  persona: (persona) => `--persona ${persona}`,
  confidence: (confidence) => `--min-confidence ${confidence}`,
};

/** The marks of a fixable finding: `--fix` applies its fix, or only `--fix=all` does (an unsafe fix). */
export const FIX_MARKS = { safe: '[fix]', unsafe: '[fix: --fix=all]' } as const;

/** `text` as an OSC 8 hyperlink to `url` (both ours: a rule id and its documentation URL). */
export function hyperlink(url: string, text: string): string {
  return `\x1b]8;;${url}\x1b\\${text}\x1b]8;;\x1b\\`;
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
  const linked = new Set<string>();
  for (const result of results) {
    for (const finding of result.findings) {
      const { line, character } = finding.range.start;
      const location = paint(BOLD, `${pathAtLineStart(result.path)}:${line + 1}:${character + 1}:`);
      const message = joinLines(finding.message);
      const url = ruleDocsUrl(finding.ruleId);
      const ruleId = options.hyperlinks ? hyperlink(url, paint(DIM, finding.ruleId)) : paint(DIM, finding.ruleId);
      const fixability = result.fixability?.get(finding);
      let tail = fixability ? ` ${paint(BOLD, FIX_MARKS[fixability])}` : '';
      if (!options.hyperlinks && !linked.has(finding.ruleId)) {
        linked.add(finding.ruleId);
        tail += ` ${paint(DIM, `(docs: ${url})`)}`;
      }
      out.push(`${location} ${paint(SEVERITY_COLORS[finding.severity], finding.severity)} ${ruleId} ${escapeText(message)}${tail}`);
      // A finding that exists through another file (a caller, a called workflow or action) says where.
      for (const related of finding.related) {
        if (related.uri === undefined) continue;
        const file = result.origin ? `${result.origin.label}:${related.uri}` : related.uri;
        const at = `${file}:${related.range.start.line + 1}:${related.range.start.character + 1}`;
        out.push(`  ${paint(DIM, 'via')} ${escapeText(at)}: ${escapeText(joinLines(related.message))}`);
      }
      if (options.codeFrame)
        out.push(
          ...codeFrame(
            result,
            finding,
            (text) => paint(SEVERITY_COLORS[finding.severity], text),
            (text) => paint(DIM, text),
          ),
        );
    }
  }
  if (options.summary !== false) {
    const suppressed = results.reduce((sum, result) => sum + (result.suppressed?.length ?? 0), 0);
    out.push(
      summaryLine(results) +
        (suppressed > 0 ? ` (${suppressed} suppressed by ignore comments or the configuration: --no-ignores shows them)` : ''),
    );
    const hidden = hiddenSentence(summarizeHidden(results), CLI_SWITCHES);
    if (hidden) out.push(hidden);
    const fixable = fixableLine(results);
    if (fixable) out.push(fixable);
  }
  return out.length === 0 ? '' : out.join('\n') + '\n';
}

/**
 * `3 fixable with --fix; 35 more with --fix=all, which also applies unsafe fixes: review the diff with
 * --fix=all --dry-run`, or the half that applies, or null when nothing is fixable.
 */
export function fixableLine(results: readonly FileResult[]): string | null {
  let safe = 0;
  let unsafe = 0;
  for (const result of results) {
    for (const fixability of result.fixability?.values() ?? []) {
      if (fixability === 'safe') safe++;
      else unsafe++;
    }
  }
  const review = 'which also applies unsafe fixes: review the diff with --fix=all --dry-run';
  if (safe > 0 && unsafe > 0) return `${safe} fixable with --fix; ${unsafe} more with --fix=all, ${review}`;
  if (safe > 0) return `${safe} fixable with --fix`;
  if (unsafe > 0) return `${unsafe} fixable with --fix=all, ${review}`;
  return null;
}

/** `N findings (H high, M medium, L low, I informational) in F files`, or `No findings in F files`. */
export function summaryLine(results: readonly FileResult[]): string {
  const summary = summarize(results);
  const files = `${summary.files} ${summary.files === 1 ? 'file' : 'files'}`;
  if (summary.findings === 0) return `No findings in ${files}`;
  const counts = (['high', 'medium', 'low', 'informational'] as const)
    .map((severity) => `${summary.bySeverity[severity]} ${severity}`)
    .join(', ');
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
