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

export class AnalysisCache {
  private readonly entries = new Map<string, Analysis>();

  constructor(private options: AnalysisOptions) {}

  setOptions(options: AnalysisOptions): void {
    this.options = options;
    this.entries.clear();
  }

  get(document: AnalysableDocument): Analysis {
    const cached = this.entries.get(document.uri);
    if (cached && cached.version === document.version) return cached;
    const file = new ParsedFile(document.uri, documentKind(document.uri, document.languageId), document.getText(), document.version);
    const analysis: Analysis = { uri: document.uri, version: document.version, file, findings: analyze(file, this.options) };
    this.entries.set(document.uri, analysis);
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
