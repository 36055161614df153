/**
 * Escaping of untrusted text (file names, workflow content, messages quoting it, error messages naming
 * paths) before the CLI writes it to a terminal or a CI log. Every output path that carries such text
 * goes through this module.
 *
 * - Characters that steer a terminal or reorder what it shows are written visibly instead: C0 controls
 *   other than tab (`\n`, `\r`, `\x1b`, ...), DEL and C1 controls (`\x7f`, `\x9b`), the bidirectional
 *   embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069, the line and paragraph
 *   separators U+2028 and U+2029 (`\u202e`, `\u2028`), and lone surrogates (`\ud800`).
 * - The GitHub Actions runner reads a line as a workflow command when, after leading whitespace, it
 *   starts with `::`, and anywhere it contains `##[` (the older syntax). The `[` of every `##[` is written
 *   `\x5b`; a line that starts with untrusted text is guarded with `escapeLineStart` / `pathAtLineStart`.
 *
 * Backslashes are not escaped, so a literal `\x1b` typed in a file looks like an escaped ESC: the aim is
 * that nothing reaches the terminal or the runner raw, not a reversible encoding. All scanning is done by
 * hand, one pass, no regular expressions.
 */

/** Whether a UTF-16 code unit (not a surrogate) is shown escaped. */
function isUnsafeUnit(code: number): boolean {
  if (code < 0x20) return code !== 0x09;
  if (code < 0x7f) return false;
  if (code <= 0x9f) return true;
  return (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) || code === 0x2028 || code === 0x2029;
}

function hex(code: number, digits: number): string {
  return code.toString(16).padStart(digits, '0');
}

/** The visible form of one unsafe code unit. */
function visible(code: number): string {
  if (code === 0x0a) return '\\n';
  if (code === 0x0d) return '\\r';
  return code < 0x100 ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
}

const OPEN_BRACKET = 0x5b;
const HASH = 0x23;

/**
 * What to write for the code unit at `i`: undefined to copy it, `pair` for the high half of a valid
 * surrogate pair (copied with its low half), else its escape.
 */
function replacementAt(text: string, i: number, json: boolean): string | 'pair' | undefined {
  const code = text.charCodeAt(i);
  if (code >= 0xd800 && code <= 0xdfff) {
    if (code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) return 'pair';
    }
    return `\\u${hex(code, 4)}`;
  }
  if (code === OPEN_BRACKET && i >= 2 && text.charCodeAt(i - 1) === HASH && text.charCodeAt(i - 2) === HASH)
    return json ? '\\u005b' : '\\x5b';
  if (!isUnsafeUnit(code)) return undefined;
  // JSON.stringify escapes C0 controls inside strings itself; a raw one there is a line break of the layout.
  if (json) return code < 0x20 ? undefined : `\\u${hex(code, 4)}`;
  return visible(code);
}

/** One pass over `text`; when `columns` is given, it receives the output index of every input index (and of the end). */
function escapeWith(text: string, json: boolean, columns?: number[]): string {
  let out = '';
  let copiedUpTo = 0;
  for (let i = 0; i < text.length; i++) {
    columns?.push(out.length + (i - copiedUpTo));
    const replacement = replacementAt(text, i, json);
    if (replacement === undefined) continue;
    if (replacement === 'pair') {
      i++;
      columns?.push(out.length + (i - copiedUpTo));
      continue;
    }
    out += text.slice(copiedUpTo, i) + replacement;
    copiedUpTo = i + 1;
  }
  if (copiedUpTo === 0) {
    columns?.push(text.length);
    return text;
  }
  out += text.slice(copiedUpTo);
  columns?.push(out.length);
  return out;
}

/** `text` with every unsafe character shown visibly (see the module comment). Tabs are kept. */
export function escapeText(text: string): string {
  return escapeWith(text, false);
}

/**
 * `escapeText` with a column map: `columns[i]` is where the input's UTF-16 index `i` (0..length) lands in
 * the output, so carets under a range stay under the same characters after escaping.
 */
export function escapeTextWithColumns(text: string): { text: string; columns: number[] } {
  const columns: number[] = [];
  return { text: escapeWith(text, false, columns), columns };
}

/** .NET's `char.IsWhiteSpace`, which the runner's `TrimStart` uses before looking for `::`. */
function isRunnerWhitespace(code: number): boolean {
  return (
    (code >= 0x09 && code <= 0x0d) ||
    code === 0x20 ||
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/** Where a line's `::` workflow-command prefix starts (after leading whitespace), or -1 when it has none. */
export function workflowCommandStart(line: string): number {
  let i = 0;
  while (i < line.length && isRunnerWhitespace(line.charCodeAt(i))) i++;
  return line.startsWith('::', i) ? i : -1;
}

/**
 * `escapeText` for text that starts an output line (possibly after whitespace, like a diff's context
 * line): a leading `::` becomes `\x3a:`, so the runner never reads the line as a workflow command.
 */
export function escapeLineStart(text: string): string {
  const escaped = escapeText(text);
  const at = workflowCommandStart(escaped);
  return at < 0 ? escaped : `${escaped.slice(0, at)}\\x3a${escaped.slice(at + 1)}`;
}

/** A relative path that starts an output line: escaped, and prefixed with `./` when it would read as a workflow command. */
export function pathAtLineStart(path: string): string {
  const escaped = escapeText(path);
  return workflowCommandStart(escaped) < 0 ? escaped : `./${escaped}`;
}

/**
 * Output of JSON.stringify made safe to print: the characters `escapeText` shows visibly that
 * JSON.stringify leaves raw (DEL, C1 controls, bidirectional controls, U+2028/U+2029) become `\uXXXX`
 * escapes, and so does the `[` of `##[`. Only string contents can hold these, so the parsed value is
 * unchanged. (JSON.stringify already escapes C0 controls and lone surrogates in strings; the raw line
 * breaks it writes are layout, and stay.)
 */
export function escapeJsonOutput(json: string): string {
  return escapeWith(json, true);
}
