/**
 * Reads an `actions.lock` document into a Lockfile: the typed view with exact spans, and every refusal of
 * GitHub's parser as a problem at the offending token. Never throws; linear in the size of the document.
 */
import { isMap, isSeq, parseDocument, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import { LineIndex, type Span } from '../parse/text';
import { asScalar, mapEntries, nodeSpan, scalarText, type Entry, type YamlDocument } from '../parse/yaml-nodes';
import {
  LOCKFILE_VERSIONS,
  MAX_LOCKFILE_BYTES,
  type LockEntry,
  type Lockfile,
  type LockReference,
  type LockWorkflow,
  type PinKey,
  type Spanned,
} from './types';

const TOP_LEVEL_KEYS = ['version', 'workflows', 'dependencies'];
const ENTRY_KEYS: Record<string, readonly string[]> = {
  'v0.0.2': ['ref', 'commit', 'owner_id', 'repo_id', 'uses'],
  'v0.0.1': ['ref', 'tag', 'branch', 'commit', 'owner_id', 'repo_id', 'uses'],
};

/** The YAML options of a lock: duplicate keys are kept, so that the reader reports them as GitHub does. */
export const LOCKFILE_PARSE_OPTIONS = { keepSourceTokens: false, uniqueKeys: false, prettyErrors: false, strict: true } as const;

/** Parses and reads a lock's text (the lock of a workflow's analysis, read from beside it). */
export function parseLockText(text: string): Lockfile {
  try {
    const doc = parseDocument(text, LOCKFILE_PARSE_OPTIONS);
    if (doc.errors.length > 0) {
      const error = doc.errors[0];
      const start = Math.max(0, Math.min(error.pos[0], text.length));
      return {
        ...emptyLockfile(),
        problems: [{ span: { start, end: Math.max(start, Math.min(error.pos[1], text.length)) }, message: 'The lock is not valid YAML.' }],
      };
    }
    return readLockfile(doc, text);
  } catch {
    return { ...emptyLockfile(), problems: [{ span: { start: 0, end: 0 }, message: 'The lock could not be parsed.' }] };
  }
}

function emptyLockfile(): Lockfile {
  return { version: null, supported: false, workflows: [], entries: [], problems: [] };
}

const HEX = /^[0-9a-f]+$/;

function isHex(text: string, length: number): boolean {
  return text.length === length && HEX.test(text);
}

/** True for `sha1-<40 hex>` and `sha256-<64 hex>` (lower-case hex). */
export function isDigest(text: string): boolean {
  if (text.startsWith('sha1-')) return isHex(text.slice(5), 40);
  if (text.startsWith('sha256-')) return isHex(text.slice(7), 64);
  return false;
}

/** A full 40-hex commit SHA (the ref of a SHA key). */
export function isFullSha(text: string): boolean {
  return isHex(text, 40);
}

function isNameChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 45 || code === 46 || code === 95
  );
}

function isName(text: string): boolean {
  if (text === '' || text === '.' || text === '..') return false;
  for (let index = 0; index < text.length; index++) if (!isNameChar(text.charCodeAt(index))) return false;
  return true;
}

function hasControlOrSpace(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code <= 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** `owner/repo@ref` split, or null when the text is not a pin key (a sub-path, no ref, a bad name). */
export function parsePinKey(text: string): PinKey | null {
  const at = text.indexOf('@');
  if (at === -1) return null;
  const target = text.slice(0, at);
  const ref = text.slice(at + 1);
  const slash = target.indexOf('/');
  if (slash === -1 || target.indexOf('/', slash + 1) !== -1) return null;
  const owner = target.slice(0, slash);
  const repo = target.slice(slash + 1);
  if (!isName(owner) || !isName(repo) || ref === '' || hasControlOrSpace(ref) || ref.includes('@')) return null;
  return { owner, repo, ref };
}

/** The normalised pin key of an action at a ref: owner and repo lower-cased, the ref as written. */
export function pinKeyOf(owner: string, repo: string, ref: string): string {
  return `${owner.toLowerCase()}/${repo.toLowerCase()}@${ref}`;
}

/** A v0.0.1 key carries its digest after a colon (`owner/repo@v4:sha1-…`): the key without it, and the digest. */
function splitLegacyKey(key: string): { key: string; digest: string | null } {
  const colon = key.lastIndexOf(':');
  if (colon === -1) return { key, digest: null };
  const digest = key.slice(colon + 1);
  return isDigest(digest) ? { key: key.slice(0, colon), digest } : { key, digest: null };
}

function normalizeKey(key: string, legacy: boolean): { normalized: string; pin: PinKey | null; digest: string | null } {
  const split = legacy ? splitLegacyKey(key) : { key, digest: null };
  const pin = parsePinKey(split.key);
  return { normalized: pin ? pinKeyOf(pin.owner, pin.repo, pin.ref) : split.key, pin, digest: split.digest };
}

/** Why a workflow key is refused, or null when it is a clean repository-relative path. */
export function workflowPathProblem(path: string): string | null {
  if (path === '') return 'is empty';
  if (path.startsWith('/')) return 'is absolute';
  if (path.includes('\\')) return 'contains `\\`';
  if (path.includes(':')) return 'contains `:`';
  for (let index = 0; index < path.length; index++) {
    const code = path.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return 'contains a control character';
  }
  if (path.split('/').includes('..')) return 'contains a `..` segment';
  return null;
}

function entrySpanOf(entry: Entry): Span {
  return { start: entry.keySpan.start, end: Math.max(entry.keySpan.end, entry.valueSpan.end) };
}

/** Byte length of UTF-8 text, without allocating (stops counting past `limit`). */
function utf8LengthOver(text: string, limit: number): boolean {
  if (text.length > limit) return true;
  if (text.length * 3 <= limit) return false;
  let bytes = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4; // A surrogate pair: one code point of four bytes.
      index++;
    } else bytes += 3;
    if (bytes > limit) return true;
  }
  return false;
}

