/**
 * `--sarif-dir DIR`: one SARIF file per scanned repository, `DIR/<owner>__<repo>.sarif`, so each can be
 * uploaded to its own repository's code scanning. The names come from the API, so they are checked
 * again and sanitised (only letters, digits, `.`, `_`, `-`; never starting with a dot); each file is
 * written beside its final name and renamed over it, so nothing is written outside DIR, not even through
 * a symbolic link planted at the final name. The same repository scanned at two refs gets the commit in
 * its second name.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatSarif } from './format-sarif';
import type { RemoteOrigin } from './remote';
import type { FileResult } from './results';

/** A file name part made of letters, digits, `.`, `_` and `-` only, never empty nor starting with `.`. */
export function safeNamePart(text: string): string {
  let out = '';
  for (const char of text) out += /^[A-Za-z0-9._-]$/.test(char) ? char : '_';
  if (out === '' || out.startsWith('.')) out = `_${out}`;
  return out.slice(0, 120);
}

/** `owner__repo.sarif`, or `owner__repo__<short sha>.sarif` when the first is taken (case-insensitively). */
export function sarifFileName(origin: RemoteOrigin, taken: Set<string>): string {
  const base = `${safeNamePart(origin.owner)}__${safeNamePart(origin.repo)}`;
  let name = `${base}.sarif`;
  if (taken.has(name.toLowerCase())) name = `${base}__${origin.commit.slice(0, 12)}.sarif`;
  for (let index = 2; taken.has(name.toLowerCase()); index++) name = `${base}__${origin.commit.slice(0, 12)}-${index}.sarif`;
  taken.add(name.toLowerCase());
  return name;
}

export function writeSarifDir(
  dir: string,
  origins: readonly RemoteOrigin[],
  results: readonly FileResult[],
): { files: string[]; errors: string[] } {
  const files: string[] = [];
  const errors: string[] = [];
  if (origins.length === 0) return { files, errors };
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    return { files, errors: [`--sarif-dir: cannot create the folder: ${error instanceof Error ? error.message : String(error)}`] };
  }
  const taken = new Set<string>();
  for (const origin of origins) {
    if (origin.incomplete) {
      // An empty or partial run would close the alerts of the files that could not be read.
      errors.push(`--sarif-dir: no SARIF file for ${origin.label}: some of its files could not be read`);
      continue;
    }
    const name = sarifFileName(origin, taken);
    const file = join(dir, name);
    const temporary = join(dir, `.${name}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
    try {
      writeFileSync(
        temporary,
        formatSarif(
          results.filter((result) => result.origin?.label === origin.label),
          [origin],
        ),
        { flag: 'wx' },
      );
      renameSync(temporary, file);
      files.push(file);
    } catch (error) {
      rmSync(temporary, { force: true });
      errors.push(`--sarif-dir: cannot write ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { files, errors };
}
