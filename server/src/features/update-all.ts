/**
 * "Update all actions in this file / in the workspace": every `uses:` pinned to a commit SHA takes the
 * update its own "Update to the latest release" action prefers (updatesFor: the same minimum release age,
 * the same releases, the same edits: new SHA and new version comment), in one workspace edit. A release
 * younger than the minimum age is not taken: the newest release old enough is, when there is one, and the
 * young one is listed in the message with its age. In a lockfile-style workflow the lock lists, a `uses:` on
 * a full release tag (`v1.2.3`) is updated the same way by rewriting only its tag, and the workflow is
 * re-locked in the same workspace edit (the new entries added and listed, the replaced ones dropped when
 * nothing else needs them). A floating tag (`v4`, `v4.1`) keeps its form: when the tag moved forward to a
 * release old enough, only its entry's commit is re-locked. Other refs are left as they are and listed.
 */
import type { CreateFile, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { ServerCommands, type UpdateAllSummary } from '../../../shared/src/protocol';
import type { OffsetEdit } from '../findings';
import { describeAge, isReleaseTagRef, updateSize, type ReleaseAgePolicy } from '../fixes/pin';
import { lockEntry, pinKeyOfUses } from '../lockfile/coverage';
import type { Lockfile } from '../lockfile/types';
import { tagForCommit } from '../resolve/lock-entry';
import { findRef } from '../resolve/types';
import { parseVersion } from '../resolve/versions';
import type { ParsedFile } from '../parse/document';
import { usesTarget, type RemoteUses } from '../parse/uses';
import { attachSnapshot, refsFor, releaseDateKey, resolvableRemote, snapshotOf } from '../resolve/snapshot';
import { toTextEdits } from './code-action-filters';
import { showMessage, type Feature } from './feature';
import { listedLockOf, middleEdit, relockRewrites, type FloatingRefresh, type RelockRequest, type RelockResult } from './lock-actions';
import type { OnlineController } from './online';
import { collectTargets, pinsWithLockIn, workspaceFiles, type PinAllIo } from './pin-all';
import { updatesFor, type ReleaseDates } from './pinning';
import { releaseAgePolicyFor } from './release-age';

type Summary = UpdateAllSummary;

/** One `uses:` update-all moves: its edits, and the pin key it had (for re-locking). */
export interface SiteUpdate {
  value: string;
  /** A release tag rewritten (lockfile style), not a SHA pin. */
  onTag: boolean;
  /** The `uses:` edits (none for a floating tag: only its entry is re-locked). */
  edits: OffsetEdit[];
  key: string | null;
  /** A floating tag whose tag moved: its entry is re-locked at the tag's current commit. */
  refresh?: FloatingRefresh;
}

/**
 * The updates of "update all" for parsed files whose snapshot is attached (nothing is applied). With
 * `tagsInLock`, the release tags of lockfile-style workflows are updated too (the caller re-locks them).
 */
export async function updateAllEdits(
  files: readonly ParsedFile[],
  dates: ReleaseDates,
  policyFor: (file: ParsedFile) => ReleaseAgePolicy,
  pinsWithLock: (file: ParsedFile) => boolean = () => false,
  /** The lock listing a lockfile-style workflow (null: none); given, release tags are updated and floating tags refreshed. */
  listedLock?: (file: ParsedFile) => Lockfile | null,
): Promise<{ updates: Map<ParsedFile, SiteUpdate[]>; held: Summary['held']; skipped: Summary['skipped'] }> {
  const result = { updates: new Map<ParsedFile, SiteUpdate[]>(), held: [] as Summary['held'], skipped: [] as Summary['skipped'] };
  for (const file of files) {
    const policy = policyFor(file);
    const locked = pinsWithLock(file);
    const tags = listedLock !== undefined && locked && file.kind === 'workflow';
    const lock = tags ? listedLock(file) : null;
    const sites = file.uses.flatMap((site) => {
      const uses = resolvableRemote(site);
      return uses ? [{ site, uses }] : [];
    });
    const planned = await Promise.all(
      sites.map(({ site, uses }) =>
        uses.refKind === 'sha' || (tags && isReleaseTagRef(uses)) ? updatesFor(file, site, dates, policy, tags) : Promise.resolve(null),
      ),
    );
    const floating = await Promise.all(
      sites.map(({ site, uses }) =>
        lock && uses.refKind === 'version' && !isReleaseTagRef(uses)
          ? floatingRefresh(file, site.value, uses, lock, dates, policy)
          : Promise.resolve(null),
      ),
    );
    const updates: SiteUpdate[] = [];
    sites.forEach(({ site, uses }, index) => {
      const moved = floating[index];
      if (moved === 'unmoved') return;
      if (moved) {
        if ('held' in moved) result.held.push({ file: file.uri, ...moved.held });
        else updates.push({ value: site.value, onTag: true, edits: [], key: moved.refresh.key, refresh: moved.refresh });
        return;
      }
      const found = planned[index];
      if (found === null) {
        result.skipped.push({
          file: file.uri,
          uses: site.value,
          reason: !locked
            ? 'not pinned to a full commit SHA: pin it first (Pin All Actions)'
            : uses.refKind === 'version' && tags
              ? 'a floating version tag keeps its form, and actions.lock has no entry of it to re-lock: lock it first'
              : uses.refKind === 'version'
                ? 'a tag locked in actions.lock: change the tag by hand, then re-lock it (its lockfile-drift quick fix)'
                : 'not a release tag: lock it as it is, or write a release tag',
        });
        return;
      }
      const taken = found.find((update) => update.ripe && update.fix.isPreferred);
      const young = found.find((update) => !update.ripe);
      if (young) {
        result.held.push({
          file: file.uri,
          uses: usesTarget(uses),
          release: young.to,
          age: young.ageMs === null ? 'release date unknown' : `only ${describeAge(young.ageMs)} old`,
          minAgeDays: policy.minAgeDays(young.size),
          tookInstead: taken?.to ?? null,
        });
      }
      if (!taken) return;
      updates.push({ value: site.value, onTag: uses.refKind !== 'sha', edits: taken.fix.edits, key: pinKeyOfUses(uses) });
    });
    if (updates.length > 0) result.updates.set(file, updates);
  }
  return result;
}

/**
 * A floating tag (`v4`) of a listed workflow: 'unmoved' when its entry still holds the commit the tag names;
 * when the tag moved, the refresh of its entry, or the release it moved to held back under the minimum
 * release age (dated like any update: the release tag at the new commit). Null when it is not locked or its
 * tags are unknown (then it is listed as left as it is).
 */
async function floatingRefresh(
  file: ParsedFile,
  value: string,
  uses: RemoteUses,
  lock: Lockfile,
  dates: ReleaseDates,
  policy: ReleaseAgePolicy,
): Promise<'unmoved' | { refresh: FloatingRefresh } | { held: Omit<Summary['held'][number], 'file'> } | null> {
  const key = pinKeyOfUses(uses);
  const entry = key ? lockEntry(lock, key) : undefined;
  const locked = entry?.commit ? /^sha1-([0-9a-f]{40})$/.exec(entry.commit.value)?.[1] : undefined;
  const snapshot = snapshotOf(file);
  const refs = snapshot ? refsFor(snapshot, uses) : undefined;
  if (!key || !locked || !snapshot || !refs?.ok || !uses.ref) return null;
  const head = findRef(refs.value, uses.ref).tag?.commit;
  if (!head) return null;
  if (head === locked) return 'unmoved';
  const release = tagForCommit(refs.value, head);
  let ageMs: number | null = null;
  if (release) {
    await dates.lookupReleaseDates(snapshot, uses, [{ name: release, commit: head }]);
    const dated = snapshot.releaseDates?.get(releaseDateKey(uses.owner, uses.repo, release));
    ageMs = dated?.ok ? policy.now - dated.value.at : null;
  }
  const from = tagForCommit(refs.value, locked);
  const size = release ? updateSize(from ? parseVersion(from) : null, parseVersion(release) ?? parseVersion('0.0.0')!) : null;
  const minAgeDays = policy.minAgeDays(size);
  if (minAgeDays > 0 && (ageMs === null || ageMs < minAgeDays * 86_400_000)) {
    return {
      held: {
        uses: usesTarget(uses),
        release: `${uses.ref} → ${release ?? head.slice(0, 12)}`,
        age: ageMs === null ? 'release date unknown' : `only ${describeAge(ageMs)} old`,
        minAgeDays,
        tookInstead: null,
      },
    };
  }
  return { refresh: { value, key, owner: uses.owner, repo: uses.repo, ref: uses.ref, commit: head } };
}

/**
 * Re-locking for "update all" in lockfile style: plans the new entries of the rewritten workflows
 * (relockRewrites: planLock, as "Re-lock at `<ref>`"), what the editor can apply, and what to do after.
 */
export interface UpdateAllLocking {
  /** The lock beside the workflow when it lists it. */
  listedLock(uri: string): Lockfile | null;
  relock(requests: readonly RelockRequest[]): Promise<RelockResult>;
  edits: { documentChanges: boolean };
  changed(): void;
}

/** Runs "update all" on the targets: resolves each repository once, dates the releases, applies one workspace edit. */
export async function updateAllCommand(
  targets: () => readonly { uri: string; text: string | undefined }[],
  online: Pick<OnlineController, 'isOffline' | 'collect' | 'lookupReleaseDates'> & Partial<Pick<OnlineController, 'whenConfigured'>>,
  io: PinAllIo,
  policyFor: (file: ParsedFile) => ReleaseAgePolicy,
  pinsWithLock: (file: ParsedFile) => boolean = () => false,
  locking?: UpdateAllLocking,
): Promise<UpdateAllSummary> {
  const collected = await collectTargets(targets, online);
  if (!collected) return offlineSummary(io);
  const { files, snapshot } = collected;
  for (const file of files) attachSnapshot(file, snapshot);
  const result = await updateAllEdits(files, online, policyFor, pinsWithLock, locking ? (file) => locking.listedLock(file.uri) : undefined);
  // Lockfile style: re-lock each workflow at its new refs; a workflow that cannot be re-locked is not rewritten.
  const relocked = locking ? await relockUpdates(result, pinsWithLock, locking) : undefined;
  const changes: Record<string, TextEdit[]> = {};
  let updated = 0;
  for (const [file, updates] of result.updates) {
    const edits = updates.flatMap((update) => update.edits);
    if (edits.length > 0) changes[file.uri] = toTextEdits(file, edits);
    updated += updates.filter((update) => update.edits.length > 0).length;
  }
  const rewrittenFiles = Object.keys(changes).length;
  const documentChanges: TextDocumentEdit[] = [];
  for (const [lockUri, lock] of relocked?.locks ?? []) {
    if (lock.before === undefined) continue; // Never created here: only a listed workflow is re-locked.
    if (locking?.edits.documentChanges)
      documentChanges.push({
        textDocument: { uri: lockUri, version: lock.open?.version ?? null },
        edits: [middleEdit(lock.before, lock.after)],
      });
    else changes[lockUri] = [middleEdit(lock.before, lock.after)];
  }
  let edit: WorkspaceEdit = { changes };
  if (documentChanges.length > 0) {
    const all: (CreateFile | TextDocumentEdit)[] = Object.entries(changes).map(([uri, edits]) => ({
      textDocument: { uri, version: null },
      edits,
    }));
    edit = { documentChanges: [...all, ...documentChanges] };
  }
  const locksEdited = relocked?.locks.size ?? 0;
  const applied =
    updated > 0 || locksEdited > 0
      ? await io.applyEdit(
          locksEdited > 0 ? 'Update actions to newer releases (and re-lock them)' : 'Update actions to newer releases',
          edit,
        )
      : false;
  if (applied && locksEdited > 0) locking?.changed();
  const held =
    result.held.length > 0
      ? ` Held back ${result.held.length} release(s) younger than the minimum release age: ${result.held
          .slice(0, 3)
          .map(
            (h) =>
              `${h.uses} ${h.release} (${h.age}; minimum ${h.minAgeDays} day${h.minAgeDays === 1 ? '' : 's'}${h.tookInstead ? `; updated to ${h.tookInstead} instead` : ''})`,
          )
          .join('; ')}${result.held.length > 3 ? '; …' : ''}.`
      : '';
  const skipped =
    result.skipped.length > 0
      ? ` Left ${result.skipped.length} as they are: ${result.skipped
          .slice(0, 3)
          .map((s) => `${s.uses} (${s.reason})`)
          .join('; ')}${result.skipped.length > 3 ? '; …' : ''}.`
      : '';
  const lockNotes = relocked?.notes ?? [];
  const locked = lockNotes.length > 0 ? ` actions.lock: ${lockNotes.join('; ')}.` : '';
  io.notify(
    updated > 0
      ? `Updated ${updated} action reference(s) in ${rewrittenFiles} file(s).${locked}${held}${skipped}`
      : `${locksEdited > 0 ? 'No `uses:` rewritten.' : 'Nothing to update.'}${locked}${held}${skipped}`,
  );
  const summary: UpdateAllSummary = {
    updated,
    files: rewrittenFiles,
    applied,
    offline: false,
    held: result.held,
    skipped: result.skipped,
  };
  if (relocked) {
    summary.relocked = applied ? locksEdited : 0;
    summary.lockNotes = lockNotes;
  }
  return summary;
}

/**
 * Re-locks the lockfile-style workflows of `result` at their new refs. A workflow the lock does not list
 * keeps its SHA updates (nothing of it is locked) but not its tag updates (an unlisted tag is not locked);
 * a workflow whose new entries cannot be computed is not updated at all. Both are listed in `skipped`.
 */
async function relockUpdates(
  result: Awaited<ReturnType<typeof updateAllEdits>>,
  pinsWithLock: (file: ParsedFile) => boolean,
  locking: UpdateAllLocking,
): Promise<RelockResult | undefined> {
  const requests: RelockRequest[] = [];
  const byUri = new Map<string, ParsedFile>();
  for (const [file, updates] of result.updates) {
    if (!pinsWithLock(file) || file.kind !== 'workflow') continue;
    byUri.set(file.uri, file);
    requests.push({
      uri: file.uri,
      text: file.text,
      edits: updates.flatMap((update) => update.edits),
      replaced: [...new Set(updates.flatMap((update) => (update.key && update.edits.length > 0 ? [update.key] : [])))],
      refresh: updates.flatMap((update) => (update.refresh ? [update.refresh] : [])),
    });
  }
  if (requests.length === 0) return undefined;
  const relocked = await locking.relock(requests);
  for (const [uri, file] of byUri) {
    const updates = result.updates.get(file) ?? [];
    const refused = relocked.refused.get(uri);
    const notRefreshed = relocked.notRefreshed.filter((item) => item.uri === uri);
    const reasonOf = (update: SiteUpdate): string | null =>
      refused ??
      (relocked.unlisted.has(uri) && update.onTag
        ? 'actions.lock does not list this workflow: lock it first (Lock All Actions of This Workflow)'
        : update.refresh
          ? (notRefreshed.find((item) => item.value === update.value)?.reason ?? null)
          : null);
    const dropped = updates.filter((update) => reasonOf(update) !== null);
    for (const update of dropped) result.skipped.push({ file: uri, uses: update.value, reason: reasonOf(update) ?? '' });
    const kept = updates.filter((update) => !dropped.includes(update));
    if (kept.length > 0) result.updates.set(file, kept);
    else result.updates.delete(file);
  }
  return relocked;
}

function offlineSummary(io: PinAllIo): UpdateAllSummary {
  io.notify('Actions Warden is offline (actionsWarden.offline): updating needs the releases on GitHub, so nothing was changed.');
  return { updated: 0, files: 0, applied: false, offline: true, held: [], skipped: [] };
}

/** The "update all actions in this file / in the workspace" commands. */
export const updateAllFeature: Feature = {
  register(connection, context) {
    const io: PinAllIo = {
      applyEdit: async (label, edit) => (await connection.workspace.applyEdit({ label, edit })).applied,
      notify: (message) => showMessage(connection, 'info', message),
    };
    const withText = (uris: readonly string[]) => uris.map((uri) => ({ uri, text: context.documents.get(uri)?.getText() }));
    const policyFor = (file: ParsedFile) => releaseAgePolicyFor(context, file.uri);
    const pinsWithLock = pinsWithLockIn(context);
    const locking = (): UpdateAllLocking => ({
      listedLock: (uri) => listedLockOf(context, uri),
      relock: (requests) => relockRewrites(context, requests),
      edits: context.client.edits,
      changed: () => context.configurationChanged(),
    });
    return {
      commands: {
        [ServerCommands.updateAllInFile.id]: (args) =>
          updateAllCommand(
            () => withText([String(args?.[0] ?? '')].filter(Boolean)),
            context.online,
            io,
            policyFor,
            pinsWithLock,
            locking(),
          ),
        [ServerCommands.updateAllInWorkspace.id]: () =>
          updateAllCommand(
            () => withText(workspaceFiles(context.workspaceRoots())),
            context.online,
            io,
            policyFor,
            pinsWithLock,
            locking(),
          ),
      },
    };
  },
};
