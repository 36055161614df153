/**
 * The repository's Actions settings for the CLI: when online with a token, each scanned root that is a git
 * checkout (its `.git/config`, read, nothing run) with a remote on the chosen GitHub host, or whose
 * configuration names `policy.repository`, has its settings read once; the answer becomes the `policy`
 * view of its files. A refusal (403/404) is one note per repository. Without a token nothing is asked:
 * the configuration's `policy:` still works offline.
 */
import { HttpClient } from '../resolve/http';
import { PolicyCache, parseRepository, unavailableSentence, type RepositoryPolicy } from '../resolve/repo-policy';
import { repositoryOfCheckout } from '../workspace/git-remote';
import type { Target } from './discover';
import type { HostChoice } from './hosts';

export async function cliRepositoryPolicies(
  hosts: HostChoice,
  token: string | undefined,
  targets: readonly Target[],
  configuredRepository: (target: Target) => string | undefined,
  note: (message: string) => void,
): Promise<Map<Target, RepositoryPolicy>> {
  const out = new Map<Target, RepositoryPolicy>();
  if (!token) return out;
  const created = HttpClient.create({ serverUrl: hosts.serverUrl, apiUrl: hosts.apiUrl, token });
  if (!created.ok) return out;
  const http = created.value;
  const host = http.server.host.toLowerCase();
  const cache = new PolicyCache();
  const byRoot = new Map<string, string | null>();
  const said = new Set<string>();
  for (const target of targets) {
    if (target.virtual || target.root === '') continue;
    let repository = configuredRepository(target) ?? null;
    if (repository === null) {
      if (!byRoot.has(target.root)) {
        const remote = repositoryOfCheckout(target.root, host);
        byRoot.set(target.root, remote.kind === 'github' ? `${remote.owner}/${remote.repo}` : null);
        if (remote.kind === 'other-host')
          note(
            `the git remote \`${remote.remote}\` of ${target.rootPath} is on ${remote.host}, not on the GitHub host ${host}: its Actions settings are not read`,
          );
      }
      repository = byRoot.get(target.root) ?? null;
    }
    const parts = repository === null ? null : parseRepository(repository);
    if (!parts || repository === null) continue;
    const answer = await cache.get(http, parts.owner, parts.repo);
    if ('policy' in answer) out.set(target, answer.policy);
    else if (!said.has(repository.toLowerCase())) {
      said.add(repository.toLowerCase());
      note(unavailableSentence(repository, answer));
    }
  }
  return out;
}
