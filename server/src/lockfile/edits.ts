/**
 * Text edits of an `actions.lock`: pure functions of the lock's text that return minimal offset edits,
 * keeping every other byte (the header and other comments, quoting, indentation, line endings). The online
 * part computes the entries; these functions only place them.
 */
import { isMap, isSeq, parseDocument, type Node, type YAMLMap } from 'yaml';
import type { OffsetEdit } from '../findings';
import type { Span } from '../parse/text';
import { mapEntries, nodeSpan, type Entry, type YamlDocument } from '../parse/yaml-nodes';
import { LOCKFILE_PARSE_OPTIONS, pinKeyOf } from './read';
import { CURRENT_LOCKFILE_VERSION, LOCKFILE_HEADER, type LockEntry, type LockEntryInput } from './types';

interface LockLayout {
  text: string;
  eol: string;
  /** The indentation of one level (two spaces unless the lock says otherwise). */
  indent: string;
  workflows: Entry | undefined;
  dependencies: Entry | undefined;
  version: Entry | undefined;
}

function layoutOf(text: string): LockLayout | null {
  let doc: YamlDocument;
  try {
    doc = parseDocument(text, LOCKFILE_PARSE_OPTIONS) as YamlDocument;
  } catch {
    return null;
  }
  if (doc.errors.length > 0) return null;
  const root = doc.contents as Node | null;
  if (root !== null && !isMap(root)) return null;
  const top = root ? mapEntries(root as YAMLMap, doc) : [];
  const find = (key: string) => top.find((entry) => entry.key === key);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const layout: LockLayout = {
    text,
    eol,
    indent: '  ',
    workflows: find('workflows'),
    dependencies: find('dependencies'),
    version: find('version'),
  };
  for (const section of [layout.dependencies, layout.workflows]) {
    const first = section && isMap(section.value) ? mapEntries(section.value as YAMLMap, doc)[0] : undefined;
    if (first) {
      const column = first.keySpan.start - lineStart(text, first.keySpan.start);
      if (column > 0) layout.indent = ' '.repeat(column);
      break;
    }
  }
  return layout;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset just after the line holding `offset - 1` ends (after its line break), or the text's end. */
function afterLine(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === '\n') return offset;
  const newline = text.indexOf('\n', offset);
  return newline === -1 ? text.length : newline + 1;
}

/** An insertion at `offset` (a line start, or the end of a text that may lack its final line break) of whole lines. */
function insertLines(text: string, offset: number, lines: readonly string[], eol: string): OffsetEdit {
  const needsBreak = offset > 0 && text[offset - 1] !== '\n';
  return { span: { start: offset, end: offset }, newText: (needsBreak ? eol : '') + lines.map((line) => line + eol).join('') };
}

/** The pin key an entry is written under: its own (a SHA key records the tag or branch as `ref`), else `owner/repo@ref`. */
function entryKey(input: LockEntryInput): string {
  return input.key ?? pinKeyOf(input.owner, input.repo, input.ref);
}

function quoteIfNeeded(text: string): string {
  // A plain scalar is safe when it holds only the characters of paths and pin keys.
  return /^[A-Za-z0-9._/@+-]+$/.test(text) && !/^[-.]/.test(text) ? text : JSON.stringify(text);
}

function entryLines(input: LockEntryInput, indent: string): string[] {
  const key = entryKey(input);
  const lines = [
    `${indent}${quoteIfNeeded(key)}:`,
    `${indent}${indent}ref: ${quoteIfNeeded(input.ref)}`,
    `${indent}${indent}commit: ${input.commit}`,
    `${indent}${indent}owner_id: ${input.ownerId}`,
    `${indent}${indent}repo_id: ${input.repoId}`,
  ];
  if (input.uses && input.uses.length > 0) {
    lines.push(`${indent}${indent}uses:`);
    for (const use of input.uses) lines.push(`${indent}${indent}${indent}- ${quoteIfNeeded(use)}`);
  }
  return lines;
}

function workflowLines(path: string, keys: readonly string[], indent: string): string[] {
  return [`${indent}${quoteIfNeeded(path)}:`, ...keys.map((key) => `${indent}${indent}- ${quoteIfNeeded(key)}`)];
}

/** The text of a new lock holding `entries` for `workflowPath`, with the header. */
function newLock(workflowPath: string, entries: readonly LockEntryInput[], eol: string): string {
  const keys = [...new Set(entries.map(entryKey))];
  const lines = [
    ...LOCKFILE_HEADER,
    `version: ${CURRENT_LOCKFILE_VERSION}`,
    'workflows:',
    ...workflowLines(workflowPath, keys, '  '),
    'dependencies:',
  ];
  for (const entry of entries) lines.push(...entryLines(entry, '  '));
  return lines.map((line) => line + eol).join('');
}

interface ListItem {
  key: string;
  span: Span;
}

