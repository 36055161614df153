/**
 * Diagnostics for the files of the workspace that are not open (setting `actionsWarden.scope`:
 * `workspace`). Files wait in a queue and are analysed one at a time in the background, each in slices
 * (engine.ts `analyzeInSlices`) with a pause between files, so requests about open documents are answered
 * meanwhile. An open document always wins: its diagnostics come from the editor's text (the
 * DiagnosticsScheduler), and closing it publishes its disk copy's findings again instead of clearing them.
 * When a file changes (on disk or in the editor), the analyses that read it through the workspace view are
 * re-run. Unopened files get the offline findings only: online checks run for the open documents.
 */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { WardenSettings } from '../../../shared/src/settings';
import { tooLargeResult } from '../cli/results';
import type { Analysis, AnalysisCache } from '../document-cache';
import { analyzeInSlices } from '../engine';
import { diagnosticsOf } from '../features/diagnostics';
import type { Finding } from '../findings';
import { ParsedFile } from '../parse/document';
import { fileUriToPath, WorkspaceIndex, type IndexedFile, type WorkspaceHost } from './workspace-index';

/** `workspace/didChangeWatchedFiles` change types. */
export const FILE_CREATED = 1;
export const FILE_CHANGED = 2;
export const FILE_DELETED = 3;

export interface FileChange {
  uri: string;
  type: number;
}

/** A work-done progress shown while the queue is long (LSP `$/progress`). */
export interface ProgressReporter {
  report(percentage: number, message: string): void;
  done(): void;
}

export interface WorkspaceDiagnosticsIo {
  /** Publishes the diagnostics of a file that is not open (no version). */
  publish(uri: string, diagnostics: Diagnostic[]): void;
  /** How related locations in other files are named for the client (absent: as they are). */
  relatedUri?(uri: string): string;
  /** Re-analyses an open document whose analysis read a file that changed. */
  refreshOpen(uri: string): void;
  /** The findings of a configuration file (its problems); undefined when it is none. */
  configFindings(uri: string, text: string): Finding[] | undefined;
  /** Starts a progress report (may resolve to null when the client cannot show one). */
  beginProgress(title: string): Promise<ProgressReporter | null>;
  logError(message: string): void;
}

/** A queue at least this long gets a progress report. */
const PROGRESS_THRESHOLD = 20;
const PROGRESS_INTERVAL_MS = 250;

export class WorkspaceDiagnostics {
  readonly index: WorkspaceIndex;
  /** Paths waiting for analysis, in order. */
  private queue = new Set<string>();
  private draining = false;
  /** Paths whose disk diagnostics are published (and must be cleared when the file goes or the scope shrinks). */
  private readonly published = new Set<string>();
  /** Bumped when every analysis must be redone (settings, configuration): running ones are dropped. */
  private generation = 0;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Walks of the workspace running or waiting (the first one, and re-walks). */
  private walks = 0;
  private lastWalk: Promise<void> = Promise.resolve();
  /** Resolves when the queue is empty (tests and the benchmark wait for it through the status). */
  private idleWaiters: (() => void)[] = [];
  started = false;

  constructor(
    private readonly host: WorkspaceHost,
    private readonly cache: AnalysisCache,
    private readonly settings: () => WardenSettings,
    private readonly io: WorkspaceDiagnosticsIo,
  ) {
    this.index = new WorkspaceIndex(host);
  }

  /** Whether files that are not open get diagnostics. */
  get active(): boolean {
    const settings = this.settings();
    return settings.enable && settings.scope === 'workspace';
  }

  private isOpen(path: string): boolean {
    return this.host.openDocument(path) !== undefined;
  }

  /** Indexes the workspace folders (in steps: see WorkspaceIndex.scanAsync) and queues every unopened file (in workspace scope). */
  async start(): Promise<void> {
    if (!this.index.hasRoots) return;
    this.started = true;
    await this.scanning(async () => {
      await this.index.scanAsync();
      for (const path of this.index.takeAskedEarly()) this.refreshPath(path);
      this.reanalyzeAll();
    });
  }

