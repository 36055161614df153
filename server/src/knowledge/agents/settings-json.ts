/**
 * Reading the JSON an agent step passes as `settings`: parsed when it is JSON (`${{ }}` expressions count as
 * values), and scanned for `"key": [...]` / `"key": "..."` when it is not, in time linear in its length.
 */
import { replaceExpressionFences } from '../../parse/strings';

/** A settings value as a JSON object; `${{ }}` expressions count as values. Null for a file path or broken JSON. */
export function jsonObject(text: string): Record<string, unknown> | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(replaceExpressionFences(trimmed, '0'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function objectAt(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

export function stringsAt(value: unknown): string[] | null {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string').map((item) => item.trim()) : null;
}

/**
 * Where the value of the first `"key"` followed by `:` and `opener` (after optional white space) starts, or -1:
 * a scan for `"key"\s*:\s*<opener>` that looks at each character a bounded number of times.
 */
function valueAfterKey(text: string, key: string, opener: string): number {
  const needle = `"${key}"`;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
    let i = at + needle.length;
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text[i] !== ':') continue;
    i++;
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text[i] === opener) return i + 1;
  }
  return -1;
}

/** `"key": [ "a", "b" ]` found anywhere in text that does not parse as JSON (the first such list). */
export function looseList(text: string, key: string): string[] | null {
  const start = valueAfterKey(text, key, '[');
  if (start === -1) return null;
  const close = text.indexOf(']', start);
  // A later `"key": [` has no `]` after it either.
  if (close === -1) return null;
  return quotedStrings(text.slice(start, close)).map((item) => item.trim());
}

const isLineBreak = (ch: string) => ch === '\n' || ch === '\r' || ch === '\u2028' || ch === '\u2029';

/**
 * The contents of the double-quoted strings in `text` (`\` escapes the next character, except a line
 * break), in one pass. A string that never closes ends the search at the point where it failed: every `"`
 * before that point was escaped, and reading from it would fail there again.
 */
export function quotedStrings(text: string): string[] {
  const found: string[] = [];
  let from = 0;
  for (;;) {
    const open = text.indexOf('"', from);
    if (open === -1) return found;
    let i = open + 1;
    while (i < text.length && text[i] !== '"') {
      if (text[i] !== '\\') i++;
      else if (i + 1 < text.length && !isLineBreak(text[i + 1])) i += 2;
      else break;
    }
    if (i < text.length && text[i] === '"') {
      found.push(text.slice(open + 1, i));
      from = i + 1;
    } else {
      from = Math.max(i, open + 1);
    }
  }
}

/** `"key": "value"` found anywhere in text that does not parse as JSON (the first such string). */
export function looseString(text: string, key: string): string | null {
  const start = valueAfterKey(text, key, '"');
  if (start === -1) return null;
  const close = text.indexOf('"', start);
  return close === -1 ? null : text.slice(start, close);
}
