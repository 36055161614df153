/**
 * Incremental re-parsing: after an edit that stays inside one entry of a second-level block mapping (a
 * job under `jobs:`, a trigger under `on:`), only that entry's lines are parsed again (followed by a
 * stand-in sibling line, so trailing comments attach as in a full parse); nodes before the entry are
 * shared with the previous document, nodes after it are copied with their offsets moved by the edit's
 * length change. On a 7,700-line workflow with forty jobs, typing in a job re-parses a couple of hundred
 * lines instead of the file.
 *
 * The result must be exactly what a full parse of the new text gives (the tests compare both, node by
 * node, over random edits of the corpus), so anything this module cannot vouch for makes it answer null
 * and the caller parses the whole text: a previous document with errors, warnings, anchors, aliases or
 * directives; an edit that crosses an entry's boundary, renames it onto a sibling's key, or leaves lines
 * that are not indented under it; an entry parsed on its own that is not exactly one block entry, or whose
 * errors are not those of a key being typed (see isLineLocal); an indentation indicator or nesting near
 * the limit in the entry; trailing lines after the last entry of a mapping (their attachment depends on
 * what follows).
 */
import {
  Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Pair,
  parseDocument,
  Scalar,
  YAMLMap,
  YAMLSeq,
  type Node,
  type YAMLError,
} from 'yaml';
import { measureNesting, MAX_NESTING } from './guards';
import { MAP_INDEX } from './views';
import type { YamlDocument } from './yaml-nodes';
import { AttachedCache } from './attached-cache';

/** The options every workflow, action and Dependabot document is parsed with (shared with ParsedFile). */
export const PARSE_OPTIONS = { keepSourceTokens: false, uniqueKeys: true, prettyErrors: false, strict: true } as const;

