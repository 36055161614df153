/**
 * Ancestry between commits, from the compare endpoint (`GET /repos/{o}/{r}/compare/{A}...{B}`): `ahead`
 * means B contains A, `identical` that they are the same commit, `behind` and `diverged` that B does not
 * contain A. Between two full SHAs the answer can never change (a commit's parents are part of its
 * identity), so it is cached on disk for good. Reachability from the repository's branches compares the
 * commit with the branch heads of the resolver's ls-refs listing: tips first (no request), then the
 * default branch, then at most `maxBranches` branches. Anything not proven (a rate limit, a failed request,
 * branches left unchecked) is `inconclusive`, never `reachable`.
 */
import { FOREVER, repoApiPath, getJson, type RepoData } from './repo-data';
import { fail, FULL_SHA_RE, ok, type Result } from './types';

export type AncestryResult =
  /** `descendant` contains `ancestor` (or they are one commit: `identical`). */
  | { status: 'ancestor'; identical: boolean }
  /** `descendant` does not contain `ancestor`. */
  | { status: 'not-ancestor' }
  /** One of the commits is not in the repository's network at all. */
  | { status: 'missing'; reason: string }
  | { status: 'inconclusive'; reason: string };

export type Reachability =
  | { status: 'reachable'; branch: string }
  /** Every branch was compared and none contains the commit. */
  | { status: 'unreachable'; checked: number }
  | { status: 'missing'; reason: string }
  | { status: 'inconclusive'; reason: string };

type CompareStatus = 'identical' | 'behind' | 'ahead' | 'diverged';

/** The compare status of `base...head` (both full SHAs), cached for good; a 404 for `missingTtlMs`. */
function compareCommits(data: RepoData, owner: string, repo: string, base: string, head: string): Promise<Result<CompareStatus>> {
  const key = `compare|${data.hostKey}|${`${owner}/${repo}`.toLowerCase()}|${base}|${head}`;
  return data.cached(key, FOREVER, owner, repo, async (http) => {
    const body = await getJson(http, `${repoApiPath(owner, repo)}/compare/${base}...${head}?per_page=1`);
    if (!body.ok) {
      if (body.error.kind === 'not-found') {
        return fail('not-found', `${owner}/${repo} has no commit ${base.slice(0, 12)} or ${head.slice(0, 12)} (compare answered 404)`);
      }
      return body;
    }
    const status = (body.value as { status?: unknown } | null)?.status;
    if (status === 'identical' || status === 'behind' || status === 'ahead' || status === 'diverged') return ok(status);
    return fail('malformed', `${http.api.host} sent a malformed comparison for ${owner}/${repo}`);
  });
}

/** Whether commit `ancestor` is contained in `descendant` (a full SHA, or a tag or branch resolved first). */
export async function isAncestor(
  data: RepoData,
  owner: string,
  repo: string,
  ancestor: string,
  descendant: string,
): Promise<AncestryResult> {
  if (!FULL_SHA_RE.test(ancestor)) return { status: 'inconclusive', reason: `\`${ancestor.slice(0, 60)}\` is not a full commit SHA` };
  let head = descendant;
  if (!FULL_SHA_RE.test(head)) {
    const resolved = await data.resolver.resolveRef(owner, repo, descendant);
    if (!resolved.ok) return { status: 'inconclusive', reason: resolved.error.message };
    head = resolved.value.commit;
  }
  if (head === ancestor) return { status: 'ancestor', identical: true };
  const compared = await compareCommits(data, owner, repo, ancestor, head);
  if (!compared.ok) {
    if (compared.error.kind === 'not-found') return { status: 'missing', reason: compared.error.message };
    return { status: 'inconclusive', reason: compared.error.message };
  }
  if (compared.value === 'identical') return { status: 'ancestor', identical: true };
  if (compared.value === 'ahead') return { status: 'ancestor', identical: false };
  return { status: 'not-ancestor' };
}

/** Whether a branch of `owner/repo` contains `commit` (a full SHA). */
export async function reachableFromBranches(data: RepoData, owner: string, repo: string, commit: string): Promise<Reachability> {
  if (!FULL_SHA_RE.test(commit)) return { status: 'inconclusive', reason: `\`${commit.slice(0, 60)}\` is not a full commit SHA` };
  const refs = await data.resolver.listRefs(owner, repo);
  if (!refs.ok) return { status: 'inconclusive', reason: refs.error.message };
  const branches = refs.value.branches;
  const tip = branches.find((branch) => branch.commit === commit);
  if (tip) return { status: 'reachable', branch: tip.name };
  const defaultBranch = refs.value.defaultBranch;
  const ordered = [...branches].sort((a, b) => Number(b.name === defaultBranch) - Number(a.name === defaultBranch));
  const heads: { name: string; commit: string }[] = [];
  const seen = new Set<string>();
  for (const branch of ordered) {
    if (seen.has(branch.commit)) continue;
    seen.add(branch.commit);
    heads.push(branch);
  }
  const checked = heads.slice(0, data.maxBranches);
  for (const branch of checked) {
    const result = await isAncestor(data, owner, repo, commit, branch.commit);
    if (result.status === 'ancestor') return { status: 'reachable', branch: branch.name };
    if (result.status === 'missing') return result;
    if (result.status === 'inconclusive') return result;
  }
  if (checked.length < heads.length) {
    return {
      status: 'inconclusive',
      reason: `compared ${commit.slice(0, 12)} with ${checked.length} of ${heads.length} branch heads of ${owner}/${repo} without finding it; the rest were not checked`,
    };
  }
  return { status: 'unreachable', checked: checked.length };
}
