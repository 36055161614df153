/**
 * Small, allocation-light accessors over `yaml` nodes that keep source spans. Aliases are followed
 * one hop at a time with a bound, never expanded, so alias bombs cost nothing here.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Span } from './text';

export type YamlNode = Node;
export type YamlDocument = Document.Parsed;

const MAX_ALIAS_HOPS = 32;

/** Follows aliases to the node they name (bounded), or returns the node itself. */
export function resolveAlias(node: unknown, doc: YamlDocument | null): Node | null {
  let current = node as Node | null | undefined;
  for (let hops = 0; current && isAlias(current); hops++) {
    if (!doc || hops >= MAX_ALIAS_HOPS) return null;
    try {
      current = current.resolve(doc) as Node | undefined;
    } catch {
      return null;
    }
  }
  return (current as Node | null | undefined) ?? null;
}

/** The source span of a node's value (without trailing comments), or null when the parser gave none. */
export function nodeSpan(node: Node | null | undefined): Span | null {
  const range = node?.range;
  return range ? { start: range[0], end: range[1] } : null;
}

/** One `key: value` pair of a mapping, with the spans of both sides. */
export interface Entry {
  key: string;
  keyNode: Node;
  keySpan: Span;
  /** The value with aliases followed; null when the key has no value node at all. */
  value: Node | null;
  /** Span of the value as written (the alias itself when it is one); zero-length after the colon when empty. */
  valueSpan: Span;
  pair: Pair;
}

/** Span covering the key and its value. */
export function entrySpan(entry: Entry): Span {
  return { start: entry.keySpan.start, end: Math.max(entry.keySpan.end, entry.valueSpan.end) };
}

export function isNullValue(node: Node | null): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

export function asMap(node: Node | null | undefined): YAMLMap | null {
  return node && isMap(node) ? (node as YAMLMap) : null;
}

export function asSeq(node: Node | null | undefined): YAMLSeq | null {
  return node && isSeq(node) ? (node as YAMLSeq) : null;
}

export function asScalar(node: Node | null | undefined): Scalar | null {
  return node && isScalar(node) ? (node as Scalar) : null;
}

/** A scalar's value as a string (numbers and booleans as written), or null for non-scalars and `null`. */
export function scalarText(node: Node | null | undefined): string | null {
  const scalar = asScalar(node);
  if (!scalar || scalar.value === null || scalar.value === undefined) return null;
  if (typeof scalar.value === 'string') return scalar.value;
  if (typeof scalar.source === 'string') return scalar.source;
  return String(scalar.value);
}

/** The entries of a mapping, in source order. Keys that are not scalars are given as their source text. */
export function mapEntries(map: YAMLMap | null, doc: YamlDocument | null): Entry[] {
  if (!map) return [];
  const entries: Entry[] = [];
  for (const pair of map.items as Pair<Node, Node>[]) {
    const keyNode = pair.key as Node | null;
    const keySpan = nodeSpan(keyNode);
    if (!keyNode || !keySpan) continue;
    const key = scalarText(resolveAlias(keyNode, doc)) ?? '';
    const rawValue = pair.value as Node | null;
    const value = resolveAlias(rawValue, doc);
    const valueSpan = nodeSpan(rawValue) ?? { start: keySpan.end + 1, end: keySpan.end + 1 };
    entries.push({ key, keyNode, keySpan, value, valueSpan, pair });
  }
  return entries;
}

/** Lookup by key in a mapping (first occurrence). */
export function getEntry(map: YAMLMap | null, key: string, doc: YamlDocument | null): Entry | undefined {
  if (!map) return undefined;
  for (const entry of mapEntries(map, doc)) if (entry.key === key) return entry;
  return undefined;
}

/** Items of a sequence with aliases followed. */
export function seqItems(seq: YAMLSeq | null, doc: YamlDocument | null): Node[] {
  if (!seq) return [];
  const items: Node[] = [];
  for (const item of seq.items) {
    const resolved = resolveAlias(item, doc);
    if (resolved) items.push(resolved);
  }
  return items;
}

/** A string value with the span of its token. */
export interface SpannedString {
  value: string;
  span: Span;
}

export function spannedString(node: Node | null | undefined): SpannedString | null {
  const value = scalarText(node);
  const span = nodeSpan(node);
  return value === null || !span ? null : { value, span };
}

/**
 * Where a scalar's text starts in the source: after the opening quote for quoted scalars. Returns null
 * when the source text differs from the value (escapes, folding), so callers fall back to the whole token.
 */
export function valueOffsetInSource(node: Node, sourceText: string): number | null {
  const scalar = asScalar(node);
  const span = nodeSpan(node);
  if (!scalar || !span || typeof scalar.value !== 'string') return null;
  const quoted = scalar.type === 'QUOTE_DOUBLE' || scalar.type === 'QUOTE_SINGLE';
  const start = quoted ? span.start + 1 : span.start;
  return sourceText.startsWith(scalar.value, start) ? start : null;
}

/**
 * Visits every scalar of a subtree (keys included), depth-first in source order. Aliases are not followed:
 * each scalar is visited once, where it is written. Depth is bounded.
 */
export function walkScalars(
  node: Node | null | undefined,
  visit: (scalar: Scalar, path: readonly (string | number)[]) => void,
  path: (string | number)[] = [],
  depth = 0,
): void {
  if (!node || depth > 256) return;
  if (isScalar(node)) {
    visit(node as Scalar, path);
  } else if (isMap(node)) {
    for (const pair of (node as YAMLMap).items as Pair<Node, Node>[]) {
      const key = pair.key as Node | null;
      if (key && isScalar(key)) visit(key as Scalar, path);
      const keyName = scalarText(key) ?? '?';
      path.push(keyName);
      walkScalars(pair.value as Node | null, visit, path, depth + 1);
      path.pop();
    }
  } else if (isSeq(node)) {
    (node as YAMLSeq).items.forEach((item, index) => {
      path.push(index);
      walkScalars(item as Node, visit, path, depth + 1);
      path.pop();
    });
  }
}