function listItems(section: Entry | undefined): { items: ListItem[]; block: boolean } {
  const value = section?.value ?? null;
  if (!value || !isSeq(value)) return { items: [], block: false };
  const items: ListItem[] = [];
  for (const item of value.items as Node[]) {
    const span = nodeSpan(item);
    const key = item && 'value' in item && typeof item.value === 'string' ? item.value : null;
    if (span && key !== null) items.push({ key, span });
  }
  return { items, block: value.flow !== true };
}

function sectionEntries(_text: string, section: Entry | undefined): Entry[] {
  if (!section?.value || !isMap(section.value)) return [];
  return mapEntries(section.value as YAMLMap, null);
}

/** The edits that add `keys` to the list of `path` (creating it), given the layout. */
function listEdits(layout: LockLayout, path: string, keys: readonly string[]): OffsetEdit[] {
  const { text, eol, indent } = layout;
  const workflow = sectionEntries(text, layout.workflows).find((entry) => entry.key === path);
  if (!workflow) {
    const lines = workflowLines(path, keys, indent);
    if (layout.workflows && isMap(layout.workflows.value)) {
      return [insertLines(text, afterLine(text, layout.workflows.valueSpan.end), lines, eol)];
    }
    if (layout.workflows) {
      // `workflows:` empty or `{}`: the value becomes the block.
      return [replaceValue(text, layout.workflows, lines, eol)];
    }
    const before = layout.dependencies ? lineStart(text, layout.dependencies.keySpan.start) : text.length;
    return [insertLines(text, before, ['workflows:', ...lines], eol)];
  }
  const { items, block } = listItems(workflow);
  const missing = keys.filter((key) => !items.some((item) => item.key === key));
  if (missing.length === 0) return [];
  if (block && items.length > 0) {
    const last = items[items.length - 1];
    const dash = text.lastIndexOf('-', last.span.start);
    const column = dash - lineStart(text, dash);
    return [
      insertLines(
        text,
        afterLine(text, last.span.end),
        missing.map((key) => `${' '.repeat(column)}- ${quoteIfNeeded(key)}`),
        eol,
      ),
    ];
  }
  const all = [...items.map((item) => item.key), ...missing];
  return [
    replaceValue(
      text,
      workflow,
      all.map((key) => `${indent}${indent}- ${quoteIfNeeded(key)}`),
      eol,
    ),
  ];
}

