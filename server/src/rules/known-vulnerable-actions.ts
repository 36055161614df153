import { advisoriesFor, type Advisory } from '../knowledge/advisories';
import { usesTarget } from '../parse/uses';
import { compareFloating, parseVersion, usesCommentVersion } from './support/catalogue';
import type { Fix, Rule } from './types';

function inRange(version: string, advisory: Advisory): boolean {
  const parsed = parseVersion(version);
  if (!parsed) return false;
  return advisory.ranges.some((range) => {
    if (range.introduced) {
      const introduced = parseVersion(range.introduced);
      // A floating tag (`v4`) resolves to the newest of its series, so compare its written components only.
      if (introduced && parsed.written >= 3 && compareFloating(parsed, introduced) < 0) return false;
      if (introduced && parsed.written < 3 && parsed.parts[0] < introduced.parts[0]) return false;
    }
    if (range.fixed) {
      const fixed = parseVersion(range.fixed);
      if (fixed && compareFloating(parsed, fixed) >= 0) return false;
    }
    return true;
  });
}

function ids(advisory: Advisory): string {
  return advisory.cve ? `${advisory.ghsa} / ${advisory.cve}` : advisory.ghsa;
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
    why: 'In March 2025 every tag of `tj-actions/changed-files` (CVE-2025-30066) was moved to a commit that printed the runner\'s secrets into public logs; it was reached through `reviewdog/action-setup@v1` (CVE-2025-30154). In March 2026 the tags of `aquasecurity/trivy-action` were force-pushed to a credential stealer (CVE-2026-33634). Repositories still pointing at those versions or commits remain exposed.',
    fix: 'Move to the first patched release (pinned by SHA with a version comment), and rotate any secret the job could read while the bad version ran.',
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
        if (reference.refKind === 'sha') {
          const sha = reference.ref.toLowerCase();
          if (advisory.badCommits?.includes(sha)) {
            report({
              span: refSpan,
              message: `\`${target}@${reference.ref.slice(0, 12)}…\` is the malicious commit of ${ids(advisory)}: ${advisory.summary}. Rotate every secret this job could read`,
              severity: advisory.severity,
            });
            continue;
          }
          const version = usesCommentVersion(file, site);
          if (version && inRange(version, advisory)) {
            report({
              span: refSpan,
              message: `\`${target}\` is pinned to a commit commented as \`${version}\`, affected by ${ids(advisory)}: ${advisory.summary}${advisory.patchedTag ? `; upgrade to ${advisory.patchedTag} or later` : ''}`,
              severity: advisory.severity,
              confidence: 'medium',
            });
          }
          continue;
        }
        if (reference.refKind !== 'version' || !inRange(reference.ref, advisory)) continue;
        const fixes: Fix[] = [];
        if (advisory.patchedTag && site.exact) {
          fixes.push({
            title: `Upgrade ${target} to ${advisory.patchedTag} (then pin it by SHA)`,
            isPreferred: false,
            safety: 'unsafe',
            edits: [{ span: refSpan, newText: advisory.patchedTag }],
          });
        }
        report({
          span: refSpan,
          message: `\`${target}@${reference.ref}\` is affected by ${ids(advisory)}: ${advisory.summary}${advisory.patchedTag ? `; upgrade to ${advisory.patchedTag} or later` : ''}`,
          severity: advisory.severity,
          fixes,
        });
      }
    }
  },
};
