/**
 * "Pin all actions in this file / in the workspace": resolves every repository the files name once,
 * then applies one workspace edit with the preferred pin of every version-tag ref.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TextEdit } from 'vscode-languageserver-types';
import { documentKind } from '../analysis';
import { classifyPath, ParsedFile } from '../parse/document';
import { toTextEdits } from './code-actions';
import type { OnlineController } from './online';
import { pinAllEdits } from './pinning';

const MAX_FILES = 2000;
const MAX_DEPTH = 12;

/** Workflow and action metadata files under the workspace folders (skipping node_modules and .git). */
export function workspaceFiles(roots: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > MAX_DEPTH || found.length >= MAX_FILES) return;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (name === 'node_modules' || name === '.git') continue;
      const path = join(dir, name);
      let isDirectory = false;
      try {
        isDirectory = statSync(path).isDirectory();
      } catch {
        continue;
      }
      if (isDirectory) walk(path, depth + 1);
      else if (['workflow', 'action'].includes(classifyPath(path)) && found.length < MAX_FILES) found.push(pathToFileURL(path).href);
    }
  };
  for (const root of roots) {
    try {
      walk(fileURLToPath(root), 0);
    } catch {
      // Not a file: URI (virtual workspace): only open documents could be pinned.
    }
  }
  return found;
}

export interface PinAllIo {
  applyEdit(label: string, changes: Record<string, TextEdit[]>): Promise<boolean>;
  notify(message: string): void;
}

export interface PinAllSummary {
  pinned: number;
  files: number;
  applied: boolean;
  offline: boolean;
  skipped: { file: string; uses: string; reason: string }[];
}

/** `targets`: URIs with their open-document text (read from disk when absent). */
export async function pinAllCommand(targets: readonly { uri: string; text: string | undefined }[], online: OnlineController, io: PinAllIo): Promise<PinAllSummary> {
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
  const snapshot = await online.collect(files);
  if (snapshot.offline) {
    io.notify('Actions Warden is offline (actionsWarden.offline): pinning needs to resolve tags on GitHub, so nothing was changed.');
    return { pinned: 0, files: 0, applied: false, offline: true, skipped: [] };
  }
  const result = pinAllEdits(files, snapshot);
  const changes: Record<string, TextEdit[]> = {};
  for (const [file, edits] of result.edits) changes[file.uri] = toTextEdits(file, edits);
  const applied = result.pinned > 0 ? await io.applyEdit('Pin actions to commit SHAs', changes) : false;
  const skipped = result.skipped.length > 0 ? ` Skipped ${result.skipped.length}: ${result.skipped.slice(0, 3).map((s) => `${s.uses} (${s.reason})`).join('; ')}${result.skipped.length > 3 ? '; …' : ''}.` : '';
  io.notify(result.pinned > 0 ? `Pinned ${result.pinned} action reference(s) in ${result.edits.size} file(s).${skipped}` : `Nothing to pin.${skipped}`);
  return { pinned: result.pinned, files: result.edits.size, applied, offline: false, skipped: result.skipped };
}
