/**
 * The contract between rules and front ends. A rule is a pure, synchronous function of a ParsedFile and
 * the effective configuration; it reports findings with offsets, and the engine turns them into
 * positioned, filtered, sorted `Finding`s that the LSP and CLI adapters render.
 */
import type { Range } from 'vscode-languageserver-types';
import type { Confidence, Persona, Severity } from '../../../shared/src/settings';
import type { FileKind, ParsedFile } from '../parse/document';
import type { Span } from '../parse/text';

export type { Confidence, Persona, Severity };

/** A replacement of the text in `span` (offsets into the analysed text) by `newText`. */
export interface OffsetEdit {
  span: Span;
  newText: string;
}

export interface Fix {
  title: string;
  /** Shown first, applied by "fix all" and by `--fix=safe` when `safe`. */
  isPreferred: boolean;
  /** Safe: never changes what the workflow does. Unsafe: a behavioural change a person should review. */
  safety: 'safe' | 'unsafe';
  edits: OffsetEdit[];
}

export interface RelatedSpan {
  span: Span;
  message: string;
}

/** What a rule reports. */
export interface FindingReport {
  span: Span;
  message: string;
  /** Defaults to the rule's. */
  severity?: Severity;
  confidence?: Confidence;
  persona?: Persona;
  related?: RelatedSpan[];
  /**
   * The fixes, or a function computing them: fixes are only read for code actions, `--fix` and JSON
   * output, so an expensive fix (one that re-parses to verify itself) should be given as a function.
   */
  fixes?: Fix[] | (() => Fix[]);
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  confidence: Confidence;
  persona: Persona;
  message: string;
  span: Span;
  range: Range;
  related: { span: Span; range: Range; message: string }[];
  fixes: Fix[];
}

export interface RuleContext {
  readonly file: ParsedFile;
  /** This rule's options from the configuration file (`rules.<id>.config`); empty when none. */
  readonly config: Readonly<Record<string, unknown>>;
  report(finding: FindingReport): void;
}

export interface RuleDocs {
  /** One sentence: what the rule finds. */
  summary: string;
  /** Why it matters, naming the real incident. Markdown. */
  why: string;
  /** How to fix it. Markdown. */
  fix: string;
}

export interface Rule {
  id: string;
  title: string;
  kinds: readonly FileKind[];
  severity: Severity;
  confidence: Confidence;
  persona: Persona;
  docs: RuleDocs;
  check(context: RuleContext): void;
}
