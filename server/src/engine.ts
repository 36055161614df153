/**
 * Runs the rules over a ParsedFile and returns positioned, filtered, deterministic findings. Syntax
 * problems of the parse become `syntax-error` findings. A rule that throws is reported as a finding of
 * its own rather than taking the others down. Each rule sees the views it declares (views.ts); a rule
 * marked online is not run while the online view is absent.
 */
import { performance } from 'node:perf_hooks';
import { CONFIDENCES, PERSONAS, SEVERITIES } from '../../shared/src/settings';
import type { AnalysisOptions } from './analysis-options';
import {
  builtIn,
  builtInRule,
  INTERNAL_ERROR_RULE,
  SYNTAX_ERROR_RULE,
  UNUSED_IGNORE_RULE,
  type Finding,
  type FindingDefaults,
  type FindingReport,
  type Fix,
  isSuppressed,
  type Suppression,
} from './findings';
import type { ParsedFile } from './parse/document';
import { dependencyFindings } from './dependencies/chain';
import { snapshotOf } from './resolve/snapshot';
import { RULES } from './rules';
import { deadRegions, insideDeadRegion } from './rules/support/dead-code';
import type { Rule, RuleContext } from './rules/types';
import { IgnoreTracker, unusedIgnores } from './suppressions/inline-ignores';
import { NO_VIEWS, onlineView, rememberLockView, unavailable, type AnalysisViews, type DependencyView } from './views';

export type { AnalysisOptions } from './analysis-options';
export { isSuppressed, type Suppression, type SuppressedFinding } from './findings';

export const DEFAULT_ANALYSIS_OPTIONS: AnalysisOptions = {
  persona: 'regular',
  minSeverity: 'informational',
  minConfidence: 'low',
  disabledRules: new Set(),
};

const NO_CONFIG: Readonly<Record<string, unknown>> = Object.freeze({});

/** The views of one analysis: the options' own, the stored online snapshot, else none. */
export function analysisViews(file: ParsedFile, options: AnalysisOptions): AnalysisViews {
  const given = options.views ?? {};
  if (given.lock?.available) rememberLockView(file, given.lock.value);
  return {
    online: given.online ?? onlineView(snapshotOf(file)),
    workspace: given.workspace ?? NO_VIEWS.workspace,
    dependencies: given.dependencies ?? NO_VIEWS.dependencies,
    lock: given.lock ?? NO_VIEWS.lock,
    policy: given.policy ?? NO_VIEWS.policy,
  };
}

const NOT_DECLARED = unavailable<never>('not-declared');

/** The views a rule declared, the others as not declared. */
function declaredViews(rule: Rule, views: AnalysisViews): Pick<RuleContext, 'online' | 'workspace' | 'dependencies' | 'lock' | 'policy'> {
  const reads = rule.reads ?? [];
  return {
    online: rule.online || reads.includes('online') ? views.online : NOT_DECLARED,
    workspace: reads.includes('workspace') ? views.workspace : NOT_DECLARED,
    dependencies: reads.includes('dependencies') ? views.dependencies : NOT_DECLARED,
    lock: reads.includes('lock') ? views.lock : NOT_DECLARED,
    policy: reads.includes('policy') ? views.policy : NOT_DECLARED,
  };
}

export function analyze(file: ParsedFile, options: AnalysisOptions = DEFAULT_ANALYSIS_OPTIONS): Finding[] {
  const steps = analysisSteps(file, options);
  for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
}

/** How long one slice of `analyzeInSlices` runs before it lets other work in. */
export const ANALYSIS_SLICE_MS = 10;

/**
 * `analyze` in slices of about `sliceMs` (rule boundaries): between slices it waits for a `setImmediate`,
 * so that the requests that arrived meanwhile (a hover on another document) are answered before the next
 * slice. Resolves to null, without running further rules, when `cancelled()` says the result is no longer
 * wanted (a newer version of the document arrived, it closed, the settings changed).
 */
export async function analyzeInSlices(
  file: ParsedFile,
  options: AnalysisOptions,
  cancelled: () => boolean,
  sliceMs = ANALYSIS_SLICE_MS,
): Promise<Finding[] | null> {
  const steps = analysisSteps(file, options);
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart < sliceMs) continue;
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (cancelled()) {
      steps.return([]);
      return null;
    }
    sliceStart = performance.now();
  }
}

