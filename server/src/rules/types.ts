/**
 * The contract between rules and the engine. A rule is a pure, synchronous function of its context (the
 * parsed file, its options from the configuration, and the views it declares); it reports findings with
 * offsets, and the engine turns them into positioned, filtered, sorted `Finding`s (findings.ts) that the
 * LSP and CLI adapters render.
 */
import type { Confidence, FindingReport, Persona, Severity } from '../findings';
import type { FileKind, ParsedFile } from '../parse/document';
import type { RepositoryPolicy } from '../resolve/repo-policy';
import type { OnlineSnapshot } from '../resolve/snapshot';
import type { DependencyView, LockView, View, ViewName, WorkspaceView } from '../views';

export interface RuleContext {
  readonly file: ParsedFile;
  /** This rule's options from the configuration file (`rules.<id>.config`); empty when none. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Resolution results of the file's `uses:` (tags, branches, commit membership, advisories). */
  readonly online: View<OnlineSnapshot>;
  /** The other files of the repository. */
  readonly workspace: View<WorkspaceView>;
  /** The actions the file uses, fetched at their commits. */
  readonly dependencies: View<DependencyView>;
  /** The repository's actions lock, with the analysed workflow's place in it. */
  readonly lock: View<LockView>;
  /** The repository's GitHub Actions policy as GitHub reports it (online). */
  readonly policy: View<RepositoryPolicy>;
  report(finding: FindingReport): void;
}

export interface RuleDocs {
  /** One sentence: what the rule finds. */
  summary: string;
  /** Why it matters, naming the real incident. Markdown. */
  why: string;
  /** How to fix it. Markdown. */
  fix: string;
  /**
   * For a rule that works offline and looks more up with the online view: that lookup, as the offline
   * notice names it ("the advisory database lookup").
   */
  onlineLookup?: string;
}

export interface Rule {
  id: string;
  title: string;
  kinds: readonly FileKind[];
  severity: Severity;
  confidence: Confidence;
  persona: Persona;
  docs: RuleDocs;
  /** Reports only from resolution results: the engine does not run it while the online view is absent. */
  online: boolean;
  /**
   * The views it reads besides the file and the configuration (a rule marked `online` reads `online`
   * without listing it). Views it does not declare read as unavailable (`not-declared`).
   */
  reads?: readonly ViewName[];
  check(context: RuleContext): void;
}
