/**
 * Reading and analysing one target. Nothing here throws for bad input: binary junk and malformed YAML
 * come back as `syntax-error` findings from the engine, oversized files as a `syntax-error` finding made
 * here without reading the whole file, and an engine failure as an `internal-error` finding. Only a
 * file that cannot be read at all is an I/O error, reported to the caller.
 */
import { closeSync, readFileSync, readSync } from 'node:fs';
import { openWithin, RefusedError, type ConfinedFile } from '../files/confined';
import { analyze, compareFindings, type AnalysisOptions } from '../engine';
import { INTERNAL_ERROR_RULE, SYNTAX_ERROR_RULE, type Finding, type Severity, type SuppressedFinding } from '../findings';
import { MAX_ANALYSED_LENGTH, parseFile, type FileKind, type ParsedFile } from '../parse/document';
import { LineIndex } from '../parse/text';
import { attachSnapshot, type OnlineSnapshot } from '../resolve/snapshot';
import { available, type DependencyView } from '../views';
import { SEVERITIES } from '../../../shared/src/settings';
import { summarizeHiddenEntries, type HiddenSummary } from '../../../shared/src/hidden';
import { describeError, type Target } from './discover';
import type { RemoteOrigin } from './remote';

export interface FileResult {
  /** The path shown in output. */
  path: string;
  /** `config` for a configuration file whose problems are reported. */
  kind: Exclude<FileKind, 'unknown'> | 'config';
  findings: Finding[];
  /** Line index of the analysed text (to position fix edits). */
  lines: LineIndex;
  /** Findings that an ignore comment or the configuration hides (kept for SARIF's suppressions). */
  suppressed?: SuppressedFinding[];
  /** Findings that `--fix` (`safe`) or only `--fix=all` (`unsafe`) would fix (recorded for the text output). */
  fixability?: Map<Finding, Fixability>;
  /** For a file read from a repository that is not on disk: the repository and commit (./remote). */
  origin?: RemoteOrigin;
  /** With `origin`: the path inside the repository. */
  repoPath?: string;
  /** The persona and thresholds this file was analysed with (its configuration's, or the command line's). */
  filters?: Pick<AnalysisOptions, 'persona' | 'minSeverity' | 'minConfidence'>;
  /** The high-severity findings that `filters` hid: the persona and confidence of each. */
  hiddenHigh?: HiddenFinding[];
}

export type HiddenFinding = Pick<Finding, 'persona' | 'confidence'>;

export type Fixability = 'safe' | 'unsafe';

/**
 * Larger files are not read whole: their UTF-16 length is at least a third of their size in bytes, so
 * they are certainly over the engine's limit and would only be reported as too large anyway.
 */
export const MAX_READ_BYTES = 3 * MAX_ANALYSED_LENGTH;

export type ReadResult =
  /** `file`: the bytes read and what they were read from (absent for standard input). */
  { ok: true; text: string; file?: ConfinedFile } | { ok: true; tooLarge: number; firstLine: string } | { ok: false; error: string };

const decoder = new TextDecoder('utf-8');

