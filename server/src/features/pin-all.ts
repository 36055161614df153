/**
 * "Pin all actions in this file / in the workspace": resolves every repository the files name once,
 * then applies one workspace edit with the preferred pin of every version-tag ref. Offline, nothing is
 * walked or read: pinning needs GitHub.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CreateFile, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { ServerCommands, type PinAllSummary } from '../../../shared/src/protocol';
import { documentKind } from '../document-cache';
import { walkFolder } from '../files/walk';
import { classifyPath, ParsedFile } from '../parse/document';
import { uriToPath } from '../config/workspace';
import { repositoryHasLock } from '../lockfile/locate';
import { toTextEdits } from './code-action-filters';
import { showMessage, type Feature, type FeatureContext } from './feature';
import type { OnlineSnapshot } from '../resolve/snapshot';
import type { OnlineController } from './online';
import { pinAllEdits } from './pinning';
import { lockWorkflows, middleEdit, type LockAllResult } from './lock-actions';

const MAX_FILES = 2000;
const MAX_DEPTH = 12;

/**
 * Workflow and action metadata files under the workspace folders, found with the CLI's walker (the same
 * skips, each folder once, no symbolic link followed out of its workspace folder), at most MAX_FILES.
 */
export function workspaceFiles(roots: readonly string[]): string[] {
  const found: string[] = [];
  const visited = new Set<string>();
  for (const root of roots) {
    let path: string;
    try {
      path = fileURLToPath(root);
    } catch {
      continue; // Not a file: URI (virtual workspace): only open documents could be pinned.
    }
    const accept = (file: string) => ['workflow', 'action'].includes(classifyPath(file));
    const walked = walkFolder(path, { accept, maxFiles: MAX_FILES - found.length, maxDepth: MAX_DEPTH, visited });
    for (const file of walked.files) found.push(pathToFileURL(file).href);
    if (found.length >= MAX_FILES) break;
  }
  return found;
}

export interface PinAllIo {
  applyEdit(label: string, edit: WorkspaceEdit): Promise<boolean>;
  notify(message: string): void;
}

/**
 * Locking for "pin all" in lockfile style: plans the locks of the workflows (lockWorkflow's code path),
 * what the editor can apply, and what to do once a lock changed.
 */
export interface PinAllLocking {
  lock(uris: readonly string[]): Promise<LockAllResult>;
  edits: { documentChanges: boolean; createFiles: boolean };
  changed(): void;
}

/** Parses each target (its open-document text, else read from disk; unreadable files are left out). */
function parseTargets(targets: readonly { uri: string; text: string | undefined }[]): ParsedFile[] {
  const files: ParsedFile[] = [];
  for (const target of targets) {
    let text = target.text;
    if (text === undefined) {
      try {
        text = readFileSync(fileURLToPath(target.uri), 'utf8');
      } catch {
        continue;
      }
    }
    const kind = documentKind(target.uri);
    files.push(new ParsedFile(target.uri, kind === 'unknown' ? 'workflow' : kind, text));
  }
  return files;
}

/**
 * The targets parsed and resolved online (each repository once), or null when offline (then `targets` is not
 * called, so the workspace is not even walked).
 */
export async function collectTargets(
  targets: () => readonly { uri: string; text: string | undefined }[],
  online: Pick<OnlineController, 'isOffline' | 'collect'> & Partial<Pick<OnlineController, 'whenConfigured'>>,
): Promise<{ files: ParsedFile[]; snapshot: OnlineSnapshot } | null> {
  await online.whenConfigured?.();
  if (online.isOffline) return null;
  const files = parseTargets(targets());
  const snapshot = await online.collect(files);
  return snapshot.offline ? null : { files, snapshot };
}

/**
 * `targets`: gives the URIs with their open-document text (read from disk when absent); not called when
 * offline, so the workspace is not even walked then.
 */
