/**
 * Shared helpers for the unit tests: parse a text as a given kind of file, run the engine over it,
 * read back the text an LSP range covers, and apply a fix.
 *
 * `rangeText` and `offsetOf` deliberately do NOT use the engine's LineIndex: they recompute lines and
 * UTF-16 columns from the raw string, so a test using them checks the engine's positions independently.
 */
import type { Position, Range } from 'vscode-languageserver-types';
import type { Persona, Severity, Confidence } from '../../shared/src/settings';
import { analyze, DEFAULT_ANALYSIS_OPTIONS, type AnalysisOptions } from '../../server/src/engine';
import { applyEdits } from '../../server/src/fixes/edits';
import { classifyPath, ParsedFile, type FileKind } from '../../server/src/parse/document';
import type { Span } from '../../server/src/parse/text';
import type { Rule } from '../../server/src/rules/types';
import type { Finding, Fix } from '../../server/src/findings';

export const DEFAULT_TEST_PATH = '.github/workflows/test.yml';

/** Parses `text` as the kind of file its path names (a workflow unless told otherwise). */
export function parseWorkflow(text: string, path: string = DEFAULT_TEST_PATH): ParsedFile {
  return parseAs(text, path);
}

/**
 * Parses `text` as `kind`, or as the kind of `path` when no kind is given. An `unknown` path is
 * parsed as a workflow, as the CLI does for files whose name says nothing.
 */
export function parseAs(text: string, path: string = DEFAULT_TEST_PATH, kind?: FileKind): ParsedFile {
  const classified = classifyPath(path);
  const effective = kind ?? (classified === 'unknown' ? 'workflow' : classified);
  return new ParsedFile(`file:///repo/${path.replace(/^\/+/, '')}`, effective, text);
}

export interface FindingsOptions {
  /** Path used to classify the file (default `.github/workflows/test.yml`). */
  path?: string;
  /** Force the file kind regardless of the path. */
  kind?: FileKind;
  /** Keep only findings of this rule (the other rules still run). */
  ruleId?: string;
  /** Persona to filter with; defaults to `auditor` so that tests see everything unless they ask. */
  persona?: Persona;
  minSeverity?: Severity;
  minConfidence?: Confidence;
  disabledRules?: Iterable<string>;
  /** Run only these rules. */
  rules?: readonly Rule[];
}

export function analysisOptions(options: FindingsOptions = {}): AnalysisOptions {
  return {
    ...DEFAULT_ANALYSIS_OPTIONS,
    persona: options.persona ?? 'auditor',
    minSeverity: options.minSeverity ?? 'informational',
    minConfidence: options.minConfidence ?? 'low',
    disabledRules: new Set(options.disabledRules ?? []),
    ...(options.rules ? { rules: options.rules } : {}),
  };
}

/** Findings of the engine for a text (the parsed file is available through `analyzeText`). */
export function findingsOf(text: string, options: FindingsOptions = {}): Finding[] {
  return analyzeText(text, options).findings;
}

export function analyzeText(text: string, options: FindingsOptions = {}): { file: ParsedFile; findings: Finding[] } {
  const file = parseAs(text, options.path ?? DEFAULT_TEST_PATH, options.kind);
  const all = analyze(file, analysisOptions(options));
  return { file, findings: options.ruleId ? all.filter((finding) => finding.ruleId === options.ruleId) : all };
}

/** Start offset of every line, computed from `\n` only (a `\r` belongs to the line before it). */
function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

/** The offset of an LSP position (UTF-16 character index within its line); throws when out of range. */
export function offsetOf(text: string, position: Position): number {
  const starts = lineStartsOf(text);
  if (position.line < 0 || position.line >= starts.length) {
    throw new RangeError(`line ${position.line} out of range (document has ${starts.length} lines)`);
  }
  const start = starts[position.line];
  const lineEnd = position.line + 1 < starts.length ? starts[position.line + 1] - 1 : text.length;
  if (position.character < 0 || start + position.character > lineEnd) {
    throw new RangeError(`character ${position.character} out of range on line ${position.line}`);
  }
  return start + position.character;
}

/** The text an LSP range covers, read from lines and UTF-16 columns (not from the engine's offsets). */
export function rangeText(text: string, range: Range): string {
  return text.slice(offsetOf(text, range.start), offsetOf(text, range.end));
}

/** The text an offset span covers. */
export function spanText(text: string, span: Span): string {
  return text.slice(span.start, span.end);
}

/** Applies all edits of a fix to a text. */
export function applyFix(text: string, fix: Fix): string {
  return applyEdits(text, fix.edits);
}

/** The 0-based line of the first occurrence of `needle` (after `from`); throws when absent. */
export function lineOf(text: string, needle: string, from = 0): number {
  const at = text.indexOf(needle, from);
  if (at === -1) throw new Error(`${JSON.stringify(needle)} not found`);
  return lineStartsOf(text).filter((start) => start <= at).length - 1;
}

/** A compact, comparable summary of findings: `rule@line:char-line:char`. */
export function summarize(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.ruleId}@${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}`);
}

/** Converts a text's line breaks to CRLF (idempotent). */
export function toCRLF(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/** Strips a common leading indentation and a leading newline, so tests can write YAML inline. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  let raw = strings.reduce((out, part, i) => out + part + (i < values.length ? String(values[i]) : ''), '');
  raw = raw.replace(/^\n/, '');
  const lines = raw.split('\n');
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)![0].length);
  const strip = indents.length > 0 ? Math.min(...indents) : 0;
  return lines
    .map((line) => line.slice(Math.min(strip, /^ */.exec(line)![0].length)))
    .join('\n')
    .replace(/[ ]+$/, '');
}
