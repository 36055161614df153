/**
 * Findings inside the dependencies of the analysed file, reported in the file itself:
 * - the problems of a fetched action or reusable workflow (its own rules' findings, and recursively those
 *   of its dependencies) go on the `uses:` line of the step or job that leads to it, with the chain in the
 *   message and a related location at the file and line inside the dependency;
 * - taint across the boundary: a composite action that expands `inputs.<name>` into a `run:` script, called
 *   with `with: <name>` set from a value someone else chooses, is a `template-injection` on the caller's
 *   `with:` line, graded by the caller's triggers.
 * The findings keep the rule id of what was found, so severity overrides, personas and ignores apply.
 */
import type { Finding } from '../findings';
import { assessSite, scopeOf, singleContext, stronger, type Verdict } from '../knowledge/taint';
import type { ParsedFile, UsesSite } from '../parse/document';
import type { Entry } from '../parse/yaml-nodes';
import { lockableUses } from '../resolve/lock-entry';
import type { DependencyView, FetchedAction } from '../views';
import { actionKey, usesPath } from './walk';

/** The rules whose findings inside a dependency are carried to the caller. */
export const CHAINED_RULES: ReadonlySet<string> = new Set([
  'unpinned-uses',
  'template-injection',
  'unpinned-images',
  'unverified-download',
  'known-vulnerable-actions',
  'archived-uses',
  'insecure-commands',
  'typosquat-uses',
]);

/** How the findings of one dependency are computed (the engine's analysis, given by the engine). */
export type AnalyzeDependency = (file: ParsedFile, view: DependencyView) => Finding[];

/** A dependency view that refuses the actions already on the chain being analysed (cycles). */
class ChainView implements DependencyView {
  constructor(
    readonly base: DependencyView,
    readonly stack: ReadonlySet<string>,
  ) {}
  action(owner: string, repo: string, path: string, commit: string) {
    if (this.stack.has(actionKey(owner, repo, path, commit))) return { available: false as const, reason: 'not-fetched' as const };
    return this.base.action(owner, repo, path, commit);
  }
  commitOf(owner: string, repo: string, ref: string) {
    return this.base.commitOf?.(owner, repo, ref);
  }
}

function rootOf(view: DependencyView): { base: DependencyView; stack: ReadonlySet<string> } {
  return view instanceof ChainView ? { base: view.base, stack: view.stack } : { base: view, stack: new Set() };
}

interface Resolved {
  site: UsesSite;
  uses: string;
  action: FetchedAction;
}

function resolvedSites(file: ParsedFile, view: DependencyView): Resolved[] {
  const out: Resolved[] = [];
  for (const site of file.uses) {
    const uses = lockableUses(site.value);
    if (!uses) continue;
    const commit = view.commitOf?.(uses.owner, uses.repo, uses.ref as string);
    if (!commit) continue;
    const fetched = view.action(uses.owner, uses.repo, usesPath(uses), commit);
    if (fetched.available) out.push({ site, uses: site.value, action: fetched.value });
  }
  return out;
}

/** `owner/repo[/path]@<commit> <file>:<line>`: a line of a fetched dependency, for messages. */
export function where(action: FetchedAction, line: number): string {
  const path = action.path && !action.fileName?.startsWith(`${action.path}/`) && action.fileName !== action.path ? `/${action.path}` : '';
  const name = action.fileName ?? 'action.yml';
  return `${action.owner}/${action.repo}${path}@${action.commit.slice(0, 12)} ${name}:${line + 1}`;
}

function usesSpan(site: UsesSite): { start: number; end: number } {
  return site.entry.valueSpan;
}

