import { pinEdits, trailingComment, versionComment } from '../fixes/pin';
import { commentAgreement, knownRelease } from '../knowledge/release-commits';
import type { UsesSite } from '../parse/document';
import { usesTarget } from '../parse/uses';
import { findRef, type RepoRefs } from '../resolve/types';
import { chooseVersionComment, parseVersion, tagsAt } from '../resolve/versions';
import { resolvedUses } from './support/resolved-uses';
import type { Rule, RuleContext } from './types';

/**
 * Online: a SHA pin whose `# vX.Y.Z` comment names a tag on another commit (or no comment at all). Offline,
 * or for a repository that did not resolve: a pin of a commit the bundled release table knows whose comment
 * names another release.
 */
function checkRefVersionMismatch(ctx: RuleContext): void {
  const { file, online, report } = ctx;
  const resolved = online.available ? resolvedUses(file.uses, online.value, 'sha-pins') : [];
  checkKnownReleases(ctx, new Set(resolved.map((item) => item.site)));
  for (const { site, uses, refs } of resolved) {
    const sha = uses.ref!;
    const target = usesTarget(uses);
    const claimed = versionComment(file, site);
    const truthful = chooseVersionComment(refs, sha, claimed?.text ?? null);
    const atSha = tagsAt(refs, sha);
    const bestTag = atSha.length > 0 ? (truthful && atSha.includes(truthful) ? truthful : atSha[0]) : null;
    if (!claimed) {
      if (!bestTag) continue;
      // `@<sha> # main` or `# cargo-hack`: the comment names the branch or the (non-version) tag the pin was
      // taken from, as the pin fix writes it; that is not a missing comment.
      if (commentNamesRef(file, site, refs, sha)) continue;
      const edits = pinEdits(file, site, uses, sha, bestTag);
      report({
        span: site.entry.valueSpan,
        message: `\`${target}@${sha.slice(0, 12)}…\` has no version comment; it is \`${bestTag}\``,
        severity: 'low',
        confidence: 'high',
        persona: 'pedantic',
        fixes: edits && edits.length > 0 ? [{ title: `Add the comment # ${bestTag}`, isPreferred: true, safety: 'safe', edits }] : [],
      });
      continue;
    }
    if (!parseVersion(claimed.text)) continue;
    const tag = findRef(refs, claimed.text).tag;
    if (tag && tag.commit === sha) continue;
    const where = tag ? `points at ${tag.commit.slice(0, 12)}…, not at the pinned commit` : `is not a tag of ${uses.repository}`;
    const fixes = [];
    if (bestTag) {
      const edits = pinEdits(file, site, uses, sha, bestTag);
      if (edits && edits.length > 0)
        fixes.push({
          title: `Correct the comment to # ${bestTag} (the tag at the pinned commit)`,
          isPreferred: true,
          safety: 'safe' as const,
          edits,
        });
    }
    if (tag) {
      const edits = pinEdits(file, site, uses, tag.commit, claimed.text);
      if (edits)
        fixes.push({
          title: `Re-pin to ${claimed.text} (${tag.commit.slice(0, 12)}…)`,
          isPreferred: false,
          safety: 'unsafe' as const,
          edits,
        });
    }
    report({
      span: claimed.span,
      message: `The comment says \`${claimed.text}\` but \`${claimed.text}\` ${where} of \`${target}\`${bestTag ? `; the pinned commit is \`${bestTag}\`` : '; no tag points at the pinned commit'}`,
      related: [{ span: site.entry.valueSpan, message: `pinned commit ${sha}` }],
      fixes,
    });
  }
}

/** The offline check: the comment of a SHA pin against the bundled table of release commits. */
function checkKnownReleases({ file, report }: RuleContext, resolved: ReadonlySet<UsesSite>): void {
  for (const site of file.uses) {
    const uses = site.reference;
    if (resolved.has(site) || uses.kind !== 'remote' || uses.refKind !== 'sha') continue;
    const release = knownRelease(uses.repository, uses.ref!);
    const claimed = release && versionComment(file, site);
    if (!release || !claimed || commentAgreement(release, claimed.text) !== 'disagrees') continue;
    const edits = pinEdits(file, site, uses, uses.ref!, release.version);
    report({
      span: claimed.span,
      message: `The comment says \`${claimed.text}\` but the pinned commit ${uses.ref!.slice(0, 12)}… is \`${release.version}\` of \`${usesTarget(uses)}\` (bundled release table)`,
      related: [{ span: site.entry.valueSpan, message: `pinned commit ${uses.ref}` }],
      fixes:
        edits && edits.length > 0
          ? [
              {
                title: `Correct the comment to # ${release.version} (the release at the pinned commit)`,
                isPreferred: true,
                safety: 'safe',
                edits,
              },
            ]
          : [],
    });
  }
}

export const refVersionMismatch: Rule = {
  id: 'ref-version-mismatch',
  title: 'Version comment does not match the pinned commit',
  kinds: ['workflow', 'action'],
  severity: 'medium',
  confidence: 'high',
  persona: 'regular',
  online: false,
  reads: ['online'],
  docs: {
    summary:
      'A SHA-pinned `uses:` carries a `# vX.Y.Z` comment naming a tag that points at a different commit (online; offline, for the commits of the top actions that the bundled release table knows).',
    why: 'Reviewers and updaters such as Dependabot trust the version comment, not the 40 hex digits. A comment that lies hides which code really runs: a downgrade to a vulnerable release, or a commit slipped in during a compromise, looks like the version everyone expects. Dependabot leaves wrong comments wrong (dependabot-core#7912).',
    fix: 'Correct the comment to the tag that points at the pinned commit, or re-pin to the commit of the tag the comment names.',
    onlineLookup: 'the tag lookup',
  },
  check: checkRefVersionMismatch,
};

/** True when the comment after the `uses:` value starts with the name of a branch, or of a tag at `sha`. */
function commentNamesRef(file: RuleContext['file'], site: RuleContext['file']['uses'][number], refs: RepoRefs, sha: string): boolean {
  const comment = trailingComment(file, site);
  if (!comment || comment === 'blocked') return false;
  const word = /^#\s*(\S+)/.exec(file.text.slice(comment.hash, comment.end))?.[1];
  if (word === undefined) return false;
  const { branch, tag } = findRef(refs, word);
  return branch !== undefined || tag?.commit === sha;
}
