import { coverageOf, onboardedWorkflow } from '../lockfile/coverage';
import { usesTarget } from '../parse/uses';
import { viewValue } from '../views';
import { refOrValueSpan } from './support/resolved-uses';
import type { Rule } from './types';

export const unlockedUses: Rule = {
  id: 'unlocked-uses',
  title: 'Onboarded workflow uses a ref the lock does not cover',
  kinds: ['workflow'],
  severity: 'high',
  confidence: 'high',
  persona: 'regular',
  online: false,
  reads: ['lock'],
  docs: {
    summary:
      'A workflow listed in `.github/workflows/actions.lock` uses an action or reusable workflow at a ref that has no entry in the lock, so the run fails when the lock is enforced (and nothing records which commit it means).',
    why: "Under GitHub's workflow dependency lockfile the runner executes the commit the lock records for each `owner/repo@ref`; tags stay readable in `uses:` because the lock, not the tag, decides the code. A ref with no entry is a dependency nobody locked: after the 2025 `tj-actions/changed-files` tag rewrite (CVE-2025-30066) that is exactly the mutable reference the lock exists to remove.",
    fix: 'Lock it: `gh actions-lock` (or the "Add to actions.lock" fix when online) records the commit the ref resolves to today, with the owner and repository ids.',
  },
  check({ file, lock, report }) {
    const view = viewValue(lock);
    if (!view) return;
    const workflow = onboardedWorkflow(view.lock, view.workflowPath);
    if (!workflow) return;
    for (const site of file.uses) {
      const uses = site.reference;
      if (uses.kind !== 'remote') continue;
      const coverage = coverageOf(view.lock, uses);
      if (coverage?.state !== 'unlocked') continue;
      report({
        span: refOrValueSpan(site, uses),
        message: `\`${usesTarget(uses)}@${uses.ref}\` has no entry in actions.lock, which lists this workflow: the run fails under enforcement. Lock it (gh actions-lock)`,
      });
    }
  },
};
