/**
 * The per-document analysis cache: one parse and one rule run per (uri, version). Everything the LSP
 * features need (diagnostics, code actions, hovers) reads from here, so a hover or a code action on an
 * unchanged document costs a map lookup.
 */
import { classifyPath, ParsedFile, type FileKind } from './parse/document';
import { analyze, analyzeInSlices, type AnalysisOptions } from './engine';
import type { HiddenEntry } from '../../shared/src/hidden';
import type { Finding } from './findings';
import { available, type AnalysisViews, type View, type WorkspaceView } from './views';
import { dependenciesOf } from './dependencies/follow';

export interface Analysis {
  uri: string;
  version: number;
  file: ParsedFile;
  findings: Finding[];
  /** The workspace view the analysis had (for hovers that read other files), when the front end gave one. */
  workspace?: View<WorkspaceView>;
  /** The high-severity findings the persona or minimum confidence hides (for the status item). */
  hiddenHigh?: HiddenEntry[];
}

/** The options with a collector of the high-severity findings they hide. */
function collectingHidden(options: AnalysisOptions): { options: AnalysisOptions; hidden: HiddenEntry[] } {
  const hidden: HiddenEntry[] = [];
  const shownPersona = options.persona;
  return {
    hidden,
    options: {
      ...options,
      onHidden: (finding) => {
        if (finding.severity === 'high') hidden.push({ persona: finding.persona, confidence: finding.confidence, shownPersona });
      },
    },
  };
}

export interface AnalysableDocument {
  uri: string;
  version: number;
  languageId?: string;
  getText(): string;
}

/** The kind of an editor document: by its path, else by language id for untitled workflow buffers. */
export function documentKind(uri: string, languageId?: string): FileKind {
  let path = uri;
  try {
    path = decodeURIComponent(new URL(uri).pathname);
  } catch {
    // Not a URL: classify the raw string.
  }
  const kind = classifyPath(path);
  if (kind !== 'unknown') return kind;
  return languageId === 'github-actions-workflow' ? 'workflow' : 'unknown';
}

export interface AnalysisHooks {
  /** The options for one document (its repository's configuration over the editor settings `base`). */
  optionsFor?(uri: string, base: AnalysisOptions): AnalysisOptions;
  /** Findings of a document that is not an Actions file but is checked anyway (a configuration file); undefined otherwise. */
  otherFindings?(document: AnalysableDocument): Finding[] | undefined;
}

/** An analysis being computed in slices (`AnalysisCache.getAsync`). */
interface PendingAnalysis {
  version: number;
  /** The cache generation it was started in: a later `setOptions`, `clear` or `setHooks` makes it stale. */
  generation: number;
  file: ParsedFile;
  cancelled: boolean;
  promise: Promise<Analysis | null>;
}

export class AnalysisCache {
  private readonly entries = new Map<string, Analysis>();
  private readonly pending = new Map<string, PendingAnalysis>();
  /** Bumped whenever the options or hooks change: results computed before that are not stored. */
  private generation = 0;

  /** Per-document options and findings of non-Actions documents (configuration files): see config/workspace.ts. */
  private hooks: AnalysisHooks = {};
  /** The views a document's analysis gets from its front end (the workspace index): see workspace/workspace-index.ts. */
  private viewsFor?: (uri: string) => Partial<AnalysisViews>;

  constructor(private options: AnalysisOptions) {}

  setHooks(hooks: AnalysisHooks): void {
    this.hooks = hooks;
    this.invalidate();
  }

  /** Forgets every cached analysis (after a configuration file changed). */
  clear(): void {
    this.invalidate();
  }

  private invalidate(): void {
    this.entries.clear();
    this.generation++;
    for (const pending of this.pending.values()) pending.cancelled = true;
    this.pending.clear();
  }

  /** The options one document is analysed with: its repository's configuration, and the views of its front end. */
  optionsFor(uri: string): AnalysisOptions {
    const options = this.hooks.optionsFor ? this.hooks.optionsFor(uri, this.options) : this.options;
    const views = this.viewsFor?.(uri);
    return views ? { ...options, views: { ...options.views, ...views } } : options;
  }

  /** Sets where the views of each analysis come from (the cached analyses are rebuilt). */
  setViews(viewsFor: (uri: string) => Partial<AnalysisViews>): void {
    this.viewsFor = viewsFor;
    this.invalidate();
  }

  setOptions(options: AnalysisOptions): void {
    this.options = options;
    this.invalidate();
  }

