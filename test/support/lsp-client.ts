/**
 * A minimal LSP client for tests: spawns the real bundled server (`node dist/server.js --stdio`) and
 * speaks JSON-RPC to it, collecting published diagnostics per URI.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, TextEdit } from 'vscode-languageserver-types';

export const SERVER_PATH = join(__dirname, '..', '..', '..', 'dist', 'server.js');

/** The edit capabilities VS Code declares (applyEdit, versioned documentChanges, file operations). */
export const EDITOR_WORKSPACE_CAPABILITIES = {
  applyEdit: true,
  workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
};

export class TestLspClient {
  readonly connection: MessageConnection;
  readonly process: ChildProcessWithoutNullStreams;
  readonly published = new Map<string, PublishDiagnosticsParams[]>();
  stderr = '';
  private waiters: {
    uri: string;
    predicate: (params: PublishDiagnosticsParams) => boolean;
    resolve: (params: PublishDiagnosticsParams) => void;
  }[] = [];
  private versions = new Map<string, number>();
  /** What the server registered dynamically (`client/registerCapability`). */
  readonly registrations: { method: string; registerOptions?: unknown }[] = [];
  /** `$/progress` values the server sent, in order. */
  readonly progress: { kind?: string; message?: string; percentage?: number }[] = [];

  /** The server's own cache home: answers cached on disk by one test's server never reach another's. */
  private readonly cacheHome = mkdtempSync(join(tmpdir(), 'warden-lsp-cache-'));

  /**
   * `nodeArgs`: options for node before the server's path (e.g. `--require` of a preload script). The server
   * gets a fresh `XDG_CACHE_HOME` (a test that shares a cache between servers passes `cacheDir` in its
   * initialization options).
   */
  constructor(options: { nodeArgs?: string[] } = {}) {
    if (!existsSync(SERVER_PATH)) throw new Error(`${SERVER_PATH} is missing: run npm run build first`);
    this.process = spawn(process.execPath, [...(options.nodeArgs ?? []), SERVER_PATH, '--stdio'], {
      stdio: 'pipe',
      env: { ...process.env, XDG_CACHE_HOME: this.cacheHome },
    });
    this.process.stderr.on('data', (chunk) => (this.stderr += String(chunk)));
    this.connection = createMessageConnection(new StreamMessageReader(this.process.stdout), new StreamMessageWriter(this.process.stdin));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      const list = this.published.get(params.uri) ?? [];
      list.push(params);
      this.published.set(params.uri, list);
      this.waiters = this.waiters.filter((waiter) => {
        if (waiter.uri !== params.uri || !waiter.predicate(params)) return true;
        waiter.resolve(params);
        return false;
      });
    });
    this.connection.onRequest('workspace/configuration', () => []);
    this.connection.onRequest('client/registerCapability', (params: { registrations: { method: string; registerOptions?: unknown }[] }) => {
      this.registrations.push(...params.registrations);
      return null;
    });
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onNotification('$/progress', (params: { value: { kind?: string; message?: string; percentage?: number } }) => {
      this.progress.push(params.value);
    });
    this.connection.onNotification('window/logMessage', () => undefined);
    this.connection.onRequest('window/showMessageRequest', () => null);
    this.connection.listen();
  }

  /**
   * `workspace` capabilities default to what VS Code declares for edits; a test may declare less. `extra`
   * adds to the initialize params (workspace folders, window capabilities).
   */
  async initialize(
    settings: Record<string, unknown> = { debounceMs: 0 },
    workspace: Record<string, unknown> = EDITOR_WORKSPACE_CAPABILITIES,
    extra: { workspaceFolders?: { uri: string; name: string }[]; window?: Record<string, unknown> } = {},
  ): Promise<any> {
    const result = await this.connection.sendRequest('initialize', {
      processId: null,
      rootUri: null,
      capabilities: {
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true }, codeAction: { dataSupport: true } },
        workspace,
        ...(extra.window ? { window: extra.window } : {}),
      },
      initializationOptions: { settings },
      ...(extra.workspaceFolders ? { workspaceFolders: extra.workspaceFolders } : {}),
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /** Resolves with the next publication for `uri` that satisfies `predicate` (or the latest one, if it already does). */
  waitForDiagnostics(
    uri: string,
    predicate: (params: PublishDiagnosticsParams) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; stderr: ${this.stderr}`)),
        timeoutMs,
      );
      this.waiters.push({
        uri,
        predicate,
        resolve: (params) => {
          clearTimeout(timer);
          resolve(params);
        },
      });
    });
  }

  async open(uri: string, text: string, languageId = 'yaml'): Promise<PublishDiagnosticsParams> {
    this.versions.set(uri, 1);
    const published = this.waitForDiagnostics(uri, (params) => params.version === 1);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return published;
  }

  async change(uri: string, changes: unknown[]): Promise<PublishDiagnosticsParams> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    const published = this.waitForDiagnostics(uri, (params) => params.version === version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return published;
  }

  async close(uri: string): Promise<PublishDiagnosticsParams> {
    const published = this.waitForDiagnostics(uri, (params) => params.diagnostics.length === 0 && params.version === undefined);
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    return published;
  }

  /** Stops the server and resolves once its process has exited (so it sends nothing more to a fake host). */
  async shutdown(): Promise<void> {
    const exited = this.process.exitCode !== null || this.process.signalCode !== null ? Promise.resolve() : once(this.process, 'exit');
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      // The process may already be gone.
    }
    this.connection.dispose();
    this.process.kill();
    await exited;
    rmSync(this.cacheHome, { recursive: true, force: true });
  }
}

export function byCode(diagnostics: Diagnostic[], code: string): Diagnostic[] {
  return diagnostics.filter((diagnostic) => diagnostic.code === code);
}

/** `text` after the server's text edits (as a client applies them). */
export function applyTextEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'yaml', 1, text), edits);
}
