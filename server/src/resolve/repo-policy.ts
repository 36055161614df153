/**
 * The repository's own GitHub Actions policy: which actions it allows, whether it requires actions pinned
 * to a full commit SHA, the default `GITHUB_TOKEN` permission and whether Actions may approve pull
 * requests. Read from three REST endpoints (admin access needed; a 403/404 is an answer, not an error
 * storm), or declared offline in the configuration (`policy:`). Pattern matching follows GitHub's
 * "allowed actions and reusable workflows" list: `owner/repo[/path]@ref`, `*` wildcards, `!` blocks.
 */
import { trimEndOf, wildcardMatch } from '../parse/strings';
import type { HttpClient } from './http';
import { getJson, repoApiPath } from './repo-data';
import { isValidRepoName } from './types';

export type AllowedActions = 'all' | 'local_only' | 'selected';

export interface RepositoryPolicy {
  /** Where it comes from: GitHub's settings (online) or the configuration's `policy:` (expected policy). */
  readonly source: 'github' | 'config';
  /** `owner/repo`, when known. */
  readonly repository?: string;
  /** False when Actions is disabled for the repository. */
  readonly enabled?: boolean;
  readonly allowedActions?: AllowedActions;
  /** For `selected`: actions of the `actions` and `github` organisations are allowed. */
  readonly githubOwnedAllowed?: boolean;
  /** For `selected`: actions of GitHub Marketplace verified creators are allowed (not knowable here). */
  readonly verifiedAllowed?: boolean;
  /** For `selected`: the patterns, `!` entries block. */
  readonly patterns: readonly string[];
  readonly shaPinningRequired?: boolean;
  readonly defaultWorkflowPermissions?: 'read' | 'write';
  readonly canApprovePullRequestReviews?: boolean;
}

/** Why the policy could not be read. */
export type PolicyUnavailable = 'forbidden' | 'not-found' | 'offline' | 'error';

export type PolicyAnswer = { readonly policy: RepositoryPolicy } | { readonly unavailable: PolicyUnavailable; readonly detail: string };

/** The settings page of a repository's Actions permissions. */
export function settingsUrl(serverUrl: string, repository: string): string {
  return `${trimEndOf(serverUrl, '/')}/${repository}/settings/actions`;
}

/**
 * Whether a wildcard pattern (`*` matches any run of characters, `/` included) matches `text`, both
 * already lower-cased as needed: the linear matcher of `checksums` patterns (the patterns may come from
 * the repository's own configuration, and the names from its workflows).
 */
export { wildcardMatch };

/** What a pattern is matched against: `owner/repo[/path]` and the ref. */
export interface PolicySubject {
  readonly owner: string;
  readonly repo: string;
  readonly subpath: string | null;
  readonly ref: string | null;
}

/**
 * Whether one entry of the allowed list (without its `!`) matches: the part before `@` against
 * `owner/repo[/path]` case-insensitively (GitHub's names are), the part after `@` against the ref as
 * written (refs are case-sensitive). An entry without `@` matches every ref; `owner/*` covers the owner's
 * repositories and their sub-paths.
 */
export function policyPatternMatches(pattern: string, subject: PolicySubject): boolean {
  const text = pattern.trim();
  const at = text.indexOf('@');
  const target = (at === -1 ? text : text.slice(0, at)).toLowerCase();
  const ref = at === -1 ? '*' : text.slice(at + 1);
  const name = `${subject.owner}/${subject.repo}${subject.subpath ? `/${subject.subpath}` : ''}`.toLowerCase();
  if (!wildcardMatch(target, name)) {
    // `owner/repo` names the repository with any of its sub-path actions, as `owner/repo@*` does on GitHub.
    const repository = `${subject.owner}/${subject.repo}`.toLowerCase();
    if (subject.subpath === null || !wildcardMatch(target, repository)) return false;
  }
  return wildcardMatch(ref, subject.ref ?? '');
}

export const GITHUB_OWNED = ['actions', 'github'];

