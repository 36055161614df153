/**
 * Decides when to analyse and publish: per-document debounce after edits, immediate analysis on open,
 * results dropped when a newer version arrived meanwhile, and on close an empty list published, unless the
 * close handler takes over (the workspace index publishes the file's disk findings instead).
 */
import type { Diagnostic } from 'vscode-languageserver-types';
import type { AnalysableDocument, Analysis, AnalysisCache } from '../document-cache';
import { diagnosticsOf } from './diagnostics';

export interface PublishTarget {
  publish(uri: string, version: number | undefined, diagnostics: Diagnostic[]): void;
  /** How related locations in other files are named for the client (absent: as they are). */
  relatedUri?(uri: string): string;
  logError(message: string): void;
}

export class DiagnosticsScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly published = new Set<string>();
  /** Called when a document closes; true when it publishes that document's diagnostics itself (nothing is cleared then). */
  closeHandler?: (uri: string) => boolean;

  constructor(
    private readonly cache: AnalysisCache,
    private readonly target: PublishTarget,
    /** Looks up the current version of an open document (undefined once closed). */
    private readonly current: (uri: string) => AnalysableDocument | undefined,
    public debounceMs: number,
    /**
     * Online enrichment, run after the offline diagnostics are published; resolves to true when the
     * analysis' findings changed, and they are published again (if the version is still current).
     */
    private readonly enrich?: (analysis: Analysis) => Promise<boolean>,
    /** The dependency walk, run after `enrich`: published again the same way when its findings arrive. */
    private readonly follow?: (analysis: Analysis) => Promise<boolean>,
  ) {}

  /** Called on every content change; the first analysis of a document is not delayed. */
  changed(uri: string): void {
    this.cancel(uri);
    if (!this.published.has(uri) || this.debounceMs <= 0) {
      void this.run(uri);
      return;
    }
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        void this.run(uri);
      }, this.debounceMs),
    );
  }

  closed(uri: string): void {
    this.cancel(uri);
    this.cache.delete(uri);
    this.published.delete(uri);
    if (this.closeHandler?.(uri)) return;
    this.target.publish(uri, undefined, []);
  }

  /** Re-analyses every open document (after a settings change). */
  refreshAll(uris: Iterable<string>): void {
    for (const uri of uris) this.changed(uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private readonly relatedUri = (uri: string): string => this.target.relatedUri?.(uri) ?? uri;

  private cancel(uri: string): void {
    const timer = this.timers.get(uri);
    if (timer) {
      clearTimeout(timer);
      this.timers.delete(uri);
    }
  }

  /**
   * Analyses the document's current version in slices (other requests are answered between them) and
   * publishes its diagnostics, unless a newer version arrived or the document closed meanwhile: the run of
   * that newer version cancels this one's analysis and publishes its own.
   */
  private async run(uri: string): Promise<void> {
    const document = this.current(uri);
    if (!document) return;
    let analysis: Analysis | null;
    try {
      analysis = await this.cache.getAsync(document);
    } catch (error) {
      this.target.logError(`Analysis of ${uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return;
    }
    if (!analysis || this.current(uri)?.version !== analysis.version) return;
    this.published.add(uri);
    this.target.publish(uri, analysis.version, diagnosticsOf(analysis, this.relatedUri));
    const published = analysis;
    for (const stage of [this.enrich, this.follow]) {
      stage?.(published).then(
        (changed) => {
          if (changed && this.published.has(uri) && this.current(uri)?.version === published.version) {
            this.target.publish(uri, published.version, diagnosticsOf(published, this.relatedUri));
          }
        },
        (error) => this.target.logError(`Online checks of ${uri} failed: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
  }
}