/** The work of `analyze`, yielding after each rule (the places where a slice may end). */
function* analysisSteps(file: ParsedFile, options: AnalysisOptions): Generator<void, Finding[], void> {
  if (file.kind === 'unknown') return [];
  const findings: Finding[] = [];
  const toFinding = (rule: FindingDefaults, report: FindingReport): Finding => {
    const finding = buildFinding(rule, report);
    return typeof report.fixes === 'function' ? withLazyFixes(finding, report.fixes) : finding;
  };
  const buildFinding = (rule: FindingDefaults, report: FindingReport): Finding => ({
    ruleId: rule.id,
    severity: report.severity ?? rule.severity,
    confidence: report.confidence ?? rule.confidence,
    persona: report.persona ?? rule.persona,
    message: report.message,
    span: report.span,
    range: file.lines.range(report.span),
    related: (report.related ?? []).map((related) =>
      related.file
        ? { span: related.span, range: related.file.lines.range(related.span), message: related.message, uri: related.file.uri }
        : { span: related.span, range: file.lines.range(related.span), message: related.message },
    ),
    fixes: typeof report.fixes === 'function' ? [] : (report.fixes ?? []),
  });

  for (const problem of file.problems) {
    // ParsedFile reports a failure of its own views as `internal-error`: that is our bug, not the YAML's.
    if (problem.code === INTERNAL_ERROR_RULE) {
      findings.push(toFinding(builtIn(INTERNAL_ERROR_RULE), { span: problem.span, message: problem.message }));
      continue;
    }
    findings.push(
      toFinding(builtIn(SYNTAX_ERROR_RULE), {
        span: problem.span,
        message: problem.code === 'file-too-large' || problem.code === 'too-deeply-nested' ? problem.message : `YAML: ${problem.message}`,
      }),
    );
  }

  // One context for every rule (rules read it synchronously): the rule it reports for is the current one.
  const views = analysisViews(file, options);
  let current: Rule | null = null;
  const context: { -readonly [K in keyof RuleContext]: RuleContext[K] } = {
    file,
    config: NO_CONFIG,
    ...NO_VIEWS,
    report: (report) => {
      if (current) findings.push(toFinding(current, report));
    },
  };
  for (const rule of options.rules ?? RULES) {
    if (!rule.kinds.includes(file.kind) || options.disabledRules.has(rule.id)) continue;
    if (rule.online && !views.online.available) continue;
    current = rule;
    context.config = options.ruleConfig?.[rule.id] ?? NO_CONFIG;
    Object.assign(context, declaredViews(rule, views));
    try {
      rule.check(context);
    } catch (error) {
      findings.push(
        toFinding(builtIn(INTERNAL_ERROR_RULE), {
          span: { start: 0, end: 0 },
          message: `Rule ${rule.id} failed on this file: ${error instanceof Error ? error.message : String(error)}`,
        }),
      );
    }
    current = null;
    yield;
  }
  current = null;
  // The problems of the actions this file depends on, as fetched at their commits, on the lines leading to them.
  if (views.dependencies.available) {
    for (const finding of dependencyFindings(file, views.dependencies.value, analyzeDependency)) {
      if (!options.disabledRules.has(finding.ruleId)) findings.push(finding);
    }
  }

  const adjusted = options.adjust ? findings.map(options.adjust).filter((finding): finding is Finding => finding !== null) : findings;
  const ignores = new IgnoreTracker(file);
  const suppressed: Finding[] = [];
  // With keepSuppressed, `adjust` marks what the configuration hides instead of dropping it.
  const hide = (finding: Finding): boolean => {
    if (isSuppressed(finding)) {
      // Marked by an `adjust` built for keepSuppressed: hidden either way, returned only when asked for.
      if (options.keepSuppressed) suppressed.push(finding);
      return true;
    }
    if (!ignores.suppresses(finding)) return false;
    if (options.keepSuppressed) suppressed.push(Object.assign(finding, { suppression: inlineSuppression(file, ignores, finding) }));
    return true;
  };
  const kept = adjusted.filter((finding) => !hide(finding));
  // Unused ignores are judged against every finding before the persona/severity filter, so a comment that
  // silences a pedantic finding is not "unused" for a regular user.
  if (!options.disabledRules.has(UNUSED_IGNORE_RULE)) {
    const ran = new Set(
      (options.rules ?? RULES)
        .filter((rule) => rule.kinds.includes(file.kind) && !options.disabledRules.has(rule.id))
        .map((rule) => rule.id),
    );
    for (const report of unusedIgnores(file, ignores, ran)) {
      const finding = toFinding(builtIn(UNUSED_IGNORE_RULE), report);
      const final = options.adjust ? options.adjust(finding) : finding;
      if (final && !hide(final)) kept.push(final);
    }
  }
  if (suppressed.length > 0) kept.push(...suppressed);
  // Jobs and steps that never run (`if: false`): nothing inside them is a finding. Dropped only now, so an
  // ignore comment there still counts as used.
  const dead = deadRegions(file);
  const live = dead.length === 0 ? kept : kept.filter((finding) => builtInRule(finding.ruleId) || !insideDeadRegion(finding.span, dead));
  const shown = live.filter((finding) => isShown(finding, options));
  if (options.onHidden && shown.length < live.length)
    for (const finding of live) if (!isSuppressed(finding) && !isShown(finding, options)) options.onHidden(finding);
  return shown.sort(compareFindings);
}

/** What a dependency's own analysis keeps: everything, graded later on the caller's line by the caller's options. */
const DEPENDENCY_OPTIONS: AnalysisOptions = {
  persona: 'auditor',
  minSeverity: 'informational',
  minConfidence: 'low',
  disabledRules: new Set(),
};

