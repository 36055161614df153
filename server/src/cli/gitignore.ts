/**
 * `.gitignore` support for the CLI's collection (`--collect default`): the `.gitignore` files of the
 * scanned folder and of every folder below it, with git's rules:
 *
 * - blank lines and lines starting with `#` are skipped; trailing spaces are dropped unless escaped
 *   (`\ `); `\#` and `\!` start a pattern with a literal `#` or `!`; a final CR is dropped;
 * - `!pattern` re-includes what an earlier pattern excluded; the last matching pattern decides, and the
 *   patterns of a deeper `.gitignore` come after those of the folders above it;
 * - `pattern/` matches folders only; a pattern with a `/` at its start or in its middle is anchored to
 *   its `.gitignore`'s folder, one without matches a name at any depth;
 * - `*` and `?` never match `/`, `[...]` is a set (`[!...]` / `[^...]` negated, ranges, `[:alpha:]`-style
 *   classes), `\x` is a literal `x`; `**` as a whole path segment matches any number of folders
 *   (`**\/x`, `a/**\/b`), and a trailing `/**` everything inside a folder;
 * - nothing inside an ignored folder is looked at (git cannot re-include a file whose folder is
 *   excluded either).
 *
 * The patterns come from the scanned (untrusted) repository, so no regular expression is built from
 * them: a pattern is split into path segments, each segment into tokens, and both levels are matched
 * with the classic wildcard algorithm that only ever returns to the last star, which takes at most
 * (pattern length × name length) steps, never exponential time. `.gitignore` files are read only inside
 * the scanned folder (a link that leads out is not followed) and only their first MAX_GITIGNORE_BYTES.
 *
 * Differences from git, all rare: names are compared as UTF-16 code units (git compares bytes, so for
 * git `?` does not match a non-ASCII character), `.git/info/exclude`, `core.excludesFile` and the
 * `.gitignore` files of folders above the scanned one are not read, and a `[...]` set holding a `/`
 * is not supported.
 */
import { closeSync, readSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { openWithin } from '../files/confined';

/** Only this much of a `.gitignore` file is read. */
export const MAX_GITIGNORE_BYTES = 256 * 1024;

type Token =
  | { kind: 'literal'; code: number }
  | { kind: 'any' }
  | { kind: 'star' }
  | { kind: 'set'; negated: boolean; test: (code: number) => boolean }
  /** A pattern that can never match (an unterminated `[`, a trailing `\`). */
  | { kind: 'never' };

/** One path segment of a pattern: `**` (any number of segments), any one segment, or a glob. */
type Segment = { kind: 'globstar' } | { kind: 'one' } | { kind: 'glob'; tokens: Token[] };

export interface GitignorePattern {
  /** The line as written (after trimming), for messages and tests. */
  source: string;
  negated: boolean;
  directoryOnly: boolean;
  /** Matched against the name only (the pattern has no `/` apart from a trailing one). */
  basename: boolean;
  segments: Segment[];
}

const SLASH = 0x2f;
const BACKSLASH = 0x5c;

/** The patterns of one `.gitignore` file's text. */
export function parseGitignore(text: string): GitignorePattern[] {
  const patterns: GitignorePattern[] = [];
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    let line = text.slice(start, end);
    start = end + 1;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line === '' || line.startsWith('#')) continue;
    line = trimTrailingSpaces(line);
    const pattern = parsePattern(line);
    if (pattern) patterns.push(pattern);
    if (end === text.length) break;
  }
  return patterns;
}

/** Drops trailing spaces that are not escaped with a backslash (as git does). */
function trimTrailingSpaces(line: string): string {
  let lastSpace = -1;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (char === ' ') {
      if (lastSpace === -1) lastSpace = i;
      continue;
    }
    if (char === '\\') {
      i++;
      if (i >= line.length) return line;
    }
    lastSpace = -1;
  }
  return lastSpace === -1 ? line : line.slice(0, lastSpace);
}

function parsePattern(line: string): GitignorePattern | null {
  let body = line;
  const negated = body.startsWith('!');
  if (negated) body = body.slice(1);
  const directoryOnly = body.endsWith('/');
  if (directoryOnly) body = body.slice(0, -1);
  if (body === '') return null;
  const basename = !body.includes('/');
  if (body.startsWith('/')) body = body.slice(1);
  const parts = basename ? [body] : body.split('/');
  const segments: Segment[] = parts.map((part) =>
    part === '**' && !basename ? { kind: 'globstar' } : { kind: 'glob', tokens: tokenize(part) },
  );
  // A trailing `/**` matches everything inside the folder, not the folder itself: at least one segment.
  if (segments.length > 1 && segments[segments.length - 1].kind === 'globstar') segments.splice(segments.length - 1, 0, { kind: 'one' });
  return { source: line, negated, directoryOnly, basename, segments };
}

