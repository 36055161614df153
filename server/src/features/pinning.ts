/**
 * Pinning features for the language server: the extra code actions on `uses:` (update to the latest
 * release; a disabled "pin" action that says why no pin is offered), and the edits of "pin all".
 */
import { CodeActionKind, type CodeAction, type Range } from 'vscode-languageserver-types';
import type { Analysis } from '../document-cache';
import { MAX_DATED_RELEASES, planPin, planUpdates, updateCandidates, type PlannedUpdate, type ReleaseAgePolicy } from '../fixes/pin';
import type { ParsedFile } from '../parse/document';
import { usesTarget } from '../parse/uses';
import { resolvableRemote, snapshotOf, type OnlineSnapshot } from '../resolve/snapshot';
import type { OffsetEdit } from '../findings';
import { spanTouches, toTextEdits, wantsKind } from './code-action-filters';
import type { OnlineController } from './online';
import type { UsesSite } from '../parse/document';

export type ReleaseDates = Pick<OnlineController, 'lookupReleaseDates'>;

/**
 * The update actions of one pinned `uses:` under the minimum release age: the newest release is dated
 * first; only when it is too young (or undated) are a few older ones dated, to find the newest old enough.
 */
export async function updatesFor(
  file: ParsedFile,
  site: UsesSite,
  dates: ReleaseDates,
  policy: ReleaseAgePolicy,
  /** Also a `uses:` on a full release tag (update-all in a lock): the update rewrites the tag. */
  tags = false,
): Promise<PlannedUpdate[]> {
  const snapshot = snapshotOf(file);
  const candidates = updateCandidates(file, site, snapshot, tags);
  if (!candidates || !snapshot) return [];
  await dates.lookupReleaseDates(snapshot, candidates.uses, candidates.releases.slice(0, 1));
  let updates = planUpdates(file, site, snapshot, policy, tags);
  if (updates.length === 1 && !updates[0].ripe && candidates.releases.length > 1) {
    await dates.lookupReleaseDates(snapshot, candidates.uses, candidates.releases.slice(1, MAX_DATED_RELEASES));
    updates = planUpdates(file, site, snapshot, policy, tags);
  }
  return updates;
}

/** Code actions on the `uses:` under the range that are not fixes of a finding. */
export async function pinningCodeActions(
  analysis: Analysis,
  range: Range,
  only: readonly string[] | undefined,
  dates: ReleaseDates,
  policy: () => ReleaseAgePolicy,
): Promise<CodeAction[]> {
  if (!wantsKind(only, CodeActionKind.QuickFix)) return [];
  const file = analysis.file;
  const snapshot = snapshotOf(file);
  const actions: CodeAction[] = [];
  for (const site of file.uses) {
    const uses = resolvableRemote(site);
    if (!uses || !spanTouches(file, site.entry.valueSpan, range)) continue;
    if (uses.refKind === 'sha') {
      for (const update of await updatesFor(file, site, dates, policy())) {
        actions.push({
          title: update.fix.title,
          kind: CodeActionKind.QuickFix,
          isPreferred: update.fix.isPreferred,
          edit: { changes: { [analysis.uri]: toTextEdits(file, update.fix.edits) } },
        });
      }
      continue;
    }
    const plan = planPin(file, site, snapshot);
    if (!plan.ok && plan.reason !== 'nothing to pin') {
      actions.push({
        title: `Pin ${usesTarget(uses)} to a commit SHA`,
        kind: CodeActionKind.QuickFix,
        disabled: { reason: `No pin offered: ${plan.reason}.` },
      });
    }
  }
  return actions;
}

export interface PinAllResult {
  /** Edits by file (only files with something to pin). */
  edits: Map<ParsedFile, OffsetEdit[]>;
  pinned: number;
  skipped: { file: string; uses: string; reason: string }[];
  /** Workflows of lockfile-style repositories, left to be locked in actions.lock instead (when `canLock`). */
  toLock: ParsedFile[];
}

/**
 * The edits of "pin all": every version-tag ref (and abbreviated SHA) gets its preferred pin; branches
 * are skipped with the reason (pin them one by one with the non-preferred quick fix). Each file's
 * snapshot must already cover its uses.
 */
export function pinAllEdits(
  files: readonly ParsedFile[],
  snapshot: OnlineSnapshot,
  /** True for a file whose repository pins with actions.lock (`pinning.style`): its `uses:` are not rewritten to SHAs. */
  pinsWithLock: (file: ParsedFile) => boolean = () => false,
  /** True when the caller locks the workflows of lockfile-style repositories (their `uses:` are left as they are). */
  canLock = false,
): PinAllResult {
  const result: PinAllResult = { edits: new Map(), pinned: 0, skipped: [], toLock: [] };
  for (const file of files) {
    const edits: OffsetEdit[] = [];
    const locked = pinsWithLock(file);
    if (locked && canLock && file.kind === 'workflow') {
      result.toLock.push(file);
      continue;
    }
    for (const site of file.uses) {
      const uses = resolvableRemote(site);
      if (!uses || uses.refKind === 'sha') continue;
      if (locked) {
        result.skipped.push({
          file: file.uri,
          uses: site.value,
          reason: 'the repository pins with actions.lock (pinning.style): lock it with gh actions-lock',
        });
        continue;
      }
      const plan = planPin(file, site, snapshot);
      if (!plan.ok) {
        result.skipped.push({ file: file.uri, uses: site.value, reason: plan.reason });
        continue;
      }
      if (!plan.fix.isPreferred) {
        result.skipped.push({
          file: file.uri,
          uses: site.value,
          reason: `\`${uses.ref}\` is a branch; pin it with its quick fix if you mean to follow it`,
        });
        continue;
      }
      edits.push(...plan.fix.edits);
      result.pinned++;
    }
    if (edits.length > 0) result.edits.set(file, edits);
  }
  return result;
}
