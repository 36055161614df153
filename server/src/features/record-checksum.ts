/**
 * "Record checksum for this download" (unverified-download): on the user's explicit request, for ONE
 * URL, fetch it once, hash it (sha256, streamed: never held in memory), write `"<url>": <sha256>` under
 * `checksums:` in the repository's configuration file (creating `.github/actions-warden.yml` when there is
 * none) and insert the verification line the rule's offline fix inserts (the rule itself produces it,
 * re-run with the new checksum: one implementation).
 *
 * Network policy: nothing is fetched unless this command runs, and never in offline mode; what is fetched
 * and how (https only, no credentials, size and time limits): resolve/download.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  type CodeAction,
  type CreateFile,
  type Range,
  type TextDocumentEdit,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-types';
import { ServerCommands, type RecordChecksumResult } from '../../../shared/src/protocol';
import type { Analysis } from '../document-cache';
import { writesInside } from '../files/confined';
import { checksumConfigEdits, newConfigText } from '../config/checksum-edit';
import { fetchableUrl, hashDownload, type Hashed, type Outcome } from '../resolve/download';
import type { ConfigFormat } from '../config/config-file';
import type { ParsedFile } from '../parse/document';
import { LineIndex } from '../parse/text';
import { unverifiedDownload } from '../rules/unverified-download';
import type { Finding, FindingReport, OffsetEdit } from '../findings';
import { uriToPath } from '../config/workspace';
import { rangesTouch, toTextEdits, wantsKind } from './code-action-filters';
import { toDiagnostic } from './diagnostics';
import { showMessage, type Feature } from './feature';
import { NO_VIEWS } from '../views';

export const RECORD_CHECKSUM_TITLE = 'Record checksum for this download';
/** Any valid sha256, to ask the rule whether a checksum would give this finding a fix. */
const PLACEHOLDER = '0'.repeat(64);