/** The tokens of one segment's glob (`**` inside a segment is a plain `*`). */
function tokenize(glob: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < glob.length; i++) {
    const code = glob.charCodeAt(i);
    if (code === 0x2a /* * */) {
      if (tokens.length === 0 || tokens[tokens.length - 1].kind !== 'star') tokens.push({ kind: 'star' });
    } else if (code === 0x3f /* ? */) {
      tokens.push({ kind: 'any' });
    } else if (code === BACKSLASH) {
      if (i + 1 >= glob.length) return [{ kind: 'never' }];
      tokens.push({ kind: 'literal', code: glob.charCodeAt(++i) });
    } else if (code === 0x5b /* [ */) {
      const set = parseSet(glob, i);
      if (!set) return [{ kind: 'never' }];
      tokens.push(set.token);
      i = set.end;
    } else {
      tokens.push({ kind: 'literal', code });
    }
  }
  return tokens;
}

const CLASSES: Record<string, (code: number) => boolean> = {
  alnum: (c) => isDigit(c) || isAlpha(c),
  alpha: (c) => isAlpha(c),
  blank: (c) => c === 0x20 || c === 0x09,
  cntrl: (c) => c < 0x20 || c === 0x7f,
  digit: (c) => isDigit(c),
  graph: (c) => c > 0x20 && c < 0x7f,
  lower: (c) => c >= 0x61 && c <= 0x7a,
  print: (c) => c >= 0x20 && c < 0x7f,
  punct: (c) => c > 0x20 && c < 0x7f && !isDigit(c) && !isAlpha(c),
  space: (c) => c === 0x20 || (c >= 0x09 && c <= 0x0d),
  upper: (c) => c >= 0x41 && c <= 0x5a,
  xdigit: (c) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66),
};

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
function isAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** A `[...]` set starting at `open`; null when it is not closed (git then matches nothing). */
function parseSet(glob: string, open: number): { token: Token; end: number } | null {
  let i = open + 1;
  let negated = false;
  if (glob[i] === '!' || glob[i] === '^') {
    negated = true;
    i++;
  }
  const singles = new Set<number>();
  const ranges: [number, number][] = [];
  const classes: ((code: number) => boolean)[] = [];
  let first = true;
  for (; i < glob.length; i++) {
    let code = glob.charCodeAt(i);
    if (code === 0x5d /* ] */ && !first) {
      const test = (c: number) =>
        singles.has(c) || ranges.some(([low, high]) => c >= low && c <= high) || classes.some((member) => member(c));
      return { token: { kind: 'set', negated, test }, end: i };
    }
    first = false;
    if (code === 0x5b && glob[i + 1] === ':') {
      const close = glob.indexOf(':]', i + 2);
      if (close === -1) return null;
      const member = CLASSES[glob.slice(i + 2, close)];
      if (!member) return null;
      classes.push(member);
      i = close + 1;
      continue;
    }
    if (code === BACKSLASH) {
      if (i + 1 >= glob.length) return null;
      code = glob.charCodeAt(++i);
    }
    if (glob[i + 1] === '-' && i + 2 < glob.length && glob[i + 2] !== ']') {
      let high = glob.charCodeAt(i + 2);
      i += 2;
      if (high === BACKSLASH) {
        if (i + 1 >= glob.length) return null;
        high = glob.charCodeAt(++i);
      }
      ranges.push([code, high]);
      continue;
    }
    singles.add(code);
  }
  return null;
}

function tokenMatches(token: Token, code: number): boolean {
  switch (token.kind) {
    case 'literal':
      return token.code === code;
    case 'any':
      return code !== SLASH;
    case 'set':
      return code !== SLASH && token.test(code) !== token.negated;
    default:
      return false;
  }
}

/**
 * Wildcard matching with one kind of star: on a mismatch, only the last star takes one more unit. Each
 * non-star item matches exactly one unit, so this finds a match when there is one, in at most
 * items × units steps.
 */
function matchSequence<T, U>(
  items: readonly T[],
  isStar: (item: T) => boolean,
  units: readonly U[] | number,
  unitAt: (index: number) => U,
  matches: (item: T, unit: U) => boolean,
): boolean {
  const length = typeof units === 'number' ? units : units.length;
  let item = 0;
  let unit = 0;
  let starItem = -1;
  let starUnit = 0;
  while (unit < length) {
    if (item < items.length && isStar(items[item])) {
      starItem = item++;
      starUnit = unit;
    } else if (item < items.length && matches(items[item], unitAt(unit))) {
      item++;
      unit++;
    } else if (starItem >= 0) {
      item = starItem + 1;
      unit = ++starUnit;
    } else {
      return false;
    }
  }
  while (item < items.length && isStar(items[item])) item++;
  return item === items.length;
}