/** The findings of the dependencies of `file`, positioned in `file`. */
export function dependencyFindings(file: ParsedFile, view: DependencyView, analyzeDependency: AnalyzeDependency): Finding[] {
  const { base, stack } = rootOf(view);
  const findings: Finding[] = [];
  for (const { site, action } of resolvedSites(file, view)) {
    const key = actionKey(action.owner, action.repo, action.path, action.commit);
    const inner = analyzeDependency(action.file, new ChainView(base, new Set([...stack, key])));
    const span = usesSpan(site);
    const range = file.lines.range(span);
    for (const found of inner) {
      if (!CHAINED_RULES.has(found.ruleId)) continue;
      // An input expanded into code is judged at the call, where its value is known (below).
      if (found.ruleId === 'template-injection' && expandsOnlyInputs(action.file, found)) continue;
      const at = where(action, found.range.start.line);
      findings.push({
        ruleId: found.ruleId,
        severity: found.severity,
        confidence: found.confidence,
        persona: found.persona,
        message: `via ${at}: ${found.message}`,
        span,
        range,
        related: [
          { span: found.span, range: found.range, message: `${found.ruleId} in ${at}`, ...(action.url ? { uri: action.url } : {}) },
        ],
        fixes: [],
      });
    }
    findings.push(...inputTaint(file, site, action));
  }
  return findings;
}

/** True when the finding's text in the dependency is a `${{ inputs.* }}` expression only. */
function expandsOnlyInputs(file: ParsedFile, finding: Finding): boolean {
  const text = file.text.slice(finding.span.start, finding.span.end).trim();
  return /^(\$\{\{\s*)?inputs\.[A-Za-z0-9_-]+(\s*\}\})?$/.test(text);
}

/** `inputs.<name>` (lower-cased) expanded into a `run:` of a composite action's steps → the first line doing it. */
function inputsIntoRun(action: FetchedAction): Map<string, { span: { start: number; end: number }; line: number }> {
  const out = new Map<string, { span: { start: number; end: number }; line: number }>();
  if (action.file.kind !== 'action') return out;
  for (const site of action.file.expressions) {
    const path = site.path;
    if (path.length !== 4 || path[0] !== 'runs' || path[1] !== 'steps' || path[3] !== 'run') continue;
    const single = singleContext(site);
    if (!single) continue;
    const parts = single.path.split('.');
    if (parts.length !== 2 || parts[0] !== 'inputs') continue;
    const name = parts[1].toLowerCase();
    if (out.has(name)) continue;
    const span = { start: site.occurrence.start, end: site.occurrence.end };
    out.set(name, { span, line: action.file.lines.range(span).start.line });
  }
  return out;
}

function inputTaint(file: ParsedFile, site: UsesSite, action: FetchedAction): Finding[] {
  const sinks = inputsIntoRun(action);
  if (sinks.size === 0 || !site.step) return [];
  const entries = new Map<unknown, Entry>();
  for (const entry of site.step.with.entries) if (entry.value) entries.set(entry.value, entry);
  if (entries.size === 0) return [];
  const findings: Finding[] = [];
  for (const expression of file.expressions) {
    const entry = entries.get(expression.scalar);
    if (!entry) continue;
    const sink = sinks.get(entry.key.toLowerCase());
    if (!sink) continue;
    let verdict: Verdict | null = null;
    let leaf: { start: number; end: number; path: string } | null = null;
    for (const found of assessSite(expression, scopeOf(file, expression.path))) {
      const best = stronger(verdict, found.verdict);
      if (best !== verdict) {
        verdict = best;
        leaf = found;
      }
    }
    if (!verdict || !leaf || verdict.capability === 'fixed') continue;
    const at = where(action, sink.line);
    const span = { start: expression.occurrence.start, end: expression.occurrence.end };
    findings.push({
      ruleId: 'template-injection',
      severity: verdict.severity,
      confidence: verdict.confidence,
      persona: verdict.persona,
      message: `\`${leaf.path}\` (${verdict.reason}) is passed as \`${entry.key}\` to ${site.value}, which expands \`inputs.${entry.key}\` into a \`run:\` script (via ${at})`,
      span,
      range: file.lines.range(span),
      related: [
        {
          span: sink.span,
          range: action.file.lines.range(sink.span),
          message: `\`inputs.${entry.key}\` expanded into a run: script in ${at}`,
          ...(action.url ? { uri: action.url } : {}),
        },
      ],
      fixes: [],
    });
  }
  return findings;
}
