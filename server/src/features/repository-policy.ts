/**
 * The repository's own GitHub Actions policy in the editor: for each document, the checkout it belongs to
 * (the nearest folder with `.git`, inside a workspace folder), its GitHub repository (`policy.repository`
 * of the configuration, else the git remote on the configured host; .git/config is read, nothing run),
 * and GitHub's Actions settings for it, read online with a token only, cached for a TTL. When an answer
 * arrives the analyses are rebuilt (repository-policy reads it as the `policy` view). A refusal (403/404:
 * no admin rights) or a remote on another host is said once in the log, never as diagnostics. The command
 * "Show repository security settings" returns a short Markdown report.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ServerCommands } from '../../../shared/src/protocol';
import { uriToPath } from '../config/workspace';
import { trimEndOf } from '../parse/strings';
import {
  PolicyCache,
  parseRepository,
  settingsUrl,
  unavailableSentence,
  type PolicyAnswer,
  type RepositoryPolicy,
} from '../resolve/repo-policy';
import { available, unavailable, type View } from '../views';
import { repositoryOfCheckout } from '../workspace/git-remote';
import type { Feature, FeatureContext } from './feature';

/** At most this many folders are walked up from a document to find its checkout. */
const MAX_DEPTH = 64;

export class RepositoryPolicies {
  private readonly cache: PolicyCache;
  /** Folder → checkout root (null: none inside the workspace). */
  private readonly roots = new Map<string, string | null>();
  /** Checkout root → `owner/repo`, or null with the reason said once. */
  private readonly repositories = new Map<string, string | null>();
  /** Sentences already logged (said once each). */
  private readonly said = new Set<string>();
  private readonly asked = new Set<string>();
  /** The HTTP client the answers were read with: another one (new settings or token) starts afresh. */
  private http: unknown = null;

  constructor(
    private readonly context: FeatureContext,
    private readonly log: (message: string) => void,
    ttlMs?: number,
  ) {
    this.cache = new PolicyCache(ttlMs);
  }

  /** Forgets every answer and what was found (settings or token changed). */
  reset(): void {
    this.cache.clear();
    this.roots.clear();
    this.repositories.clear();
    this.asked.clear();
  }

  private sayOnce(message: string): void {
    if (this.said.has(message)) return;
    this.said.add(message);
    this.log(message);
  }

  private checkoutRoot(path: string): string | null {
    let folder = dirname(path);
    const start = folder;
    if (this.roots.has(start)) return this.roots.get(start) ?? null;
    const workspaceRoots = this.context
      .workspaceRoots()
      .map(uriToPath)
      .filter((root): root is string => root !== null);
    let found: string | null = null;
    for (let depth = 0; depth < MAX_DEPTH; depth++) {
      if (existsSync(join(folder, '.git'))) {
        found = folder;
        break;
      }
      if (workspaceRoots.includes(folder)) break;
      const parent = dirname(folder);
      if (parent === folder) break;
      folder = parent;
    }
    this.roots.set(start, found);
    return found;
  }

  /** The `owner/repo` of a document: the configuration's `policy.repository`, else its checkout's remote. */
  repositoryOf(uri: string): string | null {
    const configured = this.context.workspaceConfigs.configFor(uri)?.config.policyRepository;
    if (configured) return configured;
    const path = uriToPath(uri);
    if (path === null) return null;
    const root = this.checkoutRoot(path);
    if (root === null) return null;
    if (this.repositories.has(root)) return this.repositories.get(root) ?? null;
    let host: string;
    try {
      host = new URL(this.context.online.githubServerUrl).host.toLowerCase();
    } catch {
      return null;
    }
    const remote = repositoryOfCheckout(root, host);
    let repository: string | null = null;
    if (remote.kind === 'github') repository = `${remote.owner}/${remote.repo}`;
    else if (remote.kind === 'other-host')
      this.sayOnce(
        `The git remote \`${remote.remote}\` of ${root} is on ${remote.host}, not on the configured GitHub host (${host}): its Actions settings are not read, and no token is sent there.`,
      );
    this.repositories.set(root, repository);
    return repository;
  }

  /** The policy view of a document; asks GitHub (once per TTL) when online with a token. */
  viewFor(uri: string): View<RepositoryPolicy> {
    const online = this.context.online;
    if (online.isOffline) return unavailable('offline');
    const http = online.http;
    if (!http) return unavailable('offline');
    if (http !== this.http) {
      this.reset();
      this.http = http;
    }
    const repository = this.repositoryOf(uri);
    if (repository === null) return unavailable('not-indexed');
    const answer = this.cache.peek(repository);
    if (answer) return policyView(answer);
    if (!http.hasToken) {
      this.sayOnce(
        `No GitHub token: the Actions settings of ${repository} are not read (the repository-policy check uses the configuration's \`policy:\`, if any).`,
      );
      return unavailable('not-fetched');
    }
    this.fetch(repository);
    // An expired answer stays in use while it is read again: the findings do not blink out every TTL.
    const previous = this.cache.last(repository);
    return previous ? policyView(previous) : unavailable('not-fetched');
  }

