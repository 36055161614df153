/**
 * Pin edits: replace only the ref of a `uses:` value by a commit SHA and add or update the trailing
 * version comment, keeping quotes, spacing and any other comment text. Nothing is re-serialised.
 */
import type { ParsedFile, UsesSite } from '../parse/document';
import type { Span } from '../parse/text';
import { usesTarget, type RemoteUses } from '../parse/uses';
import { refsFor, releaseDateKey, resolvableRemote, type OnlineSnapshot } from '../resolve/snapshot';
import { findRef, repoKey } from '../resolve/types';
import { chooseVersionComment, compareVersionsDesc, isFullVersion, latestRelease, parseVersion, type Version } from '../resolve/versions';
import type { Fix, OffsetEdit } from '../findings';

export interface TrailingComment {
  /** Offset of the `#`. */
  hash: number;
  /** End of the comment (end of line content). */
  end: number;
  /** The version (or ref) token the comment starts with, if any: `v4.2.2` in `# v4.2.2`, `# pin @v4.2.2`, `# tag=v4.2.2`. */
  version: { span: Span; text: string } | null;
}

const VERSION_TOKEN_RE = /^(\s*)(pin\s*@|tag=|@)?(v?\d+(?:\.\d+){0,2}(?:-[0-9A-Za-z.-]+)?)(?=$|[\s,;])/;

/** Where the ref of a remote `uses:` is in the document, or null when the scalar is not written plainly. */
export function refSpan(site: UsesSite, uses: RemoteUses): Span | null {
  if (!site.exact || uses.ref === null) return null;
  return { start: site.valueStart + uses.refStart, end: site.valueStart + uses.refEnd };
}

/**
 * The comment after a `uses:` value on the same line: null when there is none, 'blocked' when other
 * text follows the value (a flow mapping), so no comment can be added there.
 */
export function trailingComment(file: ParsedFile, site: UsesSite, alsoToken: string | null = null): TrailingComment | null | 'blocked' {
  const valueEnd = site.entry.valueSpan.end;
  const line = file.lines.lineAt(valueEnd);
  const lineEnd = file.lines.lineContentEnd(line);
  const rest = file.text.slice(valueEnd, lineEnd);
  if (/^\s*$/.test(rest)) return null;
  const match = /^(\s+)#/.exec(rest);
  if (!match) return 'blocked';
  const hash = valueEnd + match[1].length;
  const body = file.text.slice(hash + 1, lineEnd);
  const token = VERSION_TOKEN_RE.exec(body);
  if (token) {
    const start = hash + 1 + token[1].length + (token[2]?.length ?? 0);
    return { hash, end: lineEnd, version: { span: { start, end: start + token[3].length }, text: token[3] } };
  }
  if (alsoToken) {
    const word = /^(\s*)(\S+)(?=\s|$)/.exec(body);
    if (word && word[2] === alsoToken) {
      const start = hash + 1 + word[1].length;
      return { hash, end: lineEnd, version: { span: { start, end: start + word[2].length }, text: word[2] } };
    }
  }
  return { hash, end: lineEnd, version: null };
}

/** The version a pinned `uses:` claims in its comment (`# v4.2.2`), with its span. */
export function versionComment(file: ParsedFile, site: UsesSite): { span: Span; text: string } | null {
  const comment = trailingComment(file, site);
  return comment && comment !== 'blocked' ? comment.version : null;
}

/**
 * Edits pinning `site` to `commit` with `comment` (e.g. `v4.2.2`, or `main` for a branch; null for none).
 * An existing version comment is replaced; other comment text is kept after ours. Null when the value is
 * not written plainly enough to edit exactly.
 */
export function pinEdits(file: ParsedFile, site: UsesSite, uses: RemoteUses, commit: string, comment: string | null): OffsetEdit[] | null {
  const span = refSpan(site, uses);
  if (!span) return null;
  const edits: OffsetEdit[] = [];
  if (file.text.slice(span.start, span.end) !== commit) edits.push({ span, newText: commit });
  if (comment !== null) {
    const existing = trailingComment(file, site, uses.ref);
    if (existing === null) {
      const at = site.entry.valueSpan.end;
      edits.push({ span: { start: at, end: at }, newText: ` # ${comment}` });
    } else if (existing !== 'blocked') {
      if (existing.version) {
        if (existing.version.text !== comment) edits.push({ span: existing.version.span, newText: comment });
      } else {
        const afterHash = file.text.charAt(existing.hash + 1);
        edits.push({ span: { start: existing.hash + 1, end: existing.hash + 1 }, newText: ` ${comment} #${afterHash === ' ' ? '' : ' '}` });
      }
    }
  }
  return edits;
}

