/**
 * A snapshot of resolution results for the `uses:` of some files: the plain data online rules, pin
 * fixes and hovers read. Building one does the I/O (through a RefResolver); reading one is pure.
 * A snapshot is attached to a ParsedFile so the rules (which only see the file) can find it.
 */
import type { ParsedFile, UsesSite } from '../parse/document';
import type { RemoteUses } from '../parse/uses';
import { repoKey, type CommitMembership, type RefResolver, type RepoRefs, type Result } from './types';

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
}

const attached = new WeakMap<ParsedFile, OnlineSnapshot>();

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

export function membershipFor(snapshot: OnlineSnapshot | undefined, uses: RemoteUses): CommitMembership | undefined {
  return uses.ref ? snapshot?.memberships.get(`${repoKey(uses.owner, uses.repo)}@${uses.ref}`) : undefined;
}

export interface CollectOptions {
  /** Also prove which pinned SHAs belong to their repository (costs REST comparisons). Default true. */
  memberships?: boolean;
  serverUrl?: string;
  offline?: boolean;
}

/** Resolves every repository the files name, each once, concurrently (the resolver coalesces and caches). */
export async function collectSnapshot(files: readonly ParsedFile[], resolver: RefResolver, options: CollectOptions = {}): Promise<OnlineSnapshot> {
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
  await Promise.all(
    [...repos].map(async ([key, uses]) => {
      snapshot.repos.set(key, await resolver.listRefs(uses.owner, uses.repo));
    }),
  );
  const work: Promise<void>[] = [];
  if (options.memberships !== false) {
    for (const [key, uses] of shas) {
      const refs = snapshot.repos.get(repoKey(uses.owner, uses.repo));
      if (!refs?.ok) continue;
      work.push(resolver.commitMembership(uses.owner, uses.repo, uses.ref!).then((membership) => void snapshot.memberships.set(key, membership)));
    }
  }
  for (const [key, uses] of shorts) {
    work.push(
      resolver.resolveRef(uses.owner, uses.repo, uses.ref!).then((result) => {
        snapshot.shortShas.set(key, result.ok ? { ok: true, value: result.value.commit } : result);
      }),
    );
  }
  await Promise.all(work);
  return snapshot;
}
