/**
 * Finding and loading the configuration file of a repository. From a starting folder we walk up; in
 * each folder we look for our file (`.github/actions-warden.yml`, `actions-warden.yml`, `.yaml` too),
 * then zizmor's (`zizmor.yml`, `.github/zizmor.yml`); the walk stops at the repository root (a folder
 * holding `.git` or `.github`) or at `stopAt` (a workspace folder). Our file wins over zizmor's in the same folder.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
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

/** The configuration file for files under `startDir`, or null when there is none. */
export function findConfig(startDir: string, stopAt?: string): FoundConfig | null {
  let dir = startDir;
  for (let depth = 0; depth < 64; depth++) {
    // A folder inside `.github` is not a root: `.github/workflows` must not find `.github/zizmor.yml` as `zizmor.yml`.
    const insideDotGithub = dir.split(/[\\/]/).includes('.github');
    if (!insideDotGithub) {
      for (const name of OUR_CONFIG_FILES) if (isFile(join(dir, name))) return { path: join(dir, name), format: 'warden', root: dir };
      for (const name of ZIZMOR_CONFIG_FILES) if (isFile(join(dir, name))) return { path: join(dir, name), format: 'zizmor', root: dir };
      if (existsSync(join(dir, '.git')) || existsSync(join(dir, '.github'))) return null;
    }
    if (stopAt !== undefined && samePath(dir, stopAt)) return null;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
  return null;
}

function samePath(a: string, b: string): boolean {
  const strip = (path: string) => trimEndOf(path, '\\/');
  return strip(a) === strip(b);
}

/** Reads and parses a configuration file; an unreadable file is a configuration with one problem. */
export function loadConfig(path: string, format: ConfigFormat | null = configFormatOf(path)): WardenConfig {
  const kind = format ?? 'warden';
  try {
    const size = statSync(path).size;
    if (size > MAX_CONFIG_BYTES) {
      const config = parseConfig('', path, kind);
      config.problems.push({ span: { start: 0, end: 0 }, message: `The configuration file is ${Math.round(size / 1024)} KiB; it was not read.`, level: 'error' });
      return config;
    }
    return parseConfig(new TextDecoder('utf-8').decode(readFileSync(path)), path, kind);
  } catch (error) {
    const config = parseConfig('', path, kind);
    config.lines = new LineIndex('');
    config.problems.push({ span: { start: 0, end: 0 }, message: `The configuration file could not be read: ${error instanceof Error ? error.message : String(error)}`, level: 'error' });
    return config;
  }
}

/** `path` relative to `root` with `/` separators (or the path itself when outside it). */
export function relativeTo(root: string, path: string): string {
  const rel = relative(root, path);
  const normalized = sep === '/' ? rel : rel.split(sep).join('/');
  return normalized === '' || normalized.startsWith('..') ? path.replace(/\\/g, '/') : normalized;
}