  private fetch(repository: string): void {
    const http = this.context.online.http;
    const parts = parseRepository(repository);
    if (!http || !parts || this.asked.has(repository.toLowerCase())) return;
    this.asked.add(repository.toLowerCase());
    void this.cache.get(http, parts.owner, parts.repo).then((answer) => {
      this.asked.delete(repository.toLowerCase());
      if (this.context.online.http !== http) return;
      if ('unavailable' in answer) this.sayOnce(unavailableSentence(repository, answer));
      else {
        this.log(`Read the Actions settings of ${repository}.`);
        this.context.reanalyzeAll();
      }
    });
  }

  /** The repositories of the workspace's open documents and folders, with their answers (waiting for them). */
  async report(): Promise<string> {
    const uris = new Set<string>([...this.context.documents.keys()]);
    for (const root of this.context.workspaceRoots()) uris.add(`${trimEndOf(root, '/')}/.github/workflows/x.yml`);
    const repositories = new Set<string>();
    for (const uri of uris) {
      const repository = this.repositoryOf(uri);
      if (repository) repositories.add(repository);
    }
    const serverUrl = this.context.online.githubServerUrl;
    const http = this.context.online.http;
    const sections: string[] = ['# Repository security settings', ''];
    if (repositories.size === 0) {
      sections.push(
        'No GitHub repository was found for the workspace: no git remote on the configured GitHub host, and no `policy.repository` in `.github/actions-warden.yml`.',
      );
      return sections.join('\n');
    }
    for (const repository of [...repositories].sort()) {
      const parts = parseRepository(repository)!;
      let answer: PolicyAnswer | undefined = this.cache.peek(repository);
      if (!answer && http && http.hasToken) answer = await this.cache.get(http, parts.owner, parts.repo);
      sections.push(...repositoryReport(repository, answer, serverUrl, http === null ? 'offline' : http.hasToken ? 'online' : 'no-token'));
    }
    return sections.join('\n');
  }
}

function policyView(answer: PolicyAnswer): View<RepositoryPolicy> {
  return 'policy' in answer ? available(answer.policy) : unavailable('failed', answer.detail);
}

function yesNo(value: boolean | undefined): string {
  return value === undefined ? 'unknown' : value ? 'yes' : 'no';
}

/** One repository's section of the report. */
export function repositoryReport(
  repository: string,
  answer: PolicyAnswer | undefined,
  serverUrl: string,
  mode: 'online' | 'offline' | 'no-token',
): string[] {
  const link = settingsUrl(serverUrl, repository);
  const lines = [`## ${repository}`, ''];
  if (!answer || 'unavailable' in answer) {
    lines.push(
      answer
        ? unavailableSentence(repository, answer)
        : mode === 'offline'
          ? 'Offline mode is on: the settings were not read.'
          : 'No GitHub token: the settings were not read (they need admin access to the repository).',
      '',
      `Settings page: ${link}`,
      '',
    );
    return lines;
  }
  const policy = answer.policy;
  const allowed =
    policy.enabled === false
      ? 'Actions disabled'
      : policy.allowedActions === 'selected'
        ? `selected (GitHub-owned: ${yesNo(policy.githubOwnedAllowed)}, verified creators: ${yesNo(policy.verifiedAllowed)}, patterns: ${policy.patterns.length === 0 ? 'none' : policy.patterns.map((pattern) => `\`${pattern}\``).join(', ')})`
        : (policy.allowedActions ?? 'unknown');
  const row = (setting: string, value: string, recommended: string, good: boolean | undefined) =>
    `| ${setting} | ${value} | ${recommended} | ${good === undefined ? '?' : good ? 'ok' : '**change**'} |`;
  lines.push(
    '| Setting | Set to | Recommended | |',
    '|---|---|---|---|',
    row(
      'Allowed actions',
      allowed,
      'selected: GitHub-owned and the actions you vetted',
      policy.allowedActions === undefined ? undefined : policy.allowedActions !== 'all',
    ),
    row('Require actions pinned to a full-length commit SHA', yesNo(policy.shaPinningRequired), 'yes', policy.shaPinningRequired),
    row(
      'Default `GITHUB_TOKEN` permission',
      policy.defaultWorkflowPermissions ?? 'unknown',
      'read (each workflow starts with `permissions: {}`)',
      policy.defaultWorkflowPermissions === undefined ? undefined : policy.defaultWorkflowPermissions === 'read',
    ),
    row(
      'Actions may create and approve pull requests',
      yesNo(policy.canApprovePullRequestReviews),
      'no',
      policy.canApprovePullRequestReviews === undefined ? undefined : !policy.canApprovePullRequestReviews,
    ),
    '',
    'Recommendations follow Astral\'s practices ("Open source security at Astral", 2026): every remote `uses:` on a full SHA, enforced by the SHA-pinning policy, and a read-only default token with permissions widened per job.',
    '',
    `Settings page: ${link}`,
    '',
  );
  return lines;
}

export const repositoryPolicyFeature: Feature = {
  register(connection, context) {
    const policies = new RepositoryPolicies(context, (message) => connection.console.log(message));
    context.addViews((uri) => ({ policy: policies.viewFor(uri) }));
    return {
      commands: {
        [ServerCommands.showRepositorySettings.id]: () => policies.report(),
      },
    };
  },
};
