import type { RemoteUses } from '../parse/uses';
import { usesTarget } from '../parse/uses';
import type { Rule } from './types';
import { trimEndOf } from '../parse/strings';

/**
 * Does a zizmor-style uses pattern match a remote reference? Patterns: `*`, `owner/*`,
 * `owner/repo`, `owner/repo/path` (also `owner/repo/*`), each optionally `@ref`. Case-insensitive
 * for owner and repository, as GitHub is.
 */
export function matchesUsesPattern(pattern: string, uses: RemoteUses): boolean {
  const text = pattern.trim();
  if (text === '*') return true;
  const at = text.indexOf('@');
  const target = trimEndOf(at === -1 ? text : text.slice(0, at), '/');
  const ref = at === -1 ? null : text.slice(at + 1);
  if (ref !== null && ref !== '*' && ref !== uses.ref) return false;
  const [owner, repo, ...rest] = target.split('/');
  if (!owner || owner.toLowerCase() !== uses.owner.toLowerCase()) return false;
  if (repo === undefined || repo === '*') return true;
  if (repo.toLowerCase() !== uses.repo.toLowerCase()) return false;
  if (rest.length === 0) return true;
  const path = rest.join('/');
  if (path === '*') return true;
  return uses.subpath !== null && (uses.subpath === path || uses.subpath.startsWith(`${path}/`));
}

function patterns(value: unknown): string[] | null {
  if (!Array.isArray(value)) return null;
  return value.filter((item): item is string => typeof item === 'string');
}

export const forbiddenUses: Rule = {
  id: 'forbidden-uses',
  title: 'Action not allowed by the configured policy',
  kinds: ['workflow', 'action'],
  severity: 'high',
  confidence: 'high',
  persona: 'regular',
  online: false,
  docs: {
    summary: "A `uses:` names an action that the configuration's `allow` list does not cover, or that its `deny` list names.",
    why: 'Every third-party action runs with the job\'s token and secrets. Organisations that vet actions (as GitHub\'s own "allowed actions" policy does) need the editor to say so before CI does; the 2025 tj-actions/changed-files and reviewdog compromises hit repositories that had never decided whether they trusted those owners.',
    fix: 'Use an allowed action, or extend the policy in `.github/actions-warden.yml` (or `zizmor.yml`): `rules: { forbidden-uses: { config: { allow: [actions/*, astral-sh/setup-uv] } } }`.',
  },
  check({ file, config, report }) {
    const allow = patterns(config.allow);
    const deny = allow ? null : patterns(config.deny);
    if (!allow && !deny) return;
    for (const site of file.uses) {
      const reference = site.reference;
      if (reference.kind !== 'remote') continue;
      const target = usesTarget(reference);
      const span = site.exact ? { start: site.valueStart, end: site.valueStart + site.value.length } : site.entry.valueSpan;
      if (allow) {
        if (!allow.some((pattern) => matchesUsesPattern(pattern, reference))) {
          report({ span, message: `\`${target}\` is not in the configured allow list of forbidden-uses` });
        }
      } else if (deny) {
        const hit = deny.find((pattern) => matchesUsesPattern(pattern, reference));
        if (hit) report({ span, message: `\`${target}\` is forbidden by the configured deny pattern \`${hit}\`` });
      }
    }
  },
};
