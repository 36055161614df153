/**
 * The one folder walk behind the CLI's discovery and the editor's "Pin all actions in the workspace".
 *
 * - `node_modules` and `.git` are not entered.
 * - A symbolic link (to a file or a folder) is followed only when its real path lies inside the real
 *   path of the walked root; a link that leads out is not followed and is reported in `skipped` (a link
 *   to a file only when `accept` wants its name, so unrelated links make no noise).
 * - Every folder is walked once, keyed by device and inode, so links that loop back cost one look each.
 *   Folders and files reached through a link come last, so one that is also reachable directly is
 *   reported under its own path; each file (by real path) is reported once.
 */
import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { isInside } from './confined';

export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(['node_modules', '.git']);

export interface WalkOptions {
  /** Whether a file found (by its path under the root) is wanted. */
  accept(path: string): boolean;
  /** Stop after this many files (the result says `truncated`). */
  maxFiles?: number;
  /** Folders deeper than this below the root are not entered (the root is depth 0). */
  maxDepth?: number;
  /** Folders already walked (`dev:ino`); pass one set to several walks to walk shared folders once. */
  visited?: Set<string>;
  /** Entries (files and folders, links included) to leave out, such as those a `.gitignore` names. */
  ignore?(path: string, isDirectory: boolean): boolean;
}

export interface WalkResult {
  /** Real path of the root ('' when it could not be resolved: then `errors` says why). */
  realRoot: string;
  /** Accepted files, as paths under the root as given. */
  files: string[];
  /** Links not followed because they lead out of the root. */
  skipped: string[];
  /** Folders that could not be read. */
  errors: { path: string; error: unknown }[];
  truncated: boolean;
}

interface Pending {
  path: string;
  depth: number;
}

export function walkFolder(root: string, options: WalkOptions): WalkResult {
  const result: WalkResult = { realRoot: '', files: [], skipped: [], errors: [], truncated: false };
  try {
    result.realRoot = realpathSync(root);
  } catch (error) {
    result.errors.push({ path: root, error });
    return result;
  }
  const realRoot = result.realRoot;
  const maxFiles = options.maxFiles ?? Infinity;
  const maxDepth = options.maxDepth ?? Infinity;
  const visited = options.visited ?? new Set<string>();
  const seenFiles = new Set<string>();
  const linkedFiles: { path: string; real: string }[] = [];
  const stack: Pending[] = [{ path: root, depth: 0 }];
  const linked: Pending[] = [];

  const addFile = (path: string, real: string): boolean => {
    if (seenFiles.has(real)) return true;
    if (result.files.length >= maxFiles) {
      result.truncated = true;
      return false;
    }
    seenFiles.add(real);
    result.files.push(path);
    return true;
  };

  while (stack.length > 0 || linked.length > 0) {
    const { path: dir, depth } = stack.length > 0 ? stack.pop()! : linked.shift()!;
    let real: string;
    let key: string;
    try {
      real = realpathSync(dir);
      const stats = statSync(real);
      key = `${stats.dev}:${stats.ino}`;
    } catch (error) {
      result.errors.push({ path: dir, error });
      continue;
    }
    // Checked again here, not only when the link was seen: a folder may have been swapped for a link.
    if (!isInside(realRoot, real)) {
      result.skipped.push(dir);
      continue;
    }
    if (visited.has(key)) continue;
    visited.add(key);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      result.errors.push({ path: dir, error });
      continue;
    }
    const subdirectories: Pending[] = [];
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isSymbolicLink()) {
        let target: string;
        let isDirectory: boolean;
        let isFile: boolean;
        try {
          target = realpathSync(path);
          const stats = statSync(target);
          isDirectory = stats.isDirectory();
          isFile = stats.isFile();
        } catch {
          continue; // A dangling link (or a loop of links) names nothing to analyse.
        }
        if (options.ignore?.(path, isDirectory)) continue;
        if (isDirectory) {
          if (SKIPPED_DIRECTORIES.has(entry.name)) continue;
          if (!isInside(realRoot, target)) result.skipped.push(path);
          else if (depth < maxDepth) linked.push({ path, depth: depth + 1 });
        } else if (isFile && options.accept(path)) {
          if (!isInside(realRoot, target)) result.skipped.push(path);
          else linkedFiles.push({ path, real: target });
        }
      } else if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name) && depth < maxDepth && !options.ignore?.(path, true))
          subdirectories.push({ path, depth: depth + 1 });
      } else if (entry.isFile() && options.accept(path) && !options.ignore?.(path, false)) {
        if (!addFile(path, join(real, entry.name))) return result;
      }
    }
    // Reverse so that folders are walked in name order (the stack pops the last one first).
    subdirectories.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).reverse();
    stack.push(...subdirectories);
  }
  for (const file of linkedFiles) if (!addFile(file.path, file.real)) break;
  return result;
}
