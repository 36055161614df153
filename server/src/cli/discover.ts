/**
 * Which files the CLI analyses. A folder is walked recursively for workflows, action metadata and
 * Dependabot files with the shared walker (files/walk.ts): `node_modules` and `.git` are skipped, every
 * folder is walked once, and a symbolic link is followed only when it stays inside the folder given
 * (links that lead out are reported as skipped). A file named explicitly is analysed as its name's kind
 * (`dependabot.yml` is a Dependabot file wherever it is), or, when its name says nothing, as the kind its
 * top-level keys say (kindOfContent); it is refused when it is a link to outside its scanned root (see
 * explicitFileRoot). `-` is standard input, read as a workflow. With `collect: 'default'`,
 * what the `.gitignore` files inside a walked folder name is left out (./gitignore); a file named
 * explicitly is analysed all the same.
 */
import { realpathSync, statSync, type Stats } from 'node:fs';
import { basename, relative, resolve, isAbsolute, sep } from 'node:path';
import { isMap, isScalar, parseDocument } from 'yaml';
import { isInside, OUTSIDE_ROOT, realPathOrNull } from '../files/confined';
import { SKIPPED_DIRECTORIES, walkFolder } from '../files/walk';
import { classifyPath, type FileKind } from '../parse/document';
import type { CollectMode } from './args';
import { GitignoreCollector } from './gitignore';
import type { VirtualFile } from './remote';

export const STDIN_PATH = '-';
export const STDIN_DISPLAY = '<stdin>';

export interface Target {
  /** Absolute path, or `-` for standard input. */
  path: string;
  /** The path shown in output: relative to the working directory when inside it, `<stdin>` for `-`. */
  displayPath: string;
  kind: Exclude<FileKind, 'unknown'>;
  /** Named on the command line rather than found in a folder. */
  explicit: boolean;
  /**
   * A file named explicitly whose name says nothing about its kind: `kind` is `workflow` until its text
   * is read, then what kindOfContent says (a file that is none of the three gets a `syntax-error`).
   */
  kindFromContent?: boolean;
  /**
   * Real path of the scanned root the file belongs to ('' for standard input): the folder given, or for
   * a file named explicitly its explicitFileRoot. The file is read and fixed only inside it.
   */
  root: string;
  /** The scanned root as given (absolute, links not resolved; '' for standard input). */
  rootPath: string;
  /**
   * A file read from a repository that is not on disk (./remote): its text is here, `path` and
   * `displayPath` are `owner/repo@abc1234:<repository path>`, and `root` and `rootPath` are ''.
   */
  virtual?: VirtualFile;
}

export interface Discovery {
  targets: Target[];
  /** I/O problems (missing paths, unreadable folders, links out of an explicit file's root), each a message for stderr. */
  errors: string[];
  /** Files and folders found in a walk but not followed (links out of the scanned folder), each a message for stderr. */
  skipped: string[];
  /** How many files and folders a `.gitignore` left out (`collect: 'default'`). */
  ignored: number;
}

/** The path to show for `absolute`: relative to `cwd` with `/` separators when inside it, else as is. */
export function displayPath(absolute: string, cwd: string): string {
  if (absolute === STDIN_PATH) return STDIN_DISPLAY;
  const rel = relative(cwd, absolute);
  if (rel === '') return '.';
  if (rel.startsWith('..') || isAbsolute(rel)) return absolute;
  return sep === '/' ? rel : rel.split(sep).join('/');
}

/**
 * The kind of file a folder scan collects at `relativePath` (relative to the scanned folder, `/`
 * separators), or null: the walker's skipped folders (node_modules, .git) and classifyPath, as in
 * `discover`. Used where the files come from a listing instead of a walk (a repository's git tree).
 */
export function collectedKind(relativePath: string): Target['kind'] | null {
  const parts = relativePath.split('/');
  for (let index = 0; index < parts.length - 1; index++) if (SKIPPED_DIRECTORIES.has(parts[index])) return null;
  const kind = classifyPath(relativePath);
  return kind === 'unknown' ? null : kind;
}

export interface DiscoverOptions {
  /** `default` leaves out what the `.gitignore` files inside a searched folder name; `all` does not. */
  collect?: CollectMode;
}