/** Reads a parsed lock document. `doc` null (not parsed) gives an empty, unsupported lock. */
export function readLockfile(doc: YamlDocument | null, text: string): Lockfile {
  const lock = emptyLockfile();
  const problem = (span: Span, message: string) => lock.problems.push({ span, message });
  const firstLine = (): Span => {
    const end = text.indexOf('\n');
    return { start: 0, end: end === -1 ? text.length : end > 0 && text[end - 1] === '\r' ? end - 1 : end };
  };
  if (utf8LengthOver(text, MAX_LOCKFILE_BYTES)) {
    problem(firstLine(), `The lock is larger than ${MAX_LOCKFILE_BYTES / 1024 / 1024} MiB, which GitHub's parser refuses.`);
    return lock;
  }
  if (!doc) return lock;
  const root = doc.contents as Node | null;
  if (!root || !isMap(root)) {
    problem(nodeSpan(root) ?? firstLine(), 'The lock must be a mapping with `version`, `workflows` and `dependencies`.');
    return lock;
  }
  const top = mapEntries(root as YAMLMap, doc);
  const seen = new Set<string>();
  let versionEntry: Entry | undefined;
  let workflowsEntry: Entry | undefined;
  let dependenciesEntry: Entry | undefined;
  for (const entry of top) {
    if (!TOP_LEVEL_KEYS.includes(entry.key)) {
      problem(entry.keySpan, `Unknown top-level key \`${entry.key}\`: a lock has only \`version\`, \`workflows\` and \`dependencies\`.`);
      continue;
    }
    if (seen.has(entry.key)) {
      problem(entry.keySpan, `Duplicate key \`${entry.key}\`.`);
      continue;
    }
    seen.add(entry.key);
    if (entry.key === 'version') versionEntry = entry;
    else if (entry.key === 'workflows') workflowsEntry = entry;
    else dependenciesEntry = entry;
  }
  const readable = LOCKFILE_VERSIONS.join(' and ');
  if (!versionEntry) {
    problem(firstLine(), `The lock has no \`version\` (we read ${readable}).`);
    return lock;
  }
  const versionText =
    asScalar(versionEntry.value) && typeof asScalar(versionEntry.value)?.value === 'string' ? scalarText(versionEntry.value) : null;
  const versionSpan = nodeSpan(versionEntry.value) ?? versionEntry.keySpan;
  if (versionText === null || versionText === '') {
    problem(versionSpan, `\`version\` must be a version string (we read ${readable}).`);
    return lock;
  }
  lock.version = { value: versionText, span: versionSpan };
  if (!(LOCKFILE_VERSIONS as readonly string[]).includes(versionText)) {
    problem(versionSpan, `Lock format \`${versionText}\` is not one we read (${readable}): nothing else in it was checked.`);
    return lock;
  }
  lock.supported = true;
  const legacy = versionText === 'v0.0.1';

  // Dependencies first: the workflows' lists refer to them.
  const byKey = new Map<string, LockEntry>();
  if (dependenciesEntry && !isEmptyValue(dependenciesEntry.value)) {
    const map = dependenciesEntry.value && isMap(dependenciesEntry.value) ? (dependenciesEntry.value as YAMLMap) : null;
    if (!map)
      problem(nodeSpan(dependenciesEntry.value) ?? dependenciesEntry.keySpan, '`dependencies` must be a mapping of pin keys to entries.');
    for (const item of mapEntries(map, doc)) {
      const entry = readEntry(item, legacy, doc, problem);
      const duplicate = byKey.get(entry.normalized);
      if (duplicate) {
        problem(entry.keySpan, `Duplicate dependency \`${entry.key}\` (also on line ${lineOf(text, duplicate.keySpan.start) + 1}).`);
        continue;
      }
      byKey.set(entry.normalized, entry);
      lock.entries.push(entry);
    }
  }
  for (const entry of lock.entries) {
    for (const reference of entry.uses) {
      if (!byKey.has(reference.normalized))
        problem(reference.span, `\`${reference.key}\` is used by \`${entry.key}\` but has no entry under \`dependencies\`.`);
    }
  }
  reportCycles(lock.entries, byKey, problem);

  if (workflowsEntry && !isEmptyValue(workflowsEntry.value)) {
    const map = workflowsEntry.value && isMap(workflowsEntry.value) ? (workflowsEntry.value as YAMLMap) : null;
    if (!map)
      problem(
        nodeSpan(workflowsEntry.value) ?? workflowsEntry.keySpan,
        '`workflows` must be a mapping of workflow paths to lists of pin keys.',
      );
    const paths = new Map<string, LockWorkflow>();
    for (const item of mapEntries(map, doc)) {
      const why = workflowPathProblem(item.key);
      if (why) problem(item.keySpan, `Workflow key \`${item.key}\` ${why}: it must be a path relative to the repository root.`);
      const pins = readReferences(item, legacy, doc, problem, 'workflow');
      const workflow: LockWorkflow = { path: item.key, keySpan: item.keySpan, span: entrySpanOf(item), listSpan: item.valueSpan, pins };
      const duplicate = paths.get(item.key);
      if (duplicate) {
        problem(item.keySpan, `Duplicate workflow \`${item.key}\` (also on line ${lineOf(text, duplicate.keySpan.start) + 1}).`);
        continue;
      }
      paths.set(item.key, workflow);
      lock.workflows.push(workflow);
      for (const pin of pins) {
        if (!byKey.has(pin.normalized))
          problem(pin.span, `\`${pin.key}\` is listed for \`${item.key}\` but has no entry under \`dependencies\`.`);
      }
    }
  }
  return lock;
}