/** The URL an unverified-download finding names (its message starts with it). */
export function findingUrl(finding: Finding): string | null {
  if (finding.ruleId !== unverifiedDownload.id) return null;
  return /^`(https?:\/\/[^`\s]+)`/i.exec(finding.message)?.[1] ?? null;
}

/**
 * The edits of the rule's own verification fix for the download whose finding starts at `start`, were
 * `url`'s sha256 `sha256`; null when that download cannot be verified by a checksum line (piped to a shell...).
 */
export function verificationEdits(file: ParsedFile, start: number, url: string, sha256: string): OffsetEdit[] | null {
  const reports: FindingReport[] = [];
  try {
    unverifiedDownload.check({
      file,
      config: { checksums: { [url]: sha256 } },
      ...NO_VIEWS,
      report: (report) => void reports.push(report),
    });
  } catch {
    return null;
  }
  const fixesOf = (report: FindingReport) => (typeof report.fixes === 'function' ? report.fixes() : (report.fixes ?? []));
  const fix = reports
    .filter((report) => report.span.start === start)
    .map(fixesOf)
    .find((fixes) => fixes.length > 0)?.[0];
  return fix ? fix.edits : null;
}

/** The "Record checksum" commands for the unverified-download findings in `range` with a fetchable URL and no known checksum. */
export function recordChecksumActions(
  analysis: Analysis,
  range: Range,
  only: readonly string[] | undefined,
  offline: boolean,
): CodeAction[] {
  if (offline) return [];
  if (!wantsKind(only, CodeActionKind.QuickFix)) return [];
  const actions: CodeAction[] = [];
  for (const finding of analysis.findings) {
    if (finding.fixes.length > 0 || !rangesTouch(finding.range, range)) continue;
    const url = findingUrl(finding);
    if (!url || !fetchableUrl(url).ok || !verificationEdits(analysis.file, finding.span.start, url, PLACEHOLDER)) continue;
    actions.push({
      title: RECORD_CHECKSUM_TITLE,
      kind: CodeActionKind.QuickFix,
      isPreferred: false,
      diagnostics: [toDiagnostic(finding, analysis)],
      command: {
        title: RECORD_CHECKSUM_TITLE,
        command: ServerCommands.recordChecksum.id,
        arguments: [analysis.uri, url, finding.span.start],
      },
    });
  }
  return actions;
}

/** The folder a new `.github/actions-warden.yml` goes in: the repository root of the file at `path`. */
export function repositoryRoot(path: string, workspaceFolders: readonly string[]): string {
  const normalized = path.replace(/\\/g, '/');
  const marker = normalized.lastIndexOf('/.github/');
  if (marker >= 0) return path.slice(0, marker);
  let dir = dirname(path);
  for (let depth = 0; depth < 64; depth++) {
    if (existsSync(join(dir, '.git')) || existsSync(join(dir, '.github'))) return dir;
    if (workspaceFolders.includes(dir)) return dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return dirname(path);
}

export interface RecordChecksumHost {
  isOffline(): boolean;
  /** The current analysis of an open document, or null. */
  analysis(uri: string): Analysis | null;
  /** The configuration file that applies to the document (path and format), or null. */
  configFileFor(uri: string): { path: string; format: ConfigFormat } | null;
  /** The text of a file: the editor's when it is open, else the disk's; null when unreadable. */
  readText(path: string): { text: string; version: number | null } | null;
  workspaceFolders(): readonly string[];
  /** File-system path of a document URI (null for untitled...). */
  pathOf(uri: string): string | null;
  applyEdit(label: string, edit: WorkspaceEdit): Promise<boolean>;
  /**
   * What the client said it can apply (`workspace.applyEdit`, `workspace.workspaceEdit.documentChanges`,
   * `resourceOperations: ['create']`); everything when not given.
   */
  editCapabilities?: { applyEdit: boolean; documentChanges: boolean; createFiles: boolean };
  notify(level: 'info' | 'warning' | 'error', message: string): void;
  /** Called after the edit was applied (the configuration changed). */
  configChanged(): void;
  hash?: (url: string) => Promise<Outcome<Hashed>>;
}

/** `actionsWarden.server.recordChecksum [documentUri, url, findingStart]`. */
export async function recordChecksumCommand(args: readonly unknown[] | undefined, host: RecordChecksumHost): Promise<RecordChecksumResult> {
  const fail = (message: string, level: 'warning' | 'error' = 'warning'): RecordChecksumResult => {
    host.notify(level, `Record checksum: ${message}`);
    return { applied: false, message };
  };
  const [uri, url, start] = args ?? [];
  if (typeof uri !== 'string' || typeof url !== 'string' || typeof start !== 'number')
    return fail('expected [documentUri, url, findingStart] arguments', 'error');
  if (host.isOffline())
    return fail(
      'Actions Warden is offline (actionsWarden.offline), so nothing is downloaded. Turn offline mode off to record this checksum, or add it under `checksums:` in .github/actions-warden.yml by hand.',
    );
  const fetchable = fetchableUrl(url);
  if (!fetchable.ok) return fail(fetchable.message);
  const analysis = host.analysis(uri);
  if (!analysis) return fail('the document is not open');
  if (!verificationEdits(analysis.file, start, url, PLACEHOLDER))
    return fail(
      `no download of \`${url}\` that a checksum line can verify was found there (a download piped into a shell must first be saved to a file)`,
    );
  const docPath = host.pathOf(uri);
  if (!docPath) return fail('the document is not a file on disk, so there is no repository configuration to write to');
  const config = host.configFileFor(uri);
  if (config && config.format === 'zizmor')
    return fail(
      `the repository's configuration is zizmor's ${config.path}; add \`checksums:\` with this URL to a .github/actions-warden.yml instead (not created here, since it would replace zizmor's file for Actions Warden)`,
    );
  // The configuration file is written by the editor, which follows links: it must stay in the repository.
  const configTarget = config?.path ?? join(repositoryRoot(docPath, host.workspaceFolders()), '.github', 'actions-warden.yml');
  if (!writesInside(repositoryRoot(docPath, host.workspaceFolders()), configTarget)) {
    return fail(`${configTarget} leads out of the repository through a symbolic link; nothing was downloaded or written`, 'error');
  }

  const existing = config ? host.readText(config.path) : null;
  if (config && !existing) return fail(`could not read ${config.path}`);

  const hashed = await (host.hash ?? ((target: string) => hashDownload(target)))(url);
  if (!hashed.ok) return fail(hashed.message);
  const { sha256, bytes } = hashed.value;

  // The workflow side: the rule's own fix with the new checksum, on the text the user saw.
  const check = verificationEdits(analysis.file, start, url, sha256);
  if (!check) return fail('the download could not be located any more');
  const configPath = configTarget;
  const configUri = pathToFileURL(configPath).href;
  const can = host.editCapabilities ?? { applyEdit: true, documentChanges: true, createFiles: true };
  const byHand = `add \`checksums: {"${url}": ${sha256}}\` to ${configPath} and the check line to the workflow by hand`;
  if (!can.applyEdit) return { ...fail(`the editor cannot apply edits from the language server; ${byHand}`), sha256 };
  const configEdits: TextEdit[] = [];
  if (existing) {
    const edits = checksumConfigEdits(existing.text, url, sha256);
    if (!edits.ok) return fail(`${configPath}: ${edits.message}`);
    const lines = new LineIndex(existing.text);
    configEdits.push(...edits.edits.map((edit) => ({ range: lines.range(edit.span), newText: edit.newText })));
  } else {
    // A new file needs `documentChanges` with a create operation.
    if (!can.documentChanges || !can.createFiles)
      return { ...fail(`the editor cannot create ${configPath} from the language server; ${byHand}`), sha256 };
    configEdits.push({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: newConfigText(url, sha256) });
  }
  const workflowEdits = toTextEdits(analysis.file, check);
  let edit: WorkspaceEdit;
  if (can.documentChanges) {
    // Versioned: the editor refuses the edit if either document changed during the download.
    const documentChanges: (TextDocumentEdit | CreateFile)[] = [];
    if (!existing) documentChanges.push({ kind: 'create', uri: configUri, options: { ignoreIfExists: true } });
    documentChanges.push({ textDocument: { uri: configUri, version: existing ? existing.version : null }, edits: configEdits });
    documentChanges.push({ textDocument: { uri, version: analysis.version }, edits: workflowEdits });
    edit = { documentChanges };
  } else {
    edit = { changes: { [configUri]: configEdits, [uri]: workflowEdits } };
  }
  const applied = await host.applyEdit(`Record checksum of ${url}`, edit);
  if (!applied)
    return {
      ...fail('the editor did not apply the edit (did the document change during the download?); nothing was recorded'),
      sha256,
      edit,
    };
  host.configChanged();
  const message = `recorded sha256 ${sha256} of ${url} (${bytes} bytes) in ${configPath}`;
  host.notify('info', `Record checksum: ${message}`);
  return { applied: true, message, sha256, edit };
}