// ---------------------------------------------------------------------------------------------------
// Planning a pin from a snapshot of resolution results (pure).

export type PinPlan =
  | { ok: true; commit: string; comment: string | null; via: 'tag' | 'branch' | 'sha'; fix: Fix }
  | { ok: false; reason: string };

const short = (sha: string) => sha.slice(0, 12);

/** The pin fix for an unpinned remote `uses:`, or why there is none. Never guesses: no data, no pin. */
export function planPin(file: ParsedFile, site: UsesSite, snapshot: OnlineSnapshot | undefined): PinPlan {
  const uses = resolvableRemote(site);
  if (!uses || uses.refKind === 'sha') return { ok: false, reason: 'nothing to pin' };
  if (!snapshot) return { ok: false, reason: 'tags are still being resolved' };
  if (snapshot.offline) return { ok: false, reason: 'offline mode is on, so tags are not resolved and no pin can be computed' };
  const target = usesTarget(uses);
  if (uses.refKind === 'short-sha') {
    const expanded = snapshot.shortShas.get(`${repoKey(uses.owner, uses.repo)}@${uses.ref}`);
    if (!expanded) return { ok: false, reason: 'the abbreviated SHA was not resolved' };
    if (!expanded.ok) return { ok: false, reason: `could not expand \`${uses.ref}\`: ${expanded.error.message}` };
    const refs = refsFor(snapshot, uses);
    const comment = refs?.ok ? chooseVersionComment(refs.value, expanded.value, null) : null;
    const edits = pinEdits(file, site, uses, expanded.value, comment && parseVersion(comment) ? comment : null);
    if (!edits) return { ok: false, reason: 'the `uses:` value is not written plainly enough to edit exactly' };
    return {
      ok: true,
      commit: expanded.value,
      comment,
      via: 'sha',
      fix: { title: `Expand to the full commit SHA ${short(expanded.value)}…`, isPreferred: true, safety: 'safe', edits },
    };
  }
  const refs = refsFor(snapshot, uses);
  if (!refs) return { ok: false, reason: `${uses.repository} was not resolved` };
  if (!refs.ok) return { ok: false, reason: `could not resolve ${uses.repository}: ${refs.error.message}` };
  const found = findRef(refs.value, uses.ref!);
  if (found.tag && found.branch && found.tag.commit !== found.branch.commit) {
    return {
      ok: false,
      reason: `\`${uses.ref}\` is both a tag and a branch of ${uses.repository} on different commits; pin by hand after choosing`,
    };
  }
  const ref = found.branch ?? found.tag;
  if (!ref) return { ok: false, reason: `${uses.repository} has no tag or branch named \`${uses.ref}\`` };
  const isBranch = !found.tag;
  const comment = isBranch ? uses.ref! : chooseVersionComment(refs.value, ref.commit, uses.ref);
  const edits = pinEdits(file, site, uses, ref.commit, comment);
  if (!edits) return { ok: false, reason: 'the `uses:` value is not written plainly enough to edit exactly' };
  const fix: Fix = isBranch
    ? { title: `Pin ${target} to the current commit of ${uses.ref} (${short(ref.commit)}…)`, isPreferred: false, safety: 'safe', edits }
    : { title: `Pin ${target} to ${short(ref.commit)}… # ${comment}`, isPreferred: true, safety: 'safe', edits };
  return { ok: true, commit: ref.commit, comment, via: isBranch ? 'branch' : 'tag', fix };
}

