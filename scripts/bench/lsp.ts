/**
 * A small stdio LSP client for the benchmarks and robustness scripts: spawns `node dist/server.js
 * --stdio`, records every publishDiagnostics with the time it arrived, and lets a caller await the
 * publication of one document version.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

export const BENCH_SETTINGS = { debounceMs: 0, offline: true, persona: 'auditor' };

interface Waiter {
  uri: string;
  version: number | undefined;
  resolve: (value: { params: PublishDiagnosticsParams; at: number }) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class BenchClient {
  readonly connection: MessageConnection;
  readonly process: ChildProcessWithoutNullStreams;
  readonly latest = new Map<string, PublishDiagnosticsParams>();
  stderr = '';
  private waiters: Waiter[] = [];
  /** Called with every publication and the time it arrived. */
  readonly onPublish: ((params: PublishDiagnosticsParams, at: number) => void)[] = [];
  private versions = new Map<string, number>();

  constructor(serverPath: string, nodeArgs: readonly string[] = []) {
    if (!existsSync(serverPath)) throw new Error(`${serverPath} is missing: run npm run build first`);
    this.process = spawn(process.execPath, [...nodeArgs, serverPath, '--stdio'], { stdio: 'pipe' });
    this.process.stderr.on('data', (chunk) => (this.stderr += String(chunk)));
    this.connection = createMessageConnection(new StreamMessageReader(this.process.stdout), new StreamMessageWriter(this.process.stdin));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      const at = performance.now();
      this.latest.set(params.uri, params);
      for (const listener of this.onPublish) listener(params, at);
      this.waiters = this.waiters.filter((waiter) => {
        if (waiter.uri !== params.uri || waiter.version !== params.version) return true;
        clearTimeout(waiter.timer);
        waiter.resolve({ params, at });
        return false;
      });
    });
    this.connection.onRequest('workspace/configuration', () => []);
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onNotification('window/logMessage', () => undefined);
    this.connection.onRequest('window/showMessageRequest', () => null);
    this.connection.onNotification(() => undefined);
    this.connection.listen();
  }

  /** `workspaceFolders`: folder URIs the server indexes (none: it sees only the open documents). */
  async initialize(settings: Record<string, unknown> = BENCH_SETTINGS, workspaceFolders?: readonly string[]): Promise<void> {
    await this.connection.sendRequest('initialize', {
      processId: null,
      rootUri: null,
      capabilities: {
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true }, codeAction: { dataSupport: true } },
        ...(workspaceFolders ? { window: { workDoneProgress: true } } : {}),
      },
      initializationOptions: { settings },
      ...(workspaceFolders ? { workspaceFolders: workspaceFolders.map((uri, index) => ({ uri, name: `folder${index}` })) } : {}),
    });
    await this.connection.sendNotification('initialized', {});
  }

  /** The publication of `uri` at `version` (undefined: the empty list sent on close). */
  waitFor(uri: string, version: number | undefined, timeoutMs = 60_000): Promise<{ params: PublishDiagnosticsParams; at: number }> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter.timer !== timer);
        reject(new Error(`no diagnostics for ${uri} v${version} within ${timeoutMs} ms; stderr: ${this.stderr.slice(-2000)}`));
      }, timeoutMs);
      this.waiters.push({ uri, version, resolve, reject, timer });
    });
  }

  version(uri: string): number {
    return this.versions.get(uri) ?? 0;
  }

  /** Sends didOpen and resolves with the publication of version 1 and the time from send to arrival. */
  async open(uri: string, text: string): Promise<{ params: PublishDiagnosticsParams; ms: number }> {
    this.versions.set(uri, 1);
    const published = this.waitFor(uri, 1);
    const sent = performance.now();
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    const { params, at } = await published;
    return { params, ms: at - sent };
  }

  /** Sends one didChange without waiting; returns the new version. */
  changeNoWait(uri: string, changes: unknown[]): number {
    const version = this.version(uri) + 1;
    this.versions.set(uri, version);
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  /** Sends didChange and resolves with the publication of that version and the time from send to arrival. */
  async change(uri: string, changes: unknown[]): Promise<{ params: PublishDiagnosticsParams; ms: number }> {
    const version = this.version(uri) + 1;
    const published = this.waitFor(uri, version);
    const sent = performance.now();
    this.changeNoWait(uri, changes);
    const { params, at } = await published;
    return { params, ms: at - sent };
  }

  async close(uri: string): Promise<void> {
    const published = this.waitFor(uri, undefined);
    this.versions.delete(uri);
    void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await published;
  }

  /** Resident set size of the server process in bytes (Linux /proc; null elsewhere). */
  rss(): number | null {
    try {
      const status = readFileSync(`/proc/${this.process.pid}/status`, 'utf8');
      const match = /VmRSS:\s+(\d+) kB/.exec(status);
      return match ? Number(match[1]) * 1024 : null;
    } catch {
      return null;
    }
  }

  async shutdown(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((resolve) => setTimeout(resolve, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // The process may already be gone.
    }
    // Give the server a moment to exit on its own (a --cpu-prof server writes its profile on exit).
    await Promise.race([new Promise((resolve) => this.process.once('exit', resolve)), new Promise((resolve) => setTimeout(resolve, 3000))]);
    this.connection.dispose();
    this.process.kill();
  }
}
