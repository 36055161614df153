/**
 * Which files the CLI analyses. A folder is walked recursively for workflows, action metadata and
 * Dependabot files; `node_modules` and `.git` are skipped, and a symbolic link to a folder is followed
 * only if that folder has not been walked yet, so links that loop back are harmless. A file named
 * explicitly is analysed as its name's kind, or as a workflow when its name says nothing. `-` is
 * standard input, read as a workflow.
 */
import { readdirSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import { join, relative, resolve, isAbsolute, sep } from 'node:path';
import { classifyPath, type FileKind } from '../parse/document';

export const STDIN_PATH = '-';
export const STDIN_DISPLAY = '<stdin>';

const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);

export interface Target {
  /** Absolute path, or `-` for standard input. */
  path: string;
  /** The path shown in output: relative to the working directory when inside it, `<stdin>` for `-`. */
  displayPath: string;
  kind: Exclude<FileKind, 'unknown'>;
  /** Named on the command line rather than found in a folder. */
  explicit: boolean;
}

export interface Discovery {
  targets: Target[];
  /** I/O problems (missing paths, unreadable folders), each a message for stderr. */
  errors: string[];
}

/** The path to show for `absolute`: relative to `cwd` with `/` separators when inside it, else as is. */
export function displayPath(absolute: string, cwd: string): string {
  if (absolute === STDIN_PATH) return STDIN_DISPLAY;
  const rel = relative(cwd, absolute);
  if (rel === '') return '.';
  if (rel.startsWith('..') || isAbsolute(rel)) return absolute;
  return sep === '/' ? rel : rel.split(sep).join('/');
}

export function discover(paths: readonly string[], cwd: string): Discovery {
  const errors: string[] = [];
  const found = new Map<string, Target>();
  const add = (path: string, kind: Target['kind'], explicit: boolean) => {
    const existing = found.get(path);
    // A file named explicitly wins over the same file found in a folder (its kind may differ).
    if (existing && (existing.explicit || !explicit)) return;
    found.set(path, { path, displayPath: displayPath(path, cwd), kind, explicit });
  };
  const visited = new Set<string>();

  for (const given of paths.length === 0 ? ['.'] : paths) {
    if (given === STDIN_PATH) {
      add(STDIN_PATH, 'workflow', true);
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
      walk(absolute, visited, (path, error) => errors.push(`${displayPath(path, cwd)}: ${describeError(error)}`), (file) => {
        const kind = classifyPath(file);
        if (kind !== 'unknown') add(file, kind, false);
      });
    } else if (stats.isFile()) {
      const kind = classifyPath(absolute);
      add(absolute, kind === 'unknown' ? 'workflow' : kind, true);
    } else {
      errors.push(`${given}: not a regular file or folder`);
    }
  }

  const targets = [...found.values()].sort((a, b) => compareStrings(a.displayPath, b.displayPath));
  return { targets, errors };
}

/**
 * Walks `root` depth-first in name order. Folders reached through a symbolic link are walked last, so a
 * folder that is also reachable directly is reported under its own path; `visited` (real paths) makes
 * every folder walked once, which also ends link loops.
 */
function walk(root: string, visited: Set<string>, onError: (path: string, error: unknown) => void, onFile: (path: string) => void): void {
  const stack = [root];
  const linked: string[] = [];
  while (stack.length > 0 || linked.length > 0) {
    const dir = stack.length > 0 ? stack.pop()! : linked.shift()!;
    let real: string;
    try {
      real = realpathSync(dir);
    } catch (error) {
      onError(dir, error);
      continue;
    }
    if (visited.has(real)) continue;
    visited.add(real);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      onError(dir, error);
      continue;
    }
    const subdirectories: string[] = [];
    for (const entry of entries) {
      const path = join(dir, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      const isLink = entry.isSymbolicLink();
      if (isLink) {
        try {
          const target = statSync(path);
          isDirectory = target.isDirectory();
          isFile = target.isFile();
        } catch {
          continue; // A dangling link (or a loop of links) names nothing to analyse.
        }
      }
      if (isDirectory) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) (isLink ? linked : subdirectories).push(path);
      } else if (isFile) {
        onFile(path);
      }
    }
    // Reverse so that folders are walked in name order (the stack pops the last one first).
    subdirectories.sort(compareStrings).reverse();
    stack.push(...subdirectories);
  }
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
