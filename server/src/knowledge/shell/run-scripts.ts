/** The `run:` scripts of a workflow or composite action, parsed, with their offsets mapped back onto the document. */
import { isScalar, type Scalar } from 'yaml';
import { AttachedCache, attachmentsOf } from '../../parse/attached-cache';
import type { ParsedFile } from '../../parse/document';
import { LineIndex, type Span } from '../../parse/text';
import type { JobView, StepView } from '../../parse/views';
import { parseUses } from '../../parse/uses';
import { nodeSpan, scalarText, type Entry, type YamlNode } from '../../parse/yaml-nodes';
import { placeOf, scriptInputsFor, type ScriptPlace } from '../script-inputs';
import { parseShell } from './reader';
import type { ShellScript } from './types';

/** A script passed to a third-party action in one of its `with:` inputs (knowledge/script-inputs.ts). */
export interface ScriptInputSource {
  /** `owner/repo` as written. */
  action: string;
  /** The input's name as written. */
  input: string;
  place: ScriptPlace;
}

export interface RunScript {
  /** The `run:` entry, or the `with:` entry of a script input. */
  entry: Entry;
  /** Set when the script is an action's input rather than the step's `run:`. */
  input?: ScriptInputSource;
  step: StepView;
  /** The job (null in composite actions). */
  job: JobView | null;
  script: ShellScript;
  /** The shell named by the step, job defaults or workflow defaults; '' when none (bash/pwsh by runner). */
  shell: string;
  /** Maps an offset in the script to an offset in the document. */
  toSource(offset: number): number;
  /** Maps a script span to a document span. */
  sourceSpan(span: Span): Span;
}

/**
 * Maps offsets of a scalar's value to offsets of the document: exact for plain and quoted scalars whose
 * text equals their value and for literal block scalars (`|`), line by line; for anything else (folded
 * blocks, escapes) every offset maps onto the scalar's token, which is still the right line to point at.
 */
export function scalarOffsetMapper(node: YamlNode | null, source: string): (offset: number) => number {
  const span = nodeSpan(node);
  if (!node || !span || !isScalar(node)) return () => span?.start ?? 0;
  const scalar = node as Scalar;
  const value = typeof scalar.value === 'string' ? scalar.value : null;
  const clampToken = (offset: number) => Math.max(span.start, Math.min(offset, span.end));
  if (value === null) return () => span.start;
  if (scalar.type === 'BLOCK_LITERAL') {
    // Header line (`|`, `|-`, `|2+` and a comment) ends at the first newline of the token.
    const header = source.indexOf('\n', span.start);
    if (header < 0) return () => span.start;
    const lineStarts: number[] = [];
    const valueLines = value.split('\n');
    let cursor = header + 1;
    let indent = -1;
    for (let k = 0; k < valueLines.length; k++) {
      if (cursor > source.length) break;
      let lineEnd = source.indexOf('\n', cursor);
      if (lineEnd < 0) lineEnd = source.length;
      const line = source.slice(cursor, lineEnd).replace(/\r$/, '');
      if (indent < 0 && valueLines[k].length > 0) {
        indent = line.length - valueLines[k].length;
        if (indent < 0 || line.slice(indent) !== valueLines[k]) return clampToken;
      }
      lineStarts.push(cursor);
      cursor = lineEnd + 1;
    }
    const firstIndent = Math.max(indent, 0);
    const valueIndex = new LineIndex(value);
    return (offset: number) => {
      const line = valueIndex.lineAt(offset);
      const lineStart = lineStarts[line];
      if (lineStart === undefined) return span.end;
      return Math.min(lineStart + firstIndent + (offset - valueIndex.lineStarts[line]), source.length);
    };
  }
  const quoted = scalar.type === 'QUOTE_DOUBLE' || scalar.type === 'QUOTE_SINGLE';
  const start = quoted ? span.start + 1 : span.start;
  if (source.startsWith(value, start)) return (offset: number) => start + offset;
  return clampToken;
}

function shellOf(step: StepView, job: JobView | null, file: ParsedFile): string {
  const own = step.shell?.value;
  if (own) return own;
  const jobShell = job?.child('defaults').child('run').string('shell')?.value;
  if (jobShell) return jobShell;
  return file.workflow?.child('defaults').child('run').string('shell')?.value ?? '';
}

const cache = new AttachedCache<ParsedFile, RunScript[]>('run-scripts', attachmentsOf);

/**
 * Every `run:` script of a workflow's jobs or a composite action's steps, and every script handed to a
 * third-party action in an input that action runs with a shell (`appleboy/ssh-action` `script:`, ...),
 * parsed (cached per file). Input scripts come right after their step's place, with `input` set.
 */
export function runScripts(file: ParsedFile): RunScript[] {
  const cached = cache.get(file);
  if (cached) return cached;
  const scripts: RunScript[] = [];
  const push = (entry: Entry, step: StepView, job: JobView | null, shell: string, input?: ScriptInputSource) => {
    if (!entry.value || !isScalar(entry.value)) return;
    const value = (entry.value as Scalar).value;
    if (typeof value !== 'string') return;
    // Offsets are mapped back to the document only for the scripts a rule reports on: the mapper is built then.
    const scalar = entry.value;
    let mapper: ((offset: number) => number) | undefined;
    const map = (offset: number) => (mapper ??= scalarOffsetMapper(scalar, file.text))(offset);
    scripts.push({
      entry,
      ...(input ? { input } : {}),
      step,
      job,
      script: parseShell(value),
      shell,
      toSource: map,
      sourceSpan: (span: Span) => {
        const start = map(span.start);
        const end = map(span.end);
        return { start, end: Math.max(start, end) };
      },
    });
  };
  const add = (step: StepView, job: JobView | null) => {
    const entry = step.run;
    if (entry) {
      push(entry, step, job, shellOf(step, job, file));
      return;
    }
    const uses = scalarText(step.uses?.value ?? null);
    if (!uses) return;
    const reference = parseUses(uses);
    if (reference.kind !== 'remote') return;
    const known = scriptInputsFor(reference.owner, reference.repo, reference.subpath);
    if (!known) return;
    const inputs = step.with.entries;
    const shellEntry = known.shellInput ? inputs.find((e) => e.key.toLowerCase() === known.shellInput) : undefined;
    const shell = (shellEntry && scalarText(shellEntry.value)?.trim().replace(/^.*\//, '')) || known.shell;
    for (const input of inputs) {
      const name = input.key.toLowerCase();
      if (!known.inputs.includes(name)) continue;
      push(input, step, job, shell, { action: reference.repository, input: input.key, place: placeOf(known, name) });
    }
  };
  try {
    if (file.workflow) for (const job of file.workflow.jobs) for (const step of job.steps) add(step, job);
    if (file.action) for (const step of file.action.steps) add(step, null);
  } catch {
    // A malformed document yields the scripts read so far.
  }
  cache.set(file, scripts);
  return scripts;
}

/** The scripts of one job (or of the composite action when `job` is null). */
const byJobCache = new AttachedCache<ParsedFile, Map<JobView | null, RunScript[]>>('run-scripts-by-job', attachmentsOf);

export function runScriptsOf(file: ParsedFile, job: JobView | null): RunScript[] {
  let byJob = byJobCache.get(file);
  if (!byJob) {
    byJob = new Map();
    for (const script of runScripts(file)) {
      const list = byJob.get(script.job);
      if (list) list.push(script);
      else byJob.set(script.job, [script]);
    }
    byJobCache.set(file, byJob);
  }
  // A fresh array, as before: callers may sort or extend what they get.
  return byJob.get(job)?.slice() ?? [];
}