type SnapshotMemo = WeakMap<ParsedFile, { snapshot: unknown; found: Finding[] }>;

/** A fetched file's findings, computed again only when another online snapshot was attached to it (a later walk's lookups). */
function bySnapshot(memo: SnapshotMemo, file: ParsedFile, compute: () => Finding[]): Finding[] {
  const snapshot = snapshotOf(file);
  const known = memo.get(file);
  if (known && known.snapshot === snapshot) return known.found;
  const found = compute();
  memo.set(file, { snapshot, found });
  return found;
}

const ownMemo: SnapshotMemo = new WeakMap();
const chainMemo: SnapshotMemo = new WeakMap();

/**
 * A fetched file's own findings (its text and the online lookups attached to it, without following its own
 * dependencies), at every persona: what the dependency-tree hover marks its lines with.
 */
export function dependencyOwnFindings(file: ParsedFile): Finding[] {
  return bySnapshot(ownMemo, file, () => analyze(file, DEPENDENCY_OPTIONS));
}

/** A fetched file's findings with its own dependencies followed (what the chain carries to the caller). */
function analyzeDependency(file: ParsedFile, view: DependencyView): Finding[] {
  return bySnapshot(chainMemo, file, () =>
    analyze(file, { ...DEPENDENCY_OPTIONS, views: { dependencies: { available: true, value: view } } }),
  );
}

/** Longer reasons are cut (a suppression's justification is a sentence, not a document). */
const MAX_JUSTIFICATION_LENGTH = 500;

/** The suppression of a finding that an inline comment hides, with the text written after the comment as its justification. */
function inlineSuppression(file: ParsedFile, ignores: IgnoreTracker, finding: Finding): Suppression {
  const comment = ignores.suppressing(finding);
  if (!comment) return { kind: 'inSource' };
  const justification = file.text
    .slice(comment.span.end, file.lines.lineContentEnd(comment.line))
    .trim()
    .slice(0, MAX_JUSTIFICATION_LENGTH);
  return justification ? { kind: 'inSource', justification } : { kind: 'inSource' };
}

function isShown(finding: Finding, options: AnalysisOptions): boolean {
  if (builtInRule(finding.ruleId)?.alwaysShown) return true;
  return (
    PERSONAS.indexOf(finding.persona) <= PERSONAS.indexOf(options.persona) &&
    SEVERITIES.indexOf(finding.severity) >= SEVERITIES.indexOf(options.minSeverity) &&
    CONFIDENCES.indexOf(finding.confidence) >= CONFIDENCES.indexOf(options.minConfidence)
  );
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.span.start - b.span.start ||
    a.span.end - b.span.end ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

/** Where a finding with lazy fixes keeps the function computing them (non-enumerable: never serialised or compared). */
const COMPUTE_FIXES = Symbol('actions-warden.compute-fixes');
type LazyFixesFinding = Finding & { [COMPUTE_FIXES]?: () => Fix[] };

/**
 * One getter shared by every finding with lazy fixes: a getter made per finding (a closure over its
 * `compute`) gave each such finding a hidden class of its own, held in old space, which kept the finding's
 * document alive through every young-generation collection until the next full one (docs/performance.md).
 */
function readLazyFixes(this: LazyFixesFinding): Fix[] {
  const compute = this[COMPUTE_FIXES];
  let fixes: Fix[] = [];
  if (compute) {
    try {
      fixes = compute();
    } catch {
      fixes = [];
    }
  }
  writeLazyFixes.call(this, fixes);
  return fixes;
}

/** Replaces the lazy property by the fixes themselves (and lets the compute function go). */
function writeLazyFixes(this: LazyFixesFinding, fixes: Fix[]): void {
  Object.defineProperty(this, COMPUTE_FIXES, { value: undefined });
  Object.defineProperty(this, 'fixes', { value: fixes, writable: true, enumerable: true, configurable: true });
}

/**
 * Settles the lazy fixes of findings that outlive their analysis (the CLI keeps every file's findings until
 * it prints them): `compute` builds them now, `drop` replaces them with none. Either way a finding no longer
 * holds the function that would build them, and with it the parsed document.
 */
export function settleLazyFixes(findings: readonly Finding[], mode: 'compute' | 'drop'): void {
  for (const finding of findings) {
    if (!(finding as LazyFixesFinding)[COMPUTE_FIXES]) continue;
    if (mode === 'compute') void finding.fixes;
    else writeLazyFixes.call(finding as LazyFixesFinding, []);
  }
}

/** Makes `finding.fixes` compute on first read (and keep the result), for rules that report fixes lazily. */
function withLazyFixes(finding: Finding, compute: () => Fix[]): Finding {
  Object.defineProperty(finding, COMPUTE_FIXES, { value: compute, writable: false, enumerable: false, configurable: true });
  Object.defineProperty(finding, 'fixes', { configurable: true, enumerable: true, get: readLazyFixes, set: writeLazyFixes });
  return finding;
}
