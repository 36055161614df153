/**
 * "Update all actions in this file / in the workspace": every `uses:` pinned to a commit SHA takes the
 * update its own "Update to the latest release" action prefers (updatesFor: the same minimum release age,
 * the same releases, the same edits: new SHA and new version comment), in one workspace edit. A release
 * younger than the minimum age is not taken: the newest release old enough is, when there is one, and the
 * young one is listed in the message with its age. Refs that are not SHA pins are left as they are (the
 * single action does not update them either): pin them first; in lockfile style they are locked, and
 * changing their tag is left to the user and the lock's re-lock fix.
 */
import type { TextEdit } from 'vscode-languageserver-types';
import { ServerCommands, type UpdateAllSummary } from '../../../shared/src/protocol';
import type { OffsetEdit } from '../findings';
import { describeAge, type ReleaseAgePolicy } from '../fixes/pin';
import type { ParsedFile } from '../parse/document';
import { usesTarget } from '../parse/uses';
import { attachSnapshot, resolvableRemote } from '../resolve/snapshot';
import { toTextEdits } from './code-action-filters';
import { showMessage, type Feature } from './feature';
import type { OnlineController } from './online';
import { parseTargets, pinsWithLockIn, workspaceFiles, type PinAllIo } from './pin-all';
import { updatesFor, type ReleaseDates } from './pinning';
import { releaseAgePolicyFor } from './release-age';

type Summary = UpdateAllSummary;

/** The edits of "update all" for parsed files whose snapshot is attached (nothing is applied). */
export async function updateAllEdits(
  files: readonly ParsedFile[],
  dates: ReleaseDates,
  policyFor: (file: ParsedFile) => ReleaseAgePolicy,
  pinsWithLock: (file: ParsedFile) => boolean = () => false,
): Promise<{ edits: Map<ParsedFile, OffsetEdit[]>; updated: number; held: Summary['held']; skipped: Summary['skipped'] }> {
  const result = { edits: new Map<ParsedFile, OffsetEdit[]>(), updated: 0, held: [] as Summary['held'], skipped: [] as Summary['skipped'] };
  for (const file of files) {
    const policy = policyFor(file);
    const locked = pinsWithLock(file);
    const sites = file.uses.flatMap((site) => {
      const uses = resolvableRemote(site);
      return uses ? [{ site, uses }] : [];
    });
    const planned = await Promise.all(
      sites.map(({ site, uses }) => (uses.refKind === 'sha' ? updatesFor(file, site, dates, policy) : Promise.resolve(null))),
    );
    const edits: OffsetEdit[] = [];
    sites.forEach(({ site, uses }, index) => {
      const updates = planned[index];
      if (updates === null) {
        result.skipped.push({
          file: file.uri,
          uses: site.value,
          reason:
            locked && uses.refKind !== 'short-sha'
              ? 'a tag locked in actions.lock: change the tag by hand, then re-lock it (its lockfile-drift quick fix)'
              : 'not pinned to a full commit SHA: pin it first (Pin All Actions)',
        });
        return;
      }
      const taken = updates.find((update) => update.ripe && update.fix.isPreferred);
      const young = updates.find((update) => !update.ripe);
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
      edits.push(...taken.fix.edits);
      result.updated++;
    });
    if (edits.length > 0) result.edits.set(file, edits);
  }
  return result;
}

/** Runs "update all" on the targets: resolves each repository once, dates the releases, applies one workspace edit. */
export async function updateAllCommand(
  targets: () => readonly { uri: string; text: string | undefined }[],
  online: Pick<OnlineController, 'isOffline' | 'collect' | 'lookupReleaseDates'> & Partial<Pick<OnlineController, 'whenConfigured'>>,
  io: PinAllIo,
  policyFor: (file: ParsedFile) => ReleaseAgePolicy,
  pinsWithLock: (file: ParsedFile) => boolean = () => false,
): Promise<UpdateAllSummary> {
  await online.whenConfigured?.();
  if (online.isOffline) return offlineSummary(io);
  const files = parseTargets(targets());
  const snapshot = await online.collect(files);
  if (snapshot.offline) return offlineSummary(io);
  for (const file of files) attachSnapshot(file, snapshot);
  const result = await updateAllEdits(files, online, policyFor, pinsWithLock);
  const changes: Record<string, TextEdit[]> = {};
  for (const [file, edits] of result.edits) changes[file.uri] = toTextEdits(file, edits);
  const applied = result.updated > 0 ? await io.applyEdit('Update actions to newer releases', { changes }) : false;
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
  io.notify(
    result.updated > 0
      ? `Updated ${result.updated} action reference(s) in ${result.edits.size} file(s).${held}${skipped}`
      : `Nothing to update.${held}${skipped}`,
  );
  return {
    updated: result.updated,
    files: result.edits.size,
    applied,
    offline: false,
    held: result.held,
    skipped: result.skipped,
  };
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
    return {
      commands: {
        [ServerCommands.updateAllInFile.id]: (args) =>
          updateAllCommand(() => withText([String(args?.[0] ?? '')].filter(Boolean)), context.online, io, policyFor, pinsWithLock),
        [ServerCommands.updateAllInWorkspace.id]: () =>
          updateAllCommand(() => withText(workspaceFiles(context.workspaceRoots())), context.online, io, policyFor, pinsWithLock),
      },
    };
  },
};
