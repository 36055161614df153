/**
 * Reading and writing files confined to a root folder. The scanned repository is untrusted: a symbolic
 * link in it may point anywhere, so a file is read or written only when its real path (every link
 * resolved) lies inside the real path of the scanned root.
 *
 * Writing never goes through the file's own directory entry in place: the new content is written to a
 * new temporary file in the same folder (created exclusively, so it can be no link) and renamed over the
 * file. A rename replaces the directory entry, so neither a link swapped in after the check nor a hard
 * link to a file outside the root can redirect the write; and just before the rename the file must still
 * be the one that was read (same device and inode) in a folder whose real path is unchanged.
 */
import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  lstatSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, sep } from 'node:path';

/** Why a path was refused: it resolves to outside the root. */
export const OUTSIDE_ROOT = 'symbolic link to outside the scanned folder';

/** True when the real path `path` is `root` or lies under it (both real, absolute). */
export function isInside(root: string, path: string): boolean {
  if (path === root) return true;
  return path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** The real path of `path`, or null when it cannot be resolved (missing, dangling link, loop). */
export function realPathOrNull(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

/**
 * The real path `path` would have once created: the real path of its nearest existing ancestor followed
 * by the rest of it. Null when a component exists but cannot be resolved (a dangling link, which a
 * write would follow, or a loop of links).
 */
export function realPathToBe(path: string): string | null {
  const rest: string[] = [];
  let current = path;
  for (;;) {
    try {
      return join(realpathSync(current), ...rest.reverse());
    } catch {
      try {
        lstatSync(current);
        return null; // It exists but does not resolve.
      } catch {
        // Does not exist: try the folder above.
      }
      const parent = dirname(current);
      if (parent === current) return path;
      rest.push(basename(current));
      current = parent;
    }
  }
}

/** True when writing (or creating) `path` would land inside `root`, every existing link resolved. */
export function writesInside(root: string, path: string): boolean {
  const realRoot = realPathToBe(root);
  const real = realPathToBe(path);
  return realRoot !== null && real !== null && isInside(realRoot, real);
}

/** An error whose message is meant for the user as is. */
export class RefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedError';
  }
}

export interface ConfinedFile {
  /** The real path that was read. */
  real: string;
  bytes: Uint8Array;
  /** Of the file read (device, inode, mode, owner): the write checks that the same file is still there. */
  stats: Stats;
}

/** `O_NOFOLLOW` where the platform has it (0 elsewhere: Windows). */
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
/** So that opening a FIFO swapped in for a file does not wait for a writer (fstat then refuses it). */
const NONBLOCK = constants.O_NONBLOCK ?? 0;

/**
 * Opens `path` for reading when its real path lies inside `root` (a real path) and it is a regular
 * file. Throws a RefusedError for a path outside the root or not a file, a Node error for I/O problems.
 * The caller closes `fd`.
 */
export function openWithin(root: string, path: string): { fd: number; real: string; stats: Stats } {
  const real = realpathSync(path);
  if (!isInside(root, real)) throw new RefusedError(OUTSIDE_ROOT);
  const fd = openSync(real, constants.O_RDONLY | NOFOLLOW | NONBLOCK);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new RefusedError('not a regular file');
    return { fd, real, stats };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** Reads all of `path` when openWithin allows it. */
export function readFileWithin(root: string, path: string): ConfinedFile {
  const { fd, real, stats } = openWithin(root, path);
  try {
    return { real, bytes: readFileSync(fd), stats };
  } finally {
    closeSync(fd);
  }
}

function sameFile(a: Stats, b: Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/**
 * Replaces the content of a file read with readFileWithin, by a temporary file in the same folder and
 * a rename. Refuses (RefusedError) when the path now resolves outside `root` or is no longer the file
 * that was read. The file keeps its permission bits (and its owner, where the process may set it).
 */
export function writeFileWithin(root: string, read: ConfinedFile, bytes: Uint8Array): void {
  const real = realpathSync(read.real);
  if (!isInside(root, real)) throw new RefusedError(OUTSIDE_ROOT);
  const folder = dirname(real);
  const check = () => {
    const current = lstatSync(real);
    if (!current.isFile() || !sameFile(current, read.stats)) throw new RefusedError('the file changed while it was being fixed; run again');
    if (realpathSync(folder) !== folder) throw new RefusedError('its folder changed while it was being fixed; run again');
  };
  check();
  const temporary = join(folder, `.${basename(real)}.${process.pid}-${randomBytes(6).toString('hex')}.warden-tmp`);
  const fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, 0o600);
  let renamed = false;
  try {
    try {
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
      fchmodSync(fd, read.stats.mode & 0o777);
      if (typeof process.getuid === 'function' && process.getuid() === 0) {
        try {
          fchownSync(fd, read.stats.uid, read.stats.gid);
        } catch {
          // Keep the new owner: the content is what matters.
        }
      }
    } finally {
      closeSync(fd);
    }
    check();
    renameSync(temporary, real);
    renamed = true;
  } finally {
    if (!renamed) {
      try {
        unlinkSync(temporary);
      } catch {
        // Already gone.
      }
    }
  }
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/** True when `bytes` are valid UTF-8 (a leading BOM allowed). */
export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    strictDecoder.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** True when `bytes` start with the UTF-8 byte order mark. */
export function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}
