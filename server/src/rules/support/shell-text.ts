/**
 * Linear scanners over the text of a shell script, for rules that follow values through it: the next piece of
 * text that can carry a value (`$V`, `${V}`, `$(`, `${{ }}`, `%V%`, ...) and the variables a script validates
 * against an anchored pattern. Hand-written rather than regular expressions: the alternations they replace
 * backtracked on long runs of `$` or `{`.
 */
const isWordChar = (ch: string | undefined) =>
  ch !== undefined && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch === '_');
const isNameStart = (ch: string | undefined) => ch !== undefined && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch === '_');
const isSpace = (ch: string | undefined) => ch !== undefined && /\s/.test(ch);

let lastValidatedScript: string | null = null;
let lastValidated = new Set<string>();

/**
 * The variables matched against an anchored pattern anywhere in the script, found in one pass from each
 * `=~` / `-match`: `$V`, `${V}` or `"$V"` before it (blanks between) and `^`, optionally quoted, after it.
 */
export function validatedNames(script: string): Set<string> {
  if (script === lastValidatedScript) return lastValidated;
  const names = new Set<string>();
  for (const operator of ['=~', '-match']) {
    for (let at = script.indexOf(operator); at !== -1; at = script.indexOf(operator, at + 1)) {
      let after = at + operator.length;
      while (isSpace(script[after])) after++;
      if (script[after] === "'" || script[after] === '"') after++;
      if (script[after] !== '^') continue;
      let end = at;
      while (end > 0 && isSpace(script[end - 1])) end--;
      if (script[end - 1] === '"') end--;
      if (script[end - 1] === '}') end--;
      let start = end;
      while (start > 0 && isWordChar(script[start - 1])) start--;
      if (start === end) continue;
      const dollar = script[start - 1] === '$' ? start - 1 : script[start - 1] === '{' && script[start - 2] === '$' ? start - 2 : -1;
      if (dollar !== -1) names.add(script.slice(start, end));
    }
  }
  lastValidatedScript = script;
  lastValidated = names;
  return names;
}

/** The name (`[A-Za-z_][A-Za-z0-9_]*`) starting at `start`, or null. */
function nameAt(text: string, start: number): string | null {
  if (!isNameStart(text[start])) return null;
  let end = start + 1;
  while (isWordChar(text[end])) end++;
  return text.slice(start, end);
}

export interface Piece {
  index: number;
  text: string;
  /** The variable it reads, if any. */
  name?: string;
}

/**
 * The next piece of text that can carry a value, at or after `from`: `${{ … }}`, `$env:V`, `${env:V}`, `$(`,
 * `$((`, a backquote, `${V…}`, `$V`, `$1`-style specials and `%V%`. A scanner rather than one alternation: the
 * alternation retried `${{` and `${V` without a closing brace from every position, scanning to the end each time.
 * `lastFence` and `lastBrace` are the last `}}` and `}` of the text.
 */
export function nextPiece(text: string, from: number, lastFence: number, lastBrace: number): Piece | null {
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === '`') return { index: i, text: ch };
    if (ch === '%') {
      const name = nameAt(text, i + 1);
      if (name && text[i + 1 + name.length] === '%') return { index: i, text: `%${name}%`, name };
      continue;
    }
    if (ch !== '$') continue;
    const next = text[i + 1];
    if (text.startsWith('${{', i)) {
      if (i + 3 <= lastFence) {
        const close = text.indexOf('}}', i + 3);
        return { index: i, text: text.slice(i, close + 2) };
      }
      continue;
    }
    if (text.startsWith('$env:', i)) {
      const name = nameAt(text, i + 5);
      if (name) return { index: i, text: `$env:${name}`, name };
    }
    if (text.startsWith('${env:', i)) {
      const name = nameAt(text, i + 6);
      if (name && text[i + 6 + name.length] === '}') return { index: i, text: `\${env:${name}}`, name };
    }
    if (next === '(') return { index: i, text: text[i + 2] === '(' ? '$((' : '$(' };
    if (next === '{') {
      const hash = text[i + 2] === '#' ? 1 : 0;
      const name = nameAt(text, i + 2 + hash);
      if (name) {
        const nameEnd = i + 2 + hash + name.length;
        if (nameEnd <= lastBrace) return { index: i, text: text.slice(i, text.indexOf('}', nameEnd) + 1), name };
      }
      continue;
    }
    const name = nameAt(text, i + 1);
    if (name) return { index: i, text: `$${name}`, name };
    if (next !== undefined && '0123456789@*#?!-'.includes(next)) return { index: i, text: `$${next}` };
  }
  return null;
}
