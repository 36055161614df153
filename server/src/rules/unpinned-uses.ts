import { planPin } from '../fixes/pin';
import { pinAllowed } from '../config/pin-policy';
import { usesTarget } from '../parse/uses';
import { refOrValueSpan } from './support/resolved-uses';
import type { Rule } from './types';
import type { Fix } from '../findings';
import { viewValue } from '../views';

export const unpinnedUses: Rule = {
  id: 'unpinned-uses',
  title: 'Action or reusable workflow not pinned to a commit SHA',
  kinds: ['workflow', 'action'],
  severity: 'high',
  confidence: 'high',
  persona: 'regular',
  online: false,
  reads: ['online'],
  docs: {
    summary:
      'A remote `uses:` names a tag or branch, which its owner (or an attacker who takes over the repository) can move to other code at any time.',
    why: "In March 2025 every tag of `tj-actions/changed-files` (CVE-2025-30066) was moved to a commit that dumped the runner's memory into the build log, exposing the secrets of thousands of repositories; it came in through `reviewdog/action-setup@v1`, whose tag had been moved too (CVE-2025-30154). In 2026 the tags of `aquasecurity/trivy-action` were force-pushed the same way. Only a full commit SHA is immutable.",
    fix: 'Pin to the full 40-character commit SHA and keep the version in a comment, e.g. `uses: actions/checkout@<sha> # v4.2.2`, so updaters such as Dependabot and Renovate keep it current.',
  },
  check({ file, config, online, report }) {
    // Pin fixes need resolved tags: present only with the online view.
    const snapshot = viewValue(online);
    for (const site of file.uses) {
      const reference = site.reference;
      if (reference.kind !== 'remote') continue;
      const target = usesTarget(reference);
      const what = reference.isReusableWorkflow ? 'reusable workflow' : 'action';
      if (reference.refKind === 'sha') continue;
      if (pinAllowed(config, reference)) continue; // A configured policy (e.g. ref-pins for `actions/*`).
      const plan = snapshot && reference.refKind !== 'expression' ? planPin(file, site, snapshot) : null;
      const fixes: Fix[] = plan?.ok ? [plan.fix] : [];
      const span = refOrValueSpan(site, reference);
      if (reference.ref === null || reference.ref === '') {
        report({
          span: site.exact ? { start: site.valueStart, end: site.valueStart + site.value.length } : site.entry.valueSpan,
          message: `\`${target}\` has no ref: name a full commit SHA, e.g. \`${target}@<40-hex sha> # vX.Y.Z\``,
        });
        continue;
      }
      switch (reference.refKind) {
        case 'short-sha':
          report({
            span,
            message: `\`${target}@${reference.ref}\` uses an abbreviated SHA, which is not a pin: an attacker can push a colliding commit. Use the full 40-character SHA`,
            fixes,
          });
          break;
        case 'expression':
          report({ span, message: `${what} \`${target}\` takes its ref from an expression, which cannot be pinned`, confidence: 'medium' });
          break;
        case 'branch-like':
          report({
            span,
            message: `${what} \`${target}\` is pinned to \`${reference.ref}\`, a branch or tag that can move to other code: pin it to a full commit SHA`,
            fixes,
          });
          break;
        default:
          report({
            span,
            message: `${what} \`${target}\` is pinned to tag \`${reference.ref}\`, which can be moved to other code: pin it to a full commit SHA`,
            fixes,
          });
      }
    }
  },
};