  /**
   * The workspace folders changed (folders added or removed while running): the index is rebuilt over the
   * new set, and the files that are no longer in it lose their published diagnostics (open ones keep theirs).
   */
  async setRoots(uris: readonly string[]): Promise<void> {
    const before = new Map([...this.index.all()].map((file) => [file.path, file.uri] as const));
    await this.scanning(async () => {
      this.index.setRoots(uris);
      if (this.index.hasRoots) {
        this.started = true;
        await this.index.scanAsync();
      }
    });
    for (const path of [...this.published]) {
      if (this.index.get(path)) continue;
      this.published.delete(path);
      const uri = before.get(path);
      if (uri !== undefined && !this.isOpen(path)) this.io.publish(uri, []);
    }
    this.reanalyzeAll();
  }

  /** Runs walks one after the other; `idle()` waits for them too. */
  private scanning(walk: () => Promise<void>): Promise<void> {
    this.walks++;
    const run = this.lastWalk.then(walk).finally(() => {
      this.walks--;
      this.settleIdle();
    });
    this.lastWalk = run.catch((error) => this.io.logError(`Indexing the workspace failed: ${String(error)}`));
    return this.lastWalk;
  }

  /** Every unopened file again (settings or configuration changed); in `openFiles` scope, their diagnostics are cleared. */
  reanalyzeAll(): void {
    this.generation++;
    if (!this.active) {
      this.queue.clear();
      for (const path of this.published) {
        const file = this.index.get(path);
        if (file && !this.isOpen(path)) this.io.publish(file.uri, []);
      }
      this.published.clear();
      this.settleIdle();
      return;
    }
    for (const file of this.index.all()) if (!this.isOpen(file.path)) this.queue.add(file.path);
    void this.drain();
  }

  /** A document opened: the editor's text wins from now on. */
  opened(uri: string): void {
    const path = fileUriToPath(uri);
    if (path === null || !this.index.scanned) return;
    const tracked = this.index.track(path);
    if (tracked) tracked.file.uri = uri;
    this.queue.delete(path);
    this.published.delete(path);
    if (tracked?.added) this.refreshDependents(tracked.file, true);
  }

  /** The text of an open document changed: the analyses that read it are re-run after the debounce delay. */
  edited(uri: string): void {
    const path = fileUriToPath(uri);
    const file = path === null ? undefined : this.index.get(path);
    if (!file) return;
    const pending = this.timers.get(file.path);
    if (pending) clearTimeout(pending);
    this.timers.set(
      file.path,
      setTimeout(() => {
        this.timers.delete(file.path);
        this.refreshDependents(file, false);
      }, this.settings().debounceMs),
    );
  }

  /**
   * A document closed: in workspace scope its disk copy is analysed and published in place of the editor's
   * findings (true); otherwise false, and the caller clears its diagnostics.
   */
  closed(uri: string): boolean {
    const path = fileUriToPath(uri);
    if (path === null || !this.index.scanned) return false;
    const timer = this.timers.get(path);
    if (timer) clearTimeout(timer);
    this.timers.delete(path);
    const file = this.index.get(path) ?? this.index.track(path)?.file;
    if (!file) return false;
    file.uri = uri;
    this.index.invalidate(path);
    // Files that read the editor's text now read the disk's.
    this.refreshDependents(file, false);
    if (!this.active) {
      this.index.forgetDependencies(path);
      return false;
    }
    this.queue = new Set([path, ...this.queue]);
    void this.drain();
    return true;
  }

  /** Files created, changed or deleted on disk (`workspace/didChangeWatchedFiles`). */
  changedOnDisk(changes: readonly FileChange[]): void {
    if (!this.index.scanned) return;
    let rescan = false;
    for (const change of changes) {
      const path = fileUriToPath(change.uri);
      if (path === null) continue;
      if (basename(path) === '.gitignore') {
        rescan = true;
        continue;
      }
      if (change.type === FILE_DELETED) {
        for (const file of this.index.untrack(path)) this.gone(file);
        continue;
      }
      const tracked = this.index.track(path);
      if (!tracked) {
        // A folder created or moved in: only the folder is reported, not the files inside it.
        if (change.type === FILE_CREATED && isDirectory(path)) rescan = true;
        continue;
      }
      if (this.isOpen(path)) continue; // The editor's text wins: nothing that reads it changes.
      if (this.active) this.queue.add(path);
      this.refreshDependents(tracked.file, tracked.added);
    }
    if (rescan) void this.rescan();
    void this.drain();
  }

