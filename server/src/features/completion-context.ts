/**
 * Where the cursor is, for completion: in a `uses:` value, a `permissions:` value, a scope key or level
 * under `permissions:`, or an input key under a step's `with:`. Read from the lines around the cursor,
 * not from the parsed YAML: while a line is being typed the document is often not the YAML it will be
 * (`uses: actions/checko` parses, `permissions:` followed by a half-typed key parses as a scalar). Every
 * scan looks at a bounded number of lines, each once.
 */
import type { LineIndex } from '../parse/text';

export type Quote = '' | "'" | '"';

interface Typed {
  /** What was typed before the cursor (the part completion filters on). */
  prefix: string;
  /** The range an item replaces: the typed token, up to the end of the word after the cursor. */
  start: number;
  end: number;
}

export type CompletionSpot =
  | (Typed & {
      kind: 'uses';
      /** The opening quote of the value, if any. */
      quote: Quote;
      /** The value's closing quote is there (right after the token): the item replaces it too. */
      closed: boolean;
      /** Text other than a comment follows the token on the line: no comment is added. */
      blocked: boolean;
      /** A comment already follows: the item adds none. */
      commented: boolean;
    })
  | (Typed & { kind: 'permissions-value'; keyStart: number; keyIndent: string /** Just after the colon. */; afterColon: number })
  | (Typed & {
      kind: 'permission-key';
      /** Offset of the `permissions` key the block belongs to. */
      keyStart: number;
      indent: string;
      /** Scope keys already in the block (other lines). */
      present: Set<string>;
    })
  | (Typed & { kind: 'permission-level'; scope: string })
  | (Typed & {
      kind: 'with-key';
      /** The step's `uses:` value, when the step has one. */
      uses: string | null;
      present: Set<string>;
    });

/** How far up or down a scan goes: a block longer than this is not completed. */
const SCAN_LIMIT = 400;

const isSpace = (code: number) => code === 32 || code === 9;

function indentWidth(text: string): number {
  let i = 0;
  while (i < text.length && text.charCodeAt(i) === 32) i++;
  return i;
}

/** A line with content (not blank, not only a comment): its indentation and the text after it. */
interface ContentLine {
  line: number;
  indent: number;
  /** After the indentation; for a sequence item (`- key: v`) the key column and text after the dash. */
  keyColumn: number;
  keyText: string;
  dash: boolean;
}

function contentLine(lines: LineIndex, line: number): ContentLine | null {
  const text = lines.lineText(line);
  const indent = indentWidth(text);
  if (indent === text.length || text.charCodeAt(indent) === 35 /* # */) return null;
  let keyColumn = indent;
  let dash = false;
  if (text.charCodeAt(indent) === 45 /* - */ && (indent + 1 === text.length || isSpace(text.charCodeAt(indent + 1)))) {
    dash = true;
    keyColumn = indent + 1;
    while (keyColumn < text.length && isSpace(text.charCodeAt(keyColumn))) keyColumn++;
  }
  return { line, indent, keyColumn, keyText: text.slice(keyColumn), dash };
}

/** The key a line starts with (`name:` followed by a space, a comment or the end), or null. */
function keyOf(text: string): string | null {
  const quoted = text.charAt(0) === '"' || text.charAt(0) === "'";
  const close = quoted ? text.indexOf(text.charAt(0), 1) : -1;
  const colon = quoted ? (close === -1 ? -1 : close + 1) : text.indexOf(':');
  if (colon <= 0 || text.charAt(colon) !== ':') return null;
  const after = colon + 1;
  if (after < text.length && !isSpace(text.charCodeAt(after))) return null;
  return quoted ? text.slice(1, colon - 1) : text.slice(0, colon).trimEnd();
}

/** The nearest line above `line` whose keys sit left of `column`: the key the cursor's block belongs to. */
function parentOf(lines: LineIndex, line: number, column: number): ContentLine | null {
  for (let at = line - 1; at >= 0 && at >= line - SCAN_LIMIT; at--) {
    const content = contentLine(lines, at);
    if (!content) continue;
    if (content.keyColumn < column) return content;
  }
  return null;
}

/** Keys of the block's lines at exactly `column`, between `from` and the first line left of it (the cursor's line excluded). */
function siblingKeys(lines: LineIndex, from: number, column: number, skip: number): Map<string, ContentLine> {
  const keys = new Map<string, ContentLine>();
  for (let at = from; at < lines.lineCount && at <= from + SCAN_LIMIT; at++) {
    if (at === skip) continue;
    const content = contentLine(lines, at);
    if (!content) continue;
    if (content.indent < column && !(content.dash && content.keyColumn === column && at === from)) break;
    if (content.keyColumn !== column) continue;
    const key = keyOf(content.keyText);
    if (key !== null && !keys.has(key)) keys.set(key, content);
  }
  return keys;
}

