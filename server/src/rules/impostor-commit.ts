import { usesTarget } from '../parse/uses';
import { membershipFor, resolvableRemote } from '../resolve/snapshot';
import { refOrValueSpan } from './support/resolved-uses';
import type { Rule, RuleContext } from './types';

/** Online: a pinned SHA that no branch or tag of the named repository reaches (proven by comparisons). */
function checkImpostorCommit({ file, online, report }: RuleContext): void {
  if (!online.available) return;
  const snapshot = online.value;
  for (const site of file.uses) {
    const uses = resolvableRemote(site);
    if (!uses || uses.refKind !== 'sha') continue;
    const membership = membershipFor(snapshot, uses);
    if (membership?.status !== 'impostor') continue;
    report({
      span: refOrValueSpan(site, uses),
      message: `Commit ${uses.ref} is not on any branch or tag of ${uses.repository} (compared with ${membership.checked} refs): it comes from a fork, and \`${usesTarget(uses)}\` runs the fork's code`,
    });
  }
}

export const impostorCommit: Rule = {
  id: 'impostor-commit',
  title: 'Pinned commit does not belong to the named repository',
  kinds: ['workflow', 'action'],
  severity: 'high',
  confidence: 'high',
  persona: 'regular',
  online: true,
  docs: {
    summary:
      "A `uses:` pinned to a commit that no branch or tag of the named repository contains: a commit pushed to a fork, which GitHub serves under the parent's name (online check).",
    why: 'GitHub stores a repository and all its forks in one object network, so `owner/repo@<sha>` resolves even when the commit only exists in somebody\'s fork. Anyone can fork an action, push malicious code and propose a "pin to SHA" change that looks like a hardening PR: the SHA looks legitimate but runs the fork\'s code (Chainguard\'s "impostor commits" research, 2023). A SHA pin is only as good as the proof that it is in the upstream history.',
    fix: 'Re-pin to the commit of a release tag of the real repository (use the pin quick fix on the tag), and find out where the SHA came from.',
  },
  check: checkImpostorCommit,
};
