/** Looking up a `uses:` in a table of actions keyed by `owner/repo`, optionally with a sub-path (lowercase). */

function lowerTarget(owner: string, repo: string, path: string | null): string {
  return `${owner}/${repo}${path ? `/${path}` : ''}`.toLowerCase();
}

/** The entry for the action's full path if there is one, else the entry for its repository. */
export function findAction<T extends { action: string }>(
  table: readonly T[],
  owner: string,
  repo: string,
  path: string | null,
): T | undefined {
  const full = lowerTarget(owner, repo, path);
  const base = lowerTarget(owner, repo, null);
  return table.find((entry) => entry.action === full) ?? table.find((entry) => entry.action === base);
}
