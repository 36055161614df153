/**
 * "Record checksum for this download" (unverified-download): on the user's explicit request, for ONE
 * URL, fetch it once, hash it (sha256, streamed: never held in memory), write `"<url>": <sha256>` under
 * `checksums:` in the repository's configuration file (creating `.github/actions-warden.yml` when there is
 * none) and insert the verification line the rule's offline fix inserts (the rule itself produces it,
 * re-run with the new checksum: one implementation).
 *
 * Network policy: nothing is fetched unless this command runs; never in offline mode; only literal
 * https:// URLs (http:// only for loopback hosts) without `${{ }}` or shell variables; redirects at most 5,
 * https only; no credentials or token ever sent; a size cap and a timeout for the whole transfer.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CodeActionKind, type CodeAction, type CreateFile, type Range, type TextDocumentEdit, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver-types';
import { ServerCommands } from '../../../shared/src/protocol';
import type { Analysis } from '../analysis';
import { writesInside } from '../files/confined';
import { checksumConfigEdits, newConfigText } from '../config/checksum-edit';
import { BodyTooLargeError, streamBody } from '../resolve/body';
import type { ConfigFormat } from '../config/config-file';
import type { ParsedFile } from '../parse/document';
import { LineIndex } from '../parse/text';
import { unverifiedDownload } from '../rules/unverified-download';
import type { Finding, FindingReport, OffsetEdit } from '../findings';
import { toTextEdits } from './code-actions';
import { toDiagnostic } from './diagnostics';
import { NO_VIEWS } from '../views';

export const RECORD_CHECKSUM_TITLE = 'Record checksum for this download';
export const MAX_DOWNLOAD_BYTES = 512 * 1024 * 1024;
export const DOWNLOAD_TIMEOUT_MS = 120_000;
export const MAX_DOWNLOAD_REDIRECTS = 5;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
/** Any valid sha256, to ask the rule whether a checksum would give this finding a fix. */
const PLACEHOLDER = '0'.repeat(64);

export type Outcome<T> = { ok: true; value: T } | { ok: false; message: string };

/** Whether `raw` (a URL as written in the script) may be fetched, and why not. */
export function fetchableUrl(raw: string): Outcome<URL> {
  if (raw.includes('${{')) return { ok: false, message: `\`${raw}\` contains a \`\${{ }}\` expression (a version?), so it cannot be fetched: write the URL with the version in it, or record the checksum by hand` };
  if (/\$[A-Za-z_{(0-9]|`/.test(raw)) return { ok: false, message: `\`${raw}\` contains a shell variable (a version?), so it cannot be fetched: write the URL with the version in it, or record the checksum by hand` };
  if (/[\s"'\\<>]/.test(raw)) return { ok: false, message: `\`${raw}\` is not a plain URL` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, message: `\`${raw}\` is not a URL` };
  }
  if (url.username || url.password) return { ok: false, message: `\`${url.host}\` URLs with credentials are not fetched` };
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) return { ok: false, message: `\`${raw}\` uses plain http://: its content can be swapped in transit, so its checksum proves nothing. Use https://` };
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, message: `\`${raw}\` is not an http(s) URL` };
  return { ok: true, value: url };
}

export interface HashOptions {
  maxBytes?: number;
  timeoutMs?: number;
  maxRedirects?: number;
  /** For tests; the global fetch by default. */
  fetch?: typeof fetch;
}

export interface Hashed {
  sha256: string;
  bytes: number;
  /** Where the content came from after redirects. */
  finalUrl: string;
}

/** Fetches `raw` once (following at most 5 redirects, https only) and returns the sha256 of its body. */
export async function hashDownload(raw: string, options: HashOptions = {}): Promise<Outcome<Hashed>> {
  const checked = fetchableUrl(raw);
  if (!checked.ok) return checked;
  const maxBytes = options.maxBytes ?? MAX_DOWNLOAD_BYTES;
  const timeoutMs = options.timeoutMs ?? DOWNLOAD_TIMEOUT_MS;
  const maxRedirects = options.maxRedirects ?? MAX_DOWNLOAD_REDIRECTS;
  const fetchImpl = options.fetch ?? fetch;
  // One deadline for the whole transfer (redirects and every byte of the body); aborted at once on refusal.
  const controller = new AbortController();
  const signal = controller.signal;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error(`no complete answer within ${timeoutMs} ms`));
  }, timeoutMs);
  let url = checked.value;
  try {
    for (let hop = 0; ; hop++) {
      // No credentials, no cookies, no token: a bare GET. `identity` so the bytes hashed are the bytes curl saves.
      const response = await fetchImpl(url, { method: 'GET', redirect: 'manual', signal, headers: { 'User-Agent': 'actions-warden', Accept: '*/*', 'Accept-Encoding': 'identity' } });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel().catch(() => undefined);
        if (hop >= maxRedirects) return { ok: false, message: `${url.host} redirected more than ${maxRedirects} times; nothing was recorded` };
        let next: URL;
        try {
          next = new URL(location, url);
        } catch {
          return { ok: false, message: `${url.host} redirected to an invalid location; nothing was recorded` };
        }
        if (next.protocol !== 'https:') return { ok: false, message: `${url.host} redirected to ${next.protocol}//${next.host}, which is not https: refused; nothing was recorded` };
        if (next.username || next.password) return { ok: false, message: `${url.host} redirected to a URL with credentials: refused; nothing was recorded` };
        url = next;
        continue;
      }
      if (response.status < 200 || response.status >= 300) {
        await response.body?.cancel().catch(() => undefined);
        return { ok: false, message: `${url.host} answered ${response.status} for ${url.pathname}; nothing was recorded` };
      }
      const hash = createHash('sha256');
      const bytes = await streamBody(response, maxBytes, signal, (chunk) => void hash.update(chunk));
      return { ok: true, value: { sha256: hash.digest('hex'), bytes, finalUrl: url.href } };
    }
  } catch (error) {
    controller.abort(error);
    if (error instanceof BodyTooLargeError) {
      return error.announced !== undefined
        ? { ok: false, message: `${url.host} announces ${error.announced} bytes, more than the ${maxBytes}-byte limit; nothing was recorded` }
        : { ok: false, message: `the download from ${url.host} is larger than the ${maxBytes}-byte limit: it was aborted; nothing was recorded` };
    }
    const name = error instanceof Error ? error.name : '';
    if (timedOut || name === 'TimeoutError' || name === 'AbortError') return { ok: false, message: `the download from ${url.host} did not finish within ${Math.round(timeoutMs / 1000)} s; nothing was recorded` };
    const message = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    return { ok: false, message: `could not download from ${url.host}: ${message}; nothing was recorded` };
  } finally {
    clearTimeout(timer);
  }
}

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
    unverifiedDownload.check({ file, config: { checksums: { [url]: sha256 } }, ...NO_VIEWS, report: (report) => void reports.push(report) });
  } catch {
    return null;
  }
  const fixesOf = (report: FindingReport) => (typeof report.fixes === 'function' ? report.fixes() : (report.fixes ?? []));
  const fix = reports.filter((report) => report.span.start === start).map(fixesOf).find((fixes) => fixes.length > 0)?.[0];
  return fix ? fix.edits : null;
}

