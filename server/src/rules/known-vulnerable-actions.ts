import type { ParsedFile, UsesSite } from '../parse/document';
import { advisoriesFor, type Advisory, type VersionRange } from '../knowledge/advisories';
import { pinEdits } from '../fixes/pin';
import { usesTarget, type RemoteUses } from '../parse/uses';
import type { OnlineAdvisory } from '../resolve/advisories';
import { advisoriesFor as onlineAdvisoriesFor, refsFor, type OnlineSnapshot } from '../resolve/snapshot';
import type { RepoRefs } from '../resolve/types';
import { isFullVersion, parseVersion as parseTagVersion, tagsAt } from '../resolve/versions';
import { parseVersion, usesCommentVersion, type LooseVersion } from './support/version-comments';
import { refOrValueSpan } from './support/resolved-uses';
import type { Rule } from './types';
import { viewValue } from '../views';
import type { Confidence, Fix } from '../findings';
import { trimEndOf, trimEndOfSpaceAnd } from '../parse/strings';

/**
 * How a written version relates to an advisory:
 * - `affected`: the version (or, for a moving tag such as `v4`, the newest release of its series) is in a range;
 * - `maybe`: a moving tag whose series holds both affected and fixed releases — it is safe only if the
 *   tag has been moved past the fix, which cannot be known offline;
 * - `clear`: outside every range.
 */
type Verdict = 'affected' | 'maybe' | 'clear';

const WIDTH = 4;

