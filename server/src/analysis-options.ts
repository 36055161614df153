/**
 * What an analysis is asked for: the persona and thresholds, the rules switched off or configured, and the
 * hook that applies repository policy to each finding. Both the engine and the configuration layer depend
 * on this type; neither depends on the other for it.
 */
import type { Confidence, Persona, Severity } from '../../shared/src/settings';
import type { Finding } from './findings';
import type { Rule } from './rules/types';
import type { AnalysisViews } from './views';

export interface AnalysisOptions {
  persona: Persona;
  minSeverity: Severity;
  minConfidence: Confidence;
  /** Rule ids switched off. */
  disabledRules: ReadonlySet<string>;
  /** Per-rule options (`rules.<id>.config` of the configuration file), by rule id. */
  ruleConfig?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Rules to run (defaults to the registry). */
  rules?: readonly Rule[];
  /**
   * Applied to every finding before filtering (configuration severity overrides and `rules.<id>.ignore`
   * locations): returns the finding, possibly changed, or null to drop it.
   */
  adjust?: (finding: Finding) => Finding | null;
  /**
   * What the rules may read besides the file and the configuration. A view not given here is absent,
   * except the online view, which defaults to the resolution snapshot a front end stored with the file
   * (`attachSnapshot`).
   */
  views?: Partial<AnalysisViews>;
  /**
   * Also return the findings that inline ignore comments and `rules.<id>.ignore` locations hide, each
   * with a `suppression` saying why (for SARIF suppressions and audits). The editor never sets it.
   */
  keepSuppressed?: boolean;
  /**
   * Called with each finding that the persona, minimum severity or minimum confidence hides (not those an
   * ignore hides), so a front end can say that they exist and how to see them.
   */
  onHidden?: (finding: Finding) => void;
}
