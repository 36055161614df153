/**
 * What the analysis produces, below the rules: findings, their fixes and edits, the levels that grade
 * them, and the table of the built-in ids that are not registry rules (reported by the engine or the
 * configuration). Rules, fixes, knowledge and every front end depend on this module; it depends on none.
 */
import type { Range } from 'vscode-languageserver-types';
import type { Confidence, Persona, Severity } from '../../shared/src/settings';
import type { LineIndex, Span } from './parse/text';

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
  /**
   * Another file of the workspace the span is in (a caller or a called workflow or action): its name as the
   * front end gave it (`uri`) and its lines. Absent: the analysed file.
   */
  file?: { readonly uri: string; readonly lines: LineIndex };
}

/** A related location of a finding: in the analysed file, or in the other file `uri` names. */
export interface RelatedLocation {
  span: Span;
  range: Range;
  message: string;
  /** The other file, as the front end named it (a path or a URI); absent for the analysed file. */
  uri?: string;
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
  related: RelatedLocation[];
  fixes: Fix[];
}

/** The grading a finding takes from the rule that reports it, unless the report says otherwise. */
export interface FindingDefaults {
  id: string;
  severity: Severity;
  confidence: Confidence;
  persona: Persona;
}

export const SYNTAX_ERROR_RULE = 'syntax-error';
export const INTERNAL_ERROR_RULE = 'internal-error';
export const UNUSED_IGNORE_RULE = 'unused-ignore';
export const CONFIG_ERROR_RULE = 'config-error';

/** An id a finding can carry that is not a registry rule: the engine or the configuration reports it. */
export interface BuiltInRule extends FindingDefaults {
  title: string;
  /** One sentence: what it reports. */
  summary: string;
  /** Markdown: what to do about it. */
  help: string;
  /** Where it is reported: by the engine on an Actions file, or on the configuration file. */
  reportedOn: 'actions-file' | 'configuration-file';
  /** Shown whatever the persona, severity and confidence thresholds. */
  alwaysShown: boolean;
  /** The "Ignore <rule> on this line" quick fix is offered for its findings. */
  ignorable: boolean;
}

export const BUILT_IN_RULES: readonly BuiltInRule[] = [
  {
    id: SYNTAX_ERROR_RULE,
    title: 'File is not valid YAML',
    severity: 'high',
    confidence: 'high',
    persona: 'regular',
    summary: 'The file could not be parsed as YAML, so GitHub will reject it and nothing else in it was checked.',
    help: 'Fix the YAML error at the reported position.',
    reportedOn: 'actions-file',
    alwaysShown: true,
    ignorable: false,
  },
  {
    id: INTERNAL_ERROR_RULE,
    title: 'Actions Warden failed on this file',
    severity: 'low',
    confidence: 'high',
    persona: 'regular',
    summary: 'A rule failed on this file; please report it with the file attached.',
    help: 'This is a bug in Actions Warden, not in the file.',
    reportedOn: 'actions-file',
    alwaysShown: true,
    ignorable: false,
  },
  {
    id: UNUSED_IGNORE_RULE,
    title: 'Ignore comment suppresses nothing',
    severity: 'low',
    confidence: 'high',
    persona: 'pedantic',
    summary: 'A `# warden: ignore[...]` or `# zizmor: ignore[...]` comment names a rule that reports nothing on that line.',
    help: 'Remove the stale rule id (or the whole comment), so that a future finding on that line is not hidden.',
    reportedOn: 'actions-file',
    alwaysShown: false,
    ignorable: true,
  },
  {
    id: CONFIG_ERROR_RULE,
    title: 'Problem in the configuration file',
    severity: 'medium',
    confidence: 'high',
    persona: 'regular',
    summary: 'A key of the configuration file has a wrong type or value, or is unknown; it was ignored.',
    help: 'See docs/configuration.md for the file format.',
    reportedOn: 'configuration-file',
    alwaysShown: false,
    ignorable: false,
  },
];

const builtInById = new Map(BUILT_IN_RULES.map((rule) => [rule.id, rule]));

export function builtInRule(id: string): BuiltInRule | undefined {
  return builtInById.get(id);
}

/** The built-in rule of `id`, which must be one of `BUILT_IN_RULES`. */
export function builtIn(id: string): BuiltInRule {
  const rule = builtInById.get(id);
  if (!rule) throw new Error(`${id} is not a built-in rule`);
  return rule;
}

/** Why a finding is hidden: an inline comment (`inSource`) or the configuration file (`external`). */
export interface Suppression {
  kind: 'inSource' | 'external';
  /** The reason written after the ignore comment, or the configuration entry that hides the finding. */
  justification?: string;
}

/** A finding that an ignore hides, returned only with `keepSuppressed`. */
export type SuppressedFinding = Finding & { suppression: Suppression };

export function isSuppressed(finding: Finding): finding is SuppressedFinding {
  return (finding as Partial<SuppressedFinding>).suppression !== undefined;
}

/** True when a related location's `uri` is a web address (a dependency's file at a commit), not a file of the scan. */
export function isWebUrl(uri: string): boolean {
  return uri.startsWith('https://') || uri.startsWith('http://');
}
