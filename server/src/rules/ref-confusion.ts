import { usesTarget } from '../parse/uses';
import { findRef } from '../resolve/types';
import { refOrValueSpan, resolvedUses } from './support/resolved-uses';
import type { Rule, RuleContext } from './types';

/** Online: a `uses:` ref that names both a tag and a branch of the repository. */
function checkRefConfusion({ file, online, report }: RuleContext): void {
  if (!online.available) return;
  const snapshot = online.value;
  for (const { site, uses, refs } of resolvedUses(file.uses, snapshot, 'named-refs')) {
    const found = findRef(refs, uses.ref!);
    if (!found.tag || !found.branch) continue;
    const same = found.tag.commit === found.branch.commit;
    report({
      span: refOrValueSpan(site, uses),
      message: `\`${uses.ref}\` is both a tag and a branch of ${uses.repository}${same ? ' (today on the same commit)' : ` (tag ${found.tag.commit.slice(0, 12)}…, branch ${found.branch.commit.slice(0, 12)}…)`}: \`${usesTarget(uses)}@${uses.ref}\` runs the branch, whatever the tag says`,
      confidence: same ? 'medium' : 'high',
    });
  }
}

export const refConfusion: Rule = {
  id: 'ref-confusion',
  title: 'Ref is both a tag and a branch',
  kinds: ['workflow', 'action'],
  severity: 'medium',
  confidence: 'high',
  persona: 'regular',
  online: true,
  docs: {
    summary: "A `uses:` ref names both a tag and a branch of the action's repository (online check).",
    why: 'When a name is both, GitHub runs the branch. Anyone with push access can create a branch named like a release tag (`v1`) and silently take over every workflow that trusts the tag: the tag still looks right in the release list.',
    fix: 'Pin to a full commit SHA (with a `# vX.Y.Z` comment); ask the maintainers to delete the confusing branch.',
  },
  check: checkRefConfusion,
};