export async function pinAllCommand(
  targets: () => readonly { uri: string; text: string | undefined }[],
  online: Pick<OnlineController, 'isOffline' | 'collect'> & Partial<Pick<OnlineController, 'whenConfigured'>>,
  io: PinAllIo,
  pinsWithLock: (file: ParsedFile) => boolean = () => false,
  locking?: PinAllLocking,
): Promise<PinAllSummary> {
  const collected = await collectTargets(targets, online);
  if (!collected) return offlineSummary(io);
  const { files, snapshot } = collected;
  const result = pinAllEdits(files, snapshot, pinsWithLock, locking !== undefined);
  const lockResult = locking && result.toLock.length > 0 ? await locking.lock(result.toLock.map((file) => file.uri)) : undefined;
  const notes = [...(lockResult?.notes ?? [])];
  const changes: Record<string, TextEdit[]> = {};
  for (const [file, edits] of result.edits) changes[file.uri] = toTextEdits(file, edits);
  const documentChanges: (CreateFile | TextDocumentEdit)[] = [];
  let locksEdited = 0;
  for (const [lockUri, lock] of lockResult?.locks ?? []) {
    if (lock.before === undefined) {
      if (!locking?.edits.documentChanges || !locking.edits.createFiles) {
        notes.push(`the editor cannot create ${lock.key.replace(/[^/]+$/, 'actions.lock')}; run gh actions-lock`);
        continue;
      }
      documentChanges.push({ kind: 'create', uri: lockUri, options: { ignoreIfExists: true } });
      documentChanges.push({ textDocument: { uri: lockUri, version: null }, edits: [middleEdit('', lock.after)] });
    } else if (locking?.edits.documentChanges) {
      documentChanges.push({
        textDocument: { uri: lockUri, version: lock.open?.version ?? null },
        edits: [middleEdit(lock.before, lock.after)],
      });
    } else changes[lockUri] = [middleEdit(lock.before, lock.after)];
    locksEdited++;
  }
  let edit: WorkspaceEdit = { changes };
  if (documentChanges.length > 0) {
    for (const [uri, edits] of Object.entries(changes)) documentChanges.push({ textDocument: { uri, version: null }, edits });
    edit = { documentChanges };
  }
  const applied =
    result.pinned > 0 || locksEdited > 0
      ? await io.applyEdit(locksEdited > 0 ? 'Pin actions (commit SHAs, actions.lock)' : 'Pin actions to commit SHAs', edit)
      : false;
  if (applied && locksEdited > 0) locking?.changed();
  const skipped =
    result.skipped.length > 0
      ? ` Skipped ${result.skipped.length}: ${result.skipped
          .slice(0, 3)
          .map((s) => `${s.uses} (${s.reason})`)
          .join('; ')}${result.skipped.length > 3 ? '; …' : ''}.`
      : '';
  const locked = lockResult ? ` actions.lock: ${notes.join('; ')}.` : '';
  io.notify(
    result.pinned > 0
      ? `Pinned ${result.pinned} action reference(s) in ${result.edits.size} file(s).${locked}${skipped}`
      : `${locksEdited > 0 ? 'No `uses:` rewritten.' : 'Nothing to pin.'}${locked}${skipped}`,
  );
  const summary: PinAllSummary = { pinned: result.pinned, files: result.edits.size, applied, offline: false, skipped: result.skipped };
  if (lockResult) {
    summary.locked = applied ? lockResult.locked : 0;
    summary.lockNotes = notes;
  }
  return summary;
}

function offlineSummary(io: PinAllIo): PinAllSummary {
  io.notify('Actions Warden is offline (actionsWarden.offline): pinning needs to resolve tags on GitHub, so nothing was changed.');
  return { pinned: 0, files: 0, applied: false, offline: true, skipped: [] };
}

/** Whether a file's repository pins with actions.lock: its `pinning.style` wins over the editor's; `auto` is lockfile where an actions.lock exists. */
export function pinsWithLockIn(context: FeatureContext): (file: ParsedFile) => boolean {
  return (file) => {
    const configured = context.workspaceConfigs.configFor(file.uri)?.config.rules['unpinned-uses']?.config.style;
    const style =
      configured === 'sha' || configured === 'lockfile' || configured === 'auto' ? configured : context.settings().pinning.style;
    if (style !== 'auto') return style === 'lockfile';
    const path = uriToPath(file.uri);
    return path !== null && repositoryHasLock(path);
  };
}

/** The "pin all actions in this file / in the workspace" commands. */
export const pinAllFeature: Feature = {
  register(connection, context) {
    const io: PinAllIo = {
      applyEdit: async (label, edit) => (await connection.workspace.applyEdit({ label, edit })).applied,
      notify: (message) => showMessage(connection, 'info', message),
    };
    const withText = (uris: readonly string[]) => uris.map((uri) => ({ uri, text: context.documents.get(uri)?.getText() }));
    const pinsWithLock = pinsWithLockIn(context);
    const locking = (): PinAllLocking => ({
      lock: (uris) => lockWorkflows(context, uris),
      edits: context.client.edits,
      changed: () => context.configurationChanged(),
    });
    return {
      commands: {
        [ServerCommands.pinAllInFile.id]: (args) =>
          pinAllCommand(() => withText([String(args?.[0] ?? '')].filter(Boolean)), context.online, io, pinsWithLock, locking()),
        [ServerCommands.pinAllInWorkspace.id]: () =>
          pinAllCommand(() => withText(workspaceFiles(context.workspaceRoots())), context.online, io, pinsWithLock, locking()),
      },
    };
  },
};