function tuple(version: LooseVersion): number[] {
  return Array.from({ length: WIDTH }, (_, i) => version.parts[i] ?? 0);
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < WIDTH; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

function bound(text: string | undefined): number[] | null {
  if (!text) return null;
  const parsed = parseVersion(text);
  return parsed ? tuple(parsed) : null;
}

/** Exact version (every component written, or `v2.0.1`): inside `[introduced, fixed)` / `[introduced, lastAffected]`. */
function exactIn(version: LooseVersion, range: VersionRange): boolean {
  const v = tuple(version);
  const introduced = bound(range.introduced);
  if (introduced && (compare(v, introduced) < 0 || (range.introducedExclusive && compare(v, introduced) === 0))) return false;
  const fixed = bound(range.fixed);
  // A prerelease of the fixed version (`4.1.3-rc.1`) comes before it.
  if (fixed && (compare(v, fixed) > 0 || (compare(v, fixed) === 0 && !version.prerelease))) return false;
  const last = bound(range.lastAffected);
  if (last && compare(v, last) > 0) return false;
  return true;
}

/**
 * A moving tag (`v4`, `v4.1`) names a series `[start, end)`. Its newest release is affected when a range
 * starts before `end` and has no upper bound or one at or past `end`; the series merely overlaps a range
 * when the range starts before `end` and ends after `start`. An inclusive `lastAffected` inside the series
 * never proves the newest release affected (a later patch may exist).
 */
function seriesVerdict(version: LooseVersion, range: VersionRange): Verdict {
  const start = tuple(version);
  const end = start.slice();
  end[version.written - 1] += 1;
  const introduced = bound(range.introduced) ?? [0, 0, 0, 0];
  if (compare(introduced, end) >= 0) return 'clear';
  const fixed = bound(range.fixed);
  const last = bound(range.lastAffected);
  if (!fixed && !last) return 'affected';
  if (fixed && compare(fixed, end) >= 0) return 'affected';
  if (last && compare(last, end) >= 0) return 'affected';
  const overlaps = (fixed !== null && compare(fixed, start) > 0) || (last !== null && compare(last, start) >= 0);
  return overlaps ? 'maybe' : 'clear';
}

export function verdict(text: string, advisory: Advisory): Verdict {
  const version = parseVersion(text);
  if (!version) return 'clear';
  let result: Verdict = 'clear';
  for (const range of advisory.ranges) {
    const one: Verdict = version.written >= 3 ? (exactIn(version, range) ? 'affected' : 'clear') : seriesVerdict(version, range);
    if (one === 'affected') return 'affected';
    if (one === 'maybe') result = 'maybe';
  }
  return result;
}

/** A bundled advisory, or one of GitHub's database (online) converted to the same shape. */
type Known = Advisory & { online?: boolean; firstPatched?: string };

function ids(advisory: Known): string {
  return advisory.cve ? `${advisory.ghsa} / ${advisory.cve}` : advisory.ghsa;
}

function upgrade(advisory: Known): string {
  if (advisory.patchedTag) return `; upgrade to ${advisory.patchedTag} or later`;
  return advisory.firstPatched ? `; the first patched version is ${advisory.firstPatched}` : '';
}

/** The tag of `refs` naming `version` (`4.1.3` or `v4.1.3`), exact spelling first. */
function tagFor(refs: RepoRefs | undefined, version: string | undefined): string | undefined {
  if (!refs || !version) return undefined;
  const bare = version.replace(/^v/, '');
  return (refs.tags.find((tag) => tag.name === version) ?? refs.tags.find((tag) => tag.name.replace(/^v/, '') === bare))?.name;
}

/** Whether an online advisory's package is what `uses` runs: the repository itself, or its exact subpath. */
function concerns(advisory: OnlineAdvisory, uses: RemoteUses): boolean {
  const repository = uses.repository.toLowerCase();
  if (advisory.packageName === repository) return true;
  return uses.subpath !== null && advisory.packageName === `${repository}/${trimEndOf(uses.subpath, '/')}`.toLowerCase();
}

/**
 * The advisories for a `uses:`: the bundled table, plus GitHub's database when it was queried (online,
 * with a token). Deduplicated by GHSA id; the bundled entry wins (it knows malicious commits and kinds).
 */
function knownFor(uses: RemoteUses, snapshot: OnlineSnapshot | undefined, refs: RepoRefs | undefined): Known[] {
  const bundled: Known[] = [...advisoriesFor(uses.repository)];
  const online = snapshot ? onlineAdvisoriesFor(snapshot, uses) : undefined;
  if (!online) return bundled;
  const seen = new Set(bundled.map((advisory) => advisory.ghsa));
  const merged = new Map<string, Known>();
  for (const advisory of online) {
    if (seen.has(advisory.ghsa) || !concerns(advisory, uses)) continue;
    const existing = merged.get(advisory.ghsa);
    if (existing) {
      // One advisory with several ranges for this package (several vulnerabilities entries).
      existing.ranges = [...existing.ranges, ...advisory.ranges];
      continue;
    }
    const entry: Known = {
      repository: uses.repository.toLowerCase(),
      ghsa: advisory.ghsa,
      severity: advisory.severity,
      kind: 'vulnerability',
      summary: `${trimEndOfSpaceAnd(advisory.summary, '.')} (GitHub advisory database, affected ${advisory.rangeText})`,
      ranges: advisory.ranges,
      source: advisory.url ?? `${snapshot!.serverUrl}/advisories/${advisory.ghsa}`,
      online: true,
    };
    if (advisory.cve) entry.cve = advisory.cve;
    if (advisory.firstPatched) entry.firstPatched = advisory.firstPatched;
    const patchedTag = tagFor(refs, advisory.firstPatched);
    if (patchedTag) entry.patchedTag = patchedTag;
    merged.set(advisory.ghsa, entry);
  }
  return [...bundled, ...merged.values()];
}

/** The release a pinned commit is: its highest full version tag (`v4.1.2`), or null when none. */
function taggedVersion(refs: RepoRefs | undefined, sha: string): string | null {
  if (!refs) return null;
  for (const name of tagsAt(refs, sha)) if (isFullVersion(parseTagVersion(name))) return name;
  return null;
}

/** The bump fix through the pinning resolver: the first patched tag's commit with its version comment. */
function bumpFix(file: ParsedFile, site: UsesSite, uses: RemoteUses, refs: RepoRefs | undefined, advisory: Known): Fix | null {
  if (!refs || !advisory.patchedTag) return null;
  const tag = refs.tags.find((candidate) => candidate.name === advisory.patchedTag);
  if (!tag || tag.commit === uses.ref) return null;
  const edits = pinEdits(file, site, uses, tag.commit, tag.name);
  if (!edits || edits.length === 0) return null;
  return {
    title: `Upgrade ${usesTarget(uses)} to ${tag.name} (${tag.commit.slice(0, 12)}…), the first patched release`,
    isPreferred: false,
    safety: 'unsafe',
    edits,
  };
}

export const knownVulnerableActions: Rule = {
  id: 'known-vulnerable-actions',
  title: 'Action version with a published advisory',
  kinds: ['workflow', 'action'],
  severity: 'high',
  confidence: 'high',
  persona: 'regular',
  online: false,
  reads: ['online'],
  docs: {
    summary:
      'A `uses:` names an action version (by tag, by the version comment of a SHA pin, or by a known-malicious commit) that a public GitHub advisory lists as compromised or vulnerable.',
    why: "In March 2025 the tags of `tj-actions/changed-files` (CVE-2025-30066) were moved to a commit that printed the runner's secrets into public logs, after a similar compromise of `reviewdog/action-setup@v1` (CVE-2025-30154). In March 2026 the tags of `aquasecurity/trivy-action` and `aquasecurity/setup-trivy` were force-pushed to a credential stealer (CVE-2026-33634). Other actions shipped injection bugs fixed in a later release. Workflows still naming those versions or commits remain exposed, or were exposed while the bad code was live.",
    fix: 'Move to the first patched release (pinned by SHA with a version comment), and rotate any secret the job could read while a compromised version ran.',
    onlineLookup: 'the advisory database lookup',
  },
  check({ file, online, report }) {
    const snapshot = viewValue(online);
    for (const site of file.uses) {
      const reference = site.reference;
      if (reference.kind !== 'remote' || !reference.ref) continue;
      const resolved = snapshot ? refsFor(snapshot, reference) : undefined;
      const refs = resolved?.ok ? resolved.value : undefined;
      const advisories = knownFor(reference, snapshot, refs);
      if (advisories.length === 0) continue;
      const target = usesTarget(reference);
      const refSpan = refOrValueSpan(site, reference);
      for (const advisory of advisories) {
        // Hex is case-insensitive: an upper-case spelling of a malicious commit is still that commit.
        const sha = /^[0-9a-f]{40}$/i.test(reference.ref) ? reference.ref.toLowerCase() : null;
        if (sha) {
          if (advisory.badCommits?.includes(sha)) {
            report({
              span: refSpan,
              message: `\`${target}@${reference.ref.slice(0, 12)}…\` is the malicious commit of ${ids(advisory)}: ${advisory.summary}. Rotate every secret this job could read${upgrade(advisory)}`,
              severity: advisory.severity,
              confidence: 'high',
            });
            continue;
          }
          // A SHA pin to a legitimate commit was never touched by a tag compromise.
          if (advisory.kind === 'compromise') continue;
          // Online, the tags at the pinned commit say which release it is; else the version comment.
          const tagged = taggedVersion(refs, sha);
          const version = tagged ?? usesCommentVersion(file, site);
          // A moving comment (`# v4`) on a pin names a series: only a series affected to its end says something.
          if (version && verdict(version, advisory) === 'affected') {
            const fix = bumpFix(file, site, reference, refs, advisory);
            report({
              span: refSpan,
              message: `\`${target}\` is pinned to a commit ${tagged ? 'tagged' : 'commented as'} \`${version}\`, affected by ${ids(advisory)}: ${advisory.summary}${upgrade(advisory)}`,
              severity: advisory.severity,
              confidence: tagged ? 'high' : 'medium',
              fixes: fix ? [fix] : [],
            });
          }
          continue;
        }
        if (reference.refKind !== 'version') continue;
        const moving = (parseVersion(reference.ref)?.written ?? 3) < 3;
        // Online, a moving tag (`v4`) is the release its commit carries now (`v4.2.2`): no guessing.
        const movingTag = moving && refs ? refs.tags.find((tag) => tag.name === reference.ref) : undefined;
        const now =
          movingTag && !refs!.branches.some((branch) => branch.name === reference.ref) ? taggedVersion(refs, movingTag.commit) : null;
        if (now && verdict(now, advisory) !== 'affected') continue;
        const result = now ? 'affected' : verdict(reference.ref, advisory);
        if (result === 'clear') continue;
        const confidence: Confidence = result === 'affected' ? 'high' : 'medium';
        const fixes: Fix[] = [];
        const bump = bumpFix(file, site, reference, refs, advisory);
        if (bump) fixes.push(bump);
        else if (advisory.patchedTag && site.exact) {
          fixes.push({
            title: `Upgrade ${target} to ${advisory.patchedTag} (then pin it by SHA)`,
            isPreferred: false,
            safety: 'unsafe',
            edits: [{ span: refSpan, newText: advisory.patchedTag }],
          });
        }
        const lead =
          result === 'maybe'
            ? `\`${target}@${reference.ref}\` is a moving tag whose series includes versions affected by ${ids(advisory)} (${advisory.summary}); it is safe only if the tag now points at the fix${advisory.patchedTag ? ` (${advisory.patchedTag})` : advisory.firstPatched ? ` (${advisory.firstPatched})` : ''} or later — pin a patched release by SHA`
            : `\`${target}@${reference.ref}\`${now ? ` (a moving tag, now at \`${now}\`)` : moving ? ' (a moving tag whose newest release is affected)' : ''} is affected by ${ids(advisory)}: ${advisory.summary}${upgrade(advisory)}`;
        report({
          span: refSpan,
          message:
            advisory.kind === 'compromise' && result === 'affected'
              ? `${lead}. If a run used this tag while it was compromised, rotate every secret the job could read`
              : lead,
          severity: advisory.severity,
          confidence,
          ...(result === 'maybe' ? { persona: 'pedantic' as const } : {}),
          fixes,
        });
      }
    }
  },
};