/** For an already pinned `uses:`: the newest release when it is newer than the pinned one. */
export function planUpdate(
  file: ParsedFile,
  site: UsesSite,
  snapshot: OnlineSnapshot | undefined,
): { fix: Fix; from: string | null; to: string } | null {
  const uses = resolvableRemote(site);
  if (!uses || uses.refKind !== 'sha' || !snapshot) return null;
  const refs = refsFor(snapshot, uses);
  if (!refs?.ok) return null;
  const claimed = versionComment(file, site)?.text ?? null;
  const current = claimed && parseVersion(claimed) ? claimed : chooseVersionComment(refs.value, uses.ref!, null);
  const currentVersion = current ? parseVersion(current) : null;
  const latest = latestRelease(refs.value, currentVersion?.prefix ?? null) ?? latestRelease(refs.value);
  if (!latest || latest.commit === uses.ref) return null;
  if (currentVersion && compareVersionsDesc(parseVersion(latest.name), currentVersion) >= 0) return null;
  const edits = pinEdits(file, site, uses, latest.commit, latest.name);
  if (!edits) return null;
  return {
    fix: {
      title: `Update ${usesTarget(uses)} to ${latest.name} (latest release, ${short(latest.commit)}…)`,
      isPreferred: false,
      safety: 'unsafe',
      edits,
    },
    from: current,
    to: latest.name,
  };
}

// ---------------------------------------------------------------------------------------------------
// Updates with a minimum release age (pure: the release dates come in the snapshot).

export type UpdateSize = 'major' | 'minor' | 'patch';

/** The size of the step from `from` to `to` (semantic versioning); null when `from` is unknown. */
export function updateSize(from: Version | null, to: Version): UpdateSize | null {
  if (!from) return null;
  if ((from.parts[0] ?? 0) !== (to.parts[0] ?? 0)) return 'major';
  if ((from.parts[1] ?? 0) !== (to.parts[1] ?? 0)) return 'minor';
  return 'patch';
}

/** How old a release must be before an update to it is the preferred one, by update size (null: unknown size). */
export interface ReleaseAgePolicy {
  now: number;
  minAgeDays(size: UpdateSize | null): number;
  /** Where the minimum comes from, for titles (`actionsWarden.pinning.minReleaseAgeDays`, Dependabot's cooldown...). */
  source?: string;
}

export interface UpdateCandidates {
  uses: RemoteUses;
  /** The version the pin claims or is tagged with (null: unknown). */
  current: string | null;
  /** Releases newer than the current one, newest first (the current commit excluded). */
  releases: { name: string; commit: string }[];
}

/** At most this many releases are dated to find the newest one old enough. */
export const MAX_DATED_RELEASES = 5;

/**
 * For a pinned `uses:`: the releases an update could go to, newest first; null when there is nothing newer.
 * With `tags`, a `uses:` on a full release tag (`v1.2.3`, locked in actions.lock) is a candidate too: its
 * tag is the current version and the update rewrites the tag.
 */
export function updateCandidates(
  file: ParsedFile,
  site: UsesSite,
  snapshot: OnlineSnapshot | undefined,
  tags = false,
): UpdateCandidates | null {
  const uses = resolvableRemote(site);
  if (!snapshot || !uses?.ref) return null;
  const onTag = tags && isReleaseTagRef(uses);
  if (uses.refKind !== 'sha' && !onTag) return null;
  const refs = refsFor(snapshot, uses);
  if (!refs?.ok) return null;
  const claimed = onTag ? uses.ref : (versionComment(file, site)?.text ?? null);
  const current = claimed && parseVersion(claimed) ? claimed : chooseVersionComment(refs.value, uses.ref, null);
  const currentVersion = current ? parseVersion(current) : null;
  const currentCommit = onTag ? (findRef(refs.value, uses.ref).tag?.commit ?? null) : uses.ref;
  if (onTag && currentCommit === null) return null;
  const release = (prefix: 'v' | '' | null) =>
    refs.value.tags
      .map((tag) => ({ tag, version: parseVersion(tag.name) }))
      .filter(
        (entry) =>
          isFullVersion(entry.version) && entry.version.prerelease === null && (prefix === null || entry.version.prefix === prefix),
      )
      .sort((a, b) => compareVersionsDesc(a.version, b.version));
  let entries = release(currentVersion?.prefix ?? null);
  if (entries.length === 0) entries = release(null);
  const seen = new Set<string>();
  const releases = entries
    .filter((entry) => !currentVersion || compareVersionsDesc(entry.version, currentVersion) < 0)
    .filter((entry) => entry.tag.commit !== currentCommit && !seen.has(entry.tag.commit) && seen.add(entry.tag.commit))
    .map((entry) => ({ name: entry.tag.name, commit: entry.tag.commit }));
  return releases.length > 0 ? { uses, current, releases } : null;
}

