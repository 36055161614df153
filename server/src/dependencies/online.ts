/**
 * The online data of the actions met inside the dependency chain: the refs and GitHub's advisories of every
 * repository a fetched action or reusable workflow names, resolved as for the analysed files' own `uses:`
 * (collectSnapshot) and attached to each fetched file. The analysis of a dependency then reads it through
 * its online view exactly as a direct analysis does, so `known-vulnerable-actions` judges a transitive
 * `uses:` against the advisory database too, and chain.ts carries the finding to the caller's `uses:` line.
 * Commit membership (impostor commits) is not asked for: no carried rule reads it, and it costs requests.
 */
import type { RefResolver } from '../resolve/types';
import { attachSnapshot, collectSnapshot, type OnlineSnapshot } from '../resolve/snapshot';
import type { DependencyGraph } from './walk';

/** Resolves the `uses:` inside the fetched files of `graph` and attaches the result to each of them. */
export async function attachDependencySnapshot(
  graph: DependencyGraph,
  resolver: RefResolver,
  options: { serverUrl?: string } = {},
): Promise<OnlineSnapshot> {
  const files = [...graph.actions.values()].map((action) => action.file);
  const snapshot = await collectSnapshot(files, resolver, { serverUrl: options.serverUrl, memberships: false });
  for (const file of files) attachSnapshot(file, snapshot);
  return snapshot;
}