function rangesTouch(a: Range, b: Range): boolean {
  const before = (x: Range['start'], y: Range['start']) => x.line < y.line || (x.line === y.line && x.character <= y.character);
  return before(a.start, b.end) && before(b.start, a.end);
}

/** The "Record checksum" commands for the unverified-download findings in `range` with a fetchable URL and no known checksum. */
export function recordChecksumActions(analysis: Analysis, range: Range, only: readonly string[] | undefined, offline: boolean): CodeAction[] {
  if (offline) return [];
  if (only && only.length > 0 && !only.some((kind) => CodeActionKind.QuickFix === kind || CodeActionKind.QuickFix.startsWith(`${kind}.`))) return [];
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
      command: { title: RECORD_CHECKSUM_TITLE, command: ServerCommands.recordChecksum, arguments: [analysis.uri, url, finding.span.start] },
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

export interface RecordChecksumResult {
  applied: boolean;
  message: string;
  sha256?: string;
  edit?: WorkspaceEdit;
}

/** `actionsWarden.server.recordChecksum [documentUri, url, findingStart]`. */
export async function recordChecksumCommand(args: readonly unknown[] | undefined, host: RecordChecksumHost): Promise<RecordChecksumResult> {
  const fail = (message: string, level: 'warning' | 'error' = 'warning'): RecordChecksumResult => {
    host.notify(level, `Record checksum: ${message}`);
    return { applied: false, message };
  };
  const [uri, url, start] = args ?? [];
  if (typeof uri !== 'string' || typeof url !== 'string' || typeof start !== 'number') return fail('expected [documentUri, url, findingStart] arguments', 'error');
  if (host.isOffline()) return fail('Actions Warden is offline (actionsWarden.offline), so nothing is downloaded. Turn offline mode off to record this checksum, or add it under `checksums:` in .github/actions-warden.yml by hand.');
  const fetchable = fetchableUrl(url);
  if (!fetchable.ok) return fail(fetchable.message);
  const analysis = host.analysis(uri);
  if (!analysis) return fail('the document is not open');
  if (!verificationEdits(analysis.file, start, url, PLACEHOLDER)) return fail(`no download of \`${url}\` that a checksum line can verify was found there (a download piped into a shell must first be saved to a file)`);
  const docPath = host.pathOf(uri);
  if (!docPath) return fail('the document is not a file on disk, so there is no repository configuration to write to');
  const config = host.configFileFor(uri);
  if (config && config.format === 'zizmor') return fail(`the repository's configuration is zizmor's ${config.path}; add \`checksums:\` with this URL to a .github/actions-warden.yml instead (not created here, since it would replace zizmor's file for Actions Warden)`);
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
    if (!can.documentChanges || !can.createFiles) return { ...fail(`the editor cannot create ${configPath} from the language server; ${byHand}`), sha256 };
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
  if (!applied) return { ...fail('the editor did not apply the edit (did the document change during the download?); nothing was recorded'), sha256, edit };
  host.configChanged();
  const message = `recorded sha256 ${sha256} of ${url} (${bytes} bytes) in ${configPath}`;
  host.notify('info', `Record checksum: ${message}`);
  return { applied: true, message, sha256, edit };
}

/** Reads a file for the command: the editor's text when open (with its version), else the disk's. */
export function readConfigText(path: string, openText: (uri: string) => { text: string; version: number } | undefined): { text: string; version: number | null } | null {
  const open = openText(pathToFileURL(path).href);
  if (open) return open;
  try {
    return { text: new TextDecoder('utf-8').decode(readFileSync(path)), version: null };
  } catch {
    return null;
  }
}
