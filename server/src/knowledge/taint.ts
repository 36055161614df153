/**
 * Decides, for each value that can flow out of a `${{ }}` expression, who chooses it and how bad it is to
 * expand it into code. Shared by template-injection, ai-agent-injection and the context hover.
 */
import type { ExpressionSite, ParsedFile } from '../parse/document';
import { contextPath, valueLeaves, type ExprNode } from '../parse/expressions';
import type { Confidence, Persona, Severity } from '../findings';
import type { JobView, MapView, StepView } from '../parse/views';
import { asMap, asSeq, mapEntries, scalarText, seqItems, type YamlDocument, type YamlNode } from '../parse/yaml-nodes';
import { AttachedCache, attachmentsOf } from '../parse/attached-cache';
import { findExpressions } from '../parse/expressions';
import {
  canonicalContextPath,
  classifyGithubContext,
  isInertContext,
  normalizeContextPath,
  SAFE_INPUT_TYPES,
  type Capability,
} from './contexts';
import { triggerInfo } from './triggers';

export interface Scope {
  file: ParsedFile;
  job: JobView | null;
  step: StepView | null;
  /** The workflow's triggers; null in an action or a reusable workflow (the caller's event). */
  triggers: readonly string[] | null;
}

export interface Verdict {
  severity: Severity;
  confidence: Confidence;
  persona: Persona;
  capability: Capability;
  /** Why, as a phrase: "the issue title, written by anyone who can open an issue (`issues`)". */
  reason: string;
}

export interface LeafVerdict {
  /** The leaf node with offsets relative to the document. */
  start: number;
  end: number;
  path: string;
  verdict: Verdict;
}

const SEVERITY_RANK: Record<Severity, number> = { informational: 0, low: 1, medium: 2, high: 3 };

export function stronger(a: Verdict | null, b: Verdict | null): Verdict | null {
  if (!a) return b;
  if (!b) return a;
  return SEVERITY_RANK[b.severity] > SEVERITY_RANK[a.severity] ? b : a;
}

/** The triggers that decide `github.event` in a file; null when they are the caller's or unknown. */
export function scopeTriggers(file: ParsedFile): string[] | null {
  const workflow = file.workflow;
  if (!workflow) return null;
  const names = workflow.triggers.map((trigger) => trigger.name);
  if (names.length === 0 || names.includes('workflow_call')) return null;
  return names;
}

/** Locates the job and step an expression site belongs to from its key path. */
export function scopeOf(file: ParsedFile, path: readonly (string | number)[]): Scope {
  const triggers = scopeTriggers(file);
  if (file.workflow && path[0] === 'jobs' && typeof path[1] === 'string') {
    const job = file.workflow.job(path[1]) ?? null;
    return { file, job, step: job?.stepAt(path)?.step ?? null, triggers };
  }
  if (file.action && path[0] === 'runs' && path[1] === 'steps') {
    return { file, job: null, step: file.action.stepAt(path)?.step ?? null, triggers };
  }
  return { file, job: null, step: null, triggers };
}

function v(severity: Severity, confidence: Confidence, persona: Persona, capability: Capability, reason: string): Verdict {
  return { severity, confidence, persona, capability, reason };
}

function triggerList(triggers: readonly string[]): string {
  return triggers.map((t) => `\`${t}\``).join(', ');
}

function whoFires(trigger: string): string {
  const firedBy = triggerInfo(trigger)?.firedBy;
  if (firedBy === undefined) return `whoever fires \`${trigger}\``;
  // Without its closing parenthetical, as `/ \(.*\)$/` cut it (the text is our own table's).
  const open = firedBy.endsWith(')') ? firedBy.indexOf(' (') : -1;
  return open === -1 ? firedBy : firedBy.slice(0, open);
}

