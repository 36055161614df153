/**
 * Small helpers shared by the catalogue rules (issue 6): version comments of `uses:` lines, loose
 * version comparison, edit distance, and every condition (`if:`) of a workflow or composite action
 * with its parsed expression at document offsets.
 */
import type { ParsedFile, UsesSite } from '../../parse/document';
import { absoluteParse, findExpressions, parseExpression, shiftParsed, type ExprNode, type ParsedExpression } from '../../parse/expressions';
import type { Span } from '../../parse/text';
import type { Entry } from '../../parse/yaml-nodes';
import { asScalar, valueOffsetInSource } from '../../parse/yaml-nodes';
import { AttachedCache, attachmentsOf } from '../../parse/attached-cache';

/** The comment on the line of a `uses:` value (`# v4.2.2`), without the `#`, with its span; null when none. */
export function trailingComment(file: ParsedFile, end: number): { text: string; span: Span } | null {
  const line = file.lines.lineAt(end);
  const lineEnd = file.lines.lineContentEnd(line);
  const rest = file.text.slice(end, lineEnd);
  const match = /(^|\s)#/.exec(rest);
  if (!match) return null;
  const hash = end + match.index + match[1].length;
  return { text: file.text.slice(hash + 1, lineEnd).trim(), span: { start: hash, end: lineEnd } };
}

/** The version named in a pin comment (`v4.2.2`, `4.2.2`, `@v4`, `tag=v1.2.3`, `pin @v2`), or null. */
export function commentVersion(comment: string): string | null {
  const match = /(?:^|[\s@=:])(v?\d+(?:\.\d+){0,3}(?:-[0-9A-Za-z.]+)?)(?=$|[\s,;)])/.exec(comment);
  return match ? match[1] : null;
}

/** The version comment of a SHA-pinned `uses:` site. */
export function usesCommentVersion(file: ParsedFile, site: UsesSite): string | null {
  const comment = trailingComment(file, site.entry.valueSpan.end);
  return comment ? commentVersion(comment.text) : null;
}

export interface LooseVersion {
  parts: number[];
  /** Components written (`v4` has 1): missing ones mean "the newest of that series". */
  written: number;
  prerelease: boolean;
}

export function parseVersion(text: string): LooseVersion | null {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?(-[0-9A-Za-z.]+)?(\+[0-9A-Za-z.]+)?$/.exec(text.trim());
  if (!match) return null;
  const parts = [match[1], match[2], match[3], match[4]].filter((p) => p !== undefined).map(Number);
  return { parts, written: parts.length, prerelease: match[5] !== undefined };
}

/**
 * Compares a (possibly floating) version with an exact one. A floating tag such as `v4` resolves to
 * the newest release of its series, so its missing components count as larger than anything.
 */
export function compareFloating(version: LooseVersion, exact: LooseVersion): number {
  for (let i = 0; i < 4; i++) {
    if (i >= version.written) return 1;
    const a = version.parts[i] ?? 0;
    const b = exact.parts[i] ?? 0;
    if (a !== b) return a < b ? -1 : 1;
  }
  if (version.prerelease !== exact.prerelease) return version.prerelease ? -1 : 1;
  return 0;
}

/** Levenshtein distance, stopping early once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit = 2): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      best = Math.min(best, current[j]);
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length];
}

/** An expression as the runner evaluates it: a `${{ }}` occurrence or a bare `if:` condition. */
export interface EvaluatedExpression {
  /** Document offsets of the expression text (inside the fence, or the whole bare condition). */
  span: Span;
  /** The expression's text as parsed: rules test it before asking for a tree. */
  readonly text: string;
  /** The tree with offsets relative to the expression's text (no copy is made): for rules that report no offsets inside it. */
  readonly tree: ExprNode | null;
  /** Parse with document offsets (computed on first use); offsets are exact only when `exact`. */
  readonly parsed: ParsedExpression;
  exact: boolean;
  /** True for the value of an `if:` key. */
  isCondition: boolean;
  /** The whole `${{ }}` span when fenced. */
  fence: Span | null;
}

/** Every `if:` entry of jobs and steps (workflow) or composite steps (action), with who it belongs to. */
export function conditions(file: ParsedFile): { entry: Entry; owner: string }[] {
  const found: { entry: Entry; owner: string }[] = [];
  if (file.workflow) {
    for (const job of file.workflow.jobs) {
      if (job.if) found.push({ entry: job.if, owner: `job \`${job.id}\`` });
      for (const step of job.steps) if (step.if) found.push({ entry: step.if, owner: `step \`${step.label}\` of job \`${job.id}\`` });
    }
  }
  if (file.action) for (const step of file.action.steps) if (step.if) found.push({ entry: step.if, owner: `step \`${step.label}\`` });
  return found;
}

export function conditionEntries(file: ParsedFile): Entry[] {
  return conditions(file).map((condition) => condition.entry);
}

/**
 * Every expression of the file: each `${{ }}` anywhere (terminated, parsed) and each bare `if:`
 * condition (an `if:` without a fence is an expression too).
 */
export function evaluatedExpressions(file: ParsedFile): EvaluatedExpression[] {
  // Several rules ask for the same file's list: computed once per ParsedFile (shared; do not mutate).
  let cached = evaluatedCache.get(file);
  if (!cached) evaluatedCache.set(file, (cached = computeEvaluatedExpressions(file)));
  return cached;
}
const evaluatedCache = new AttachedCache<ParsedFile, EvaluatedExpression[]>('evaluated-expressions', attachmentsOf);

/** The document-offset parse is a copy of the tree: made only for the expressions a rule looks into. */
class Evaluated implements EvaluatedExpression {
  private shifted: ParsedExpression | undefined;
  constructor(
    readonly span: Span,
    readonly text: string,
    private readonly relative: ParsedExpression,
    private readonly shift: () => ParsedExpression,
    readonly exact: boolean,
    readonly isCondition: boolean,
    readonly fence: Span | null,
  ) {}

  get tree(): ExprNode | null {
    return this.relative.ast;
  }

  get parsed(): ParsedExpression {
    return (this.shifted ??= this.shift());
  }
}

function computeEvaluatedExpressions(file: ParsedFile): EvaluatedExpression[] {
  const result: EvaluatedExpression[] = [];
  const entries = conditionEntries(file);
  const conditionScalars = new Set(entries.map((entry) => entry.value));
  for (const site of file.expressions) {
    const occurrence = site.occurrence;
    if (!occurrence.terminated || !occurrence.parsed.ast) continue;
    const exact = file.text.slice(occurrence.innerStart, occurrence.innerEnd) === occurrence.text;
    result.push(
      new Evaluated(
        { start: occurrence.innerStart, end: occurrence.innerEnd },
        occurrence.text,
        occurrence.parsed,
        () => absoluteParse(occurrence),
        exact,
        conditionScalars.has(site.scalar),
        { start: occurrence.start, end: occurrence.end },
      ),
    );
  }
  for (const entry of entries) {
    const scalar = asScalar(entry.value);
    if (!scalar || typeof scalar.value !== 'string' || scalar.value.includes('${{')) continue;
    const text = scalar.value;
    if (text.trim() === '') continue;
    const offset = valueOffsetInSource(scalar, file.text);
    const parsed = parseExpression(text);
    if (!parsed.ast) continue;
    const start = offset ?? entry.valueSpan.start;
    result.push(new Evaluated(offset !== null ? { start, end: start + text.length } : entry.valueSpan, text, parsed, () => shiftParsed(parsed, start), offset !== null, true, null));
  }
  return result;
}

/** `findExpressions` re-exported for rules that scan raw strings. */
export { findExpressions };