/** Replaces an entry's value (empty, flow or block) by block lines on the following lines. */
function replaceValue(text: string, entry: Entry, lines: readonly string[], eol: string): OffsetEdit {
  const colon = text.indexOf(':', entry.keySpan.end);
  const start = colon + 1;
  let end = Math.max(start, entry.valueSpan.end);
  while (end > start && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
  return { span: { start, end }, newText: lines.map((line) => eol + line).join('') };
}

/**
 * The edits adding `entries` to the lock and listing them for `workflowPath` (which becomes onboarded).
 * `lockText` undefined creates the lock with its header. Entries whose key is already in the lock are only
 * listed. Returns no edit when the lock cannot be read as YAML (it is not edited blindly).
 */
export function addLockEntries(lockText: string | undefined, workflowPath: string, entries: readonly LockEntryInput[]): OffsetEdit[] {
  if (lockText === undefined || lockText.trim() === '') {
    return [{ span: { start: 0, end: lockText?.length ?? 0 }, newText: newLock(workflowPath, entries, '\n') }];
  }
  const layout = layoutOf(lockText);
  if (!layout) return [];
  const { text, eol, indent } = layout;
  const keys = [...new Set(entries.map(entryKey))];
  const existing = new Set(sectionEntries(text, layout.dependencies).map((entry) => entry.key.toLowerCase()));
  const fresh = entries.filter((entry, index) => {
    const key = entryKey(entry);
    return !existing.has(key.toLowerCase()) && entries.findIndex((other) => entryKey(other) === key) === index;
  });
  const edits: OffsetEdit[] = [...listEdits(layout, workflowPath, keys)];
  if (fresh.length > 0) {
    const lines = fresh.flatMap((entry) => entryLines(entry, indent));
    if (layout.dependencies && isMap(layout.dependencies.value))
      edits.push(insertLines(text, afterLine(text, layout.dependencies.valueSpan.end), lines, eol));
    else if (layout.dependencies) edits.push(replaceValue(text, layout.dependencies, lines, eol));
    else edits.push(insertLines(text, text.length, ['dependencies:', ...lines], eol));
  }
  return mergeAtSameOffset(edits);
}

/** Two insertions at one offset become one (workflows inserted before `dependencies:` and the end of the workflows map can coincide). */
function mergeAtSameOffset(edits: OffsetEdit[]): OffsetEdit[] {
  const sorted = [...edits].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  const merged: OffsetEdit[] = [];
  for (const edit of sorted) {
    const last = merged[merged.length - 1];
    if (last && last.span.start === edit.span.start && last.span.end === last.span.start && edit.span.end === edit.span.start) {
      merged[merged.length - 1] = { span: last.span, newText: last.newText + edit.newText };
    } else merged.push(edit);
  }
  return merged;
}

/** The span of whole lines from the line of `start` through the line of `end - 1` (with its line break). */
function wholeLines(text: string, start: number, end: number): Span {
  let stop = Math.max(start, end);
  while (stop > start && (text[stop - 1] === '\n' || text[stop - 1] === '\r' || text[stop - 1] === ' ')) stop--;
  return { start: lineStart(text, start), end: afterLine(text, stop) };
}

/**
 * The edits removing the dependencies of `keys` (normalised pin keys) and every block-list item naming them
 * (in the workflows' lists and the entries' `uses:`).
 */
export function removeLockEntries(lockText: string, keys: readonly string[]): OffsetEdit[] {
  const layout = layoutOf(lockText);
  if (!layout) return [];
  const text = lockText;
  const wanted = new Set(keys.map(normalize));
  const edits: OffsetEdit[] = [];
  const dependencies = sectionEntries(text, layout.dependencies);
  for (const entry of dependencies) {
    if (wanted.has(normalize(entry.key))) edits.push({ span: wholeLines(text, entry.keySpan.start, entry.valueSpan.end), newText: '' });
  }
  const lists: Entry[] = [...sectionEntries(text, layout.workflows)];
  for (const entry of dependencies) {
    if (wanted.has(normalize(entry.key)) || !isMap(entry.value)) continue;
    const uses = mapEntries(entry.value as YAMLMap, null).find((field) => field.key === 'uses');
    if (uses) lists.push(uses);
  }
  for (const list of lists) {
    const { items, block } = listItems(list);
    if (!block) continue;
    for (const item of items)
      if (wanted.has(normalize(item.key))) edits.push({ span: wholeLines(text, item.span.start, item.span.end), newText: '' });
  }
  return edits.sort((a, b) => a.span.start - b.span.start);
}

/** The edits removing the workflows listed under `paths` (their files are gone). */
export function removeLockWorkflows(lockText: string, paths: readonly string[]): OffsetEdit[] {
  const layout = layoutOf(lockText);
  if (!layout) return [];
  return sectionEntries(lockText, layout.workflows)
    .filter((entry) => paths.includes(entry.key))
    .map((entry) => ({ span: wholeLines(lockText, entry.keySpan.start, entry.valueSpan.end), newText: '' }));
}

/** The edit making the list of `workflowPath` exactly `keys`, in that order (the workflow must be listed). */
export function rewriteWorkflowList(lockText: string, workflowPath: string, keys: readonly string[]): OffsetEdit[] {
  const layout = layoutOf(lockText);
  if (!layout) return [];
  const workflow = sectionEntries(lockText, layout.workflows).find((entry) => entry.key === workflowPath);
  if (!workflow) return [];
  const { items, block } = listItems(workflow);
  if (block && items.length > 0) {
    const first = items[0];
    const dash = lockText.lastIndexOf('-', first.span.start);
    const column = dash - lineStart(lockText, dash);
    const span = wholeLines(lockText, lineStart(lockText, dash), items[items.length - 1].span.end);
    return [{ span, newText: keys.map((key) => `${' '.repeat(column)}- ${quoteIfNeeded(key)}${layout.eol}`).join('') }];
  }
  return [
    replaceValue(
      lockText,
      workflow,
      keys.map((key) => `${layout.indent}${layout.indent}- ${quoteIfNeeded(key)}`),
      layout.eol,
    ),
  ];
}

function normalize(key: string): string {
  const at = key.indexOf('@');
  return at === -1 ? key.toLowerCase() : key.slice(0, at).toLowerCase() + key.slice(at);
}

/**
 * The edit re-locking `entry` at `next` (the same key computed again): its commit is replaced, every other
 * byte kept. Only when nothing else changed (the ref, both ids, the direct dependencies): otherwise the
 * lists of the workflows would change too, and no edit is returned (re-lock with the tool).
 */
export function relockEdits(lockText: string, entry: LockEntry, next: LockEntryInput): OffsetEdit[] {
  if (!entry.commit || entry.commit.span.end > lockText.length) return [];
  if (entry.ref?.value !== next.ref || entry.ownerId?.value !== next.ownerId || entry.repoId?.value !== next.repoId) return [];
  const before = new Set(entry.uses.map((use) => use.normalized));
  const after = new Set((next.uses ?? []).map(normalize));
  if (before.size !== after.size || [...after].some((key) => !before.has(key))) return [];
  if (entry.commit.value === next.commit) return [];
  return [{ span: entry.commit.span, newText: next.commit }];
}
