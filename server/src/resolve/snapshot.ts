/**
 * A snapshot of resolution results for the `uses:` of some files: the plain data online rules, pin
 * fixes and hovers read. Building one does the I/O (through a RefResolver); reading one is pure.
 * A snapshot is attached to a ParsedFile so the rules (which only see the file) can find it.
 */
import type { ParsedFile, UsesSite } from '../parse/document';
import type { RemoteUses } from '../parse/uses';
import type { OnlineAdvisory } from './advisories';
import type { ReleaseDate } from './rest-transport';
import { repoKey, type CommitMembership, type RefResolver, type RepoRefs, type Result } from './types';
import { AttachedCache, attachmentsOf } from '../parse/attached-cache';
import type { LockEntry } from '../lockfile/types';
import { computeLockEntry, type ComputedLockEntry } from './lock-entry';
import { verifyLockEntries, type LockedEntry, type LockVerification } from './lock-verify';
import type { RepoData } from './repo-data';

export interface OnlineSnapshot {
  /** True when offline mode is on: nothing was resolved, on purpose. */
  offline: boolean;
  /** Web origin of the configured GitHub server, for links (`https://github.com`). */
  serverUrl: string;
  /** Ref listings by repoKey. */
  repos: Map<string, Result<RepoRefs>>;
  /** Membership of pinned SHAs, by `repoKey@sha`. */
  memberships: Map<string, CommitMembership>;
  /** Full SHAs of abbreviated ones, by `repoKey@short`. */
  shortShas: Map<string, Result<string>>;
  /** Advisories of GitHub's database (`actions` ecosystem), by repoKey; absent when not queried. */
  advisories?: Map<string, Result<OnlineAdvisory[]>>;
  /** Why the advisory database was not queried (no token, ...), for hovers and status. */
  advisoriesSkipped?: string;
  /** Release dates looked up on demand (update actions, hovers), by `repoKey@tag`. */
  releaseDates?: Map<string, Result<ReleaseDate>>;
  /** Online verification of the entries of the actions.lock files analysed, by lockEntryKey; absent when not verified. */
  lockVerifications?: Map<string, LockVerification>;
  /** For an entry whose ref moved to a descendant: the entry computed at the ref's current commit, by lockEntryKey. */
  relocks?: Map<string, Result<ComputedLockEntry>>;
}

export function releaseDateKey(owner: string, repo: string, tag: string): string {
  return `${repoKey(owner, repo)}@${tag}`;
}

/** An entry of a lock as the verifier takes it, when it is complete (a pin key, a ref, a commit, both ids). */
export function lockedEntryOf(entry: LockEntry): LockedEntry | null {
  if (!entry.pin || !entry.ref || !entry.commit || !entry.ownerId || !entry.repoId) return null;
  return {
    key: entry.normalized,
    owner: entry.pin.owner,
    repo: entry.pin.repo,
    ref: entry.ref.value,
    commit: entry.commit.value,
    ownerId: entry.ownerId.value,
    repoId: entry.repoId.value,
  };
}

/** The key of a lock entry's verification: everything verified, so an edited entry is not read as verified. */
export function lockEntryKey(entry: LockedEntry): string {
  return [entry.key, entry.ref, entry.commit, entry.ownerId, entry.repoId].join('\u0000');
}

/** A resolver that can also ask the advisory database (GitHubResolver). */
export interface AdvisorySource {
  readonly advisoriesUnavailable: string | null;
  listAdvisories(owner: string, repo: string): Promise<Result<OnlineAdvisory[]>>;
}

function advisorySource(resolver: RefResolver): AdvisorySource | null {
  const candidate = resolver as Partial<AdvisorySource>;
  return typeof candidate.listAdvisories === 'function' && 'advisoriesUnavailable' in candidate ? (candidate as AdvisorySource) : null;
}

const attached = new AttachedCache<ParsedFile, OnlineSnapshot>('online-snapshot', attachmentsOf);

export function attachSnapshot(file: ParsedFile, snapshot: OnlineSnapshot): void {
  attached.set(file, snapshot);
}

export function snapshotOf(file: ParsedFile): OnlineSnapshot | undefined {
  return attached.get(file);
}

export function emptySnapshot(offline: boolean, serverUrl = 'https://github.com'): OnlineSnapshot {
  return { offline, serverUrl, repos: new Map(), memberships: new Map(), shortShas: new Map() };
}

/** The remote reference of a `uses:` site worth resolving (not local, docker, expression or ref-less). */
export function resolvableRemote(site: UsesSite): RemoteUses | null {
  const reference = site.reference;
  if (reference.kind !== 'remote' || !reference.ref || reference.refKind === 'expression') return null;
  return reference;
}

export function refsFor(snapshot: OnlineSnapshot | undefined, uses: RemoteUses): Result<RepoRefs> | undefined {
  return snapshot?.repos.get(repoKey(uses.owner, uses.repo));
}

