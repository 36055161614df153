/**
 * Every expression of a workflow or composite action as the runner evaluates it (each `${{ }}` and each
 * bare `if:` condition), with its parsed tree at document offsets; and every `if:` with its owner.
 */
import type { ParsedFile } from '../../parse/document';
import { absoluteParse, parseExpression, shiftParsed, walkExpression, type ExprNode, type ParsedExpression } from '../../parse/expressions';
import type { Span } from '../../parse/text';
import type { Entry } from '../../parse/yaml-nodes';
import { asScalar, valueOffsetInSource } from '../../parse/yaml-nodes';
import { AttachedCache, attachmentsOf } from '../../parse/attached-cache';

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
    result.push(
      new Evaluated(
        offset !== null ? { start, end: start + text.length } : entry.valueSpan,
        text,
        parsed,
        () => shiftParsed(parsed, start),
        offset !== null,
        true,
        null,
      ),
    );
  }
  return result;
}

/**
 * Walks the tree of every terminated `${{ }}` of the file, with each node's document span; `visit`
 * returning false skips the node's children.
 */
export function walkFencedExpressions(file: ParsedFile, visit: (node: ExprNode, span: Span) => boolean | void): void {
  for (const site of file.expressions) {
    const ast = site.occurrence.terminated ? site.occurrence.parsed.ast : null;
    if (!ast) continue;
    const base = site.occurrence.innerStart;
    walkExpression(ast, (node) => visit(node, { start: base + node.start, end: base + node.end }));
  }
}
