/**
 * Computing lock entries for GitHub's actions lockfile (`.github/workflows/actions.lock`):
 * - computeLockEntry: one `owner/repo[/path]@ref` → its peeled commit (the resolver's ls-refs listing;
 *   annotated tags are peeled), the repository and owner ids, and its own direct dependencies read from
 *   its `action.yml`/`action.yaml` at that commit (a composite action's remote `uses:`; none for Docker or
 *   JavaScript actions) or, for a reusable workflow, its jobs' and steps' remote `uses:`;
 * - computeClosure: the same, transitively (bounded depth, cycle-safe), for everything a workflow needs.
 * Dependencies are pin keys: `owner/repo@ref` with owner and repo lower-cased, the ref kept as written,
 * sub-paths dropped; local `./`, `$/`, `docker://` and `${{ }}` references are not dependencies.
 */
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { trimTrailingSlashes } from '../../../shared/src/github-hosts';
import { parseUses, type RemoteUses } from '../parse/uses';
import { reachableFromBranches } from './ancestry';
import type { RepoData } from './repo-data';
import { readFileAtCommit } from './repo-files';
import { repositoryIds } from './repo-ids';
import type { LockEntryInput } from '../lockfile/types';
import { parseVersion, tagsAt } from './versions';
import { fail, FULL_SHA_RE, ok, type RepoRefs, type ResolveError, type Result } from './types';

/** One entry of the lock's `dependencies`, as plain data (the type the lock's text edits take). */
export type { LockEntryInput };

/** A computed entry with its pin key (`owner/repo@ref`, the ref as written in `uses:`). */
export interface ComputedLockEntry extends LockEntryInput {
  key: string;
}

export interface ClosureProblem {
  /** The pin key (or the `uses:` text when it has none). */
  key: string;
  error: ResolveError;
}

export interface LockClosure {
  /** Every pin key the workflow needs, direct and transitive, in the order first met. */
  keys: string[];
  /** Entries by pin key. */
  entries: Record<string, ComputedLockEntry>;
  /** Entries that could not be computed (their dependencies are then unknown too). */
  problems: ClosureProblem[];
}

export const MAX_CLOSURE_DEPTH = 5;

/** `owner/repo@ref`: owner and repository lower-cased, the ref kept. */
export function pinKey(owner: string, repo: string, ref: string): string {
  return `${owner.toLowerCase()}/${repo.toLowerCase()}@${ref}`;
}

/** The remote action or reusable workflow a `uses:` value names, when it can be locked; else null. */
export function lockableUses(value: string): RemoteUses | null {
  const uses = parseUses(value);
  if (uses.kind !== 'remote' || uses.ref === null || uses.refKind === null || uses.refKind === 'expression') return null;
  return uses;
}

/** The pin key of a `uses:` value, or null for local, `$/`, Docker, expression and malformed references. */
export function pinKeyOfUses(value: string): string | null {
  const uses = lockableUses(value);
  return uses ? pinKey(uses.owner, uses.repo, uses.ref!) : null;
}

/**
 * The remote `uses:` values an action's metadata (`kind: 'action'`: composite `runs.steps[].uses`) or a
 * reusable workflow (`kind: 'workflow'`: `jobs.*.uses` and `jobs.*.steps[].uses`) names, as written.
 * Text that is not YAML, or not shaped like either, names none.
 */
export function remoteUsesIn(text: string, kind: 'action' | 'workflow'): string[] {
  let root: Node | null;
  try {
    const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false, strict: false });
    if (doc.errors.length > 0) return [];
    root = doc.contents as Node | null;
  } catch {
    return [];
  }
  const out: string[] = [];
  const stepUses = (steps: unknown) => {
    if (!isSeq(steps)) return;
    for (const step of steps.items) {
      const uses = isMap(step) ? step.get('uses', true) : undefined;
      if (isScalar(uses) && typeof uses.value === 'string') out.push(uses.value);
    }
  };
  if (!isMap(root)) return out;
  if (kind === 'action') {
    const runs = root.get('runs', true);
    if (!isMap(runs)) return out;
    const using = runs.get('using', true);
    if (!isScalar(using) || String(using.value).toLowerCase() !== 'composite') return out;
    stepUses(runs.get('steps', true));
  } else {
    const jobs = root.get('jobs', true);
    if (!isMap(jobs)) return out;
    for (const job of jobs.items) {
      if (!isMap(job.value)) continue;
      const uses = job.value.get('uses', true);
      if (isScalar(uses) && typeof uses.value === 'string') out.push(uses.value);
      stepUses(job.value.get('steps', true));
    }
  }
  return out.filter((value) => lockableUses(value) !== null);
}