/**
 * Why the policy rejects this action (a sentence naming what is allowed), or null when it allows it or
 * cannot tell (verified creators are not knowable offline: then nothing is said).
 */
export function rejection(policy: RepositoryPolicy, subject: PolicySubject): string | null {
  const blocked = policy.patterns.find(
    (pattern) => pattern.trim().startsWith('!') && policyPatternMatches(pattern.trim().slice(1), subject),
  );
  if (blocked) return `it is blocked by \`${blocked.trim()}\``;
  if (policy.enabled === false) return 'GitHub Actions is disabled for the repository';
  const allowed = policy.allowedActions ?? 'all';
  if (allowed === 'all') return null;
  const repositoryOwner = policy.repository?.split('/')[0]?.toLowerCase();
  if (allowed === 'local_only') {
    if (repositoryOwner === undefined || subject.owner.toLowerCase() === repositoryOwner) return null;
    return `only actions of \`${repositoryOwner}\` are allowed (local actions only)`;
  }
  if (policy.githubOwnedAllowed && GITHUB_OWNED.includes(subject.owner.toLowerCase())) return null;
  if (repositoryOwner !== undefined && subject.owner.toLowerCase() === repositoryOwner) return null;
  if (policy.patterns.some((pattern) => !pattern.trim().startsWith('!') && policyPatternMatches(pattern, subject))) return null;
  if (policy.verifiedAllowed) return null;
  return `it is not in the repository's allowed actions (allowed: ${describeAllowed(policy)})`;
}

/** The allowed list in a few words: `GitHub-owned, verified, \`org/*\``. */
export function describeAllowed(policy: RepositoryPolicy): string {
  const parts: string[] = [];
  if (policy.githubOwnedAllowed) parts.push('GitHub-owned');
  if (policy.verifiedAllowed) parts.push('verified creators');
  const patterns = policy.patterns.filter((pattern) => !pattern.trim().startsWith('!'));
  for (const pattern of patterns.slice(0, 5)) parts.push(`\`${pattern}\``);
  if (patterns.length > 5) parts.push(`${patterns.length - 5} more`);
  return parts.length === 0 ? 'local actions only' : parts.join(', ');
}

const ALLOWED_VALUES: readonly AllowedActions[] = ['all', 'local_only', 'selected'];

function record(value: unknown): Record<string, unknown> | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

const bool = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : undefined);

/** At most this many patterns are kept from an answer (GitHub accepts 1000). */
const MAX_PATTERNS = 1000;

/**
 * Reads the policy of `owner/repo` through the three endpoints. A 403 or 404 on the first (no admin
 * rights, or no such repository for this token) is `forbidden`/`not-found`; the other two are optional
 * (their failure leaves their fields unknown).
 */
export async function fetchRepositoryPolicy(http: HttpClient, owner: string, repo: string): Promise<PolicyAnswer> {
  if (!isValidRepoName(owner, repo)) return { unavailable: 'error', detail: `\`${owner}/${repo}\` is not a valid repository name` };
  const base = `${repoApiPath(owner, repo)}/actions/permissions`;
  const permissions = await getJson(http, base);
  if (!permissions.ok) {
    const { kind, message } = permissions.error;
    if (kind === 'not-found') return { unavailable: 'not-found', detail: message };
    if (kind === 'http' && /\b40[13]\b/.test(message)) return { unavailable: 'forbidden', detail: message };
    if (kind === 'offline') return { unavailable: 'offline', detail: message };
    return { unavailable: 'error', detail: message };
  }
  const main = record(permissions.value) ?? {};
  const allowedRaw = main.allowed_actions;
  const allowedActions = ALLOWED_VALUES.includes(allowedRaw as AllowedActions) ? (allowedRaw as AllowedActions) : undefined;
  let selected: Record<string, unknown> | null = null;
  if (allowedActions === 'selected') {
    const answer = await getJson(http, `${base}/selected-actions`);
    selected = answer.ok ? record(answer.value) : null;
  }
  const workflowAnswer = await getJson(http, `${base}/workflow`);
  const workflow = workflowAnswer.ok ? record(workflowAnswer.value) : null;
  const patterns = Array.isArray(selected?.patterns_allowed)
    ? (selected.patterns_allowed as unknown[]).filter((item): item is string => typeof item === 'string').slice(0, MAX_PATTERNS)
    : [];
  const permission = workflow?.default_workflow_permissions;
  return {
    policy: {
      source: 'github',
      repository: `${owner}/${repo}`,
      enabled: bool(main.enabled),
      allowedActions,
      githubOwnedAllowed: bool(selected?.github_owned_allowed),
      verifiedAllowed: bool(selected?.verified_allowed),
      patterns,
      shaPinningRequired: bool(main.sha_pinning_required),
      defaultWorkflowPermissions: permission === 'read' || permission === 'write' ? permission : undefined,
      canApprovePullRequestReviews: bool(workflow?.can_approve_pull_request_reviews),
    },
  };
}

