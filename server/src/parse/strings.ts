/**
 * Small linear-time scanners for string operations on untrusted text (workflow values, scripts,
 * configuration), used where a regular expression would backtrack: an unanchored pattern ending in a
 * repetition and `$` (`/\/+$/`, `/@.*$/`) retries from every position and is quadratic on a long run
 * of the repeated character, and a regular expression built from a `*` pattern is exponential in its stars.
 */

const isLineTerminator = (ch: string) => ch === '\n' || ch === '\r' || ch === '\u2028' || ch === '\u2029';

/** `text` without its trailing run of characters in `chars` (what `text.replace(/[chars]+$/, '')` does). */
export function trimEndOf(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1])) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** `text` without its trailing white space and characters in `chars` (`text.replace(/[chars\s]+$/, '')`). */
export function trimEndOfSpaceAnd(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && (chars.includes(text[end - 1]) || /\s/.test(text[end - 1]))) end--;
  return end === text.length ? text : text.slice(0, end);
}

/**
 * `text` cut before the first character in `chars` that has no line break after it: what
 * `text.replace(/[chars].*$/, '')` does (`.` stops at line breaks and `$` is the end of the text).
 */
export function cutFromFirst(text: string, chars: string): string {
  let lastLine = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    if (isLineTerminator(text[i])) {
      lastLine = i + 1;
      break;
    }
  }
  for (let i = lastLine; i < text.length; i++) if (chars.includes(text[i])) return text.slice(0, i);
  return text;
}

/** Each `${{ … }}` (up to the first `}}`) replaced by `replacement`: `text.replace(/\$\{\{[\s\S]*?\}\}/g, replacement)`. */
export function replaceExpressionFences(text: string, replacement: string): string {
  let out = '';
  let from = 0;
  for (;;) {
    const open = text.indexOf('${{', from);
    if (open === -1) break;
    const close = text.indexOf('}}', open + 3);
    // No `}}` after this `${{` means none after any later one either.
    if (close === -1) break;
    out += text.slice(from, open) + replacement;
    from = close + 2;
  }
  return from === 0 ? text : out + text.slice(from);
}

/**
 * Does `text` match `pattern`, where `*` stands for any run of characters (possibly empty) and every other
 * character for itself? Linear in pattern + text, whatever either holds: the pattern is cut at its stars,
 * the first piece must start the text and the last end it, and each middle piece is taken at its leftmost
 * place after the previous one (leftmost is always right for `*`-only patterns), found with
 * Knuth–Morris–Pratt so that no character of the text is looked at twice per piece.
 */
export function wildcardMatch(pattern: string, text: string): boolean {
  const pieces = pattern.split('*');
  if (pieces.length === 1) return pattern === text;
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  if (first.length + last.length > text.length || !text.startsWith(first) || !text.endsWith(last)) return false;
  let from = first.length;
  const until = text.length - last.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const piece = pieces[i];
    if (piece === '') continue;
    const found = findFrom(text, piece, from, until);
    if (found === -1) return false;
    from = found + piece.length;
  }
  return true;
}

/** The first index ≥ `from` where `needle` occurs entirely before `until`, or -1 (Knuth–Morris–Pratt: linear). */
function findFrom(text: string, needle: string, from: number, until: number): number {
  const failure = new Int32Array(needle.length);
  for (let i = 1, k = 0; i < needle.length; i++) {
    while (k > 0 && needle[i] !== needle[k]) k = failure[k - 1];
    if (needle[i] === needle[k]) k++;
    failure[i] = k;
  }
  for (let i = from, k = 0; i < until; i++) {
    while (k > 0 && text[i] !== needle[k]) k = failure[k - 1];
    if (text[i] === needle[k]) k++;
    if (k === needle.length) return i - k + 1;
  }
  return -1;
}

/** Each maximal run of white space that contains a line break replaced by one space (the rest kept as is). */
export function joinLines(text: string): string {
  return text.replace(/\s+/g, (run) => (run.includes('\n') ? ' ' : run));
}
