/**
 * Least-privilege `permissions:` edits, built from the inference: `permissions: {}` at workflow level and
 * a minimal, commented block per job; a minimal block for one job; moving workflow-level write scopes into
 * the jobs that use them. Every edit is a line insertion or a replacement of a `permissions:` value, at
 * the document's own indentation and line endings; comments elsewhere are untouched. A job that already
 * has a `permissions:` block is never rewritten by the workflow-level fix, so applying it twice changes
 * nothing the second time.
 */
import { isMap, type YAMLMap } from 'yaml';
import type { ParsedFile } from '../parse/document';
import type { JobView } from '../parse/views';
import { MapView } from '../parse/views';
import { asMap, scalarText, type Entry } from '../parse/yaml-nodes';
import type { JobPermissions } from '../permissions/infer';
import { declaredScopes } from '../permissions/infer';
import type { Fix, OffsetEdit } from '../findings';
import { appendLines, indentStep, insertLinesAbove } from './edits';

export const LEAST_PRIVILEGE_TITLE = 'Add least-privilege permissions';
export const JOB_MINIMAL_TITLE = 'Add minimal permissions to this job';
export const MOVE_WRITES_TITLE = 'Move workflow-level write permissions into the jobs that use them';

function shorten(text: string, max = 60): string {
  const single = text.replace(/\s+/g, ' ').trim();
  return single.length > max ? `${single.slice(0, max - 1)}…` : single;
}

/** `# actions/checkout`, `# gh pr comment; actions/labeler`. */
function reasonComment(whats: readonly string[]): string {
  const unique = [...new Set(whats)];
  const shown = unique.slice(0, 3).join('; ') + (unique.length > 3 ? `; +${unique.length - 3} more` : '');
  return `  # ${shorten(shown, 80)}`;
}

/**
 * The lines of a job's minimal block, relative to the job's key indentation (`step` is one level), or null
 * when the job needs nothing and nothing is unknown (it can inherit `permissions: {}`), unless `always`.
 */
export function jobBlockLines(
  result: JobPermissions,
  step: string,
  always = false,
  extra: ReadonlyMap<string, string> = new Map(),
): string[] | null {
  const scopes = new Map<string, { level: string; comment: string }>();
  for (const [scope, level] of extra) scopes.set(scope, { level, comment: '' });
  for (const scope of result.scopes)
    scopes.set(scope.scope, {
      level: scope.level,
      comment: reasonComment(scope.uses.filter((use) => use.level === scope.level).map((use) => use.what)),
    });
  const verify = [...new Set(result.unknowns.map((unknown) => `# verify: ${shorten(unknown.reason, 100)}`))];
  if (scopes.size === 0) {
    if (verify.length === 0) return always ? ['permissions: {}'] : null;
    return ['permissions: {}  ' + verify[0], ...verify.slice(1, 3)];
  }
  const lines = ['permissions:'];
  for (const [scope, { level, comment }] of [...scopes].sort(([a], [b]) => (a < b ? -1 : 1)))
    lines.push(`${step}${scope}: ${level}${comment}`);
  for (const line of verify.slice(0, 3)) lines.push(`${step}${line}`);
  return lines;
}

/** Where a job's new `permissions:` goes: above `steps:` (or `uses:`, or its first key); null for flow-style jobs. */
function jobInsertionPoint(file: ParsedFile, job: JobView): number | null {
  const map = asMap(job.entry.value);
  if (!map || (map as YAMLMap).flow) return null;
  const anchor = job.get('steps') ?? job.get('uses') ?? job.entries[0];
  if (!anchor) return null;
  // A key reached through a merge (`<<: *defaults`) or an alias lives in another mapping: inserting there
  // would change every job sharing it. The key must sit inside this job's own value.
  const own = job.entry.valueSpan;
  if (anchor.keySpan.start < own.start || anchor.keySpan.start >= own.end) return null;
  const line = file.lines.lineAt(anchor.keySpan.start);
  const before = file.text.slice(file.lines.lineStarts[line], anchor.keySpan.start);
  return /^[ ]*$/.test(before) ? anchor.keySpan.start : null;
}

function insertJobBlock(file: ParsedFile, job: JobView, lines: readonly string[]): OffsetEdit | null {
  const at = jobInsertionPoint(file, job);
  return at === null ? null : insertLinesAbove(file, at, lines);
}

/**
 * Where a value really ends: the parser's range of a block collection runs past its last line break (and
 * sometimes over blank lines), so an edit that replaced up to it would glue the next key onto the new
 * text (or into its trailing comment). Backs off over trailing whitespace and line breaks, never before `floor`.
 */
export function valueContentEnd(file: ParsedFile, entry: Entry, floor: number): number {
  let end = Math.min(Math.max(entry.keySpan.end, entry.valueSpan.end), file.text.length);
  while (end > floor && /[ \t\r\n]/.test(file.text[end - 1])) end--;
  return Math.max(end, floor);
}