/** The changed span of an edit: `[start, oldEnd)` of the old text became `[start, newEnd)` of the new one. */
export interface TextChange {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/** The smallest single change turning `before` into `after` (common prefix and suffix removed). */
export function diffTexts(before: string, after: string): TextChange {
  const limit = Math.min(before.length, after.length);
  // Whole blocks first (a string comparison runs natively, about ten times faster than comparing
  // character by character here), then characters from the first block that differs.
  let start = 0;
  while (start + DIFF_BLOCK <= limit && before.substring(start, start + DIFF_BLOCK) === after.substring(start, start + DIFF_BLOCK))
    start += DIFF_BLOCK;
  while (start < limit && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  const maxSuffix = limit - start;
  let suffix = 0;
  while (
    suffix + DIFF_BLOCK <= maxSuffix &&
    before.substring(before.length - suffix - DIFF_BLOCK, before.length - suffix) ===
      after.substring(after.length - suffix - DIFF_BLOCK, after.length - suffix)
  )
    suffix += DIFF_BLOCK;
  while (suffix < maxSuffix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return { start, oldEnd: before.length - suffix, newEnd: after.length - suffix };
}

const DIFF_BLOCK = 512;

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Where the edit can be re-parsed on its own: the pair, its mapping, and its lines in the old text. */
interface Region {
  parent: YAMLMap;
  index: number;
  /** Start of the line of the pair's key. */
  start: number;
  /** Start of the line of the next pair's key. */
  end: number;
  /** Column of the keys of the mapping. */
  indent: number;
}

function keyStart(pair: Pair): number | null {
  const key = pair.key as Node | null;
  return key && isScalar(key) && key.range ? key.range[0] : null;
}

/**
 * The second-level block-mapping entry whose lines contain the whole change, or null. An entry's lines
 * run from its key's line to the next entry's key line; for the last entry, to the next top-level key's
 * line or the end of the text.
 */
function findRegion(doc: YamlDocument, text: string, change: TextChange): Region | null {
  const root = doc.contents as Node | null;
  if (!root || !isMap(root) || (root as YAMLMap).flow) return null;
  const tops = (root as YAMLMap).items as Pair[];
  for (let t = 0; t < tops.length; t++) {
    const value = tops[t].value as Node | null;
    const topKey = keyStart(tops[t]);
    if (topKey === null || topKey > change.start) return null;
    const nextTop = t + 1 < tops.length ? keyStart(tops[t + 1]) : text.length;
    if (nextTop === null) return null;
    if (change.start >= nextTop && !(nextTop === text.length && change.start === nextTop)) continue;
    if (!value || !isMap(value) || (value as YAMLMap).flow) return null;
    // A top-level key that does not start its line is not a block key this module can trust.
    if (nextTop !== text.length && lineStartOf(text, nextTop) !== nextTop) return null;
    const items = (value as YAMLMap).items as Pair[];
    for (let index = 0; index < items.length; index++) {
      const here = keyStart(items[index]);
      const next = index + 1 < items.length ? keyStart(items[index + 1]) : nextTop;
      if (here === null || next === null) return null;
      const start = lineStartOf(text, here);
      const end = next === text.length ? next : lineStartOf(text, next);
      // A change at the very start of the next entry's line (a line typed below this entry) belongs here.
      const inside = change.start >= start && change.start <= end;
      if (!inside) continue;
      if (change.oldEnd > end || end <= start) return null;
      const indent = here - start;
      // Block keys, alone at the start of their lines.
      if (!/^ *$/.test(text.slice(start, here))) return null;
      if (index + 1 < items.length && (next - end !== indent || !/^ *$/.test(text.slice(end, next)))) return null;
      return { parent: value as YAMLMap, index, start, end, indent };
    }
    return null;
  }
  return null;
}

/** Every line of the region but the first is blank, a comment, or indented deeper than its key. */
function staysIndented(region: string, indent: number): boolean {
  let at = region.indexOf('\n');
  while (at !== -1 && at + 1 < region.length) {
    const from = at + 1;
    let column = from;
    while (column < region.length && region.charCodeAt(column) === 32) column++;
    const c = region[column];
    const blank = column >= region.length || c === '\n' || c === '\r' || c === '#';
    if (!blank && column - from <= indent) return false;
    at = region.indexOf('\n', from);
  }
  return true;
}

/** False when a subtree holds an anchor or an alias (their targets may live outside the region). */
function plain(node: unknown): boolean {
  if (node === null || node === undefined) return true;
  if (isAlias(node)) return false;
  if (isPair(node)) return plain(node.key) && plain(node.value);
  const n = node as Node;
  if (n.anchor) return false;
  if (isMap(n) || isSeq(n)) for (const item of (n as YAMLMap | YAMLSeq).items) if (!plain(item)) return false;
  return true;
}

function shiftInPlace(node: unknown, delta: number): void {
  if (node === null || node === undefined) return;
  if (isPair(node)) {
    shiftInPlace(node.key, delta);
    shiftInPlace(node.value, delta);
    return;
  }
  const n = node as Node;
  if (n.range) n.range = [n.range[0] + delta, n.range[1] + delta, n.range[2] + delta];
  if (isMap(n) || isSeq(n)) for (const item of (n as YAMLMap | YAMLSeq).items) shiftInPlace(item, delta);
}

/**
 * The new tree from an old node: the pair `replace` is swapped for `replacement`, subtrees that end before
 * the edited entry are shared as they are, everything else is copied with `shift` applied to its offsets.
 * The old document itself is never mutated: the previous version stays valid for whoever still reads it,
 * and caches on nodes never see moved offsets. The document holds no anchor or alias (checked by the
 * caller). Throws Unsupported on a node of another kind or an offset `shift` cannot place.
 */
function copyShifted(node: unknown, shift: (offset: number) => number, before: number, replace: Pair, replacement: Pair): unknown {
  if (node === null || node === undefined) return node;
  if (node === replace) return replacement;
  if (isPair(node))
    return new Pair(
      copyShifted(node.key, shift, before, replace, replacement),
      copyShifted(node.value, shift, before, replace, replacement),
    );
  const n = node as Node;
  // A subtree that ends before the edited entry keeps every offset: shared, not copied (nodes carry no
  // parent or document, and caches keyed by nodes are checked against the document they were built for).
  if (n.range && n.range[2] <= before) return n;
  // Through the constructors: `yaml` tells node types apart by a non-enumerable symbol they define.
  let copy: Node;
  if (isScalar(n)) copy = Object.assign(new Scalar(n.value), n);
  else if (isMap(n) || isSeq(n)) {
    const collection = n as YAMLMap | YAMLSeq;
    copy = Object.assign(isMap(n) ? new YAMLMap(collection.schema) : new YAMLSeq(collection.schema), n);
    // The old node's view index (offsets of the old text) stays with the old node.
    if ((copy as { [MAP_INDEX]?: unknown })[MAP_INDEX] !== undefined) (copy as { [MAP_INDEX]?: unknown })[MAP_INDEX] = undefined;
    const items = collection.items as unknown[];
    const copied = new Array(items.length);
    for (let i = 0; i < items.length; i++) copied[i] = copyShifted(items[i], shift, before, replace, replacement);
    (copy as YAMLMap | YAMLSeq).items = copied as never;
  } else throw new Unsupported();
  if (n.range) {
    const [a, b, c] = n.range;
    copy.range = [shift(a), shift(b), shift(c)];
  }
  return copy;
}

class Unsupported extends Error {}

/** Whether a document holds no anchor and no alias (computed once per document). */
const PLAIN = new AttachedCache<YamlDocument, boolean>('plain-document');

/** The key of the stand-in sibling (an entry with this key is not re-parsed on its own). */
const SENTINEL = '__actions_warden_next_entry__';

/** An error of a key line still being typed, inside the entry's own text (not on the stand-in sibling). */
function isLineLocal(error: YAMLError, sourceLength: number): boolean {
  if (error.pos[1] > sourceLength) return false;
  switch (error.code) {
    case 'MISSING_CHAR':
      return (
        error.message.startsWith('Implicit map keys need to be followed by map values') ||
        error.message.startsWith('Sequence item without - indicator')
      );
    case 'MULTILINE_IMPLICIT_KEY':
    case 'BLOCK_AS_IMPLICIT_KEY':
      return true;
    case 'BAD_INDENT':
      return error.message.startsWith('All mapping items must start at the same column');
    default:
      return false;
  }
}

/** The same error, its position moved from the entry's own text into the document's. */
function withOffset(error: YAMLError, offset: number): YAMLError {
  const moved = Object.create(Object.getPrototypeOf(error), Object.getOwnPropertyDescriptors(error)) as YAMLError;
  moved.pos = [error.pos[0] + offset, error.pos[1] + offset];
  return moved;
}

/** How often the incremental path was taken, and why not (for the benchmark and the tests). */
export const incrementalStats = { reparsed: 0, fallbacks: {} as Record<string, number> };

function fail(reason: string): null {
  incrementalStats.fallbacks[reason] = (incrementalStats.fallbacks[reason] ?? 0) + 1;
  return null;
}

/**
 * The document of `text`, given the previous text's document and the change between them, parsing only
 * the entry the change is in; null when that cannot be done exactly (the caller then parses everything).
 */
export function reparseIncrementally(
  previousDoc: YamlDocument,
  previousText: string,
  text: string,
  change: TextChange = diffTexts(previousText, text),
): YamlDocument | null {
  if (previousDoc.errors.length > 0 || previousDoc.warnings.length > 0) return fail('base-has-errors');
  // Anchors and aliases may tie the edited entry to the rest: checked once per document (an incremental
  // result never has any, so only a fully parsed base is walked).
  let plainDoc = PLAIN.get(previousDoc);
  if (plainDoc === undefined) PLAIN.set(previousDoc, (plainDoc = plain(previousDoc.contents)));
  if (!plainDoc) return fail('anchor-or-alias');
  // Directives (`%YAML`, `%TAG`) and document markers change how a standalone part would read.
  if (previousDoc.directives?.docStart || previousText.startsWith('%')) return fail('directives');
  // Text typed at the start of a line is found after the line's common indentation: count it from the
  // line's start, so that a line inserted between two entries is seen whole.
  const lineStart = lineStartOf(previousText, change.start);
  if (/^ *$/.test(previousText.slice(lineStart, change.start))) {
    // Sliding a change left by one is the same change when the character it would take in at its start
    // equals the one it gives up at its end, in both texts.
    let { start, oldEnd, newEnd } = change;
    while (start > lineStart && previousText.charCodeAt(oldEnd - 1) === text.charCodeAt(newEnd - 1)) {
      start--;
      oldEnd--;
      newEnd--;
    }
    change = { start, oldEnd, newEnd };
  }
  const region = findRegion(previousDoc, previousText, change);
  if (!region) return fail('outside-entry');
  const delta = change.newEnd - change.oldEnd;
  const end = region.end + delta;
  const source = text.slice(region.start, end);
  if (!staysIndented(source, region.indent)) return fail('not-indented');
  // The rest of the document passed the nesting check before; this part is checked here (its lines sit one
  // level deeper in the document than on their own: a margin of two keeps the check conservative).
  if (measureNesting(source, MAX_NESTING - 2).offset !== -1) return fail('too-deep');
  // Block scalars with an explicit indentation indicator count from their parent's indentation: rare, not handled.
  if (/[|>][+-]?[1-9]/.test(source)) return fail('indentation-indicator');
  // An entry followed by a sibling is parsed followed by a stand-in sibling at the same indentation: the
  // comment lines that end the entry then attach where a full parse attaches them (to the entry's deepest
  // mapping), not to the end of a document.
  const last = region.index === region.parent.items.length - 1;
  const eol = source.endsWith('\r\n') ? '\r\n' : '\n';
  // The entry must still end with a line break before whatever follows it (its sibling, the next top-level key).
  if (end !== text.length && !source.endsWith('\n')) return fail('no-line-break-after-entry');
  const sentinel = last ? '' : `${' '.repeat(region.indent)}${SENTINEL}: 0${eol}`;
  let part: Document.Parsed;
  try {
    part = parseDocument(source + sentinel, PARSE_OPTIONS) as Document.Parsed;
  } catch {
    return fail('entry-parse-threw');
  }
  // The errors of a key being typed are taken as they are: a plain scalar where a key belongs, until its
  // colon ("Implicit map keys need to be followed by map values", or "... on a single line" when the next
  // line is a sibling key, "Sequence item without - indicator" in a list, and the indentation errors that
  // come with them). They are structural errors of the entry's own lines, which a full parse makes the same
  // way (test/unit/incremental.test.ts compares the two for every state of such typing, and for random
  // edits). Any other error (an open quote or bracket may run past the entry) sends the document to a full parse.
  if (part.errors.some((error) => !isLineLocal(error, source.length)) || part.warnings.length > 0 || part.directives?.docStart)
    return fail('entry-has-errors');
  const contents = part.contents as Node | null;
  const expected = last ? 1 : 2;
  if (!contents || !isMap(contents) || (contents as YAMLMap).flow || (contents as YAMLMap).items.length !== expected)
    return fail('not-one-block-entry');
  if (!last) {
    const stand = ((contents as YAMLMap).items[1] as Pair).key as Node | null;
    if (!stand || !isScalar(stand) || (stand as Scalar).value !== SENTINEL || stand.range?.[0] !== source.length + region.indent)
      return fail('not-one-block-entry');
  }
  const pair = (contents as YAMLMap).items[0] as Pair;
  const key = pair.key as Node | null;
  if (!key || !isScalar(key) || !key.range || key.range[0] !== region.indent || !plain(pair)) return fail('key-moved-or-anchor');
  // Renaming the entry onto a sibling's key is a duplicate-key error in the full parse.
  const name = (key as Scalar).value;
  if (name === '<<' || name === SENTINEL) return fail('merge-key');
  for (let i = 0; i < region.parent.items.length; i++) {
    const other = (region.parent.items[i] as Pair).key as Node | null;
    if (i !== region.index && other && isScalar(other) && (other as Scalar).value === name) return fail('duplicate-key');
  }
  const replaced = region.parent.items[region.index] as Pair;
  shiftInPlace(pair, region.start);
  if (last) {
    // The last entry ends its mapping (and maybe the document): the mapping's end offsets are the entry's.
    // Only when the entry's value runs to the end of the region, before and after, do they simply move
    // with the edit; trailing comment lines belong to whichever level their indentation says.
    const oldEnd = (replaced.value as Node | null)?.range?.[2];
    const newEnd = (pair.value as Node | null)?.range?.[2];
    const standalone = (contents as YAMLMap).range;
    if (oldEnd !== region.end || newEnd !== end || !standalone || standalone[1] !== standalone[2]) return fail('last-entry-trailing-lines');
  }
  // Offsets up to the entry's first line stay, offsets after it move by the edit's length change; an offset outside
  // the entry that points inside it (the mapping starts where its first key does) follows that key.
  const oldOffsets = [...((replaced.key as Node | null)?.range ?? []), ...((replaced.value as Node | null)?.range ?? [])];
  const newOffsets = [...((pair.key as Node | null)?.range ?? []), ...((pair.value as Node | null)?.range ?? [])];
  const shift = (offset: number): number => {
    // The entry before ends where this one's first line starts.
    if (offset <= region.start) return offset;
    if (offset >= region.end) return offset + delta;
    const at = oldOffsets.indexOf(offset);
    if (at === -1 || at >= newOffsets.length) throw new Unsupported();
    return newOffsets[at];
  };
  let copied: Node;
  try {
    copied = copyShifted(previousDoc.contents, shift, region.start, replaced, pair) as Node;
  } catch (error) {
    if (error instanceof Unsupported) return fail('offset-inside-entry');
    throw error;
  }
  const doc = Object.create(Object.getPrototypeOf(previousDoc), Object.getOwnPropertyDescriptors(previousDoc)) as YamlDocument;
  doc.contents = copied as never;
  doc.errors = part.errors.map((error) => withOffset(error, region.start));
  doc.warnings = [];
  try {
    if (previousDoc.range) doc.range = [shift(previousDoc.range[0]), shift(previousDoc.range[1]), shift(previousDoc.range[2])];
  } catch {
    return fail('offset-inside-entry');
  }
  incrementalStats.reparsed++;
  PLAIN.set(doc, true);
  return doc;
}
