import { usesTarget } from '../parse/uses';
import { tagsAt } from '../resolve/versions';
import { refOrValueSpan, resolvedUses } from './support/resolved-uses';
import type { Rule, RuleContext } from './types';

/** Online, pedantic: a pinned SHA that no tag points at (a commit between releases). */
function checkStaleActionRefs({ file, online, report }: RuleContext): void {
  if (!online.available) return;
  const snapshot = online.value;
  for (const { site, uses, refs } of resolvedUses(file.uses, snapshot, 'sha-pins')) {
    if (refs.tags.length === 0 || tagsAt(refs, uses.ref!).length > 0) continue;
    report({
      span: refOrValueSpan(site, uses),
      message: `No tag of ${uses.repository} points at ${uses.ref!.slice(0, 12)}…: \`${usesTarget(uses)}\` runs unreleased code`,
    });
  }
}

export const staleActionRefs: Rule = {
  id: 'stale-action-refs',
  title: 'Pinned commit is not a release',
  kinds: ['workflow', 'action'],
  severity: 'low',
  confidence: 'high',
  persona: 'pedantic',
  online: true,
  docs: {
    summary: 'A `uses:` pinned to a commit that no tag points at (online check).',
    why: "Commits between releases have not been through the maintainers' release process, and tools that keep pins fresh (Dependabot, Renovate) cannot tell which version they are. Unreleased commits are also how impostor and compromised commits usually look.",
    fix: 'Pin to the commit of a release tag with its `# vX.Y.Z` comment.',
  },
  check: checkStaleActionRefs,
};
