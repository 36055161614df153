/**
 * A repository's identity: `GET /repos/{o}/{r}` → its numeric id, its owner's id, its current name, default
 * branch and archived flag. The ids are what a lock entry records so that a name deleted and registered
 * again (repo-jacking) is told apart from the repository that was locked. A renamed repository answers
 * with a redirect to `/repositories/{id}`: the answer is then reported as renamed (the name asked for is
 * not its name any more), never silently taken as the repository asked for.
 */
import { getJson, repoApiPath, type RepoData } from './repo-data';
import { fail, ok, type Result } from './types';

export interface RepositoryIdentity {
  repoId: number;
  ownerId: number;
  /** `owner/repo` as GitHub spells it now. */
  fullName: string;
  defaultBranch: string | null;
  archived: boolean;
  /** True when GitHub answered for another name than the one asked for (the repository was renamed or transferred). */
  renamed: boolean;
}

interface RepoJson {
  id?: unknown;
  full_name?: unknown;
  owner?: { id?: unknown } | null;
  default_branch?: unknown;
  archived?: unknown;
}

const positive = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value > 0;

/** The ids and current name of `owner/repo` (one request, cached for `idsTtlMs`). */
export function repositoryIds(data: RepoData, owner: string, repo: string): Promise<Result<RepositoryIdentity>> {
  const key = `ids|${data.hostKey}|${`${owner}/${repo}`.toLowerCase()}`;
  return data.cached(key, data.idsTtlMs, owner, repo, async (http) => {
    const body = await getJson(http, repoApiPath(owner, repo));
    if (!body.ok) {
      if (body.error.kind === 'not-found')
        return fail('not-found', `${owner}/${repo} was not found on ${http.api.host} (deleted, or private and no token can see it)`);
      return body;
    }
    const value = (body.value ?? {}) as RepoJson;
    const fullName =
      typeof value.full_name === 'string' && /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/.test(value.full_name) ? value.full_name : null;
    if (!positive(value.id) || !positive(value.owner?.id) || fullName === null) {
      return fail('malformed', `${http.api.host} sent a malformed repository for ${owner}/${repo}`);
    }
    return ok({
      repoId: value.id,
      ownerId: value.owner.id,
      fullName,
      defaultBranch: typeof value.default_branch === 'string' ? value.default_branch : null,
      archived: value.archived === true,
      renamed: fullName.toLowerCase() !== `${owner}/${repo}`.toLowerCase(),
    });
  });
}
