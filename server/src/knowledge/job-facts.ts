/**
 * Facts about a job that several attack-path rules need: which steps use which action, which secrets the
 * job references, whether its token can write or mint OIDC tokens, and which privileged triggers reach it.
 * Pure functions of a ParsedFile; nothing here throws.
 */
import { isMap } from 'yaml';
import type { ParsedFile, UsesSite } from '../parse/document';
import { absoluteParse, contextPathSegments, walkExpression } from '../parse/expressions';
import type { Span } from '../parse/text';
import type { RemoteUses } from '../parse/uses';
import { MapView, type JobView, type StepView, type WorkflowView } from '../parse/views';
import { asMap, scalarText, type Entry } from '../parse/yaml-nodes';
import { AttachedCache, attachmentsOf } from '../parse/attached-cache';
import { knownRelease } from './release-commits';

/** The remote action a step uses, lower-cased `owner/repo[/path]`, with its ref; null for `run:` or local steps. */
export interface StepAction {
  /** `owner/repo` or `owner/repo/path`, lower-case. */
  name: string;
  ref: string | null;
  site: UsesSite;
  reference: RemoteUses;
}

export function stepAction(file: ParsedFile, step: StepView): StepAction | null {
  // Indexed once per file: rules ask for every step, and a linear scan per call was quadratic on big files.
  let index = stepActionIndex.get(file);
  if (!index) {
    index = new Map();
    for (const site of file.uses) {
      if (!site.step || index.has(site.step) || site.reference.kind !== 'remote') continue;
      const reference = site.reference;
      const name = (reference.subpath ? `${reference.repository}/${reference.subpath}` : reference.repository).toLowerCase();
      index.set(site.step, { name, ref: reference.ref, site, reference });
    }
    stepActionIndex.set(file, index);
  }
  return index.get(step) ?? null;
}
const stepActionIndex = new AttachedCache<ParsedFile, Map<StepView, StepAction>>('step-actions', attachmentsOf);

/** True when the step uses one of `names` (lower-case `owner/repo[/path]`). */
export function stepUses(file: ParsedFile, step: StepView, ...names: string[]): StepAction | null {
  const action = stepAction(file, step);
  return action && names.includes(action.name) ? action : null;
}

/** `./path` (or `$/path`) actions. */
export function localActionPath(file: ParsedFile, step: StepView): string | null {
  for (const site of file.uses) {
    if (site.step !== step) continue;
    if (site.reference.kind === 'local' || site.reference.kind === 'self') return site.reference.path;
  }
  return null;
}

export interface SecretReference {
  name: string;
  span: Span;
}

/**
 * The `secrets.X` references (X ≠ GITHUB_TOKEN unless `includeToken`) written inside `span` (a job, a step),
 * with the span of each access. `secrets[...]` with a computed index gives the name `*`.
 */
export function secretReferences(file: ParsedFile, span: Span | null, includeToken = false): SecretReference[] {
  if (!span) return [];
  const found: SecretReference[] = [];
  for (const reference of allSecretReferences(file)) {
    if (reference.siteStart < span.start || reference.siteEnd > span.end || (reference.isToken && !includeToken)) continue;
    found.push({ name: reference.name, span: { start: reference.start, end: reference.end } });
  }
  return found;
}

interface FileSecretReference {
  /** The `${{ }}` occurrence the reference is written in. */
  siteStart: number;
  siteEnd: number;
  name: string;
  start: number;
  end: number;
  isToken: boolean;
}

/**
 * Every secret reference of the file, in the order of its expression sites: rules ask per job and per step,
 * and parsing every expression again for each question was quadratic on large files.
 */
function allSecretReferences(file: ParsedFile): readonly FileSecretReference[] {
  const cached = secretReferenceCache.get(file);
  if (cached) return cached;
  const found: FileSecretReference[] = [];
  for (const site of file.expressions) {
    const occurrence = site.occurrence;
    if (!occurrence.terminated) continue;
    const ast = absoluteParse(occurrence).ast;
    if (!ast) continue;
    const add = (name: string, start: number, end: number, isToken: boolean) =>
      found.push({ siteStart: occurrence.start, siteEnd: occurrence.end, name, start, end, isToken });
    walkExpression(ast, (node) => {
      if (node.type !== 'property' && node.type !== 'index' && node.type !== 'context') return;
      const segments = contextPathSegments(node, {});
      if (!segments || segments[0] !== 'secrets') {
        if (node.type === 'index' && contextPathSegments(node.object)?.join('.') === 'secrets') {
          add('*', node.start, node.end, false);
          return false;
        }
        return;
      }
      if (segments.length < 2) return;
      const name = segments[1];
      add(name, node.start, node.end, name.toUpperCase() === 'GITHUB_TOKEN');
      return false;
    });
  }
  secretReferenceCache.set(file, found);
  return found;
}
const secretReferenceCache = new AttachedCache<ParsedFile, readonly FileSecretReference[]>('secret-references', attachmentsOf);

