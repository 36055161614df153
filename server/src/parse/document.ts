/**
 * Turns a document's text into a ParsedFile: its kind, the `yaml` document, the typed view, every
 * `uses:` reference and every `${{ }}` occurrence, all with exact spans. Parsing never throws: YAML
 * errors, oversized input and parser failures become `problems`, and whatever parsed is still viewed.
 */
import { isMap, parseDocument, type Scalar } from 'yaml';
import { measureNesting, MAX_NESTING } from './guards';
import { findExpressions, parseExpression, type ExpressionOccurrence } from './expressions';
import { LineIndex, type Span } from './text';
import { parseUses, type UsesReference } from './uses';
import { ActionView, DependabotView, WorkflowView, type JobView, type StepView } from './views';
import { valueOffsetInSource, walkScalars, type Entry, type YamlDocument } from './yaml-nodes';

export type FileKind = 'workflow' | 'action' | 'dependabot' | 'unknown';

/** Files larger than this are not parsed: no workflow is that big, and the bound keeps the editor responsive. */
export const MAX_ANALYSED_LENGTH = 4 * 1024 * 1024;

/** Classifies a file by its path (a file-system path or a URI path). */
export function classifyPath(path: string): FileKind {
  const normalized = path.replace(/\\/g, '/');
  if (/(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/i.test(normalized)) return 'workflow';
  if (/(^|\/)\.github\/dependabot\.ya?ml$/i.test(normalized)) return 'dependabot';
  if (/(^|\/)action\.ya?ml$/i.test(normalized)) return 'action';
  return 'unknown';
}

export interface ParseProblem {
  code: string;
  message: string;
  span: Span;
}

/** Where a `uses:` sits. */
export interface UsesSite {
  entry: Entry;
  value: string;
  /** Offset in the document at which the value string starts (after any opening quote). */
  valueStart: number;
  /** True when `valueStart` is exact (false for folded or escaped scalars: then only the token span is). */
  exact: boolean;
  reference: UsesReference;
  job: JobView | null;
  step: StepView | null;
}

/** A `${{ }}` inside a scalar, with the path of keys leading to it (e.g. jobs, build, steps, 2, run). */
export interface ExpressionSite {
  occurrence: ExpressionOccurrence;
  scalar: Scalar;
  path: readonly (string | number)[];
}

export class ParsedFile {
  readonly lines: LineIndex;
  readonly problems: ParseProblem[] = [];
  readonly doc: YamlDocument | null = null;
  readonly workflow: WorkflowView | null = null;
  readonly action: ActionView | null = null;
  readonly dependabot: DependabotView | null = null;
  readonly uses: UsesSite[] = [];
  private expressionSites: ExpressionSite[] | null = null;

  constructor(
    readonly uri: string,
    readonly kind: FileKind,
    readonly text: string,
    readonly version: number = 0,
  ) {
    this.lines = new LineIndex(text);
    if (kind === 'unknown') return;
    if (text.length > MAX_ANALYSED_LENGTH) {
      this.problems.push({
        code: 'file-too-large',
        message: `File is ${Math.round(text.length / 1024)} KiB; files over ${MAX_ANALYSED_LENGTH / 1024 / 1024} MiB are not analysed.`,
        span: { start: 0, end: Math.min(text.length, this.lines.lineContentEnd(0)) },
      });
      return;
    }
    const nesting = measureNesting(text);
    if (nesting.offset !== -1) {
      this.problems.push({
        code: 'too-deeply-nested',
        message: `The document nests more than ${MAX_NESTING} levels deep; it is not analysed.`,
        span: { start: nesting.offset, end: Math.min(text.length, nesting.offset + 1) },
      });
      return;
    }
    try {
      this.doc = parseDocument(text, { keepSourceTokens: false, uniqueKeys: true, prettyErrors: false, strict: true });
    } catch (error) {
      this.problems.push({ code: 'parse-failure', message: `The YAML parser failed: ${String(error)}`, span: { start: 0, end: 0 } });
      return;
    }
    // Nesting deep enough to overflow the parser's stack: where it overflows depends on the caller's stack,
    // so whatever was parsed is not deterministic. Analyse nothing and say so, at a fixed place.
    if (this.doc.errors.some((error) => /Maximum call stack size exceeded/.test(error.message))) {
      this.doc = null;
      this.problems.push({ code: 'too-deep', message: 'The document nests too deeply to be analysed.', span: { start: 0, end: this.lines.lineContentEnd(0) } });
      return;
    }
    for (const error of this.doc.errors) {
      // The parser may point one past the end of the text (an unterminated quote or flow collection).
      const start = Math.max(0, Math.min(error.pos[0], text.length));
      const end = Math.max(start, Math.min(error.pos[1], text.length));
      this.problems.push({ code: error.code, message: firstLine(error.message), span: { start, end } });
    }
    const root = this.doc.contents;
    const map = root && isMap(root) ? root : null;
    if (!map && this.doc.errors.length === 0 && root !== null) {
      const span = root.range ? { start: root.range[0], end: root.range[1] } : { start: 0, end: 0 };
      this.problems.push({ code: 'not-a-mapping', message: 'Expected a mapping of keys (such as `on:` and `jobs:`) at the top level.', span });
    }
    try {
      if (kind === 'workflow') this.workflow = new WorkflowView(map, this.doc);
      else if (kind === 'action') this.action = new ActionView(map, this.doc);
      else this.dependabot = new DependabotView(map, this.doc);
      this.collectUses();
    } catch (error) {
      // The views are defensive; this is a last line so a parser surprise never takes the server down.
      this.problems.push({ code: 'internal-error', message: `Could not read the document's structure: ${String(error)}`, span: { start: 0, end: 0 } });
    }
  }

  /** Every `${{ }}` in any scalar value of the document (computed on first use). */
  get expressions(): readonly ExpressionSite[] {
    if (this.expressionSites) return this.expressionSites;
    const sites: ExpressionSite[] = [];
    const contents = this.doc?.contents ?? null;
    walkScalars(contents, (scalar, path) => {
      const range = scalar.range;
      if (!range || typeof scalar.value !== 'string' || !scalar.value.includes('${{')) return;
      for (const found of findExpressions(this.text, range[0], range[1])) {
        // In a single-quoted YAML scalar a quote is written twice: parse the expression as YAML reads it.
        // (Offsets inside such an expression's AST may then drift by the doubled quotes; the occurrence's own span stays exact.)
        const occurrence =
          scalar.type === 'QUOTE_SINGLE' && found.text.includes("''")
            ? { ...found, text: found.text.replace(/''/g, "'"), parsed: parseExpression(found.text.replace(/''/g, "'")) }
            : found;
        sites.push({ occurrence, scalar, path: [...path] });
      }
    });
    this.expressionSites = sites;
    return sites;
  }

  private collectUses(): void {
    const add = (entry: Entry | undefined, job: JobView | null, step: StepView | null) => {
      if (!entry || !entry.value) return;
      const value = typeof (entry.value as Scalar).value === 'string' ? ((entry.value as Scalar).value as string) : null;
      if (value === null) return;
      const offset = valueOffsetInSource(entry.value, this.text);
      this.uses.push({
        entry,
        value,
        valueStart: offset ?? entry.valueSpan.start,
        exact: offset !== null,
        reference: parseUses(value),
        job,
        step,
      });
    };
    if (this.workflow) {
      for (const job of this.workflow.jobs) {
        add(job.uses, job, null);
        for (const step of job.steps) add(step.uses, job, step);
      }
    }
    if (this.action) for (const step of this.action.steps) add(step.uses, null, step);
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

export function parseFile(uri: string, kind: FileKind, text: string, version = 0): ParsedFile {
  return new ParsedFile(uri, kind, text, version);
}