/**
 * Replaces a `permissions:` value (from just after the key to the value's end) with `{}` or a block. The
 * replaced text never includes the line break that ends the value, and a comment on the key's own line
 * above a block value is kept (`permissions:  # why` stays, `permissions: {}  # why` when emptied).
 * Null when the value cannot be located safely (no colon after the key, or the key is not alone on its line).
 */
export function replacePermissionsValue(file: ParsedFile, entry: Entry, lines: readonly string[] | null): OffsetEdit | null {
  const keyEnd = entry.keySpan.end;
  const colon = file.text.indexOf(':', keyEnd);
  if (colon === -1 || /[^ \t"']/.test(file.text.slice(keyEnd, colon))) return null;
  const end = valueContentEnd(file, entry, colon + 1);
  const keyLine = file.lines.lineAt(entry.keySpan.start);
  const keyLineEnd = file.lines.lineContentEnd(keyLine);
  // A block value starts on a later line: what follows the colon on the key's line is blank or a comment.
  const blockValue = entry.valueSpan.start > keyLineEnd && end > keyLineEnd;
  const tail = blockValue ? file.text.slice(colon + 1, keyLineEnd) : '';
  if (blockValue && !/^[ \t]*(#.*)?$/.test(tail)) return null;
  const comment = tail.trim() ? `  ${tail.trim()}` : '';
  if (!lines || lines.length === 1) {
    const value = lines ? lines[0].replace(/^permissions:\s*/, '') || '{}' : '{}';
    return { span: { start: colon + 1, end }, newText: ` ${value}${comment}` };
  }
  const indent = file.lines.indentation(keyLine);
  const eol = file.lines.eol;
  const body =
    eol +
    lines
      .slice(1)
      .map((line) => indent + line)
      .join(eol);
  if (blockValue) return { span: { start: keyLineEnd, end }, newText: body };
  // A one-line value (`write-all  # why`): its trailing comment moves up to the key's line.
  const rest = end <= keyLineEnd ? file.text.slice(end, keyLineEnd) : '';
  if (/^[ \t]+#/.test(rest)) return { span: { start: colon + 1, end: keyLineEnd }, newText: `  ${rest.trim()}${body}` };
  return { span: { start: colon + 1, end }, newText: body };
}

/**
 * Removes the whole lines of a block-mapping entry (`  issues: write  # why`), or null when the entry
 * shares a line with something else (a flow mapping, a `- ` item).
 */
export function removeEntryLines(file: ParsedFile, entry: Entry): OffsetEdit | null {
  const lines = file.lines;
  const first = lines.lineAt(entry.keySpan.start);
  const last = lines.lineAt(valueContentEnd(file, entry, entry.keySpan.end));
  const start = lines.lineStarts[first];
  if (!/^[ \t]*$/.test(file.text.slice(start, entry.keySpan.start))) return null;
  const rest = file.text.slice(valueContentEnd(file, entry, entry.keySpan.end), lines.lineContentEnd(last));
  if (!/^[ \t]*(#.*)?$/.test(rest)) return null;
  const end = last + 1 < lines.lineCount ? lines.lineStarts[last + 1] : file.text.length;
  return { span: { start, end }, newText: '' };
}

export interface LeastPrivilegePlan {
  fix: Fix;
  /** Jobs whose block could not be written (flow-style YAML). */
  skipped: string[];
}

/**
 * Workflow level: `permissions: {}` (inserted above `jobs:`, or replacing the workflow's value) and a
 * minimal block in every job that has none and needs something. Preferred only when nothing is unknown.
 */
export function leastPrivilegeFix(file: ParsedFile, inferred: readonly JobPermissions[]): LeastPrivilegePlan | null {
  const workflow = file.workflow;
  if (!workflow) return null;
  const step = indentStep(file);
  const edits: OffsetEdit[] = [];
  const existing = workflow.permissions;
  if (existing) {
    const edit = replacePermissionsValue(file, existing, null);
    if (!edit) return null;
    edits.push(edit);
  } else {
    const jobs = workflow.jobsEntry;
    edits.push(jobs ? insertLinesAbove(file, jobs.keySpan.start, ['permissions: {}']) : appendLines(file, ['permissions: {}']));
  }
  let unknown = false;
  const skipped: string[] = [];
  workflow.jobs.forEach((job, index) => {
    if (job.permissions) return;
    const result = inferred[index];
    if (!result) return;
    if (result.unknowns.length > 0) unknown = true;
    const lines = jobBlockLines(result, step);
    if (!lines) return;
    const edit = insertJobBlock(file, job, lines);
    if (edit) edits.push(edit);
    else skipped.push(job.id);
  });
  return {
    fix: {
      title: unknown ? `${LEAST_PRIVILEGE_TITLE} (verify the commented jobs)` : LEAST_PRIVILEGE_TITLE,
      isPreferred: !unknown && skipped.length === 0,
      safety: 'unsafe',
      edits,
    },
    skipped,
  };
}

/** Job level: a minimal block for a job without one, or in place of its `read-all`/`write-all`/over-wide block. */
export function jobMinimalFix(file: ParsedFile, job: JobView, result: JobPermissions): Fix | null {
  const lines = jobBlockLines(result, indentStep(file), true)!;
  const edit = job.permissions ? replacePermissionsValue(file, job.permissions, lines) : insertJobBlock(file, job, lines);
  if (!edit) return null;
  return { title: JOB_MINIMAL_TITLE, isPreferred: result.unknowns.length === 0, safety: 'unsafe', edits: [edit] };
}

/**
 * Removes the write scopes of a block-style workflow `permissions:` mapping and grants each of them only in
 * the inheriting jobs that use it (with the workflow's remaining read scopes, which a job block replaces).
 * A job whose needs are partly unknown keeps every scope it inherited, with a `# verify` comment.
 */
export function moveWriteScopesFix(file: ParsedFile, inferred: readonly JobPermissions[]): Fix | null {
  const workflow = file.workflow;
  const block = workflow?.permissions;
  if (!workflow || !block || !block.value || !isMap(block.value) || (block.value as YAMLMap).flow) return null;
  const entries = new MapView(asMap(block.value), file.doc).entries;
  const writes = entries.filter((entry) => scalarText(entry.value) === 'write');
  if (writes.length === 0) return null;
  const remaining = new Map<string, string>();
  for (const [scope, level] of declaredScopes(block)) if (level !== 'write') remaining.set(scope, level);
  const step = indentStep(file);
  const edits: OffsetEdit[] = [];
  if (writes.length === entries.length) {
    const edit = replacePermissionsValue(file, block, null);
    if (!edit) return null;
    edits.push(edit);
  } else {
    for (const entry of writes) {
      const edit = removeEntryLines(file, entry);
      if (!edit) return null;
      edits.push(edit);
    }
  }
  const writeScopes = new Set(writes.map((entry) => entry.key));
  // Every moved line says why (undocumented-permissions asks for it): the workflow block's own comment on
  // that scope, else what the inference found in the job, else where it came from.
  const ownComments = new Map<string, string>();
  for (const entry of entries) {
    const end = valueContentEnd(file, entry, entry.keySpan.end);
    const rest = file.text.slice(end, file.lines.lineContentEnd(file.lines.lineAt(end)));
    if (/^[ \t]+#/.test(rest)) ownComments.set(entry.key, `  ${rest.trim()}`);
  }
  const commentFor = (result: JobPermissions, scope: string, level: string, fallback: string): string => {
    const found = result.scopes.find((s) => s.scope === scope);
    const atLevel = found ? found.uses.filter((use) => use.level === level) : [];
    const whats = (atLevel.length > 0 ? atLevel : (found?.uses ?? [])).map((use) => use.what);
    if (whats.length > 0) return reasonComment(whats);
    return ownComments.get(scope) ?? `  # ${fallback}`;
  };
  const blockLines = (scopes: ReadonlyMap<string, string>, comment: (scope: string, level: string) => string): string[] => [
    'permissions:',
    ...[...scopes].sort(([a], [b]) => (a < b ? -1 : 1)).map(([scope, level]) => `${step}${scope}: ${level}${comment(scope, level)}`),
  ];
  let unknown = false;
  workflow.jobs.forEach((job, index) => {
    const result = inferred[index];
    if (job.permissions || !result) return;
    if (result.unknowns.length > 0) {
      unknown = true;
      const keep = new Map(remaining);
      for (const scope of writeScopes) keep.set(scope, 'write');
      const lines = [
        ...blockLines(keep, (scope, level) => commentFor(result, scope, level, 'was granted at workflow level; verify')),
        ...result.unknowns.slice(0, 2).map((u) => `${step}# verify: ${shorten(u.reason, 100)}`),
      ];
      const edit = insertJobBlock(file, job, lines);
      if (edit) edits.push(edit);
      return;
    }
    const used = result.scopes.filter((scope) => writeScopes.has(scope.scope) && scope.level === 'write');
    if (used.length === 0) return;
    const all = new Map<string, string>(remaining);
    for (const scope of used) all.set(scope.scope, 'write');
    const edit = insertJobBlock(
      file,
      job,
      blockLines(all, (scope, level) => commentFor(result, scope, level, 'was granted at workflow level')),
    );
    if (edit) edits.push(edit);
  });
  return { title: MOVE_WRITES_TITLE, isPreferred: !unknown, safety: 'unsafe', edits };
}
