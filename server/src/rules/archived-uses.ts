import { archivedAction } from '../knowledge/archived-actions';
import { usesTarget } from '../parse/uses';
import type { Rule } from './types';

export const archivedUses: Rule = {
  id: 'archived-uses',
  title: 'Action from an archived repository',
  kinds: ['workflow', 'action'],
  severity: 'medium',
  confidence: 'high',
  persona: 'regular',
  online: false,
  docs: {
    summary: 'A `uses:` names an action or reusable workflow whose repository its owner has archived.',
    why: 'An archived repository gets no security fixes: when a vulnerability is found in it, or in the runtime or dependencies it bundles, nobody will release a patched version. `actions/create-release` and the `actions-rs/*` actions are still copied into new workflows years after they were abandoned.',
    fix: 'Replace the action with its maintained successor (the message names one when there is an obvious one) or with a plain command (`gh release create`, `cargo`, `aws s3 sync`).',
  },
  check({ file, report }) {
    for (const site of file.uses) {
      const reference = site.reference;
      if (reference.kind !== 'remote') continue;
      const archived = archivedAction(reference.owner, reference.repo);
      if (!archived) continue;
      const end = reference.ref === null ? site.value.length : reference.refStart - 1;
      const span = site.exact ? { start: site.valueStart, end: site.valueStart + end } : site.entry.valueSpan;
      report({
        span,
        message: `\`${usesTarget(reference)}\` comes from an archived repository that receives no fixes${archived.replacement ? `; use ${archived.replacement} instead` : ''}`,
      });
    }
  },
};
