/**
 * The offline checks that tie a lock to its workflows: which `uses:` of an onboarded workflow the lock
 * covers, which it holds at another ref (drift), and, on the lock's side, the entries no workflow needs,
 * the workflows whose file is gone and the lists that are not the transitive closure of the `uses:`.
 */
import type { ParsedFile, UsesSite } from '../parse/document';
import type { RemoteUses } from '../parse/uses';
import { lockIndex, pinKeyOf } from './read';
import type { LockEntry, Lockfile, LockWorkflow } from './types';

const indexes = new WeakMap<Lockfile, Map<string, LockEntry>>();
const byRepository = new WeakMap<Lockfile, Map<string, LockEntry[]>>();

/** The entry of a normalised pin key. */
export function lockEntry(lock: Lockfile, key: string): LockEntry | undefined {
  let index = indexes.get(lock);
  if (!index) indexes.set(lock, (index = lockIndex(lock)));
  return index.get(key);
}

/** The entries of one repository (`owner/repo`, compared lower-cased), in the lock's order. */
export function entriesOfRepository(lock: Lockfile, owner: string, repo: string): LockEntry[] {
  let index = byRepository.get(lock);
  if (!index) {
    index = new Map();
    for (const entry of lock.entries) {
      if (!entry.pin) continue;
      const name = `${entry.pin.owner.toLowerCase()}/${entry.pin.repo.toLowerCase()}`;
      const list = index.get(name);
      if (list) list.push(entry);
      else index.set(name, [entry]);
    }
    byRepository.set(lock, index);
  }
  return index.get(`${owner.toLowerCase()}/${repo.toLowerCase()}`) ?? [];
}

/** The workflow listed under `path`, when the lock is one we read. */
export function onboardedWorkflow(lock: Lockfile, path: string | null): LockWorkflow | undefined {
  if (!lock.supported || path === null) return undefined;
  return lock.workflows.find((workflow) => workflow.path === path);
}

/** The pin key of a remote `uses:` (sub-paths map to the repository), or null when its ref is not written out. */
export function pinKeyOfUses(uses: RemoteUses): string | null {
  if (uses.ref === null || uses.ref === '' || uses.refKind === 'expression') return null;
  return pinKeyOf(uses.owner, uses.repo, uses.ref);
}

export type Coverage =
  /** The lock has an entry for this ref. */
  | { state: 'covered'; entry: LockEntry }
  /** No entry for this ref, but the lock holds the same action at other refs: the ref was changed by hand. */
  | { state: 'drift'; others: LockEntry[] }
  /** No entry for the action at all. */
  | { state: 'unlocked' };

/** How the lock covers a remote `uses:` whose ref is written out. */
export function coverageOf(lock: Lockfile, uses: RemoteUses): Coverage | null {
  const key = pinKeyOfUses(uses);
  if (key === null) return null;
  const entry = lockEntry(lock, key);
  if (entry) return { state: 'covered', entry };
  const others = entriesOfRepository(lock, uses.owner, uses.repo);
  return others.length > 0 ? { state: 'drift', others } : { state: 'unlocked' };
}

/** The remote `uses:` of a workflow that a lock entry should cover (refs written out). */
export function lockableUses(file: ParsedFile): { site: UsesSite; uses: RemoteUses; key: string }[] {
  const found: { site: UsesSite; uses: RemoteUses; key: string }[] = [];
  for (const site of file.uses) {
    if (site.reference.kind !== 'remote') continue;
    const key = pinKeyOfUses(site.reference);
    if (key !== null) found.push({ site, uses: site.reference, key });
  }
  return found;
}

/**
 * The transitive closure of `keys` over the entries' `uses:` edges, in a stable order (first reached first).
 * Keys without an entry are kept (they are what the lock is missing) but not followed.
 */
export function closureOf(lock: Lockfile, keys: Iterable<string>): string[] {
  const seen = new Set<string>();
  const queue: string[] = [];
  for (const key of keys) {
    if (!seen.has(key)) {
      seen.add(key);
      queue.push(key);
    }
  }
  for (let index = 0; index < queue.length; index++) {
    const entry = lockEntry(lock, queue[index]);
    if (!entry) continue;
    for (const reference of entry.uses) {
      if (seen.has(reference.normalized)) continue;
      seen.add(reference.normalized);
      queue.push(reference.normalized);
    }
  }
  return queue;
}