/** The verdict for one context path (null: harmless). `depth` bounds the `env` indirection. */
export function assessPath(rawPath: string, scope: Scope, depth = 0): Verdict | null {
  const path = normalizeContextPath(rawPath);
  const root = path.split('.')[0];
  if (isInertContext(path)) return null;
  switch (root) {
    case 'github': {
      // Judged by value: a payload field with a `github.*` twin (e.g. `pull_request.base.ref`) is judged as the twin.
      const info = classifyGithubContext(canonicalContextPath(path), scope.triggers);
      switch (info.capability) {
        case 'arbitrary':
          if (info.outsiderTriggers.length > 0) {
            const first = info.outsiderTriggers[0];
            const via =
              first === 'push' && !triggerInfo('push')?.outsiderCanFire
                ? 'the text of a merged pull request (`push`)'
                : `${whoFires(first)} (${triggerList(info.outsiderTriggers)})`;
            return v(
              'high',
              first === 'push' && info.outsiderTriggers.length === 1 ? 'medium' : 'high',
              'regular',
              'arbitrary',
              `${info.source}, chosen by ${via}`,
            );
          }
          if (scope.triggers === null)
            return v('high', 'medium', 'regular', 'arbitrary', `${info.source}, chosen by whoever causes the event`);
          return v('medium', 'medium', 'regular', 'arbitrary', `${info.source}`);
        case 'writer':
          if (info.path.startsWith('github.event.'))
            return v('medium', 'medium', 'regular', 'writer', `${info.source}, chosen by people with write access`);
          return v('low', 'medium', 'pedantic', 'writer', `${info.source}`);
        case 'structured':
          return v('low', 'medium', 'pedantic', 'structured', `${info.source}: restricted characters, but chosen by someone else`);
        case 'unknown':
          return v('low', 'low', 'pedantic', 'unknown', info.source);
        default:
          return null;
      }
    }
    case 'inputs':
      return assessInput(path, scope);
    case 'env':
      return depth > 0 ? v('low', 'low', 'pedantic', 'unknown', 'an environment variable') : assessEnv(path, scope);
    case 'matrix':
      return assessMatrix(path, scope);
    case 'steps':
    case 'needs':
    case 'jobs':
      return /\.outputs(\.|$)/.test(path) || path.split('.').length <= 2
        ? v('informational', 'low', 'pedantic', 'unknown', 'an output computed at run time; check where its text comes from')
        : null;
    case 'vars':
      return v('informational', 'low', 'pedantic', 'writer', 'a configuration variable, set by repository admins');
    case 'secrets':
      return null;
    default:
      return v('low', 'low', 'pedantic', 'unknown', `\`${root}\` is not a context this analysis knows`);
  }
}

function assessInput(path: string, scope: Scope): Verdict | null {
  const name = path.split('.')[1] ?? '';
  const file = scope.file;
  if (file.action) {
    if (!name || name === '*')
      return v('high', 'medium', 'regular', 'arbitrary', "the action's inputs, chosen by every workflow that uses it");
    return v(
      'high',
      'medium',
      'regular',
      'arbitrary',
      `input \`${name}\` of this action, chosen by every workflow that uses it (the Ultralytics compromise fed a branch name through such an input)`,
    );
  }
  const workflow = file.workflow;
  if (!workflow) return null;
  let verdict: Verdict | null = null;
  let declared = false;
  for (const trigger of ['workflow_dispatch', 'workflow_call']) {
    const config = workflow.trigger(trigger)?.config;
    if (!config) continue;
    const input = config.child('inputs').get(name);
    if (!input) continue;
    declared = true;
    const type = scalarText(asMap(input.value)?.get('type', true) as YamlNode | null) ?? 'string';
    if (SAFE_INPUT_TYPES.has(type.toLowerCase())) continue;
    verdict = stronger(
      verdict,
      trigger === 'workflow_call'
        ? v(
            'medium',
            'medium',
            'regular',
            'arbitrary',
            `\`${type}\` input \`${name}\` of this reusable workflow, chosen by its callers (which may pass pull request or issue text)`,
          )
        : v('medium', 'high', 'regular', 'writer', `\`${type}\` input \`${name}\`, typed in by whoever dispatches the workflow`),
    );
  }
  if (!declared) return v('low', 'low', 'pedantic', 'unknown', `input \`${name}\` is not declared`);
  return verdict;
}

function envValue(view: MapView | null, name: string): { found: boolean; node: YamlNode | null } {
  if (!view) return { found: false, node: null };
  for (const entry of view.entries) if (entry.key.toLowerCase() === name) return { found: true, node: entry.value };
  return { found: false, node: null };
}