const WORD_END = /[^\s'"#]*/y;

function wordEnd(text: string, from: number): number {
  WORD_END.lastIndex = from;
  WORD_END.exec(text);
  return WORD_END.lastIndex;
}

export function completionSpot(lines: LineIndex, offset: number): CompletionSpot | null {
  const text = lines.text;
  const line = lines.lineAt(offset);
  const lineStart = lines.lineStarts[line];
  const lineEnd = lines.lineContentEnd(line);
  if (offset > lineEnd) return null;
  const before = text.slice(lineStart, offset);
  const indent = indentWidth(before);
  let column = indent;
  if (before.charCodeAt(indent) === 45 && isSpace(before.charCodeAt(indent + 1))) {
    column = indent + 1;
    while (column < before.length && isSpace(before.charCodeAt(column))) column++;
  }
  const typedKey = before.slice(column);

  // `uses: <value>`
  if (typedKey.startsWith('uses:')) {
    let at = 5;
    if (!isSpace(typedKey.charCodeAt(at))) return null;
    while (at < typedKey.length && isSpace(typedKey.charCodeAt(at))) at++;
    let quote: Quote = '';
    if (typedKey.charAt(at) === "'" || typedKey.charAt(at) === '"') quote = typedKey.charAt(at++) as Quote;
    const prefix = typedKey.slice(at);
    if (/[\s'"#]/.test(prefix)) return null;
    const start = offset - prefix.length;
    let end = wordEnd(text, offset);
    if (end > lineEnd) end = lineEnd;
    const closed = quote !== '' && text.charAt(end) === quote;
    const rest = text.slice(closed ? end + 1 : end, lineEnd);
    const restTrimmed = rest.trimStart();
    const commented = restTrimmed.startsWith('#') && rest.length > restTrimmed.length;
    return {
      kind: 'uses',
      prefix,
      start,
      end: closed ? end + 1 : end,
      quote,
      closed,
      commented,
      blocked: restTrimmed !== '' && !commented,
    };
  }

  // `permissions: <value>`
  if (typedKey.startsWith('permissions:') && column === indent) {
    const value = typedKey.slice('permissions:'.length);
    const prefix = value.trimStart();
    if (value.length === prefix.length || !/^[a-z{}-]*$/.test(prefix)) return null;
    const end = Math.min(wordEnd(text, offset), lineEnd);
    return {
      kind: 'permissions-value',
      prefix,
      start: offset - prefix.length,
      end,
      keyStart: lineStart + column,
      keyIndent: before.slice(0, indent),
      afterColon: lineStart + column + 'permissions:'.length,
    };
  }

  const parent = parentOf(lines, line, column);
  if (!parent || column !== indent) return null;
  const parentKey = keyOf(parent.keyText);

  // `<scope>: <level>` under `permissions:`
  const level = /^([a-z-]+):[ \t]+([a-z]*)$/.exec(typedKey);
  if (level && parentKey === 'permissions') {
    const prefix = level[2];
    return {
      kind: 'permission-level',
      scope: level[1],
      prefix,
      start: offset - prefix.length,
      end: Math.min(wordEnd(text, offset), lineEnd),
    };
  }
  if (!/^[A-Za-z0-9_-]*$/.test(typedKey)) return null;
  const end = Math.min(wordEnd(text, offset), lineEnd);
  const start = offset - typedKey.length;
  // A key only: the rest of the word must be a key too (not `key: value`).
  if (text.charAt(end) === ':' || text.slice(end, lineEnd).trim() !== '') return null;

  if (parentKey === 'permissions' && blockValue(parent.keyText.slice('permissions:'.length))) {
    const present = new Set(siblingKeys(lines, parent.line + 1, column, line).keys());
    return {
      kind: 'permission-key',
      prefix: typedKey,
      start,
      end,
      keyStart: lines.lineStarts[parent.line] + parent.keyColumn,
      indent: before.slice(0, indent),
      present,
    };
  }
  if (parentKey === 'with') {
    const present = new Set(siblingKeys(lines, parent.line + 1, column, line).keys());
    // The step's keys sit at the column of `with:`; the step starts at the dash line at or above it.
    let first = parent.line;
    for (let at = parent.line; at >= 0 && at >= parent.line - SCAN_LIMIT; at--) {
      const content = contentLine(lines, at);
      if (!content) continue;
      if (content.keyColumn !== parent.keyColumn) {
        if (content.keyColumn < parent.keyColumn) break;
        continue;
      }
      first = at;
      if (content.dash) break;
    }
    const stepKeys = siblingKeys(lines, first, parent.keyColumn, -1);
    const usesLine = stepKeys.get('uses');
    let uses: string | null = null;
    if (usesLine) {
      uses = scalarOnLine(usesLine.keyText.slice(usesLine.keyText.indexOf(':') + 1));
    }
    return { kind: 'with-key', prefix: typedKey, start, end, uses, present };
  }
  return null;
}

/** The plain or quoted scalar a line holds after its key (a trailing comment dropped); null when empty. */
function scalarOnLine(raw: string): string | null {
  const text = raw.trim();
  const quote = text.charAt(0);
  if (quote === '"' || quote === "'") {
    const close = text.indexOf(quote, 1);
    return close > 1 ? text.slice(1, close) : null;
  }
  const comment = text.search(/\s#/);
  const value = (comment === -1 ? text : text.slice(0, comment)).trimEnd();
  return value === '' ? null : value;
}

/** What follows a key's colon is blank or only a comment: its value is the block below. */
function blockValue(rest: string): boolean {
  const hash = rest.indexOf('#');
  return (hash === -1 ? rest : rest.slice(0, hash)).trim() === '';
}
