/**
 * Turns a document's text into a ParsedFile: its kind, the `yaml` document, the typed view, every
 * `uses:` reference and every `${{ }}` occurrence, all with exact spans. Parsing never throws: YAML
 * errors, oversized input and parser failures become `problems`, and whatever parsed is still viewed.
 */
import { isMap, isScalar, isSeq, parseDocument, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { measureNesting, MAX_NESTING } from './guards';
import { PARSE_OPTIONS, reparseIncrementally } from './incremental';
import { findExpressions, parseExpression, type ExpressionOccurrence } from './expressions';
import { LineIndex, type Span } from './text';
import { parseUses, type UsesReference } from './uses';
import { LOCKFILE_PARSE_OPTIONS, readLockfile } from '../lockfile/read';
import type { Lockfile } from '../lockfile/types';
import { ActionView, DependabotView, WorkflowView, type JobView, type StepView } from './views';
import { scalarText, valueOffsetInSource, type Entry, type YamlDocument } from './yaml-nodes';

/** YAML errors reported per document; the last one reported says how many more there are. */
export const MAX_REPORTED_YAML_ERRORS = 100;

export type FileKind = 'workflow' | 'action' | 'dependabot' | 'lockfile' | 'unknown';

/** Files larger than this are not parsed: no workflow is that big, and the bound keeps the editor responsive. */
export const MAX_ANALYSED_LENGTH = 4 * 1024 * 1024;

/** Classifies a file by its path (a file-system path or a URI path). */
export function classifyPath(path: string): FileKind {
  const normalized = path.replace(/\\/g, '/');
  if (/(^|\/)\.github\/workflows\/actions\.lock$/.test(normalized)) return 'lockfile';
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
  /** The lock of a `lockfile` document (GitHub's actions.lock), with what its parser refuses. */
  readonly lockfile: Lockfile | null = null;
  readonly uses: UsesSite[] = [];
  private expressionSites: ExpressionSite[] | null = null;
  /** True when the document came from re-parsing only the edited part of the previous version. */
  readonly incremental: boolean = false;
  /** The latest version (this one or an earlier one) whose YAML parsed without errors: what the next version re-parses from. */
  readonly reparseBase: { doc: YamlDocument; text: string } | null = null;
  /** Where per-file caches keep their entries (AttachedCache with `attachmentsOf`): the file's own shape never changes. */
  readonly attachments: object = {};

  constructor(
    readonly uri: string,
    readonly kind: FileKind,
    readonly text: string,
    readonly version: number = 0,
    /** The same document's previous version: an edit inside one job re-parses only that job (see incremental.ts). */
    previous?: Pick<ParsedFile, 'kind' | 'reparseBase'>,
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
    // The base is the latest version that parsed cleanly, so one keystroke that breaks the YAML (an
    // opening quote) does not send every following keystroke to a full parse. An incremental parse checks
    // the nesting of the part it parses; a full parse first checks the whole text.
    // A lock is small and parsed whole (duplicate keys kept: its reader reports them).
    const base = previous && previous.kind === kind && kind !== 'lockfile' ? previous.reparseBase : null;
    let incremental: YamlDocument | null = null;
    try {
      incremental = base ? reparseIncrementally(base.doc, base.text, text) : null;
    } catch {
      incremental = null;
    }
    if (!incremental) {
      const nesting = measureNesting(text);
      if (nesting.offset !== -1) {
        this.problems.push({
          code: 'too-deeply-nested',
          message: `The document nests more than ${MAX_NESTING} levels deep; it is not analysed.`,
          span: { start: nesting.offset, end: Math.min(text.length, nesting.offset + 1) },
        });
        return;
      }
    }
    try {
      this.incremental = incremental !== null;
      this.doc = incremental ?? parseDocument(text, kind === 'lockfile' ? LOCKFILE_PARSE_OPTIONS : PARSE_OPTIONS);
      this.reparseBase = this.doc.errors.length === 0 && this.doc.warnings.length === 0 ? { doc: this.doc, text } : base;
    } catch (error) {
      this.problems.push({ code: 'parse-failure', message: `The YAML parser failed: ${String(error)}`, span: { start: 0, end: 0 } });
      return;
    }
    // Nesting deep enough to overflow the parser's stack: where it overflows depends on the caller's stack,
    // so whatever was parsed is not deterministic. Analyse nothing and say so, at a fixed place.
    if (this.doc.errors.some((error) => /Maximum call stack size exceeded/.test(error.message))) {
      this.doc = null;
      this.problems.push({
        code: 'too-deep',
        message: 'The document nests too deeply to be analysed.',
        span: { start: 0, end: this.lines.lineContentEnd(0) },
      });
      return;
    }
    // A hostile file can make one error per character (200,000 for a line of `]`): report the first ones
    // and say how many more there are, so the findings, the editor and the CLI output stay bounded.
    const errors = this.doc.errors;
    for (let index = 0; index < Math.min(errors.length, MAX_REPORTED_YAML_ERRORS); index++) {
      const error = errors[index];
      // The parser may point one past the end of the text (an unterminated quote or flow collection).
      const start = Math.max(0, Math.min(error.pos[0], text.length));
      const end = Math.max(start, Math.min(error.pos[1], text.length));
      const more =
        index === MAX_REPORTED_YAML_ERRORS - 1 && errors.length > MAX_REPORTED_YAML_ERRORS
          ? ` (and ${errors.length - MAX_REPORTED_YAML_ERRORS} more YAML errors after this one, not shown)`
          : '';
      this.problems.push({ code: error.code, message: firstLine(error.message) + more, span: { start, end } });
    }
    const root = this.doc.contents;
    const map = root && isMap(root) ? root : null;
    if (kind === 'lockfile') {
      try {
        this.lockfile = readLockfile(this.doc.errors.length === 0 ? this.doc : null, text);
      } catch (error) {
        this.problems.push({ code: 'internal-error', message: `Could not read the lock: ${String(error)}`, span: { start: 0, end: 0 } });
      }
      return;
    }
    if (!map && this.doc.errors.length === 0 && root !== null) {
      const span = root.range ? { start: root.range[0], end: root.range[1] } : { start: 0, end: 0 };
      this.problems.push({
        code: 'not-a-mapping',
        message: 'Expected a mapping of keys (such as `on:` and `jobs:`) at the top level.',
        span,
      });
    }
    try {
      if (kind === 'workflow') this.workflow = new WorkflowView(map, this.doc);
      else if (kind === 'action') this.action = new ActionView(map, this.doc);
      else this.dependabot = new DependabotView(map, this.doc);
      this.collectUses();
    } catch (error) {
      // The views are defensive; this is a last line so a parser surprise never takes the server down.
      this.problems.push({
        code: 'internal-error',
        message: `Could not read the document's structure: ${String(error)}`,
        span: { start: 0, end: 0 },
      });
    }
  }

  /** Every `${{ }}` in any scalar value of the document (computed on first use). */
  get expressions(): readonly ExpressionSite[] {
    if (this.expressionSites) return this.expressionSites;
    const sites: ExpressionSite[] = [];
    const text = this.text;
    // Where `${{` occurs in the source: an occurrence is only ever found inside a scalar's source range, so
    // subtrees (and scalars) whose range holds none are skipped without walking them.
    const opens: number[] = [];
    for (let at = text.indexOf('${{'); at !== -1; at = text.indexOf('${{', at + 1)) opens.push(at);
    if (opens.length > 0) {
      const contents = this.doc?.contents ?? null;
      walkExpressionScalars(contents, opens, [], 0, (scalar, path) => {
        const range = scalar.range;
        if (!range || typeof scalar.value !== 'string' || !scalar.value.includes('${{')) return;
        for (const found of findExpressions(text, range[0], range[1])) {
          // In a single-quoted YAML scalar a quote is written twice: parse the expression as YAML reads it.
          // (Offsets inside such an expression's AST may then drift by the doubled quotes; the occurrence's own span stays exact.)
          const occurrence =
            scalar.type === 'QUOTE_SINGLE' && found.text.includes("''")
              ? { ...found, text: found.text.replace(/''/g, "'"), parsed: parseExpression(found.text.replace(/''/g, "'")) }
              : found;
          sites.push({ occurrence, scalar, path: [...path] });
        }
      });
    }
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

/** True when a `${{` of `opens` (sorted offsets) lies wholly inside [start, end). */
function holdsOpen(opens: readonly number[], start: number, end: number): boolean {
  let low = 0;
  let high = opens.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (opens[mid] < start) low = mid + 1;
    else high = mid;
  }
  return low < opens.length && opens[low] + 3 <= end;
}

/**
 * `walkScalars` (same order, same paths, same depth bound) restricted to the nodes whose source range holds
 * a `${{`: a collection's range covers its items, a scalar's covers its source text.
 */
function walkExpressionScalars(
  node: Node | null | undefined,
  opens: readonly number[],
  path: (string | number)[],
  depth: number,
  visit: (scalar: Scalar, path: readonly (string | number)[]) => void,
): void {
  if (!node || depth > 256) return;
  const range = node.range;
  if (range && !holdsOpen(opens, range[0], Math.max(range[1], range[2]))) return;
  if (isScalar(node)) {
    visit(node as Scalar, path);
  } else if (isMap(node)) {
    const items = (node as YAMLMap).items as Pair<Node, Node>[];
    for (let i = 0; i < items.length; i++) {
      const pair = items[i];
      const key = pair.key as Node | null;
      if (key && isScalar(key)) {
        const keyRange = key.range;
        if (!keyRange || holdsOpen(opens, keyRange[0], Math.max(keyRange[1], keyRange[2]))) visit(key as Scalar, path);
      }
      path.push(scalarText(key) ?? '?');
      walkExpressionScalars(pair.value as Node | null, opens, path, depth + 1, visit);
      path.pop();
    }
  } else if (isSeq(node)) {
    const items = (node as YAMLSeq).items;
    for (let i = 0; i < items.length; i++) {
      path.push(i);
      walkExpressionScalars(items[i] as Node, opens, path, depth + 1, visit);
      path.pop();
    }
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

export function parseFile(uri: string, kind: FileKind, text: string, version = 0): ParsedFile {
  return new ParsedFile(uri, kind, text, version);
}
