/**
 * Loads a benchmark/fuzz corpus: every workflow, action metadata and Dependabot file under a folder
 * (classified by path; a file whose path says nothing is skipped). The default folder is the shared
 * corpus beside the clone (../shared/corpus/real), else the repository's examples/.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { classifyPath, type FileKind } from '../../server/src/parse/document';

export interface CorpusFile {
  /** Path relative to the corpus folder, with `/`. */
  path: string;
  kind: Exclude<FileKind, 'unknown'>;
  text: string;
}

/** The default corpus folder for a repository root, or null when neither candidate exists. */
export function defaultCorpus(root: string): string | null {
  for (const candidate of [resolve(root, '..', 'shared', 'corpus', 'real'), resolve(root, 'examples')]) {
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

export function loadCorpus(folder: string): CorpusFile[] {
  const files: CorpusFile[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory()) {
        if (name !== 'node_modules' && name !== '.git') walk(path);
        continue;
      }
      const rel = relative(folder, path).replace(/\\/g, '/');
      const kind = classifyPath(rel);
      if (kind === 'unknown' || stat.size > 16 * 1024 * 1024) continue;
      files.push({ path: rel, kind, text: readFileSync(path, 'utf8') });
    }
  };
  if (existsSync(folder)) walk(folder);
  return files;
}