function assessEnv(path: string, scope: Scope): Verdict | null {
  const name = path.split('.')[1] ?? '';
  const levels: MapView[] = [];
  if (scope.step) levels.push(scope.step.env);
  if (scope.job) levels.push(scope.job.env);
  if (scope.file.workflow) levels.push(scope.file.workflow.env);
  for (const level of levels) {
    const { found, node } = envValue(level, name);
    if (!found) continue;
    const text = scalarText(node);
    if (text === null) return asMap(node) || asSeq(node) ? v('low', 'low', 'pedantic', 'unknown', `\`env.${name}\``) : null;
    if (!text.includes('${{')) return null;
    let verdict: Verdict | null = null;
    for (const occurrence of findExpressions(text)) {
      const ast = occurrence.parsed.ast;
      if (!ast) continue;
      for (const leaf of valueLeaves(ast)) {
        if (leaf.type === 'literal') continue;
        const inner = contextPath(leaf, { computedIndexAsWildcard: true });
        const found = inner ? assessPath(inner, scope, 1) : null;
        if (found) verdict = stronger(verdict, { ...found, reason: `\`env.${name}\`, set from \`${inner}\`: ${found.reason}` });
      }
    }
    return verdict;
  }
  return v('low', 'low', 'pedantic', 'unknown', `\`env.${name}\` is not set in this file (it may come from GITHUB_ENV)`);
}

function assessMatrix(path: string, scope: Scope): Verdict | null {
  const key = path.split('.')[1] ?? '';
  const job = scope.job;
  if (!job) return v('low', 'low', 'pedantic', 'unknown', 'a matrix value');
  let byKey = MATRIX_SOURCES.get(job);
  if (!byKey) MATRIX_SOURCES.set(job, (byKey = new Map()));
  let source = byKey.get(key);
  if (source === undefined) byKey.set(key, (source = matrixValueSource(job, key, scope.file.doc)));
  return source === null ? null : v('medium', 'low', 'regular', 'unknown', `matrix value \`${key}\`, ${source}`);
}

/** Per job and matrix key: how a matrix value is computed at run time (null: written out in the workflow). */
const MATRIX_SOURCES = new AttachedCache<JobView, Map<string, string | null>>('matrix-sources', attachmentsOf);

function matrixValueSource(job: JobView, key: string, doc: YamlDocument | null): string | null {
  const node = job.strategy.get('matrix')?.value ?? null;
  const text = scalarText(node);
  if (text !== null) return text.includes('${{') ? 'from a matrix computed at run time' : null;
  const map = asMap(node);
  if (!map) return null;
  let expression = false;
  const visit = (value: YamlNode | null) => {
    const s = scalarText(value);
    if (s !== null && s.includes('${{')) expression = true;
    for (const item of seqItems(asSeq(value), doc)) visit(item);
    for (const entry of mapEntries(asMap(value), doc)) visit(entry.value);
  };
  for (const entry of mapEntries(map, doc)) {
    if (entry.key === key || key === '' || key === '*') visit(entry.value);
    if (entry.key === 'include' || entry.key === 'exclude') {
      for (const item of seqItems(asSeq(entry.value), doc)) {
        const s = scalarText(item);
        if (s !== null && s.includes('${{')) expression = true;
        for (const inner of mapEntries(asMap(item), doc)) if (inner.key === key) visit(inner.value);
      }
      const s = scalarText(entry.value);
      if (s !== null && s.includes('${{')) expression = true;
    }
  }
  return expression ? 'set from an expression' : null;
}

/** The value leaves of an expression site that carry something, with document offsets and verdicts. */
export function assessSite(site: ExpressionSite, scope: Scope): LeafVerdict[] {
  const occurrence = site.occurrence;
  const ast = occurrence.terminated ? occurrence.parsed.ast : null;
  if (!ast) return [];
  const verdicts: LeafVerdict[] = [];
  for (const leaf of valueLeaves(ast)) {
    if (leaf.type === 'literal') continue;
    const path = contextPath(leaf, { computedIndexAsWildcard: true });
    if (!path) continue;
    const verdict = assessPath(path, scope);
    if (!verdict) continue;
    verdicts.push({ start: occurrence.innerStart + leaf.start, end: occurrence.innerStart + leaf.end, path, verdict });
  }
  return verdicts;
}

/** The expression's top node when it is a single context access chain (groups looked through). */
export function singleContext(site: ExpressionSite): { node: ExprNode; path: string } | null {
  let ast = site.occurrence.terminated ? site.occurrence.parsed.ast : null;
  while (ast && ast.type === 'group') ast = ast.expr;
  if (!ast || (ast.type !== 'property' && ast.type !== 'index' && ast.type !== 'context')) return null;
  const path = contextPath(ast);
  return path ? { node: ast, path } : null;
}