/** A `uses:` whose ref is a full release tag (`v1.2.3`, `1.2.3`; no pre-release): what update-all moves in a lock. */
export function isReleaseTagRef(uses: RemoteUses): boolean {
  if (uses.refKind !== 'version' || !uses.ref) return false;
  const version = parseVersion(uses.ref);
  return isFullVersion(version) && version.prerelease === null;
}

/** `3 hours`, `1 day`, `12 days`. */
export function describeAge(ms: number): string {
  const hours = Math.max(0, Math.floor(ms / 3_600_000));
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'}`;
  const days = Math.floor(hours / 24);
  return `${days} days`;
}

export interface PlannedUpdate {
  fix: Fix;
  to: string;
  size: UpdateSize | null;
  /** Release age in ms (null: the date could not be looked up). */
  ageMs: number | null;
  /** Old enough under the policy. */
  ripe: boolean;
}

/**
 * The update actions of a pinned `uses:`: to the newest release when it is old enough (preferred); when it
 * is younger than the minimum (or its date is unknown), that update is offered only as a non-preferred
 * action saying how old it is, with the newest release that is old enough as the preferred one.
 */
export function planUpdates(
  file: ParsedFile,
  site: UsesSite,
  snapshot: OnlineSnapshot | undefined,
  policy: ReleaseAgePolicy,
  tags = false,
): PlannedUpdate[] {
  const candidates = updateCandidates(file, site, snapshot, tags);
  if (!candidates || !snapshot) return [];
  const { uses, current, releases } = candidates;
  const currentVersion = current ? parseVersion(current) : null;
  const target = usesTarget(uses);
  const plan = (release: { name: string; commit: string }, latest: boolean): PlannedUpdate | null => {
    const size = updateSize(currentVersion, parseVersion(release.name)!);
    const dated = snapshot.releaseDates?.get(releaseDateKey(uses.owner, uses.repo, release.name));
    const ageMs = dated?.ok ? policy.now - dated.value.at : null;
    const minDays = policy.minAgeDays(size);
    const ripe = minDays <= 0 || (ageMs !== null && ageMs >= minDays * 86_400_000);
    const edits = uses.refKind === 'sha' ? pinEdits(file, site, uses, release.commit, release.name) : tagEdits(site, uses, release.name);
    if (!edits) return null;
    const sizeText = size ? `, ${size} update` : '';
    const what = latest ? 'latest release' : `newest release older than ${minDays} day${minDays === 1 ? '' : 's'}`;
    const age =
      ageMs === null
        ? minDays > 0
          ? `release date unknown${dated && !dated.ok ? ` (${dated.error.message})` : ''}, so the ${minDays}-day minimum release age cannot be checked`
          : 'release date unknown'
        : `${describeAge(ageMs)} old`;
    const title = ripe
      ? `Update ${target} to ${release.name} (${what}, ${age}${sizeText})`
      : ageMs === null
        ? `Update ${target} to ${release.name} (${what}; ${age}${sizeText})`
        : `Update ${target} to ${release.name} (${what}, only ${age}: younger than the ${minDays}-day minimum release age${sizeText})`;
    return { fix: { title, isPreferred: ripe, safety: 'unsafe', edits }, to: release.name, size, ageMs, ripe };
  };
  const newest = plan(releases[0], true);
  if (!newest) return [];
  if (newest.ripe) return [newest];
  const updates = [newest];
  for (const release of releases.slice(1, MAX_DATED_RELEASES)) {
    const older = plan(release, false);
    if (older?.ripe && older.ageMs !== null) {
      updates.unshift(older);
      break;
    }
  }
  return updates;
}

/** The edit writing `tag` in place of a `uses:`'s tag: only the ref's characters; null when the scalar is not written plainly. */
function tagEdits(site: UsesSite, uses: RemoteUses, tag: string): OffsetEdit[] | null {
  const span = refSpan(site, uses);
  return span ? [{ span, newText: tag }] : null;
}
