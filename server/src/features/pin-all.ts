/**
 * "Pin all actions in this file / in the workspace": resolves every repository the files name once,
 * then applies one workspace edit with the preferred pin of every version-tag ref. Offline, nothing is
 * walked or read: pinning needs GitHub.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TextEdit } from 'vscode-languageserver-types';
import { ServerCommands, type PinAllSummary } from '../../../shared/src/protocol';
import { documentKind } from '../document-cache';
import { walkFolder } from '../files/walk';
import { classifyPath, ParsedFile } from '../parse/document';
import { uriToPath } from '../config/workspace';
import { repositoryHasLock } from '../lockfile/locate';
import { toTextEdits } from './code-action-filters';
import { showMessage, type Feature } from './feature';
import type { OnlineController } from './online';
import { pinAllEdits } from './pinning';

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
  applyEdit(label: string, changes: Record<string, TextEdit[]>): Promise<boolean>;
  notify(message: string): void;
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
): Promise<PinAllSummary> {
  await online.whenConfigured?.();
  if (online.isOffline) return offlineSummary(io);
  const files: ParsedFile[] = [];
  for (const target of targets()) {
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
  const snapshot = await online.collect(files);
  if (snapshot.offline) return offlineSummary(io);
  const result = pinAllEdits(files, snapshot, pinsWithLock);
  const changes: Record<string, TextEdit[]> = {};
  for (const [file, edits] of result.edits) changes[file.uri] = toTextEdits(file, edits);
  const applied = result.pinned > 0 ? await io.applyEdit('Pin actions to commit SHAs', changes) : false;
  const skipped =
    result.skipped.length > 0
      ? ` Skipped ${result.skipped.length}: ${result.skipped
          .slice(0, 3)
          .map((s) => `${s.uses} (${s.reason})`)
          .join('; ')}${result.skipped.length > 3 ? '; …' : ''}.`
      : '';
  io.notify(
    result.pinned > 0
      ? `Pinned ${result.pinned} action reference(s) in ${result.edits.size} file(s).${skipped}`
      : `Nothing to pin.${skipped}`,
  );
  return { pinned: result.pinned, files: result.edits.size, applied, offline: false, skipped: result.skipped };
}

function offlineSummary(io: PinAllIo): PinAllSummary {
  io.notify('Actions Warden is offline (actionsWarden.offline): pinning needs to resolve tags on GitHub, so nothing was changed.');
  return { pinned: 0, files: 0, applied: false, offline: true, skipped: [] };
}

/** The "pin all actions in this file / in the workspace" commands. */
export const pinAllFeature: Feature = {
  register(connection, context) {
    const io: PinAllIo = {
      applyEdit: async (label, changes) => (await connection.workspace.applyEdit({ label, edit: { changes } })).applied,
      notify: (message) => showMessage(connection, 'info', message),
    };
    const withText = (uris: readonly string[]) => uris.map((uri) => ({ uri, text: context.documents.get(uri)?.getText() }));
    // The repository's `pinning.style` wins over the editor's; `auto` is lockfile where an actions.lock exists.
    const pinsWithLock = (file: ParsedFile): boolean => {
      const configured = context.workspaceConfigs.configFor(file.uri)?.config.rules['unpinned-uses']?.config.style;
      const style =
        configured === 'sha' || configured === 'lockfile' || configured === 'auto' ? configured : context.settings().pinning.style;
      if (style !== 'auto') return style === 'lockfile';
      const path = uriToPath(file.uri);
      return path !== null && repositoryHasLock(path);
    };
    return {
      commands: {
        [ServerCommands.pinAllInFile.id]: (args) =>
          pinAllCommand(() => withText([String(args?.[0] ?? '')].filter(Boolean)), context.online, io, pinsWithLock),
        [ServerCommands.pinAllInWorkspace.id]: () =>
          pinAllCommand(() => withText(workspaceFiles(context.workspaceRoots())), context.online, io, pinsWithLock),
      },
    };
  },
};