function isEmptyValue(node: Node | null): boolean {
  return node === null || (asScalar(node) !== null && asScalar(node)?.value === null);
}

/** The line of an offset: one line index per text, built on first use, so many duplicates stay linear overall. */
let lineIndexOf: { text: string; index: LineIndex } | null = null;
function lineOf(text: string, offset: number): number {
  if (lineIndexOf?.text !== text) lineIndexOf = { text, index: new LineIndex(text) };
  return lineIndexOf.index.lineAt(offset);
}

type Report = (span: Span, message: string) => void;

function readEntry(item: Entry, legacy: boolean, doc: YamlDocument, problem: Report): LockEntry {
  const { normalized, pin, digest } = normalizeKey(item.key, legacy);
  const entry: LockEntry = {
    key: item.key,
    normalized,
    keySpan: item.keySpan,
    span: entrySpanOf(item),
    pin,
    ref: null,
    commit: null,
    ownerId: null,
    repoId: null,
    uses: [],
  };
  if (!pin) {
    const why =
      item.key.includes('@') && item.key.slice(0, item.key.indexOf('@')).split('/').length > 2 ? ' (sub-paths are not part of a key)' : '';
    problem(item.keySpan, `\`${item.key}\` is not a pin key \`owner/repo@ref\`${why}.`);
  }
  const map = item.value && isMap(item.value) ? (item.value as YAMLMap) : null;
  if (!map) {
    problem(
      nodeSpan(item.value) ?? item.keySpan,
      `The entry \`${item.key}\` must be a mapping with \`ref\`, \`commit\`, \`owner_id\` and \`repo_id\`.`,
    );
    return entry;
  }
  const allowed = ENTRY_KEYS[legacy ? 'v0.0.1' : 'v0.0.2'];
  const fields = new Map<string, Entry>();
  for (const field of mapEntries(map, doc)) {
    if (!allowed.includes(field.key)) {
      problem(
        field.keySpan,
        `Unknown key \`${field.key}\` in \`${item.key}\`: an entry has ${allowed.map((key) => `\`${key}\``).join(', ')}.`,
      );
      continue;
    }
    if (fields.has(field.key)) {
      problem(field.keySpan, `Duplicate key \`${field.key}\` in \`${item.key}\`.`);
      continue;
    }
    fields.set(field.key, field);
  }
  const stringField = (field: Entry | undefined): Spanned | null => {
    if (!field) return null;
    const scalar = asScalar(field.value);
    const span = nodeSpan(field.value) ?? field.keySpan;
    if (!scalar || typeof scalar.value !== 'string' || scalar.value === '') return { value: '', span };
    return { value: scalar.value, span };
  };
  // v0.0.1 named the ref `tag` or `branch`.
  const refField = fields.get('ref') ?? (legacy ? (fields.get('tag') ?? fields.get('branch')) : undefined);
  entry.ref = stringField(refField);
  if (!entry.ref || entry.ref.value === '') {
    problem(entry.ref?.span ?? item.keySpan, `\`${item.key}\` has ${entry.ref ? 'an empty' : 'no'} \`ref\`.`);
    entry.ref = null;
  } else if (pin && !isFullSha(pin.ref) && entry.ref.value !== pin.ref) {
    problem(entry.ref.span, `\`ref: ${entry.ref.value}\` disagrees with the key's ref \`${pin.ref}\`.`);
  }
  entry.commit = stringField(fields.get('commit'));
  if (!entry.commit && digest) entry.commit = { value: digest, span: item.keySpan };
  if (!entry.commit || entry.commit.value === '') {
    problem(entry.commit?.span ?? item.keySpan, `\`${item.key}\` has ${entry.commit ? 'an empty' : 'no'} \`commit\`.`);
    entry.commit = null;
  } else if (!isDigest(entry.commit.value)) {
    problem(entry.commit.span, `\`commit\` must be \`sha1-<40 hex>\` or \`sha256-<64 hex>\`, not \`${entry.commit.value}\`.`);
    entry.commit = null;
  } else if (pin && isFullSha(pin.ref) && entry.commit.value !== `sha1-${pin.ref}`) {
    problem(entry.commit.span, `The key names commit \`${pin.ref}\` but \`commit\` is \`${entry.commit.value}\`.`);
  }
  for (const [name, target] of [
    ['owner_id', 'ownerId'],
    ['repo_id', 'repoId'],
  ] as const) {
    const field = fields.get(name);
    if (!field) {
      problem(item.keySpan, `\`${item.key}\` has no \`${name}\`.`);
      continue;
    }
    const scalar = asScalar(field.value);
    const span = nodeSpan(field.value) ?? field.keySpan;
    const value = scalar?.value;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
      problem(span, `\`${name}\` must be a positive integer.`);
      continue;
    }
    entry[target] = { value, span };
  }
  const usesField = fields.get('uses');
  if (usesField) entry.uses = readReferences(usesField, legacy, doc, problem, 'entry');
  return entry;
}

