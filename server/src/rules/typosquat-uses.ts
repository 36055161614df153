import { POPULAR_ACTIONS } from '../knowledge/popular-actions';
import { editDistance } from '../parse/edit-distance';
import type { Rule } from './types';

const POPULAR = new Set(POPULAR_ACTIONS);

/** The popular repository one edit away from `repository` under a different owner, if any. */
const targets = new Map<string, string | null>();

export function typosquatTarget(repository: string): string | null {
  let target = targets.get(repository);
  if (target === undefined) {
    // Memoised: the same few actions recur in every file, and the scan is over every popular action.
    if (targets.size >= 10_000) targets.clear();
    target = computeTyposquatTarget(repository);
    targets.set(repository, target);
  }
  return target;
}

function computeTyposquatTarget(repository: string): string | null {
  const lower = repository.toLowerCase();
  if (POPULAR.has(lower)) return null;
  const owner = lower.split('/')[0];
  for (const popular of POPULAR_ACTIONS) {
    // The owner of a popular action controls its neighbours too (docker/setup-qemu-action vs setup-buildx-action).
    if (popular.split('/')[0] === owner) continue;
    if (editDistance(lower, popular, { limit: 1 }) <= 1) return popular;
  }
  return null;
}

export const typosquatUses: Rule = {
  id: 'typosquat-uses',
  title: 'Action name one typo away from a popular action',
  kinds: ['workflow', 'action'],
  severity: 'high',
  confidence: 'low',
  persona: 'regular',
  online: false,
  docs: {
    summary: 'A `uses:` names a repository that differs by one character from a widely used action but belongs to another owner.',
    why: 'Typosquatting is an old package-registry attack that works on actions too: researchers registered owners such as `actons` and `actlons` and found workflows running their code. A one-letter slip in `uses:` hands the job, its token and its secrets to a stranger.',
    fix: "Check the spelling against the action's Marketplace page and correct the owner or repository name. If the similar name is intended, suppress with `# warden: ignore[typosquat-uses]`.",
  },
  check({ file, report }) {
    for (const site of file.uses) {
      const reference = site.reference;
      if (reference.kind !== 'remote') continue;
      const target = typosquatTarget(reference.repository);
      if (!target) continue;
      const span =
        site.exact && !reference.obscured
          ? { start: site.valueStart, end: site.valueStart + reference.owner.length + 1 + reference.repo.length }
          : site.entry.valueSpan;
      report({
        span,
        message: `\`${reference.repository}\` is one character away from the popular action \`${target}\` but belongs to another owner: check that this is not a typo`,
      });
    }
  },
};