/** Decodes bytes as UTF-8 (invalid sequences become U+FFFD; a leading BOM is dropped, as editors do). */
export function decode(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/**
 * Reads a target file, only when its real path lies inside `root` (the real path of its scanned root):
 * a file reached through a symbolic link that leads out of the root is not read at all.
 */
export function readTarget(path: string, root: string): ReadResult {
  try {
    const { fd, real, stats } = openWithin(root, path);
    try {
      if (stats.size > MAX_READ_BYTES) {
        const head = Buffer.alloc(4096);
        const read = readSync(fd, head, 0, head.length, 0);
        return { ok: true, tooLarge: stats.size, firstLine: decode(head.subarray(0, read)).split(/\r?\n/)[0] };
      }
      const bytes = readFileSync(fd);
      return { ok: true, text: decode(bytes), file: { real, bytes, stats } };
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return { ok: false, error: error instanceof RefusedError ? `not read: ${error.message}` : describeError(error) };
  }
}

/** Reads a target that is not standard input: from the disk, or from memory for a repository's file. */
export function readTargetOf(target: Target): ReadResult {
  if (!target.virtual) return readTarget(target.path, target.root);
  const content = target.virtual.content;
  return 'text' in content ? { ok: true, text: content.text } : { ok: true, tooLarge: content.tooLarge, firstLine: '' };
}

/** Online resolution results for this run (set by the CLI before analysing when online). */
let onlineSnapshot: OnlineSnapshot | undefined;
export function useOnlineSnapshot(snapshot: OnlineSnapshot | undefined): void {
  onlineSnapshot = snapshot;
}

/** The dependencies fetched for this run (set by the CLI before analysing when online). */
let dependencyView: DependencyView | undefined;
export function useDependencies(view: DependencyView | undefined): void {
  dependencyView = view;
}

/**
 * Analyses a text as the target's kind; never throws. `parsedAs` is the path the engine sees when it
 * differs from the path shown (a repository's file is parsed under its repository path).
 */
export function analyzeText(
  path: string,
  kind: Exclude<FileKind, 'unknown'>,
  text: string,
  options: AnalysisOptions,
  parsedAs: string = path,
  /** The text already parsed (as `parsedAs`), when the run parsed every file up front for the workspace view. */
  parsed?: ParsedFile,
): FileResult {
  try {
    const file = parsed && parsed.text === text ? parsed : parseFile(parsedAs, kind, text);
    if (onlineSnapshot) attachSnapshot(file, onlineSnapshot);
    const withDependencies =
      dependencyView && !options.views?.dependencies
        ? { ...options, views: { ...options.views, dependencies: available(dependencyView) } }
        : options;
    return { path, kind, findings: analyze(file, withDependencies), lines: file.lines };
  } catch (error) {
    const lines = new LineIndex(text);
    const message = `Analysis failed on this file: ${error instanceof Error ? error.message : String(error)}`;
    return { path, kind, findings: [syntheticFinding(INTERNAL_ERROR_RULE, 'low', message, lines, 0)], lines };
  }
}

/**
 * The result for a file named explicitly whose name and top-level keys are those of no kind we analyse:
 * one `syntax-error` finding on its first key saying what was expected, instead of an empty report.
 */
export function notAnActionsFileResult(path: string, text: string, span: { start: number; end: number }): FileResult {
  const lines = new LineIndex(text);
  const message =
    'This file is not a workflow, an action or a Dependabot file, so nothing in it was analysed: expected `on:` and `jobs:` (a workflow), `runs:` (action metadata, action.yml) or `version:` and `updates:` (dependabot.yml) at the top level.';
  const finding: Finding = {
    ruleId: SYNTAX_ERROR_RULE,
    severity: 'high',
    confidence: 'high',
    persona: 'regular',
    message,
    span,
    range: lines.range(span),
    related: [],
    fixes: [],
  };
  return { path, kind: 'workflow', findings: [finding], lines };
}

/** The result for a file too large to read: the same finding the engine gives for one it refuses. */
export function tooLargeResult(path: string, kind: FileResult['kind'], size: number, firstLine: string): FileResult {
  const lines = new LineIndex(firstLine);
  const message = `File is ${Math.round(size / 1024)} KiB; files over ${MAX_ANALYSED_LENGTH / 1024 / 1024} MiB are not analysed.`;
  return { path, kind, findings: [syntheticFinding(SYNTAX_ERROR_RULE, 'high', message, lines, firstLine.length)], lines };
}

function syntheticFinding(ruleId: string, severity: Severity, message: string, lines: LineIndex, end: number): Finding {
  const span = { start: 0, end };
  return { ruleId, severity, confidence: 'high', persona: 'regular', message, span, range: lines.range(span), related: [], fixes: [] };
}

/** The name the engine parses a target under: its repository path for a repository's file, else the path shown. */
export function parsedName(target: Target): string {
  return target.virtual?.repoPath ?? target.displayPath;
}

export function analyzeTarget(
  target: Target,
  read: ReadResult,
  options: AnalysisOptions,
  parsed?: ParsedFile,
): FileResult | { error: string } {
  if (!read.ok) return { error: `${target.displayPath}: ${read.error}` };
  const hiddenHigh: HiddenFinding[] = [];
  const onHidden = (finding: Finding) => {
    if (finding.severity === 'high') hiddenHigh.push({ persona: finding.persona, confidence: finding.confidence });
  };
  const result =
    'tooLarge' in read
      ? tooLargeResult(target.displayPath, target.kind, read.tooLarge, read.firstLine)
      : analyzeText(target.displayPath, target.kind, read.text, { ...options, onHidden }, parsedName(target), parsed);
  result.filters = { persona: options.persona, minSeverity: options.minSeverity, minConfidence: options.minConfidence };
  if (hiddenHigh.length > 0) result.hiddenHigh = hiddenHigh;
  if (target.virtual) {
    result.origin = target.virtual.origin;
    result.repoPath = target.virtual.repoPath;
  }
  return result;
}

export interface Summary {
  files: number;
  findings: number;
  bySeverity: Record<Severity, number>;
}

export function summarize(results: readonly FileResult[]): Summary {
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  let findings = 0;
  for (const result of results) {
    for (const finding of result.findings) {
      bySeverity[finding.severity]++;
      findings++;
    }
  }
  return { files: results.length, findings, bySeverity };
}

export function sortResults(results: FileResult[]): FileResult[] {
  for (const result of results) {
    result.findings.sort(compareFindings);
    result.suppressed?.sort(compareFindings);
  }
  return results.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The hidden high-severity findings of the results, or null when nothing of high severity is hidden. */
export function summarizeHidden(results: readonly FileResult[]): HiddenSummary | null {
  const persona = results.find((result) => result.filters)?.filters?.persona ?? 'regular';
  const entries = results.flatMap((result) =>
    (result.hiddenHigh ?? []).map((finding) => ({ ...finding, shownPersona: result.filters?.persona ?? persona })),
  );
  return summarizeHiddenEntries(entries, persona);
}