/** Reads a file for the command: the editor's text when open (with its version), else the disk's. */
export function readConfigText(
  path: string,
  openText: (uri: string) => { text: string; version: number } | undefined,
): { text: string; version: number | null } | null {
  const open = openText(pathToFileURL(path).href);
  if (open) return open;
  try {
    return { text: new TextDecoder('utf-8').decode(readFileSync(path)), version: null };
  } catch {
    return null;
  }
}

/** The "Record checksum for this download" command: fetches ONE URL the user chose, records its sha256, inserts the check. */
export const recordChecksumFeature: Feature = {
  register(connection, context) {
    const host: RecordChecksumHost = {
      isOffline: () => context.online.isOffline,
      analysis: (uri) => context.currentAnalysis(uri),
      configFileFor: (uri) => {
        const found = context.workspaceConfigs.configFor(uri);
        return found ? { path: found.config.path, format: found.config.format } : null;
      },
      readText: (path) =>
        readConfigText(path, (uri) => {
          const open = context.documents.get(uri);
          return open ? { text: open.getText(), version: open.version } : undefined;
        }),
      workspaceFolders: () =>
        context
          .workspaceRoots()
          .map(uriToPath)
          .filter((path): path is string => path !== null),
      pathOf: uriToPath,
      applyEdit: async (label, edit) => (await connection.workspace.applyEdit({ label, edit })).applied,
      get editCapabilities() {
        return context.client.edits;
      },
      notify: (level, message) => showMessage(connection, level, message),
      configChanged: () => context.configurationChanged(),
    };
    return { commands: { [ServerCommands.recordChecksum.id]: (args) => recordChecksumCommand(args, host) } };
  },
};
