/**
 * What the bundled knowledge can vouch for offline: the release commits of widely used actions (tag →
 * peeled commit), used by completion (the newest release, pinned) and inlay hints (which release a pinned
 * SHA is). The rows come from the generated table of release commits (scripts/generate-release-commits.mjs);
 * for other actions both features fall back to what the workspace and online resolution say.
 */
import { RELEASE_COMMITS } from './release-commits.generated';
import { compareVersionsDesc, isFullVersion, parseVersion } from '../resolve/versions';

export interface ReleaseCommit {
  /** `owner/repo`, any case. */
  repository: string;
  /** The release tag, e.g. `v4.2.2`. */
  version: string;
  /** The full commit SHA the tag peels to (lowercase). */
  commit: string;
}

/** Every row of the generated table (knowledge/release-commits.generated.ts), one per tag. */
export const BUNDLED_RELEASE_COMMITS: readonly ReleaseCommit[] = RELEASE_COMMITS.flatMap((source) => {
  const words = source.tags.split(' ');
  const rows: ReleaseCommit[] = [];
  for (let index = 0; index + 1 < words.length; index += 2)
    rows.push({ repository: source.repository, version: words[index], commit: words[index + 1] });
  return rows;
});

/** The release tags the table knows at `commit` of `repository`, highest full version first; [] when none. */
export function bundledVersionsAt(repository: string, commit: string, table: readonly ReleaseCommit[] = BUNDLED_RELEASE_COMMITS): string[] {
  const key = repository.toLowerCase();
  const sha = commit.toLowerCase();
  return table
    .filter((row) => row.repository.toLowerCase() === key && row.commit.toLowerCase() === sha)
    .map((row) => row.version)
    .sort((a, b) => compareVersionsDesc(parseVersion(a), parseVersion(b)));
}

/** The newest full release (no prerelease) the table knows for `repository`, or null. */
export function bundledLatestRelease(
  repository: string,
  table: readonly ReleaseCommit[] = BUNDLED_RELEASE_COMMITS,
): { version: string; commit: string } | null {
  const key = repository.toLowerCase();
  let best: { version: string; commit: string } | null = null;
  for (const row of table) {
    if (row.repository.toLowerCase() !== key) continue;
    const version = parseVersion(row.version);
    if (!isFullVersion(version) || version.prerelease !== null) continue;
    if (!best || compareVersionsDesc(version, parseVersion(best.version)) < 0)
      best = { version: row.version, commit: row.commit.toLowerCase() };
  }
  return best;
}