  /** Walks the workspace again (a `.gitignore` changed, a folder appeared, or Re-run Analysis). */
  rescan(): Promise<void> {
    return this.scanning(async () => {
      const { added, removed } = await this.index.scanAsync();
      for (const file of removed) this.gone(file);
      for (const file of added) {
        if (this.active && !this.isOpen(file.path)) this.queue.add(file.path);
        this.refreshDependents(file, true);
      }
      void this.drain();
    });
  }

  /** Resolves once no unopened file waits for analysis. */
  idle(): Promise<void> {
    if (!this.draining && this.queue.size === 0 && this.walks === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.queue.clear();
    this.generation++;
  }

  private gone(file: IndexedFile): void {
    this.queue.delete(file.path);
    if (this.published.delete(file.path) && !this.isOpen(file.path)) this.io.publish(file.uri, []);
    this.refreshDependents(file, true);
  }

  /** Re-runs the analyses that read `changed` (or, for a file that appeared or went, listed the files). */
  private refreshDependents(changed: IndexedFile, membership: boolean): void {
    for (const path of this.index.dependents(changed, membership)) this.refreshPath(path);
    void this.drain();
  }

  private refreshPath(path: string): void {
    const open = this.host.openDocument(path);
    if (open) this.io.refreshOpen(open.uri);
    else if (this.active && this.index.get(path)) this.queue.add(path);
  }

  private settleIdle(): void {
    if (this.draining || this.queue.size > 0 || this.walks > 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    if (this.queue.size === 0) {
      this.settleIdle();
      return;
    }
    this.draining = true;
    let progress: Promise<ProgressReporter | null> | null = null;
    let done = 0;
    let lastReport = 0;
    try {
      while (this.queue.size > 0) {
        if (!progress && this.queue.size >= PROGRESS_THRESHOLD) progress = this.io.beginProgress('Actions Warden: analysing the workspace');
        const path = this.queue.values().next().value as string;
        this.queue.delete(path);
        try {
          await this.analyze(path);
        } catch (error) {
          this.io.logError(`Analysis of ${path} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        }
        done++;
        if (progress && Date.now() - lastReport >= PROGRESS_INTERVAL_MS) {
          lastReport = Date.now();
          const total = done + this.queue.size;
          const reporter = await progress;
          reporter?.report(Math.floor((done / total) * 100), `${done}/${total} files`);
        }
        // Between files, whatever arrived meanwhile (an edit, a hover) is handled first.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.draining = false;
      if (progress) (await progress)?.done();
      this.settleIdle();
    }
  }

  /** Analyses one unopened file's disk copy and publishes its diagnostics (unless it opened, went or the settings changed meanwhile). */
  private async analyze(path: string): Promise<void> {
    const file = this.index.get(path);
    if (!file || !this.active || this.isOpen(path)) return;
    const generation = this.generation;
    const current = () => generation === this.generation && this.index.get(path) === file && !this.isOpen(path) && this.active;
    const read = this.index.readDisk(file);
    if (!read.ok) {
      // Gone (or now a link out of the workspace folder): no longer part of the workspace. Its diagnostics
      // are cleared even when they were the editor's (it was deleted while open, then closed).
      for (const gone of this.index.untrack(path)) this.gone(gone);
      if (!this.isOpen(path)) this.io.publish(file.uri, []);
      return;
    }
    let findings: Finding[];
    if ('tooLarge' in read)
      findings = tooLargeResult(path, file.kind === 'config' ? 'workflow' : file.kind, read.tooLarge, read.firstLine).findings;
    else if (file.kind === 'config') findings = this.io.configFindings(file.uri, read.text) ?? [];
    else {
      const parsed = new ParsedFile(file.uri, file.kind, read.text, 0);
      const result = await analyzeInSlices(parsed, this.cache.optionsFor(file.uri), () => !current());
      if (result === null) return;
      findings = result;
      this.index.rememberDisk(file, parsed);
    }
    if (!current()) return;
    const analysis = { uri: file.uri, version: 0, findings } as Analysis;
    this.io.publish(
      file.uri,
      diagnosticsOf(analysis, (uri) => this.io.relatedUri?.(uri) ?? uri),
    );
    this.published.add(path);
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
