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
 * character for itself? The classic greedy matcher with one backtracking point (the last `*`): at most
 * pattern × text steps, and about text steps for the patterns people write, never exponential.
 */
export function wildcardMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.length && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (star !== -1) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** Each maximal run of white space that contains a line break replaced by one space (the rest kept as is). */
export function joinLines(text: string): string {
  return text.replace(/\s+/g, (run) => (run.includes('\n') ? ' ' : run));
}
