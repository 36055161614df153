/**
 * The release behind a SHA pin of a top action, offline: the bundled table of the commits that the release
 * tags (`vX.Y.Z`) and major tags (`vX`) of those actions point at, generated from git by
 * scripts/generate-release-commits.mjs. A commit that is not in the table is unknown, never a verdict.
 */
import { RELEASE_COMMITS } from './release-commits.generated';

export interface KnownRelease {
  /** `owner/name` as the table spells it. */
  repository: string;
  /** Every release and major tag at the commit, in version order. */
  tags: string[];
  /** The most specific of them: the highest `vX.Y.Z`, else the major tag. */
  version: string;
  /** The major version. */
  major: number;
}

interface RepositoryReleases {
  repository: string;
  byCommit: Map<string, string[]>;
  /** Every tag's version components (`[4]` for `v4`, `[4, 2, 2]`), in table order. */
  versions: number[][];
}

let index: Map<string, RepositoryReleases> | undefined;

function releasesOf(repository: string): RepositoryReleases | undefined {
  if (!index) {
    index = new Map();
    for (const source of RELEASE_COMMITS) {
      const words = source.tags.split(' ');
      const byCommit = new Map<string, string[]>();
      const versions: number[][] = [];
      for (let i = 0; i + 1 < words.length; i += 2) {
        const [tag, commit] = [words[i], words[i + 1]];
        const list = byCommit.get(commit);
        if (list) list.push(tag);
        else byCommit.set(commit, [tag]);
        versions.push(versionParts(tag));
      }
      index.set(source.repository.toLowerCase(), { repository: source.repository, byCommit, versions });
    }
  }
  return index.get(repository.toLowerCase());
}

/** `v4.2.2` → [4, 2, 2]; `v4` → [4]. */
function versionParts(tag: string): number[] {
  return tag.replace(/^v/, '').split('.').map(Number);
}

/** True when the table lists the releases of `repository` (`owner/name`, any case). */
export function hasReleaseTable(repository: string): boolean {
  return releasesOf(repository) !== undefined;
}

/** The release tags at `commit` (a full lower-case SHA) of `repository`, or null when the table does not know it. */
export function knownRelease(repository: string, commit: string): KnownRelease | null {
  const releases = releasesOf(repository);
  const tags = releases?.byCommit.get(commit.toLowerCase());
  if (!releases || !tags) return null;
  const full = tags.filter((tag) => tag.includes('.'));
  const version = full.length > 0 ? full[full.length - 1] : tags[tags.length - 1];
  return { repository: releases.repository, tags, version, major: versionParts(version)[0] };
}

/**
 * Whether a version comment (`v4`, `v4.2`, `4.2.2`) agrees with the release at a commit: `agrees` when a
 * tag at the commit is that version or in that series (`v4` and `v4.2` agree with `v4.2.2`), `disagrees`
 * when the comment names a series the table knows and the commit is not in it, `unknown` otherwise (a
 * version newer than the table, a pre-release, a tag format the table does not hold).
 */
export function commentAgreement(release: KnownRelease, comment: string): 'agrees' | 'disagrees' | 'unknown' {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(comment.trim());
  if (!match) return 'unknown';
  const claimed = [match[1], match[2], match[3]].filter((part) => part !== undefined).map(Number);
  const inSeries = (parts: number[]) => claimed.every((part, i) => (i >= parts.length ? parts.length === 1 : parts[i] === part));
  if (release.tags.some((tag) => inSeries(versionParts(tag)))) return 'agrees';
  const releases = releasesOf(release.repository);
  const known = releases?.versions.some((parts) => parts.length > 1 && claimed.every((part, i) => parts[i] === part));
  return known ? 'disagrees' : 'unknown';
}
