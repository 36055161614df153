/**
 * Hover on a remote `uses:`: what the ref resolves to (tag → commit) or which tags point at a pinned SHA,
 * whether the version comment tells the truth, the newest release, and links. Offline, it says so.
 */
import type { Analysis } from '../../document-cache';
import { describeAge, updateCandidates, updateSize, versionComment, type ReleaseAgePolicy } from '../../fixes/pin';
import { commentAgreement, knownRelease } from '../../knowledge/release-commits';
import type { ParsedFile, UsesSite } from '../../parse/document';
import { membershipFor, refsFor, releaseDateKey, resolvableRemote, snapshotOf, type OnlineSnapshot } from '../../resolve/snapshot';
import type { RemoteUses } from '../../parse/uses';
import type { ReleaseDates } from '../pinning';
import { findRef } from '../../resolve/types';
import { latestRelease, parseVersion, tagsAt } from '../../resolve/versions';
import { ONLINE_CHECKS } from '../online';
import { inside, type HoverSection } from '../hover';

const code = (text: string) => `\`${text}\``;

/** The minimum release age that applied when the hover's dates were looked up, per parsed file. */
const POLICIES = new WeakMap<ParsedFile, ReleaseAgePolicy>();

/**
 * Before the hover of a pinned `uses:`: looks up the release dates of its current version and of the newest
 * release (cached), so the hover can show them.
 */
export async function prepareUsesHover(
  analysis: Analysis,
  offset: number,
  dates: ReleaseDates,
  policy: () => ReleaseAgePolicy,
): Promise<void> {
  const file = analysis.file;
  const site = file.uses.find((candidate) => inside(candidate.entry.valueSpan, offset));
  const snapshot = snapshotOf(file);
  if (!site || !snapshot || snapshot.offline) return;
  const candidates = updateCandidates(file, site, snapshot);
  if (!candidates) return;
  POLICIES.set(file, policy());
  const wanted = [candidates.releases[0]];
  if (candidates.current) wanted.push({ name: candidates.current, commit: candidates.uses.ref! });
  await dates.lookupReleaseDates(snapshot, candidates.uses, wanted);
}

function releasedText(snapshot: OnlineSnapshot, uses: RemoteUses, tag: string, now: number): string {
  const dated = snapshot.releaseDates?.get(releaseDateKey(uses.owner, uses.repo, tag));
  if (!dated) return '';
  if (!dated.ok) return ` (release date unknown: ${dated.error.message})`;
  const day = new Date(dated.value.at).toISOString().slice(0, 10);
  return `, ${dated.value.source === 'release' ? 'released' : 'committed'} ${day} (${describeAge(now - dated.value.at)} ago)`;
}

/** Current and latest versions with their dates, the update's size and a compare link (pinned uses with a newer release). */
function updateLines(file: ParsedFile, snapshot: OnlineSnapshot, site: ParsedFile['uses'][number], base: string): string[] {
  const candidates = updateCandidates(file, site, snapshot);
  if (!candidates) return [];
  const policy = POLICIES.get(file);
  const now = policy?.now ?? Date.now();
  const { uses, current, releases } = candidates;
  const latest = releases[0];
  const size = updateSize(current ? parseVersion(current) : null, parseVersion(latest.name)!);
  const from = current ?? uses.ref!;
  const lines: string[] = [];
  if (current) lines.push(`Current: ${code(current)}${releasedText(snapshot, uses, current, now)}`);
  lines.push(
    `Latest: ${code(latest.name)}${releasedText(snapshot, uses, latest.name, now)}${size ? ` · ${size} update` : ''} · [compare](${base}/compare/${encodeURIComponent(from)}...${encodeURIComponent(latest.name)})`,
  );
  const dated = snapshot.releaseDates?.get(releaseDateKey(uses.owner, uses.repo, latest.name));
  const minDays = policy?.minAgeDays(size) ?? 0;
  if (dated?.ok && minDays > 0 && now - dated.value.at < minDays * 86_400_000)
    lines.push(
      `⏳ ${code(latest.name)} is younger than the ${minDays}-day minimum release age: the update to it is offered but not preferred.`,
    );
  return [lines.join('  \n')];
}

