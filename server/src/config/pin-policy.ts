/**
 * zizmor-compatible pinning policies for `unpinned-uses` (`rules.unpinned-uses.config.policies`, and our
 * `pinning.trusted-owners` / `pinning.policies`): a map from a pattern to `any` (no pin needed),
 * `ref-pin` (a tag or branch is accepted) or `hash-pin` (a full commit SHA is required, the default).
 * Patterns: `owner/repo/path`, `owner/repo`, `owner/repo/*` (the repository and any subpath of it), `owner/*`,
 * `*`; the most specific matching pattern wins, in that order.
 */
import type { RemoteUses } from '../parse/uses';
import type { PinPolicy } from './config-file';

export function pinPolicyFor(
  config: Readonly<Record<string, unknown>>,
  reference: Pick<RemoteUses, 'owner' | 'repo' | 'subpath'>,
): PinPolicy {
  const policies = config.policies;
  if (!policies || typeof policies !== 'object' || Array.isArray(policies)) return 'hash-pin';
  const table = policies as Record<string, unknown>;
  const owner = reference.owner.toLowerCase();
  const repo = reference.repo.toLowerCase();
  const candidates = [
    ...(reference.subpath ? [`${owner}/${repo}/${reference.subpath.toLowerCase()}`] : []),
    `${owner}/${repo}`,
    `${owner}/${repo}/*`,
    `${owner}/*`,
    '*',
  ];
  const lowered = new Map(Object.entries(table).map(([pattern, policy]) => [pattern.toLowerCase(), policy]));
  for (const candidate of candidates) {
    const policy = lowered.get(candidate);
    if (policy === 'any' || policy === 'ref-pin' || policy === 'hash-pin') return policy;
  }
  return 'hash-pin';
}

/**
 * True when the policy accepts this reference as it is: `any` accepts everything, `ref-pin` any ref
 * that is written out (a tag, a branch, an abbreviated SHA), but not a missing ref or one computed
 * from an expression.
 */
export function pinAllowed(config: Readonly<Record<string, unknown>>, reference: RemoteUses): boolean {
  const policy = pinPolicyFor(config, reference);
  if (policy === 'any') return true;
  if (policy === 'ref-pin') return reference.ref !== null && reference.ref !== '' && reference.refKind !== 'expression';
  return false;
}
