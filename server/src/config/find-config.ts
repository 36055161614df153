/**
 * Finding and loading the configuration file of a repository. From a starting folder we walk up; in
 * each folder we look for our file (`.github/actions-warden.yml`, `actions-warden.yml`, `.yaml` too),
 * then zizmor's (`zizmor.yml`, `.github/zizmor.yml`); the walk stops at the repository root (a folder
 * holding `.git` or `.github`) or at `stopAt` (a workspace folder, or the CLI's configSearchBoundary of
 * the scanned root), whichever comes first, so it never wanders up to the file system root. Our file
 * wins over zizmor's in the same folder. A configuration file that is a symbolic link to outside
 * `stopAt` is not read (it becomes a configuration with one problem).
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { isInside } from '../files/confined';
import { classifyPath } from '../parse/document';
import { LineIndex } from '../parse/text';
import { parseConfig, type ConfigFormat, type WardenConfig } from './config-file';
import { trimEndOf } from '../parse/strings';

export const OUR_CONFIG_FILES = ['.github/actions-warden.yml', '.github/actions-warden.yaml', 'actions-warden.yml', 'actions-warden.yaml'];
export const ZIZMOR_CONFIG_FILES = ['zizmor.yml', 'zizmor.yaml', '.github/zizmor.yml', '.github/zizmor.yaml'];

/** Configuration files are small; anything bigger is a mistake, reported rather than read. */
const MAX_CONFIG_BYTES = 1024 * 1024;

export interface FoundConfig {
  path: string;
  format: ConfigFormat;
  /** The folder the file belongs to (ignore locations are relative to it). */
  root: string;
  /** The file is a symbolic link to outside the search boundary: it is not read. */
  outside?: boolean;
}

/** The format a path names when it is a configuration file, by its name. */
export function configFormatOf(path: string): ConfigFormat | null {
  const normalized = path.replace(/\\/g, '/');
  // `.github/workflows/zizmor.yml` is a workflow (one that runs zizmor), not a configuration.
  if (classifyPath(normalized) !== 'unknown') return null;
  if (/(^|\/)actions-warden\.ya?ml$/i.test(normalized)) return 'warden';
  if (/(^|\/)zizmor\.ya?ml$/i.test(normalized)) return 'zizmor';
  return null;
}

/** Whether `path` names a regular file (false when it cannot be read). */
export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * How far up the configuration search goes for files under `scannedRoot`: the nearest folder at or above
 * it holding `.git` (the repository root), else the scanned root itself; a scanned root inside a
 * `.github` folder counts from the folder holding that `.github`.
 */
export function configSearchBoundary(scannedRoot: string): string {
  const parts = scannedRoot.split(/[\\/]/);
  const dotGithub = parts.lastIndexOf('.github');
  const base = dotGithub > 0 ? scannedRoot.slice(0, parts.slice(0, dotGithub).join('/').length) || sep : scannedRoot;
  let dir = base;
  for (let depth = 0; depth < 64; depth++) {
    if (existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return base;
}

/**
 * The configuration file for files under `startDir`, or null when there is none. The search goes no
 * higher than `stopAt` (default: configSearchBoundary(startDir)).
 */
export function findConfig(startDir: string, stopAt: string = configSearchBoundary(startDir)): FoundConfig | null {
  let dir = startDir;
  let realBoundary: string | null | undefined;
  const found = (path: string, format: ConfigFormat): FoundConfig => {
    if (realBoundary === undefined) realBoundary = realPath(stopAt);
    const real = realPath(path);
    const outside = realBoundary === null || real === null || !isInside(realBoundary, real);
    return outside ? { path, format, root: dir, outside } : { path, format, root: dir };
  };
  for (let depth = 0; depth < 64; depth++) {
    // A folder inside `.github` is not a root: `.github/workflows` must not find `.github/zizmor.yml` as `zizmor.yml`.
    const insideDotGithub = dir.split(/[\\/]/).includes('.github');
    if (!insideDotGithub) {
      for (const name of OUR_CONFIG_FILES) if (isFile(join(dir, name))) return found(join(dir, name), 'warden');
      for (const name of ZIZMOR_CONFIG_FILES) if (isFile(join(dir, name))) return found(join(dir, name), 'zizmor');
      if (existsSync(join(dir, '.git')) || existsSync(join(dir, '.github'))) return null;
    }
    if (samePath(dir, stopAt)) return null;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
  return null;
}

function realPath(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

function samePath(a: string, b: string): boolean {
  const strip = (path: string) => trimEndOf(path, '\\/');
  return strip(a) === strip(b);
}

/**
 * Reads and parses a configuration file; an unreadable file is a configuration with one problem, and so
 * is one found to be a link to outside the repository (`outside`), which is not read at all.
 */
export function loadConfig(path: string, format: ConfigFormat | null = configFormatOf(path), outside = false): WardenConfig {
  const kind = format ?? 'warden';
  if (outside) {
    const config = parseConfig('', path, kind);
    config.problems.push({
      span: { start: 0, end: 0 },
      message: 'The configuration file is a symbolic link to outside the repository; it was not read.',
      level: 'error',
    });
    return config;
  }
  try {
    const size = statSync(path).size;
    if (size > MAX_CONFIG_BYTES) {
      const config = parseConfig('', path, kind);
      config.problems.push({
        span: { start: 0, end: 0 },
        message: `The configuration file is ${Math.round(size / 1024)} KiB; it was not read.`,
        level: 'error',
      });
      return config;
    }
    return parseConfig(new TextDecoder('utf-8').decode(readFileSync(path)), path, kind);
  } catch (error) {
    const config = parseConfig('', path, kind);
    config.lines = new LineIndex('');
    config.problems.push({
      span: { start: 0, end: 0 },
      message: `The configuration file could not be read: ${error instanceof Error ? error.message : String(error)}`,
      level: 'error',
    });
    return config;
  }
}

/** `path` relative to `root` with `/` separators (or the path itself when outside it). */
export function relativeTo(root: string, path: string): string {
  const rel = relative(root, path);
  const normalized = sep === '/' ? rel : rel.split(sep).join('/');
  return normalized === '' || normalized.startsWith('..') ? path.replace(/\\/g, '/') : normalized;
}