export function pinningHover(analysis: Analysis, offset: number): HoverSection[] {
  const file = analysis.file;
  const site = file.uses.find((candidate) => inside(candidate.entry.valueSpan, offset));
  const uses = site && resolvableRemote(site);
  if (!site || !uses) return [];
  const span = site.entry.valueSpan;
  const snapshot = snapshotOf(file);
  const title = `**${uses.repository}**${uses.subpath ? ` · ${code(uses.subpath)}` : ''} @ ${code(uses.ref!)}`;
  const known = bundledRelease(analysis, site, uses);
  if (!snapshot) return [{ markdown: [title, ...known, 'Resolving tags…'].join('\n\n'), span }];
  if (snapshot.offline) {
    return [{ markdown: [title, ...known, `_Offline mode: no request is made, so ${ONLINE_CHECKS} are off._`].join('\n\n'), span }];
  }
  const refs = refsFor(snapshot, uses);
  if (!refs) return [{ markdown: [title, ...known, 'Not resolved.'].join('\n\n'), span }];
  if (!refs.ok)
    return [
      {
        markdown: [title, ...known, `Could not resolve: ${refs.error.message}. No pin is offered until it resolves.`].join('\n\n'),
        span,
      },
    ];
  const base = `${snapshot.serverUrl}/${uses.repository}`;
  const lines: string[] = [title];
  if (snapshot.advisoriesSkipped)
    lines.push(`_GitHub's advisory database was not queried: ${snapshot.advisoriesSkipped}. Only the bundled advisories are checked._`);
  const latest = latestRelease(refs.value, parseVersion(uses.ref!)?.prefix ?? null) ?? latestRelease(refs.value);
  if (uses.refKind === 'sha') {
    const sha = uses.ref!;
    const tags = tagsAt(refs.value, sha);
    lines.push(
      tags.length > 0
        ? `Commit ${code(sha.slice(0, 12))} is tagged ${tags.map(code).join(', ')}.`
        : `No tag points at ${code(sha.slice(0, 12))}.`,
    );
    const claimed = versionComment(file, site);
    if (claimed) {
      const tag = findRef(refs.value, claimed.text).tag;
      lines.push(
        tag?.commit === sha
          ? `✓ The comment ${code(`# ${claimed.text}`)} is true.`
          : `⚠ The comment ${code(`# ${claimed.text}`)} is false: ${tag ? `${code(claimed.text)} is ${code(tag.commit.slice(0, 12))}` : `there is no tag ${code(claimed.text)}`}.`,
      );
    }
    const membership = membershipFor(snapshot, uses);
    if (membership?.status === 'impostor')
      lines.push(`⚠ No branch or tag of ${uses.repository} contains this commit: it comes from a fork.`);
    else if (membership?.status === 'reachable') lines.push(`In the history of ${membership.via}.`);
    else if (membership?.status === 'unknown')
      lines.push(`Could not check that the commit belongs to ${uses.repository}: ${membership.reason}.`);
    lines.push(`[commit](${base}/commit/${sha})`);
    const updates = updateLines(file, snapshot, site, base);
    if (updates.length > 0) lines.push(...updates);
    else if (latest && latest.commit === sha) lines.push(`This is the newest release (${code(latest.name)}).`);
    else if (latest) lines.push(`Newest release: ${code(latest.name)} · [compare](${base}/compare/${sha}...${latest.name})`);
  } else if (uses.refKind !== 'short-sha') {
    const found = findRef(refs.value, uses.ref!);
    if (found.branch) {
      lines.push(
        `${code(uses.ref!)} is a **branch** at ${code(found.branch.commit.slice(0, 12))}: every push to it changes the code this workflow runs. A pin to its current commit freezes today's code, but nothing tells you which release it was.`,
      );
      if (found.tag)
        lines.push(`⚠ ${code(uses.ref!)} is also a tag (${code(found.tag.commit.slice(0, 12))}); the branch wins at run time.`);
    } else if (found.tag) {
      const tagged = tagsAt(refs.value, found.tag.commit).filter((name) => name !== uses.ref);
      lines.push(
        `Tag ${code(uses.ref!)} → commit ${code(found.tag.commit)}${found.tag.tagObject ? ' (annotated tag, peeled)' : ''}${tagged.length > 0 ? `, also tagged ${tagged.map(code).join(', ')}` : ''}.`,
      );
    } else lines.push(`${uses.repository} has no tag or branch ${code(uses.ref!)}.`);
    if (latest) lines.push(`Newest release: ${code(latest.name)} (${code(latest.commit.slice(0, 12))}).`);
    lines.push(`[repository](${base}) · [${uses.ref}](${base}/tree/${encodeURIComponent(uses.ref!)})`);
  }
  return [{ markdown: lines.join('\n\n'), span }];
}

/** The version line of a SHA pin the bundled release table knows, with whether its comment agrees; empty otherwise. */
function bundledRelease(analysis: Analysis, site: UsesSite, uses: RemoteUses): string[] {
  if (uses.refKind !== 'sha') return [];
  const release = knownRelease(uses.repository, uses.ref!);
  if (!release) return [];
  const others = release.tags.filter((tag) => tag !== release.version);
  const lines = [
    `Commit ${code(uses.ref!.slice(0, 12))} is release ${code(release.version)} of ${release.repository}${others.length > 0 ? ` (also ${others.map(code).join(', ')})` : ''}, from the bundled release table.`,
  ];
  const claimed = versionComment(analysis.file, site);
  const agreement = claimed ? commentAgreement(release, claimed.text) : 'unknown';
  if (claimed && agreement === 'agrees') lines.push(`✓ The comment ${code(`# ${claimed.text}`)} agrees.`);
  else if (claimed && agreement === 'disagrees')
    lines.push(`⚠ The comment ${code(`# ${claimed.text}`)} is false: the commit is ${code(release.version)}.`);
  return lines;
}
