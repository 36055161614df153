/**
 * Finds and reads the lock of a workflow (and the workflows of a lock) on disk, for the CLI and the
 * server. The lock sits at `.github/workflows/actions.lock` beside the workflows; it is read only inside
 * the repository the workflow belongs to, never through a symbolic link, and up to a bound. An open editor
 * document's text wins over the file on disk.
 */
import { closeSync, fstatSync, lstatSync, openSync, readSync, constants } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { ParsedFile } from '../parse/document';
import { available, unavailable, type LockView, type View } from '../views';
import { workflowPathProblem, parseLockText } from './read';
import { LOCKFILE_NAME, type Lockfile } from './types';

/** Files larger than this are not read (the parser refuses locks over 1 MiB; this leaves room to say so). */
const MAX_READ_BYTES = 4 * 1024 * 1024;
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const NONBLOCK = constants.O_NONBLOCK ?? 0;

/** What readPlainFileWithin returns for a file that does not exist (a value no file's text can be). */
export const MISSING: unique symbol = Symbol('missing');

/** Where a file sits relative to its repository's `.github/workflows` folder. */
export interface WorkflowsFolder {
  /** The repository root (the folder holding `.github`). */
  repoRoot: string;
  /** The lock's path. */
  lockPath: string;
  /** The file's key in the lock (`.github/workflows/ci.yml`). */
  key: string;
}

/** The workflows folder of a file directly inside `.github/workflows`, or null. */
export function workflowsFolderOf(path: string): WorkflowsFolder | null {
  const folder = dirname(path);
  if (basename(folder) !== 'workflows' || basename(dirname(folder)) !== '.github') return null;
  const name = basename(path);
  return { repoRoot: dirname(dirname(folder)), lockPath: join(folder, LOCKFILE_NAME), key: `.github/workflows/${name}` };
}

/**
 * The text of the file at `path` (absolute) when it lies under `base` (the scanned root or the repository,
 * absolute) and neither it nor a folder between `base` and it is a symbolic link; else null (outside,
 * a link, not a regular file, too large, unreadable), or `missing` when it does not exist.
 */
export function readPlainFileWithin(base: string, path: string): string | null | typeof MISSING {
  const rel = relative(base, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return null;
  let current = base;
  const parts = rel.split(sep);
  for (let index = 0; index < parts.length; index++) {
    current = join(current, parts[index]);
    try {
      const stats = lstatSync(current);
      if (stats.isSymbolicLink()) return null;
      if (index < parts.length - 1 ? !stats.isDirectory() : !stats.isFile()) return null;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException | null)?.code;
      return code === 'ENOENT' || code === 'ENOTDIR' ? MISSING : null;
    }
  }
  let fd: number;
  try {
    fd = openSync(current, constants.O_RDONLY | NOFOLLOW | NONBLOCK);
  } catch {
    return null;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile() || stats.size > MAX_READ_BYTES) return null;
    const bytes = Buffer.alloc(stats.size);
    let read = 0;
    while (read < bytes.length) {
      const count = readSync(fd, bytes, read, bytes.length - read, read);
      if (count === 0) break;
      read += count;
    }
    return new TextDecoder('utf-8').decode(bytes.subarray(0, read));
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** Reads locks and the workflows they list, with a cache the owner clears when files change. */
export class LockReader {
  private readonly locks = new Map<string, Lockfile | null>();
  private readonly openTexts = new Map<string, string>();

  /** Records the editor's text of an open lock (undefined when it closed). */
  setOpenText(path: string, text: string | undefined): void {
    if (text === undefined) this.openTexts.delete(path);
    else this.openTexts.set(path, text);
    this.locks.delete(path);
  }

  invalidate(): void {
    this.locks.clear();
  }

  /** The lock at `path`, read under `base`, or null when there is none (or it cannot be read). */
  lockAt(path: string, base: string): Lockfile | null {
    const open = this.openTexts.get(path);
    if (open !== undefined) return parseLockText(open);
    let lock = this.locks.get(path);
    if (lock === undefined) {
      const text = readPlainFileWithin(base, path);
      lock = typeof text === 'string' ? parseLockText(text) : null;
      this.locks.set(path, lock);
    }
    return lock;
  }

  /**
   * The lock view of the file at `path` (absolute), reading only under `base`: for a workflow beside a
   * lock, the lock and the workflow's key; for the lock itself (its text `ownText`), its workflows.
   */
  viewFor(path: string, base: string, ownText?: string): View<LockView> {
    const folder = workflowsFolderOf(path);
    if (!folder) return unavailable('not-indexed');
    if (basename(path) === LOCKFILE_NAME) {
      if (ownText === undefined) return unavailable('not-indexed');
      return available(lockSideView(parseLockText(ownText), folder.repoRoot, base));
    }
    if (!/\.ya?ml$/i.test(path)) return unavailable('not-indexed');
    const lock = this.lockAt(folder.lockPath, base);
    return lock ? available({ lock, workflowPath: folder.key }) : unavailable('not-indexed');
  }
}

/** The view of a lock's own analysis: its workflows read from the repository, each once. */
export function lockSideView(lock: Lockfile, repoRoot: string, base: string): LockView {
  const parsed = new Map<string, ParsedFile | 'missing' | undefined>();
  return {
    lock,
    workflowPath: null,
    workflow(path) {
      if (parsed.has(path)) return parsed.get(path);
      let result: ParsedFile | 'missing' | undefined;
      if (workflowPathProblem(path) === null) {
        const absolute = join(repoRoot, ...path.split('/'));
        const text = readPlainFileWithin(base, absolute);
        result = text === MISSING ? 'missing' : text === null ? undefined : new ParsedFile(absolute, 'workflow', text);
      }
      parsed.set(path, result);
      return result;
    },
  };
}

/** True when the file sits in a `.github/workflows` folder that holds an actions.lock (a plain file, not a link). */
export function repositoryHasLock(path: string): boolean {
  const folder = workflowsFolderOf(path);
  if (!folder) return false;
  try {
    return lstatSync(folder.lockPath).isFile();
  } catch {
    return false;
  }
}
