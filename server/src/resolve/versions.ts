/** Version tags: parsing, ordering, and choosing the comment that names a pinned commit. */
import type { RepoRefs } from './types';

export interface Version {
  text: string;
  prefix: 'v' | '';
  parts: number[];
  prerelease: string | null;
}

const VERSION_RE = /^(v?)(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?$/;

export function parseVersion(text: string): Version | null {
  const match = VERSION_RE.exec(text);
  if (!match) return null;
  const parts = [match[2], match[3], match[4]].filter((part) => part !== undefined).map(Number);
  return { text, prefix: match[1] === 'v' ? 'v' : '', parts, prerelease: match[5] ?? null };
}

export function isFullVersion(version: Version | null): version is Version {
  return version !== null && version.parts.length === 3;
}

/** Descending order: higher versions first, more specific before less, releases before prereleases; non-versions last. */
export function compareVersionsDesc(a: Version | null, b: Version | null): number {
  if (!a || !b) return Number(a === null) - Number(b === null);
  for (let i = 0; i < 3; i++) {
    const diff = (b.parts[i] ?? -1) - (a.parts[i] ?? -1);
    if (diff !== 0) return diff;
  }
  if (a.prerelease !== b.prerelease) {
    if (a.prerelease === null) return -1;
    if (b.prerelease === null) return 1;
    return a.prerelease < b.prerelease ? 1 : -1;
  }
  return 0;
}

/** Tags whose peeled commit is `commit`, most specific / highest version first. */
export function tagsAt(refs: RepoRefs, commit: string): string[] {
  return refs.tags
    .filter((tag) => tag.commit === commit)
    .map((tag) => tag.name)
    .sort((a, b) => compareVersionsDesc(parseVersion(a), parseVersion(b)) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The version comment for a pin of `commit` that was written as `original`: the highest full `X.Y.Z`
 * tag on that commit with the same `v` style and major, else the original text when it is a version
 * or a branch name; null when there is nothing truthful to say.
 */
export function chooseVersionComment(refs: RepoRefs, commit: string, original: string | null): string | null {
  const originalVersion = original ? parseVersion(original) : null;
  const candidates = tagsAt(refs, commit)
    .map(parseVersion)
    .filter(isFullVersion)
    .filter((version) => version.prerelease === null || originalVersion?.prerelease);
  const sameStyle = candidates.filter(
    (version) => !originalVersion || (version.prefix === originalVersion.prefix && version.parts[0] === originalVersion.parts[0]),
  );
  if (sameStyle.length > 0) return sameStyle[0].text;
  if (original) return original;
  const anyTag = tagsAt(refs, commit);
  return candidates[0]?.text ?? anyTag[0] ?? null;
}

/** The newest release: the highest full version tag without prerelease, preferring the `v` style given. */
export function latestRelease(refs: RepoRefs, prefix: 'v' | '' | null = null): { name: string; commit: string } | null {
  const releases = refs.tags
    .map((tag) => ({ tag, version: parseVersion(tag.name) }))
    .filter(
      (entry) => isFullVersion(entry.version) && entry.version.prerelease === null && (prefix === null || entry.version.prefix === prefix),
    )
    .sort((a, b) => compareVersionsDesc(a.version, b.version));
  return releases.length > 0 ? { name: releases[0].tag.name, commit: releases[0].tag.commit } : null;
}
