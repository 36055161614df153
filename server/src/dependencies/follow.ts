/**
 * The one entry point of the dependency walk for both front ends: the CLI (cli/online.ts) and the language
 * server (features/online.ts) give it the parsed files to start from and get the graph back; the server
 * keeps the graph on the parsed file it was walked for (hovers and re-analysis read it from there).
 */
import type { ParsedFile } from '../parse/document';
import type { RepoData } from '../resolve/repo-data';
import { walkDependencies, type DependencyGraph, type WalkOptions } from './walk';

/** The `uses:` values (as written) the walk starts from (the walk keeps the remote ones with a ref). */
export function followedUses(files: readonly ParsedFile[]): string[] {
  return files.flatMap((file) => file.uses.map((site) => site.value));
}

/** Walks the dependency chain of `files` (bounded, each file at a commit read once through `data`'s caches). */
export function followDependencies(data: RepoData, files: readonly ParsedFile[], options: WalkOptions = {}): Promise<DependencyGraph> {
  return walkDependencies(data, followedUses(files), options);
}

const ATTACHED = new WeakMap<ParsedFile, DependencyGraph>();

/** Keeps the graph walked for a parsed file (one editor version). */
export function attachDependencies(file: ParsedFile, graph: DependencyGraph): void {
  ATTACHED.set(file, graph);
}

/** The graph walked for this parsed file, when the walk ran and finished. */
export function dependenciesOf(file: ParsedFile): DependencyGraph | undefined {
  return ATTACHED.get(file);
}
