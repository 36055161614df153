/**
 * Online verification of lock entries (what GitHub's `gh actions-lock` verifier checks with the network):
 * - `identity-mismatch`: the repository behind the name is not the one locked (its id or its owner's id
 *   differs: deleted and registered again, transferred; or it was renamed and the name now redirects);
 * - `unreachable`: the locked commit is contained neither in the ref's current commit nor in any branch
 *   (history rewritten, the entry tampered with, or an impostor commit from a fork);
 * - `moved`: the ref now names another commit; `descendant` says whether that commit contains the locked
 *   one (a legitimate move: re-lock) or not (the ref was re-pointed: review before re-locking);
 * - `inconclusive`: not decided (rate limit, network failure, too many branches), with the reason;
 * - `ok`.
 * Entries are checked concurrently (the HTTP client bounds the requests in flight); results come back in
 * the order of the entries.
 */
import { isAncestor, reachableFromBranches } from './ancestry';
import type { RepoData } from './repo-data';
import { repositoryIds } from './repo-ids';
import { FULL_SHA_RE } from './types';

/** A lock entry to verify, as the lockfile records it. */
export interface LockedEntry {
  /** The pin key, `owner/repo@ref`. */
  key: string;
  owner: string;
  repo: string;
  /** The entry's `ref` field. */
  ref: string;
  /** `sha1-<40 hex>` (`sha256-…` cannot be verified against GitHub today: inconclusive). */
  commit: string;
  ownerId: number;
  repoId: number;
}

export type IdentityMismatchReason = 'renamed' | 'repo-id' | 'owner-id' | 'missing';

export type LockVerification = { key: string; message: string } & (
  | { status: 'ok' }
  /** `current`: the commit the ref names now (null when the ref no longer exists). */
  | { status: 'moved'; current: string | null; descendant: boolean }
  | { status: 'unreachable' }
  | { status: 'identity-mismatch'; reason: IdentityMismatchReason; current?: { fullName: string; repoId: number; ownerId: number } }
  | { status: 'inconclusive'; reason: string }
);

export function verifyLockEntries(data: RepoData, entries: readonly LockedEntry[]): Promise<LockVerification[]> {
  return Promise.all(entries.map((entry) => verifyOne(data, entry)));
}

/** Text of the lockfile for a message: at most 100 characters (the output layer escapes the rest). */
function shown(text: string): string {
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}

async function verifyOne(data: RepoData, entry: LockedEntry): Promise<LockVerification> {
  const { key, owner, repo, ref } = entry;
  const inconclusive = (reason: string): LockVerification => ({
    key,
    status: 'inconclusive',
    reason,
    message: `${shown(key)} could not be verified: ${reason}`,
  });
  const locked = /^sha1-([0-9a-f]{40})$/.exec(typeof entry.commit === 'string' ? entry.commit : '')?.[1];
  if (!locked) return inconclusive('only `sha1-<40 hex>` commits can be checked against GitHub');
  if (typeof ref !== 'string' || ref === '') return inconclusive('the entry has no ref');
  const name = shown(ref);
  const what = shown(key);

  const ids = await repositoryIds(data, owner, repo);
  if (!ids.ok) {
    if (ids.error.kind === 'not-found') {
      return {
        key,
        status: 'identity-mismatch',
        reason: 'missing',
        message: `${owner}/${repo} no longer exists (or no token can see it): the locked repository is gone, and its name may be registered again by anyone (repo-jacking); remove the dependency or re-lock it`,
      };
    }
    return inconclusive(ids.error.message);
  }
  const current = { fullName: ids.value.fullName, repoId: ids.value.repoId, ownerId: ids.value.ownerId };
  if (ids.value.repoId !== entry.repoId || ids.value.ownerId !== entry.ownerId) {
    const reason: IdentityMismatchReason = ids.value.repoId !== entry.repoId ? 'repo-id' : 'owner-id';
    const what =
      reason === 'repo-id'
        ? `repository id is ${ids.value.repoId}, not ${entry.repoId}`
        : `owner id is ${ids.value.ownerId}, not ${entry.ownerId}`;
    return {
      key,
      status: 'identity-mismatch',
      reason,
      current,
      message: `${owner}/${repo} is not the repository that was locked: its ${what} (deleted and registered again, or transferred: repo-jacking); do not re-lock before checking who owns it now`,
    };
  }
  if (ids.value.renamed) {
    return {
      key,
      status: 'identity-mismatch',
      reason: 'renamed',
      current,
      message: `${owner}/${repo} was renamed to ${ids.value.fullName}: the old name only redirects (and can be registered again by anyone); update \`uses:\` to the new name and re-lock`,
    };
  }

  // For a key whose ref is a full SHA, the commit is fixed by `uses:`; `ref` names where it was found.
  const keyRef = key.slice(key.lastIndexOf('@') + 1);
  const fixed = FULL_SHA_RE.test(keyRef);
  const resolved = await data.resolver.resolveRef(owner, repo, ref);
  if (!resolved.ok && resolved.error.kind !== 'not-found') return inconclusive(resolved.error.message);
  const head = resolved.ok ? resolved.value.commit : null;
  if (head === locked) return { key, status: 'ok', message: `${what} is locked to ${locked.slice(0, 12)}, which \`${name}\` still names` };

  if (head !== null) {
    const ancestry = await isAncestor(data, owner, repo, locked, head);
    if (ancestry.status === 'inconclusive') return inconclusive(ancestry.reason);
    if (ancestry.status === 'missing') return unreachable(key, owner, repo, locked, name);
    if (ancestry.status === 'ancestor') {
      if (fixed) return { key, status: 'ok', message: `${what}: \`${name}\` contains the locked commit` };
      return {
        key,
        status: 'moved',
        current: head,
        descendant: true,
        message: `\`${name}\` of ${owner}/${repo} moved from ${locked.slice(0, 12)} to ${head.slice(0, 12)}, which contains it: ref moved; re-lock to update`,
      };
    }
  }
  const reach = await reachableFromBranches(data, owner, repo, locked);
  if (reach.status === 'inconclusive') return inconclusive(reach.reason);
  if (reach.status === 'missing' || reach.status === 'unreachable') return unreachable(key, owner, repo, locked, name);
  if (fixed) return { key, status: 'ok', message: `${what}: branch ${reach.branch} contains the locked commit` };
  return {
    key,
    status: 'moved',
    current: head,
    descendant: false,
    message:
      head === null
        ? `\`${name}\` no longer exists in ${owner}/${repo}; the locked commit ${locked.slice(0, 12)} is still on branch ${reach.branch}: lock a ref that exists`
        : `\`${name}\` of ${owner}/${repo} now names ${head.slice(0, 12)}, which does not contain the locked commit ${locked.slice(0, 12)} (the ref was re-pointed; the locked commit is still on branch ${reach.branch}): review the change before re-locking`,
  };
}

function unreachable(key: string, owner: string, repo: string, locked: string, name: string): LockVerification {
  return {
    key,
    status: 'unreachable',
    message: `the pin is unreachable: ${locked.slice(0, 12)} is contained neither in \`${name}\` nor in any branch of ${owner}/${repo}: history was rewritten, the entry was tampered with, or it is an impostor commit`,
  };
}
