/**
 * The per-document analysis cache: one parse and one rule run per (uri, version). Everything the LSP
 * features need (diagnostics, code actions, hovers) reads from here, so a hover or a code action on an
 * unchanged document costs a map lookup.
 */
import { classifyPath, ParsedFile, type FileKind } from './parse/document';
import { analyze, type AnalysisOptions } from './engine';
import type { Finding } from './rules/types';

export interface Analysis {
  uri: string;
  version: number;
  file: ParsedFile;
  findings: Finding[];
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

export class AnalysisCache {
  private readonly entries = new Map<string, Analysis>();

  /** Per-document options and findings of non-Actions documents (configuration files): see config/workspace.ts. */
  private hooks: AnalysisHooks = {};

  constructor(private options: AnalysisOptions) {}

  setHooks(hooks: AnalysisHooks): void {
    this.hooks = hooks;
    this.entries.clear();
  }

  /** Forgets every cached analysis (after a configuration file changed). */
  clear(): void {
    this.entries.clear();
  }

  private optionsFor(uri: string): AnalysisOptions {
    return this.hooks.optionsFor ? this.hooks.optionsFor(uri, this.options) : this.options;
  }

  setOptions(options: AnalysisOptions): void {
    this.options = options;
    this.entries.clear();
  }

  get(document: AnalysableDocument): Analysis {
    let cached = this.entries.get(document.uri);
    if (cached && cached.version === document.version) return cached;
    // An older version of the same document is the base of an incremental parse (only the edited job is
    // re-parsed). Only its base is kept: the old version's views and findings are released before the new
    // analysis allocates, so they die young instead of being promoted (the tail of keystroke latency is
    // garbage collection).
    const previous = cached && cached.version < document.version ? { kind: cached.file.kind, reparseBase: cached.file.reparseBase } : undefined;
    if (cached) this.entries.delete(document.uri);
    cached = undefined;
    const file = new ParsedFile(document.uri, documentKind(document.uri, document.languageId), document.getText(), document.version, previous);
    const analysis: Analysis = { uri: document.uri, version: document.version, file, findings: this.hooks.otherFindings?.(document) ?? analyze(file, this.optionsFor(document.uri)) };
    this.entries.set(document.uri, analysis);
    return analysis;
  }

  /** Re-runs the rules over an analysis' parsed file (after online results were attached to it). */
  reanalyze(analysis: Analysis): Analysis {
    analysis.findings = analyze(analysis.file, this.optionsFor(analysis.uri));
    return analysis;
  }

  /** The cached analysis of exactly this version, without computing one. */
  peek(uri: string, version: number): Analysis | undefined {
    const cached = this.entries.get(uri);
    return cached && cached.version === version ? cached : undefined;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }

  get size(): number {
    return this.entries.size;
  }
}