/**
 * The policies of repositories, cached for a TTL in memory (settings change rarely, but they do), with
 * concurrent reads of one repository sharing one set of requests. Unavailable answers are cached too, so
 * a 403 is asked (and said) once per TTL, not once per keystroke.
 */
export class PolicyCache {
  private readonly entries = new Map<string, { answer: PolicyAnswer; at: number }>();
  private readonly inflight = new Map<string, Promise<PolicyAnswer>>();

  constructor(
    private readonly ttlMs: number = DEFAULT_POLICY_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  peek(repository: string): PolicyAnswer | undefined {
    const entry = this.entries.get(repository.toLowerCase());
    return entry && this.now() - entry.at < this.ttlMs ? entry.answer : undefined;
  }

  /** The last answer for `owner/repo`, however old (shown while a newer one is read). */
  last(repository: string): PolicyAnswer | undefined {
    return this.entries.get(repository.toLowerCase())?.answer;
  }

  get(http: HttpClient, owner: string, repo: string): Promise<PolicyAnswer> {
    const key = `${http.api.origin}${http.api.pathname}|${owner}/${repo}`.toLowerCase();
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.at < this.ttlMs) return Promise.resolve(entry.answer);
    const running = this.inflight.get(key);
    if (running) return running;
    const promise = fetchRepositoryPolicy(http, owner, repo)
      .catch((error): PolicyAnswer => ({ unavailable: 'error', detail: error instanceof Error ? error.message : String(error) }))
      .then((answer) => {
        this.entries.set(key, { answer, at: this.now() });
        this.entries.set(`${owner}/${repo}`.toLowerCase(), { answer, at: this.now() });
        this.inflight.delete(key);
        return answer;
      });
    this.inflight.set(key, promise);
    return promise;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** How long a repository's policy is kept: 10 minutes. */
export const DEFAULT_POLICY_TTL_MS = 10 * 60 * 1000;

/** A sentence for a policy that could not be read (said once, in the log or a CLI note). */
export function unavailableSentence(repository: string, answer: { unavailable: PolicyUnavailable; detail: string }): string {
  switch (answer.unavailable) {
    case 'forbidden':
      return `The Actions settings of ${repository} could not be read (403): reading them needs admin access to the repository (a token with the repo scope, or a GitHub App with the administration permission). The repository-policy check uses the configuration's \`policy:\` instead, if any.`;
    case 'not-found':
      return `The Actions settings of ${repository} could not be read (404): the repository does not exist for this token, or the token lacks admin access. The repository-policy check uses the configuration's \`policy:\` instead, if any.`;
    case 'offline':
      return `The Actions settings of ${repository} were not read: offline mode is on.`;
    case 'error':
      return `The Actions settings of ${repository} could not be read: ${answer.detail}.`;
  }
}

/** The `owner/repo` of a configuration value, or null when it is not one. */
export function parseRepository(text: string): { owner: string; repo: string } | null {
  const parts = text.trim().split('/');
  if (parts.length !== 2) return null;
  const [owner, repo] = parts;
  return isValidRepoName(owner, repo) ? { owner, repo } : null;
}