  /**
   * The parsed file of a new version, parsed incrementally from the latest earlier version known (cached
   * or being analysed). Only that base is kept: the old version's views and findings are released before
   * the new analysis allocates, so they die young instead of being promoted (the tail of keystroke latency
   * is garbage collection).
   */
  private parse(document: AnalysableDocument): ParsedFile {
    const cached = this.entries.get(document.uri);
    const running = this.pending.get(document.uri);
    const candidates = [cached?.file, running?.file].filter(
      (file): file is ParsedFile => file !== undefined && file.version < document.version,
    );
    const latest = candidates.sort((a, b) => b.version - a.version)[0];
    const previous = latest ? { kind: latest.kind, reparseBase: latest.reparseBase } : undefined;
    this.forget(document.uri);
    return new ParsedFile(document.uri, documentKind(document.uri, document.languageId), document.getText(), document.version, previous);
  }

  /** Drops the cached analysis of a document and cancels the one being computed. */
  private forget(uri: string): void {
    this.entries.delete(uri);
    const running = this.pending.get(uri);
    if (running) {
      running.cancelled = true;
      this.pending.delete(uri);
    }
  }

  /** The analysis of this version, computed now (synchronously) when it is not cached. */
  get(document: AnalysableDocument): Analysis {
    const cached = this.entries.get(document.uri);
    if (cached && cached.version === document.version) return cached;
    const file = this.parse(document);
    const { options, hidden } = collectingHidden(this.optionsFor(document.uri));
    const analysis: Analysis = {
      uri: document.uri,
      version: document.version,
      file,
      findings: this.hooks.otherFindings?.(document) ?? analyze(file, options),
      ...(options.views?.workspace ? { workspace: options.views.workspace } : {}),
      hiddenHigh: hidden,
    };
    this.entries.set(document.uri, analysis);
    return analysis;
  }

  /**
   * The analysis of this version, computed in slices (engine.ts `analyzeInSlices`) so that requests about
   * other documents are answered meanwhile. Concurrent callers for one version share one computation.
   * Resolves to null when the computation was cancelled before it finished: a newer version of the
   * document was asked for, the document was deleted from the cache, or the options changed.
   */
  getAsync(document: AnalysableDocument): Promise<Analysis | null> {
    const cached = this.entries.get(document.uri);
    if (cached && cached.version === document.version) return Promise.resolve(cached);
    const running = this.pending.get(document.uri);
    if (running && running.version === document.version && running.generation === this.generation) return running.promise;
    const file = this.parse(document);
    const uri = document.uri;
    const version = document.version;
    const pending: PendingAnalysis = { version, generation: this.generation, file, cancelled: false, promise: Promise.resolve(null) };
    const other = this.hooks.otherFindings?.(document);
    const { options, hidden } = collectingHidden(this.optionsFor(uri));
    const settle = () => {
      if (this.pending.get(uri) === pending) this.pending.delete(uri);
    };
    pending.promise = (async () => {
      const findings = other ?? (await analyzeInSlices(file, options, () => pending.cancelled));
      if (findings === null || pending.cancelled) return this.peek(uri, version) ?? null;
      settle();
      const analysis: Analysis = {
        uri,
        version,
        file,
        findings,
        ...(options.views?.workspace ? { workspace: options.views.workspace } : {}),
        hiddenHigh: hidden,
      };
      this.entries.set(uri, analysis);
      return analysis;
    })();
    pending.promise.catch(settle);
    this.pending.set(uri, pending);
    return pending.promise;
  }

  /** Re-runs the rules over an analysis' parsed file (after online results were attached to it). */
  reanalyze(analysis: Analysis): Analysis {
    const base = this.optionsFor(analysis.uri);
    // The dependency chain walked for this version (features/online.ts), unless the options say otherwise.
    const graph = dependenciesOf(analysis.file);
    const withDependencies =
      graph && !base.views?.dependencies ? { ...base, views: { ...base.views, dependencies: available(graph) } } : base;
    const { options, hidden } = collectingHidden(withDependencies);
    analysis.findings = analyze(analysis.file, options);
    analysis.hiddenHigh = hidden;
    return analysis;
  }

  /** The cached analysis of exactly this version, without computing one. */
  peek(uri: string, version: number): Analysis | undefined {
    const cached = this.entries.get(uri);
    return cached && cached.version === version ? cached : undefined;
  }

  delete(uri: string): void {
    this.forget(uri);
  }

  get size(): number {
    return this.entries.size;
  }
}