/** Pin keys of `values`, each once, in order. */
function uniqueKeys(values: string[]): string[] {
  const keys: string[] = [];
  for (const value of values) {
    const key = pinKeyOfUses(value);
    if (key !== null && !keys.includes(key)) keys.push(key);
  }
  return keys;
}

interface EntryWithUses {
  entry: ComputedLockEntry;
  /** The remote `uses:` values of this entry, as written (the closure follows their sub-paths). */
  usesValues: string[];
}

/**
 * The lock entry of `owner/repo@ref` (with `subPath` for `owner/repo/path@ref`: an action in a folder or
 * a reusable workflow). A full SHA ref is accepted when a tag or branch of the repository contains it (the
 * entry's `ref` then names it); a renamed repository is refused (lock the new name).
 */
export async function computeLockEntry(
  data: RepoData,
  owner: string,
  repo: string,
  ref: string,
  subPath?: string,
): Promise<Result<ComputedLockEntry>> {
  const computed = await computeEntry(data, owner, repo, ref, subPath);
  return computed.ok ? ok(computed.value.entry) : computed;
}

async function computeEntry(data: RepoData, owner: string, repo: string, ref: string, subPath?: string): Promise<Result<EntryWithUses>> {
  const target = `${owner}/${repo}${subPath ? `/${subPath}` : ''}@${ref}`;
  const [ids, commit] = await Promise.all([repositoryIds(data, owner, repo), lockedCommit(data, owner, repo, ref)]);
  if (!ids.ok) return ids;
  if (ids.value.renamed) {
    return fail(
      'invalid',
      `${owner}/${repo} is now ${ids.value.fullName} (renamed or transferred): update \`uses:\` to the new name before locking it`,
    );
  }
  if (!commit.ok) return commit;
  const path = subPath ? trimTrailingSlashes(subPath) : '';
  const isWorkflow = /^\.github\/workflows\/[^/]+\.ya?ml$/.test(path);
  let usesValues: string[] = [];
  if (isWorkflow) {
    const file = await readFileAtCommit(data, owner, repo, commit.value.sha, path);
    if (!file.ok) return file;
    usesValues = remoteUsesIn(file.value.text, 'workflow');
  } else {
    const prefix = path === '' ? '' : `${path}/`;
    let file = await readFileAtCommit(data, owner, repo, commit.value.sha, `${prefix}action.yml`);
    if (!file.ok && file.error.kind === 'not-found')
      file = await readFileAtCommit(data, owner, repo, commit.value.sha, `${prefix}action.yaml`);
    if (!file.ok) {
      if (file.error.kind === 'not-found')
        return fail('not-found', `${target} has no action.yml or action.yaml at ${commit.value.sha.slice(0, 12)}`);
      return file;
    }
    usesValues = remoteUsesIn(file.value.text, 'action');
  }
  const uses = uniqueKeys(usesValues);
  const entry: ComputedLockEntry = {
    key: pinKey(owner, repo, ref),
    owner: owner.toLowerCase(),
    repo: repo.toLowerCase(),
    ref: commit.value.ref,
    commit: `sha1-${commit.value.sha}`,
    ownerId: ids.value.ownerId,
    repoId: ids.value.repoId,
  };
  if (uses.length > 0) entry.uses = uses;
  return ok({ entry, usesValues });
}

/**
 * The tag a full commit SHA is written as instead (and locked at): the highest release tag whose peeled
 * commit it is (`v4.2.2` before `v4` before `v5.0.0-rc.1` only when no release points there), else the
 * highest tag of any name; null when no tag points at the commit.
 */
export function tagForCommit(refs: RepoRefs, sha: string): string | null {
  const tags = tagsAt(refs, sha.toLowerCase());
  return tags.find((name) => parseVersion(name)?.prerelease === null) ?? tags[0] ?? null;
}