/** The online advisories of the repository a `uses:` names: undefined when not queried or failed. */
export function advisoriesFor(snapshot: OnlineSnapshot | undefined, uses: RemoteUses): OnlineAdvisory[] | undefined {
  const result = snapshot?.advisories?.get(repoKey(uses.owner, uses.repo));
  return result?.ok ? result.value : undefined;
}

export function membershipFor(snapshot: OnlineSnapshot | undefined, uses: RemoteUses): CommitMembership | undefined {
  return uses.ref ? snapshot?.memberships.get(`${repoKey(uses.owner, uses.repo)}@${uses.ref}`) : undefined;
}

export interface CollectOptions {
  /** Also prove which pinned SHAs belong to their repository (costs REST comparisons). Default true. */
  memberships?: boolean;
  /** Also ask the advisory database, when the resolver can (it needs a token). Default true. */
  advisories?: boolean;
  serverUrl?: string;
  offline?: boolean;
  /** Verifies the entries of the lockfile documents among the files (lockfile-unverified); without it they are not verified. */
  repoData?: RepoData;
}

/** Resolves every repository the files name, each once, concurrently (the resolver coalesces and caches). */
export async function collectSnapshot(
  files: readonly ParsedFile[],
  resolver: RefResolver,
  options: CollectOptions = {},
): Promise<OnlineSnapshot> {
  const snapshot = emptySnapshot(options.offline === true, options.serverUrl);
  if (snapshot.offline) return snapshot;
  const repos = new Map<string, RemoteUses>();
  const shas = new Map<string, RemoteUses>();
  const shorts = new Map<string, RemoteUses>();
  for (const file of files) {
    for (const site of file.uses) {
      const uses = resolvableRemote(site);
      if (!uses) continue;
      const key = repoKey(uses.owner, uses.repo);
      if (!repos.has(key)) repos.set(key, uses);
      if (uses.refKind === 'sha') shas.set(`${key}@${uses.ref}`, uses);
      if (uses.refKind === 'short-sha') shorts.set(`${key}@${uses.ref}`, uses);
    }
  }
  const source = options.advisories === false ? null : advisorySource(resolver);
  const unavailable = source?.advisoriesUnavailable ?? null;
  if (source && unavailable) snapshot.advisoriesSkipped = unavailable;
  if (source && !unavailable) snapshot.advisories = new Map();
  await Promise.all(
    [...repos].map(async ([key, uses]) => {
      const [refs, advisories] = await Promise.all([
        resolver.listRefs(uses.owner, uses.repo),
        snapshot.advisories ? source!.listAdvisories(uses.owner, uses.repo) : undefined,
      ]);
      snapshot.repos.set(key, refs);
      if (advisories) snapshot.advisories!.set(key, advisories);
    }),
  );
  const work: Promise<void>[] = [];
  if (options.memberships !== false) {
    for (const [key, uses] of shas) {
      const refs = snapshot.repos.get(repoKey(uses.owner, uses.repo));
      if (!refs?.ok) continue;
      work.push(
        resolver.commitMembership(uses.owner, uses.repo, uses.ref!).then((membership) => void snapshot.memberships.set(key, membership)),
      );
    }
  }
  for (const [key, uses] of shorts) {
    work.push(
      resolver.resolveRef(uses.owner, uses.repo, uses.ref!).then((result) => {
        snapshot.shortShas.set(key, result.ok ? { ok: true, value: result.value.commit } : result);
      }),
    );
  }
  if (options.repoData) work.push(collectLockVerifications(files, options.repoData, snapshot));
  await Promise.all(work);
  return snapshot;
}

/**
 * Verifies every complete entry of the lockfile documents among `files` (each once), and recomputes the
 * entries whose ref moved to a descendant of the locked commit (the re-lock fix writes them).
 */
async function collectLockVerifications(files: readonly ParsedFile[], data: RepoData, snapshot: OnlineSnapshot): Promise<void> {
  const entries = new Map<string, LockedEntry>();
  for (const file of files) {
    if (file.kind !== 'lockfile' || !file.lockfile?.supported) continue;
    for (const entry of file.lockfile.entries) {
      const locked = lockedEntryOf(entry);
      if (locked) entries.set(lockEntryKey(locked), locked);
    }
  }
  const verifications = new Map<string, LockVerification>();
  const relocks = new Map<string, Result<ComputedLockEntry>>();
  snapshot.lockVerifications = verifications;
  snapshot.relocks = relocks;
  if (entries.size === 0) return;
  const list = [...entries];
  const results = await verifyLockEntries(
    data,
    list.map(([, entry]) => entry),
  );
  const moved: Promise<void>[] = [];
  results.forEach((result, index) => {
    const [key, entry] = list[index];
    verifications.set(key, result);
    if (result.status === 'moved' && result.descendant) {
      moved.push(computeLockEntry(data, entry.owner, entry.repo, entry.ref).then((computed) => void relocks.set(key, computed)));
    }
  });
  await Promise.all(moved);
}