export function discover(paths: readonly string[], cwd: string, options: DiscoverOptions = {}): Discovery {
  const errors: string[] = [];
  const skipped: string[] = [];
  const found = new Map<string, Target>();
  const add = (path: string, kind: Target['kind'], explicit: boolean, root: string, rootPath: string, kindFromContent = false) => {
    const existing = found.get(path);
    // A file named explicitly wins over the same file found in a folder (its kind may differ).
    if (existing && (existing.explicit || !explicit)) return;
    const target: Target = { path, displayPath: displayPath(path, cwd), kind, explicit, root, rootPath };
    if (kindFromContent) target.kindFromContent = true;
    found.set(path, target);
  };
  const visited = new Set<string>();
  let ignored = 0;

  for (const given of paths.length === 0 ? ['.'] : paths) {
    if (given === STDIN_PATH) {
      add(STDIN_PATH, 'workflow', true, '', '');
      continue;
    }
    const absolute = resolve(cwd, given);
    let stats: Stats;
    try {
      stats = statSync(absolute);
    } catch (error) {
      errors.push(`${given}: ${describeError(error)}`);
      continue;
    }
    if (stats.isDirectory()) {
      let ignore: ((path: string, isDirectory: boolean) => boolean) | undefined;
      const realRoot = realPathOrNull(absolute);
      if ((options.collect ?? 'default') === 'default' && realRoot !== null) {
        const gitignore = new GitignoreCollector(absolute, realRoot);
        ignore = (path, isDirectory) => {
          const ignores = gitignore.ignores(path, isDirectory);
          if (ignores) ignored++;
          return ignores;
        };
      }
      const walked = walkFolder(absolute, { accept: (file) => classifyPath(file) !== 'unknown', visited, ignore });
      for (const { path, error } of walked.errors) errors.push(`${displayPath(path, cwd)}: ${describeError(error)}`);
      for (const path of walked.skipped) skipped.push(`${displayPath(path, cwd)}: ${OUTSIDE_ROOT}`);
      for (const file of walked.files) add(file, classifyPath(file) as Target['kind'], false, walked.realRoot, absolute);
    } else if (stats.isFile()) {
      const rootPath = explicitFileRoot(absolute);
      let root: string;
      let real: string;
      try {
        root = realpathSync(rootPath);
        real = realpathSync(absolute);
      } catch (error) {
        errors.push(`${given}: ${describeError(error)}`);
        continue;
      }
      if (!isInside(root, real)) {
        errors.push(`${given}: not read: ${OUTSIDE_ROOT} (${displayPath(root, cwd)})`);
        continue;
      }
      const kind = explicitKind(absolute);
      add(absolute, kind === 'unknown' ? 'workflow' : kind, true, root, rootPath, kind === 'unknown');
    } else {
      errors.push(`${given}: not a regular file or folder`);
    }
  }

  const targets = [...found.values()].sort((a, b) => compareStrings(a.displayPath, b.displayPath));
  return { targets, errors, skipped, ignored };
}

/** The kind a file named explicitly has by its name: as in a folder, and `dependabot.yml` / `.yaml` anywhere. */
export function explicitKind(path: string): FileKind {
  const kind = classifyPath(path);
  if (kind !== 'unknown') return kind;
  return /^dependabot\.ya?ml$/i.test(basename(path)) ? 'dependabot' : 'unknown';
}

/**
 * The kind of a file whose name says nothing, by its top-level keys: `jobs:` or `on:` make a workflow,
 * `runs:` an action, `updates:` a Dependabot file. YAML that is broken, empty or not a mapping is a
 * workflow (the analysis reports what is wrong with it); a mapping with none of those keys is `null`,
 * with the span of its first key.
 */
export function kindOfContent(text: string): { kind: Target['kind'] } | { kind: null; span: { start: number; end: number } } {
  let root: unknown;
  try {
    const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
    if (doc.errors.length > 0) return { kind: 'workflow' };
    root = doc.contents;
  } catch {
    return { kind: 'workflow' };
  }
  if (!isMap(root) || root.items.length === 0) return { kind: 'workflow' };
  const keys = new Set(root.items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : '')));
  if (keys.has('jobs') || keys.has('on') || keys.has('true')) return { kind: 'workflow' };
  if (keys.has('runs')) return { kind: 'action' };
  if (keys.has('updates')) return { kind: 'dependabot' };
  const first = root.items[0].key as { range?: [number, number, number] } | null;
  const range = first?.range;
  return { kind: null, span: range ? { start: range[0], end: range[1] } : { start: 0, end: 0 } };
}

/**
 * The scanned root of a file named on the command line: the folder holding its nearest `.github`
 * folder when its path has one (`repo/.github/workflows/ci.yml` → `repo`), else its own folder. Decided
 * from the path as given, so nothing in the scanned tree can widen it.
 */
export function explicitFileRoot(absolute: string): string {
  const parts = absolute.split(sep);
  const dotGithub = parts.lastIndexOf('.github', parts.length - 2);
  const kept = dotGithub >= 0 ? parts.slice(0, dotGithub) : parts.slice(0, -1);
  const root = kept.join(sep);
  return root === '' || /^[A-Za-z]:$/.test(root) ? root + sep : root;
}

export function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