/** The peeled commit of `ref`, and the ref an entry records (for a full SHA: a tag or branch containing it). */
async function lockedCommit(data: RepoData, owner: string, repo: string, ref: string): Promise<Result<{ sha: string; ref: string }>> {
  if (!FULL_SHA_RE.test(ref)) {
    const resolved = await data.resolver.resolveRef(owner, repo, ref);
    if (!resolved.ok) return resolved;
    if (resolved.value.via === 'sha') {
      return fail('invalid', `\`${ref}\` is an abbreviated commit SHA, which cannot be locked: use the full SHA or a tag`);
    }
    return ok({ sha: resolved.value.commit, ref });
  }
  const refs = await data.resolver.listRefs(owner, repo);
  if (!refs.ok) return refs;
  const tag = tagForCommit(refs.value, ref);
  if (tag !== null) return ok({ sha: ref, ref: tag });
  const reach = await reachableFromBranches(data, owner, repo, ref);
  if (reach.status === 'reachable') return ok({ sha: ref, ref: reach.branch });
  if (reach.status === 'inconclusive')
    return fail('network', `could not tell whether ${ref.slice(0, 12)} is on a branch of ${owner}/${repo}: ${reach.reason}`);
  return fail(
    'not-found',
    `${ref.slice(0, 12)} is not on any branch or tag of ${owner}/${repo}${reach.status === 'missing' ? ' (no such commit)' : ''}: it is not locked (an impostor commit from a fork?)`,
  );
}

/**
 * Every entry the `uses:` values of a workflow need, direct and transitive (at most `maxDepth` levels,
 * default 5; each repository and ref once, whatever the cycles). Entries of one repository at one ref
 * reached through several sub-paths (`actions/cache/save@v4`, `actions/cache/restore@v4`) are one entry
 * whose `uses` is the union of theirs.
 */
export async function computeClosure(data: RepoData, uses: readonly string[], options: { maxDepth?: number } = {}): Promise<LockClosure> {
  const maxDepth = Math.max(1, options.maxDepth ?? MAX_CLOSURE_DEPTH);
  const closure: LockClosure = { keys: [], entries: {}, problems: [] };
  const done = new Set<string>();
  const failedKeys = new Set<string>();
  let level = uses.map((value) => lockableUses(value)).filter((value): value is RemoteUses => value !== null);
  for (let depth = 1; level.length > 0; depth++) {
    const todo: RemoteUses[] = [];
    for (const item of level) {
      const key = pinKey(item.owner, item.repo, item.ref!);
      if (!closure.keys.includes(key)) closure.keys.push(key);
      const id = `${key}|${item.subpath ?? ''}`;
      if (done.has(id)) continue;
      done.add(id);
      todo.push(item);
    }
    if (todo.length === 0) break;
    if (depth > maxDepth) {
      for (const item of todo) {
        const key = pinKey(item.owner, item.repo, item.ref!);
        if (failedKeys.has(key)) continue;
        failedKeys.add(key);
        closure.problems.push({
          key,
          error: {
            kind: 'invalid',
            message: `the dependency chain is deeper than ${maxDepth} levels at ${key}: it was not followed further`,
          },
        });
      }
      break;
    }
    const results = await Promise.all(todo.map((item) => computeEntry(data, item.owner, item.repo, item.ref!, item.subpath ?? undefined)));
    const next: RemoteUses[] = [];
    results.forEach((result, index) => {
      const item = todo[index];
      const key = pinKey(item.owner, item.repo, item.ref!);
      if (!result.ok) {
        if (!failedKeys.has(key)) closure.problems.push({ key, error: result.error });
        failedKeys.add(key);
        return;
      }
      const existing = closure.entries[key];
      if (!existing) closure.entries[key] = result.value.entry;
      else {
        const merged = [...(existing.uses ?? [])];
        for (const dependency of result.value.entry.uses ?? []) if (!merged.includes(dependency)) merged.push(dependency);
        if (merged.length > 0) existing.uses = merged;
      }
      for (const value of result.value.usesValues) {
        const dependency = lockableUses(value);
        if (dependency) next.push(dependency);
      }
    });
    level = next;
  }
  // An entry that failed through one sub-path and succeeded through another is still incomplete.
  for (const key of failedKeys) delete closure.entries[key];
  return closure;
}