function globMatches(tokens: readonly Token[], name: string): boolean {
  return matchSequence(
    tokens,
    (token) => token.kind === 'star',
    name.length,
    (index) => name.charCodeAt(index),
    tokenMatches,
  );
}

function segmentMatches(segment: Segment, name: string): boolean {
  return segment.kind === 'one' || (segment.kind === 'glob' && globMatches(segment.tokens, name));
}

/** Whether `pattern` matches `path` (relative to the pattern's `.gitignore` folder, `/` separators). */
export function patternMatches(pattern: GitignorePattern, path: string, isDirectory: boolean): boolean {
  if (pattern.directoryOnly && !isDirectory) return false;
  if (pattern.basename) {
    const slash = path.lastIndexOf('/');
    const segment = pattern.segments[0];
    return segment.kind === 'glob' && globMatches(segment.tokens, slash === -1 ? path : path.slice(slash + 1));
  }
  const names = path.split('/');
  return matchSequence(
    pattern.segments,
    (segment) => segment.kind === 'globstar',
    names,
    (index) => names[index],
    segmentMatches,
  );
}

/** The patterns of one `.gitignore`, with the folder they apply to ('' for the root, else `a/b`). */
export interface GitignoreFile {
  folder: string;
  patterns: GitignorePattern[];
}

/**
 * Decides, for a path relative to the root, from the given files (root first, deeper ones later):
 * true (ignored), false (re-included by a `!` pattern) or undefined (no pattern matches). Parent
 * folders are not looked at: see isIgnoredPath.
 */
export function lastMatch(files: readonly GitignoreFile[], path: string, isDirectory: boolean): boolean | undefined {
  let decision: boolean | undefined;
  for (const file of files) {
    if (file.folder !== '' && !path.startsWith(`${file.folder}/`)) continue;
    const inner = file.folder === '' ? path : path.slice(file.folder.length + 1);
    for (const pattern of file.patterns) if (patternMatches(pattern, inner, isDirectory)) decision = !pattern.negated;
  }
  return decision;
}

/** Whether git ignores `path` (relative, `/` separators): it or one of its folders is excluded. */
export function isIgnoredPath(files: readonly GitignoreFile[], path: string, isDirectory: boolean): boolean {
  const names = path.split('/');
  for (let depth = 1; depth < names.length; depth++) {
    if (lastMatch(files, names.slice(0, depth).join('/'), true)) return true;
  }
  return lastMatch(files, path, isDirectory) === true;
}

/**
 * The `.gitignore` files under a scanned folder, read when first needed. `ignores(path, isDirectory)`
 * answers for a path inside the folder whose parent folders were not ignored (the walk does not enter
 * an ignored folder).
 */
export class GitignoreCollector {
  private readonly byFolder = new Map<string, GitignoreFile | null>();

  /**
   * @param root the scanned folder as given (paths passed in are under it)
   * @param realRoot its real path: a `.gitignore` is read only when its real path is inside it
   */
  constructor(
    private readonly root: string,
    private readonly realRoot: string,
  ) {}

  ignores(path: string, isDirectory: boolean): boolean {
    const rel = relative(this.root, path);
    if (rel === '' || rel.startsWith('..')) return false;
    const parts = sep === '/' ? rel.split('/') : rel.split(sep);
    const files: GitignoreFile[] = [];
    for (let depth = 0; depth < parts.length; depth++) {
      const file = this.fileOf(parts.slice(0, depth).join('/'));
      if (file) files.push(file);
    }
    return lastMatch(files, parts.join('/'), isDirectory) === true;
  }

  private fileOf(folder: string): GitignoreFile | null {
    let file = this.byFolder.get(folder);
    if (file === undefined) {
      const text = readSmallFile(this.realRoot, join(this.root, ...folder.split('/').filter(Boolean), '.gitignore'));
      const patterns = text === null ? [] : parseGitignore(text);
      file = patterns.length === 0 ? null : { folder, patterns };
      this.byFolder.set(folder, file);
    }
    return file;
  }
}

/** The start of a file inside `root`, or null when it is absent, unreadable or leads out of `root`. */
function readSmallFile(root: string, path: string): string | null {
  let opened: ReturnType<typeof openWithin>;
  try {
    opened = openWithin(root, path);
  } catch {
    return null;
  }
  try {
    const buffer = Buffer.alloc(Math.min(MAX_GITIGNORE_BYTES, opened.stats.size));
    let read = 0;
    while (read < buffer.length) {
      const count = readSync(opened.fd, buffer, read, buffer.length - read, read);
      if (count === 0) break;
      read += count;
    }
    return buffer.subarray(0, read).toString('utf8');
  } catch {
    return null;
  } finally {
    closeSync(opened.fd);
  }
}
