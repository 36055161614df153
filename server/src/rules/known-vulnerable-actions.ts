import { advisoriesFor, type Advisory, type VersionRange } from '../knowledge/advisories';
import { usesTarget } from '../parse/uses';
import { parseVersion, usesCommentVersion, type LooseVersion } from './support/catalogue';
import type { Confidence, Fix, Rule } from './types';

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
  if (introduced && compare(v, introduced) < 0) return false;
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

function ids(advisory: Advisory): string {
  return advisory.cve ? `${advisory.ghsa} / ${advisory.cve}` : advisory.ghsa;
}

function upgrade(advisory: Advisory): string {
  return advisory.patchedTag ? `; upgrade to ${advisory.patchedTag} or later` : '';
}

export const knownVulnerableActions: Rule = {
  id: 'known-vulnerable-actions',
  title: 'Action version with a published advisory',
  kinds: ['workflow', 'action'],
  severity: 'high',
  confidence: 'high',
  persona: 'regular',
  docs: {
    summary: 'A `uses:` names an action version (by tag, by the version comment of a SHA pin, or by a known-malicious commit) that a public GitHub advisory lists as compromised or vulnerable.',
    why: 'In March 2025 the tags of `tj-actions/changed-files` (CVE-2025-30066) were moved to a commit that printed the runner\'s secrets into public logs, after a similar compromise of `reviewdog/action-setup@v1` (CVE-2025-30154). In March 2026 the tags of `aquasecurity/trivy-action` and `aquasecurity/setup-trivy` were force-pushed to a credential stealer (CVE-2026-33634). Other actions shipped injection bugs fixed in a later release. Workflows still naming those versions or commits remain exposed, or were exposed while the bad code was live.',
    fix: 'Move to the first patched release (pinned by SHA with a version comment), and rotate any secret the job could read while a compromised version ran.',
  },
  check({ file, report }) {
    for (const site of file.uses) {
      const reference = site.reference;
      if (reference.kind !== 'remote' || !reference.ref) continue;
      const advisories = advisoriesFor(reference.repository);
      if (advisories.length === 0) continue;
      const target = usesTarget(reference);
      const refSpan = site.exact
        ? { start: site.valueStart + reference.refStart, end: site.valueStart + reference.refEnd }
        : site.entry.valueSpan;
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
          const version = usesCommentVersion(file, site);
          // A moving comment (`# v4`) on a pin names a series: only a series affected to its end says something.
          if (version && verdict(version, advisory) === 'affected') {
            report({
              span: refSpan,
              message: `\`${target}\` is pinned to a commit commented as \`${version}\`, affected by ${ids(advisory)}: ${advisory.summary}${upgrade(advisory)}`,
              severity: advisory.severity,
              confidence: 'medium',
            });
          }
          continue;
        }
        if (reference.refKind !== 'version') continue;
        const result = verdict(reference.ref, advisory);
        if (result === 'clear') continue;
        const moving = (parseVersion(reference.ref)?.written ?? 3) < 3;
        const confidence: Confidence = result === 'affected' ? 'high' : 'medium';
        const fixes: Fix[] = [];
        if (advisory.patchedTag && site.exact) {
          fixes.push({
            title: `Upgrade ${target} to ${advisory.patchedTag} (then pin it by SHA)`,
            isPreferred: false,
            safety: 'unsafe',
            edits: [{ span: refSpan, newText: advisory.patchedTag }],
          });
        }
        const lead = result === 'maybe'
          ? `\`${target}@${reference.ref}\` is a moving tag whose series includes versions affected by ${ids(advisory)} (${advisory.summary}); it is safe only if the tag now points at the fix${advisory.patchedTag ? ` (${advisory.patchedTag})` : ''} or later — pin a patched release by SHA`
          : `\`${target}@${reference.ref}\`${moving ? ' (a moving tag whose newest release is affected)' : ''} is affected by ${ids(advisory)}: ${advisory.summary}${upgrade(advisory)}`;
        report({
          span: refSpan,
          message: advisory.kind === 'compromise' && result === 'affected'
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
