/**
 * The options each rule takes under `rules.<id>.config`, declared once: the configuration parser
 * validates them from this table (types, ranges, known keys, pattern syntax) and the JSON schema's
 * `rules` section is generated from it and the registry (./schema.ts), so the checks, the schema and the
 * docs cannot disagree. A rule that reads `ctx.config` must have its options here.
 *
 * Uses patterns follow zizmor: `*` (any action), `owner/*` (any repository of the owner), `owner/repo`
 * (that repository), `owner/repo/*` (that repository and any subpath of it), `owner/repo/path` (that
 * subpath), each optionally `@ref` (that exact ref) where a ref is
 * allowed. Pinning policies (`unpinned-uses`) apply to every ref, so a pattern with `@ref` is refused
 * there, as zizmor refuses it.
 */

export type OptionDescriptor =
  | { kind: 'integer'; minimum: number; description: string }
  | { kind: 'names'; description: string }
  | { kind: 'uses-patterns'; description: string }
  | { kind: 'pin-policies'; description: string }
  | { kind: 'checksums'; description: string };

export const RULE_OPTIONS: Readonly<Record<string, Readonly<Record<string, OptionDescriptor>>>> = {
  'dependabot-cooldown': {
    days: { kind: 'integer', minimum: 1, description: 'The shortest cooldown accepted, in days (a whole number, at least 1; default 7).' },
  },
  'forbidden-uses': {
    allow: {
      kind: 'uses-patterns',
      description:
        'Only actions matching one of these patterns may be used (owner/*, owner/repo, owner/repo/*, owner/repo/path, *; optionally @ref).',
    },
    deny: {
      kind: 'uses-patterns',
      description: 'Actions matching one of these patterns may not be used (same patterns as allow; allow and deny exclude each other).',
    },
  },
  'secrets-outside-env': {
    allow: { kind: 'names', description: 'Secret names that may be used outside a deployment environment (GITHUB_TOKEN always may).' },
  },
  'unpinned-uses': {
    policies: {
      kind: 'pin-policies',
      description:
        'Pattern (owner/repo/path, owner/repo, owner/repo/*, owner/*, *; no @ref) to any, ref-pin or hash-pin; the most specific pattern wins.',
    },
  },
  'unverified-download': {
    checksums: {
      kind: 'checksums',
      description: 'Download URL (or pattern with *) to its expected sha256 (64 hex digits, optionally prefixed sha256:).',
    },
  },
};

/** The options `ruleId` takes; an empty table for a rule that takes none. */
export function ruleOptions(ruleId: string): Readonly<Record<string, OptionDescriptor>> {
  return RULE_OPTIONS[ruleId] ?? {};
}

/**
 * Checks a uses pattern; returns null when it is valid, else what is wrong with it. A small scanner
 * (no regular expression sees the text): split at `@`, then at `/`.
 */
export function usesPatternProblem(pattern: string, allowRef: boolean): string | null {
  if (pattern === '*') return null;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return 'a pattern has no spaces or control characters';
  }
  const at = pattern.indexOf('@');
  const target = at === -1 ? pattern : pattern.slice(0, at);
  if (at !== -1) {
    const ref = pattern.slice(at + 1);
    if (!allowRef) return `a pinning policy applies to every ref, so its pattern cannot name one (drop the \`@${ref}\`)`;
    if (ref === '' || ref.includes('@') || ref.includes('*')) return 'the ref after `@` must be one exact ref';
  }
  const parts = target.split('/');
  const [owner, repo, ...rest] = parts;
  if (!owner || owner.includes('*')) return 'the owner must be written out (`owner/repo`, `owner/*`)';
  if (repo === undefined) return `a pattern names a repository: \`${owner}/*\` for every repository of \`${owner}\``;
  if (repo === '*') {
    if (rest.length > 0) return '`owner/*` cannot be followed by a path';
    return at === -1 ? null : 'a ref only goes with an exact `owner/repo[/path]`';
  }
  if (repo === '' || repo.includes('*')) return 'the repository must be written out or be `*`';
  for (let i = 0; i < rest.length; i++) {
    const segment = rest[i];
    if (segment === '*') {
      if (i !== rest.length - 1 || i !== 0) return '`*` stands only for the whole path: `owner/repo/*`';
      return at === -1 ? null : 'a ref only goes with an exact `owner/repo[/path]`';
    }
    if (segment === '' || segment.includes('*')) return 'each path segment must be written out (`*` only as `owner/repo/*`)';
  }
  return null;
}

/** Secret names: letters, digits and `_`, not starting with a digit (GitHub's rule for secret names). */
export function isSecretName(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
    const digit = c >= 0x30 && c <= 0x39;
    if (!letter && !(digit && i > 0)) return false;
  }
  return true;
}