/** The pin keys of a list (a workflow's value, an entry's `uses:`). */
function readReferences(item: Entry, legacy: boolean, _doc: YamlDocument, problem: Report, owner: 'workflow' | 'entry'): LockReference[] {
  if (isEmptyValue(item.value)) return [];
  const seq = item.value && isSeq(item.value) ? (item.value as YAMLSeq) : null;
  if (!seq) {
    problem(nodeSpan(item.value) ?? item.keySpan, `\`${item.key}\` must be a list of pin keys.`);
    return [];
  }
  const references: LockReference[] = [];
  for (const node of seq.items as Node[]) {
    const span = nodeSpan(node) ?? item.keySpan;
    const key = asScalar(node) && typeof asScalar(node)?.value === 'string' ? (scalarText(node) as string) : null;
    const parsed = key === null ? null : normalizeKey(key, legacy);
    if (key === null || !parsed?.pin) {
      problem(
        span,
        `${key === null ? 'This item' : `\`${key}\``} is not a pin key \`owner/repo@ref\`${owner === 'entry' ? ' (an entry uses other entries)' : ''}.`,
      );
      continue;
    }
    references.push({ key, normalized: parsed.normalized, span });
  }
  return references;
}

/** Reports each edge that closes a cycle of `uses:` (depth-first, iterative: a long chain cannot overflow the stack). */
function reportCycles(entries: readonly LockEntry[], byKey: ReadonlyMap<string, LockEntry>, problem: Report): void {
  const state = new Map<string, 1 | 2>(); // 1: on the current path, 2: done.
  for (const start of entries) {
    if (state.has(start.normalized)) continue;
    const stack: { entry: LockEntry; next: number }[] = [{ entry: start, next: 0 }];
    state.set(start.normalized, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.next >= top.entry.uses.length) {
        state.set(top.entry.normalized, 2);
        stack.pop();
        continue;
      }
      const reference = top.entry.uses[top.next++];
      const target = byKey.get(reference.normalized);
      if (!target) continue;
      const seen = state.get(target.normalized);
      if (seen === 1)
        problem(
          reference.span,
          `\`${top.entry.key}\` uses \`${reference.key}\`, which leads back to it: the dependency graph has a cycle.`,
        );
      else if (seen === undefined) {
        state.set(target.normalized, 1);
        stack.push({ entry: target, next: 0 });
      }
    }
  }
}

/** The entry a normalised key names. */
export function lockIndex(lock: Lockfile): Map<string, LockEntry> {
  const index = new Map<string, LockEntry>();
  for (const entry of lock.entries) if (!index.has(entry.normalized)) index.set(entry.normalized, entry);
  return index;
}