/** The effective `permissions:` of a job: its own, or the workflow's when it has none. */
export function effectivePermissions(workflow: WorkflowView, job: JobView): Entry | undefined {
  return job.permissions ?? workflow.permissions;
}

/** The level (`read`, `write`, `none`) a scope gets, or null when permissions are absent (default token). */
export function permissionLevel(workflow: WorkflowView, job: JobView, scope: string): 'read' | 'write' | 'none' | 'default' {
  const entry = effectivePermissions(workflow, job);
  if (!entry) return 'default';
  const shorthand = scalarText(entry.value);
  if (shorthand === 'write-all') return 'write';
  if (shorthand === 'read-all') return scope === 'id-token' ? 'none' : 'read';
  if (!entry.value || !isMap(entry.value)) return 'none';
  const value = scalarText(new MapView(asMap(entry.value), workflow.doc).get(scope)?.value ?? null);
  return value === 'write' ? 'write' : value === 'read' ? 'read' : 'none';
}

export function hasIdTokenWrite(workflow: WorkflowView, job: JobView): boolean {
  return permissionLevel(workflow, job, 'id-token') === 'write';
}

/** True when the job's token may write something (explicit write scope, write-all, or the default token). */
export function tokenMayWrite(workflow: WorkflowView, job: JobView): boolean {
  const entry = effectivePermissions(workflow, job);
  if (!entry) return true;
  const shorthand = scalarText(entry.value);
  if (shorthand === 'write-all') return true;
  if (shorthand !== null || !entry.value || !isMap(entry.value)) return false;
  return new MapView(asMap(entry.value), workflow.doc).entries.some((scope) => scalarText(scope.value) === 'write');
}

/** Triggers under which a job runs with the base repository's secrets on an event an outsider can cause. */
export const PRIVILEGED_OUTSIDER_TRIGGERS = [
  'pull_request_target',
  'workflow_run',
  'issue_comment',
  'issues',
  'discussion',
  'discussion_comment',
];

export function privilegedTriggers(workflow: WorkflowView, names: readonly string[] = PRIVILEGED_OUTSIDER_TRIGGERS): string[] {
  return workflow.triggers.map((trigger) => trigger.name).filter((name) => names.includes(name));
}

/** The job's steps up to (excluding) `step`, and after it. */
export function stepsAfter(job: { steps: StepView[] }, step: StepView): StepView[] {
  return job.steps.slice(step.index + 1);
}

/** Literal text of a `with:` input (null when absent or not a scalar). */
export function input(step: StepView, name: string): string | null {
  return scalarText(step.with.get(name)?.value ?? null);
}

/** Is a YAML/expression value truthy for a boolean input? `true`, `'true'`; expressions count as unknown (null). */
export function booleanInput(value: string | null): boolean | null {
  if (value === null) return null;
  const text = value.trim().toLowerCase();
  if (text.includes('${{')) return null;
  if (text === 'true') return true;
  if (text === 'false' || text === '') return false;
  return null;
}

/** The `env:` variables visible to a step: workflow, job and step levels (later wins). */
export function visibleEnv(file: ParsedFile, job: JobView | null, step: StepView | null): Map<string, string> {
  const env = new Map<string, string>();
  const add = (view: MapView | undefined) => {
    if (!view) return;
    for (const entry of view.entries) env.set(entry.key, scalarText(entry.value) ?? '');
  };
  add(file.workflow?.env);
  add(job?.env);
  add(step?.env);
  return env;
}

/** Every step with its job (null for composite action steps), in document order. */
export function allSteps(file: ParsedFile): { job: JobView | null; step: StepView; steps: StepView[] }[] {
  const out: { job: JobView | null; step: StepView; steps: StepView[] }[] = [];
  if (file.workflow) for (const job of file.workflow.jobs) for (const step of job.steps) out.push({ job, step, steps: job.steps });
  if (file.action) for (const step of file.action.steps) out.push({ job: null, step, steps: file.action.steps });
  return out;
}

/**
 * The major version of an action ref: `v4` / `v4.2.1` → 4; for a SHA pin, from the bundled release table when
 * it knows the commit, else from a `# v4.2.1` comment on its line.
 */
export function actionMajorVersion(file: ParsedFile, action: StepAction): number | null {
  const ref = action.ref ?? '';
  // A SHA pin of a release the bundled table knows: the commit says the version, whatever the comment says.
  const release = action.reference.refKind === 'sha' ? knownRelease(action.reference.repository, ref) : null;
  if (release) return release.major;
  const direct = /^v?(\d+)(\.\d+)*$/.exec(ref);
  if (direct) return Number(direct[1]);
  const line = file.lines.lineAt(action.site.entry.valueSpan.start);
  const comment = /#\s*(?:tag[=:]\s*)?v?(\d+)(?:\.\d+)*\b/.exec(
    file.lines.lineText(line).slice(action.site.entry.valueSpan.end - file.lines.lineStarts[line]),
  );
  return comment ? Number(comment[1]) : null;
}
