/**
 * Which lines an ignore comment may be on to suppress a finding: its suppression span. As in zizmor, a
 * comment counts anywhere in the part of the file the finding belongs to, not only on the finding's line:
 *
 * - a finding inside a step (of a job, or of a composite action): the lines of that step, from its `- `
 *   line to its last line — the `- name:` line, a `run: |` header, a comment line of its own inside it;
 * - else, inside a job: the lines of that job, from its `<job-id>:` line to its last line (its steps too);
 * - else, inside an update of a Dependabot file: the lines of that `updates:` entry;
 * - else, inside a top-level key: the lines of that key and its value (`on:` and everything under it),
 *   except for the keys that hold jobs or steps (`jobs:`, a composite action's `runs:`, Dependabot's
 *   `updates:`), whose block is too wide to stand for one finding: there only the finding's own lines;
 * - always: every line of the finding itself.
 *
 * The innermost step or job is the one holding the start of the finding. A comment on the line before a
 * step's `- ` is not in the step. Comment lines after the last value of a step, job or block are not in
 * it either, whatever the YAML parser attaches them to: a span ends on the line of its last value.
 */
import type { ParsedFile } from '../parse/document';
import type { Span } from '../parse/text';
import type { MapView, StepView } from '../parse/views';
import { entrySpan } from '../parse/yaml-nodes';
import { AttachedCache, attachmentsOf } from '../parse/attached-cache';

/** A range of 0-based lines, both ends included. */
export interface LineRange {
  first: number;
  last: number;
}

interface Containers {
  /** Steps in document order (a `parallel:` group's step before the steps of its group), with their enclosing step. */
  steps: { span: Span; parent: number }[];
  /** Jobs, Dependabot updates and top-level keys, each list in document order and without overlaps. */
  jobs: Span[];
  updates: Span[];
  topLevel: Span[];
}

const CONTAINERS = new AttachedCache<ParsedFile, Containers>('suppression-containers', attachmentsOf);

function containersOf(file: ParsedFile): Containers {
  const cached = CONTAINERS.get(file);
  if (cached) return cached;
  const containers: Containers = { steps: [], jobs: [], updates: [], topLevel: [] };
  const addSteps = (steps: readonly StepView[]) => {
    const indexOf = new Map<StepView, number>();
    for (const step of steps) {
      const span = step.nodeSpan;
      if (!span) continue;
      indexOf.set(step, containers.steps.length);
      containers.steps.push({ span, parent: step.parallel ? (indexOf.get(step.parallel) ?? -1) : -1 });
    }
  };
  let root: MapView | null = null;
  const wide = new Set<string>();
  if (file.workflow) {
    root = file.workflow;
    wide.add('jobs');
    for (const job of file.workflow.jobs) {
      containers.jobs.push(job.span);
      addSteps(job.steps);
    }
  } else if (file.action) {
    root = file.action;
    if (file.action.runs.has('steps')) wide.add('runs');
    addSteps(file.action.steps);
  } else if (file.dependabot) {
    root = file.dependabot;
    wide.add('updates');
    for (const update of file.dependabot.updates) if (update.span) containers.updates.push(update.span);
  }
  for (const entry of root?.entries ?? []) if (!wide.has(entry.key)) containers.topLevel.push(entrySpan(entry));
  // Document order is what the views give; sorting keeps the binary searches right for odd files (a key given twice).
  const byStart = (a: Span, b: Span) => a.start - b.start;
  containers.jobs.sort(byStart);
  containers.updates.sort(byStart);
  containers.topLevel.sort(byStart);
  CONTAINERS.set(file, containers);
  return containers;
}

const holds = (span: Span, offset: number) => span.start <= offset && offset < Math.max(span.end, span.start + 1);

/** Index of the last span of `spans` (sorted by start) starting at or before `offset`, or -1. */
function lastStartingAtOrBefore(count: number, startOf: (index: number) => number, offset: number): number {
  let low = 0;
  let high = count;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (startOf(middle) <= offset) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

/** The span of `spans` (sorted by start, not overlapping) that holds `offset`, or null. */
function holding(spans: readonly Span[], offset: number): Span | null {
  const index = lastStartingAtOrBefore(spans.length, (i) => spans[i].start, offset);
  return index >= 0 && holds(spans[index], offset) ? spans[index] : null;
}

/**
 * The innermost step holding `offset`: the step starting last at or before it, or the nearest of its
 * enclosing `parallel:` steps that holds it (steps nest only that way, so no other step can).
 */
function innermostStep(steps: Containers['steps'], offset: number): Span | null {
  for (let index = lastStartingAtOrBefore(steps.length, (i) => steps[i].span.start, offset); index >= 0; index = steps[index].parent)
    if (holds(steps[index].span, offset)) return steps[index].span;
  return null;
}

/**
 * The lines of `span`, from the line of its first character to the line of its last value: trailing
 * blanks and comment-only lines, which the YAML parser may count in a block collection, are left out.
 */
function linesOf(file: ParsedFile, span: Span): LineRange {
  const first = file.lines.lineAt(span.start);
  let end = span.end;
  for (;;) {
    while (end > span.start && isBlank(file.text.charCodeAt(end - 1))) end--;
    const line = file.lines.lineAt(end);
    if (line <= first) return { first, last: first };
    const lineStart = file.lines.offset({ line, character: 0 });
    let at = lineStart;
    while (at < end && (file.text[at] === ' ' || file.text[at] === '\t')) at++;
    if (file.text[at] !== '#') return { first, last: line };
    end = lineStart;
  }
}

/** Space, tab, line feed, carriage return. */
const isBlank = (code: number) => code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;

/** The lines on which an ignore comment suppresses a finding at `span` (see the module comment). */
export function suppressionLines(file: ParsedFile, span: Span): LineRange {
  const own = linesOf(file, span);
  const containers = containersOf(file);
  const container =
    innermostStep(containers.steps, span.start) ??
    holding(containers.jobs, span.start) ??
    holding(containers.updates, span.start) ??
    holding(containers.topLevel, span.start);
  if (!container) return own;
  const lines = linesOf(file, container);
  return { first: Math.min(own.first, lines.first), last: Math.max(own.last, lines.last) };
}
