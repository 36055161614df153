/**
 * Infers the minimal GITHUB_TOKEN permissions of each job from what its steps do: actions from the
 * knowledge table (with the token each one receives), `run:` scripts through the heuristics, and where the
 * token flows (`secrets.GITHUB_TOKEN` / `github.token` in `env:` and `with:`). What cannot be told is
 * returned as `unknowns` with a reason, never guessed.
 *
 * Pure and synchronous. Local actions and reusable workflows are files of their own: a caller that can
 * read them (the benchmark script) passes `resolve`; the rules do not, and such steps are unknown.
 */
import { actionPermissions, type InputCondition, type Level } from '../knowledge/action-permissions';
import { PERMISSION_SCOPES, scopeLevels } from '../knowledge/permissions';
import type { ParsedFile } from '../parse/document';
import type { Span } from '../parse/text';
import { parseUses, remoteActionName, usesTarget } from '../parse/uses';
import { MapView, type JobView, type StepView, type WorkflowView } from '../parse/views';
import { asMap, scalarText, type Entry } from '../parse/yaml-nodes';
import { analyzeGithubScript } from './github-script';
import { analyzeRun, scriptReadsVariable } from './run-heuristics';
import { AttachedCache, attachmentsOf } from '../parse/attached-cache';
import { cutFromFirst } from '../parse/strings';

export interface StepRef {
  /** Index in the job's flattened step list, or -1 for the job itself (a reusable-workflow call, a container). */
  index: number;
  /** Where a person finds the step (`3`, or `3.2` inside a `parallel:` group); absent for the job itself. */
  position?: string;
  label: string;
  span: Span;
}

export interface ScopeUse {
  step: StepRef;
  /** What needs it: `actions/checkout`, `gh pr comment`, ... */
  what: string;
  level: Level;
}

export interface InferredScope {
  scope: string;
  level: Level;
  uses: ScopeUse[];
}

export interface UnknownReason {
  step: StepRef;
  reason: string;
  /** `unlisted`: an action the table does not know that is not handed the token explicitly (it may default an input to it). */
  kind: 'token' | 'unlisted' | 'reusable' | 'local';
}

export interface JobPermissions {
  jobId: string;
  /** Scopes a step may use depending on repository setup (CodSpeed OIDC, say), or that another needed scope can replace. */
  tolerated: Set<string>;
  /** Needed scopes, sorted by name. */
  scopes: InferredScope[];
  unknowns: UnknownReason[];
}

export interface InferOptions {
  /** Reads a local action (`./path`) or reusable workflow; null when it cannot. Only scripts pass this. */
  resolve?: (path: string) => ParsedFile | null;
}

const JOB_TOKEN_RE = /\$\{\{\s*(secrets\s*\.\s*GITHUB_TOKEN|secrets\s*\[\s*'GITHUB_TOKEN'\s*\]|github\s*\.\s*token)\s*\}\}/i;
const PR_TRIGGERS = new Set(['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment']);

export function isJobTokenExpression(text: string | null | undefined): boolean {
  return !!text && JOB_TOKEN_RE.test(text);
}

/** Env var → whether its value is the job token, for workflow, job and step `env:` merged (innermost wins). */
function envOf(...views: MapView[]): Map<string, boolean> {
  const env = new Map<string, boolean>();
  for (const view of views) for (const entry of view.entries) env.set(entry.key, isJobTokenExpression(scalarText(entry.value)));
  return env;
}

/** The token-carrying names and all names of an env map, computed once per map (a job's steps share one). */
const ENV_SETS = new AttachedCache<Map<string, boolean>, { jobTokenEnv: Set<string>; names: Set<string> }>('env-sets');
function envSets(env: Map<string, boolean>): { jobTokenEnv: Set<string>; names: Set<string> } {
  let sets = ENV_SETS.get(env);
  if (!sets)
    ENV_SETS.set(
      env,
      (sets = { jobTokenEnv: new Set([...env].filter(([, isToken]) => isToken).map(([name]) => name)), names: new Set(env.keys()) }),
    );
  return sets;
}

/**
 * A step as named in results. A class rather than an object literal with a `get label()`: each such
 * literal gets a hidden class of its own (the getter is a new closure every time), held in old space, which
 * kept the step, its views and the whole document alive through every young-generation collection until the
 * next full one (docs/performance.md).
 */
class LazyStepRef implements StepRef {
  declare readonly index: number;
  declare readonly position: string;
  declare readonly span: Span;
  declare private readonly step: StepView;
  declare private cachedLabel: string | undefined;

  constructor(step: StepView) {
    this.index = step.index;
    this.position = step.position;
    this.span = step.uses?.valueSpan ?? step.run?.valueSpan ?? step.nodeSpan ?? { start: 0, end: 0 };
    this.step = step;
    this.cachedLabel = undefined;
  }

  /** Read only for steps that end up in a result: computed on first read. */
  get label(): string {
    return (this.cachedLabel ??= this.step.label);
  }
}

function ref(step: StepView): StepRef {
  return new LazyStepRef(step);
}

function inputValue(step: StepView, input: string): string | null {
  const entry = step.with.get(input);
  if (!entry) return null;
  return scalarText(entry.value) ?? (entry.value ? '<non-scalar>' : null);
}

function conditionHolds(step: StepView, condition: InputCondition): boolean {
  const raw = inputValue(step, condition.input);
  const value = raw === null ? null : raw.trim();
  const set = value !== null && value !== '';
  if (condition.is === 'set' && !set) return false;
  if (condition.is === 'unset' && set) return false;
  if (condition.is === 'true' && !(value !== null && (/^true$/i.test(value) || value.includes('${{')))) return false;
  if (condition.is === 'not-false' && value !== null && /^false$/i.test(value)) return false;
  if (condition.matches && !(value !== null && (condition.matches.test(value) || value.includes('${{')))) return false;
  if (condition.notMatches && value !== null && !value.includes('${{') && condition.notMatches.test(value)) return false;
  return true;
}

class Collector {
  readonly scopes = new Map<string, InferredScope>();
  readonly unknowns: UnknownReason[] = [];
  readonly tolerated = new Set<string>();

  constructor(readonly pullRequestWorkflow: boolean) {}

  add(scope: string, level: Level, step: StepRef, what: string): void {
    // Comments and labels go through the issues API, which accepts either scope.
    if (scope === 'comment') this.tolerated.add(this.pullRequestWorkflow ? 'issues' : 'pull-requests');
    const name = scope === 'comment' ? (this.pullRequestWorkflow ? 'pull-requests' : 'issues') : scope;
    let entry = this.scopes.get(name);
    if (!entry) this.scopes.set(name, (entry = { scope: name, level, uses: [] }));
    if (level === 'write') entry.level = 'write';
    if (!entry.uses.some((use) => use.step.index === step.index && use.what === what && use.level === level))
      entry.uses.push({ step, what, level });
  }

  unknown(step: StepRef, reason: string, kind: UnknownReason['kind']): void {
    if (!this.unknowns.some((u) => u.step.index === step.index && u.reason === reason)) this.unknowns.push({ step, reason, kind });
  }
}

/**
 * Per-document cache of the inference (excessive-permissions, undocumented-permissions and the hovers all
 * ask for the same jobs). Keyed by the WorkflowView, which a ParsedFile creates once and never changes, so
 * an edited document (a new ParsedFile) never sees an old result. Only the option-less inference is cached:
 * `resolve` reads other files. The results are shared: callers must treat them as read-only.
 */
const CACHE = new AttachedCache<WorkflowView, Map<JobView, JobPermissions>>('job-permissions', attachmentsOf);

/** Infers the permissions one job needs (cached per document when no `resolve` is given). */
export function inferJobPermissions(workflow: WorkflowView, job: JobView, options: InferOptions = {}): JobPermissions {
  if (options.resolve) return computeJobPermissions(workflow, job, options);
  let perJob = CACHE.get(workflow);
  if (!perJob) CACHE.set(workflow, (perJob = new Map()));
  let result = perJob.get(job);
  if (!result) perJob.set(job, (result = computeJobPermissions(workflow, job, options)));
  return result;
}

function computeJobPermissions(workflow: WorkflowView, job: JobView, options: InferOptions): JobPermissions {
  const collector = new Collector(workflow.triggers.some((trigger) => PR_TRIGGERS.has(trigger.name)));
  try {
    inferInto(collector, workflow, job, options, 0);
  } catch {
    collector.unknown({ index: -1, label: job.id, span: job.idSpan }, 'the job could not be read', 'token');
  }
  return {
    jobId: job.id,
    tolerated: collector.tolerated,
    scopes: [...collector.scopes.values()].sort((a, b) => (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0)),
    unknowns: collector.unknowns,
  };
}

/** Every job of a workflow. */
export function inferWorkflowPermissions(workflow: WorkflowView, options: InferOptions = {}): JobPermissions[] {
  return workflow.jobs.map((job) => inferJobPermissions(workflow, job, options));
}

function inferInto(collector: Collector, workflow: WorkflowView, job: JobView, options: InferOptions, depth: number): void {
  const jobRef: StepRef = { index: -1, label: job.id, span: job.uses?.valueSpan ?? job.idSpan };
  if (job.isReusableWorkflowCall) {
    inferReusableCall(collector, job, jobRef, options, depth);
    return;
  }
  // Private container images from ghcr.io pulled with the job token.
  for (const image of [job.container, ...job.services.entries]) {
    const view = new MapView(asMap(image?.value ?? null), workflow.doc);
    const password = scalarText(view.child('credentials').get('password')?.value ?? null);
    if (isJobTokenExpression(password)) collector.add('packages', 'read', jobRef, 'pull a ghcr.io container image');
  }
  const checkoutPersistsJobToken = job.steps.some((step) => {
    const uses = scalarText(step.uses?.value ?? null);
    if (remoteActionName(uses) !== 'actions/checkout') return false;
    const persist = inputValue(step, 'persist-credentials');
    const token = inputValue(step, 'token');
    return !(persist !== null && /^false$/i.test(persist.trim())) && (token === null || isJobTokenExpression(token));
  });
  // Workflow and job `env:` once per job; each step only overlays its own.
  const jobEnv = envOf(workflow.env, job.env);
  for (const step of job.steps) {
    const env = step.env.entries.length === 0 ? jobEnv : new Map([...jobEnv, ...envOf(step.env)]);
    if (step.uses) inferUsesStep(collector, step, env, options, depth);
    else if (step.run) inferRunStep(collector, step, env, checkoutPersistsJobToken);
  }
}

function inferRunStep(collector: Collector, step: StepView, env: Map<string, boolean>, checkoutPersistsJobToken: boolean): void {
  const script = scalarText(step.run?.value ?? null);
  if (!script) return;
  const { jobTokenEnv, names } = envSets(env);
  const stepTokenEnv = step.env.entries.filter((entry) => isJobTokenExpression(scalarText(entry.value))).map((entry) => entry.key);
  const analysis = analyzeRun(script, { jobTokenEnv, env: names });
  const inlineToken = isJobTokenExpression(script);
  // gh reads GH_TOKEN, then GITHUB_TOKEN; other tools read GITHUB_TOKEN.
  const ghVar = env.has('GH_TOKEN')
    ? 'GH_TOKEN'
    : env.has('GITHUB_TOKEN')
      ? 'GITHUB_TOKEN'
      : env.has('GH_ENTERPRISE_TOKEN')
        ? 'GH_ENTERPRISE_TOKEN'
        : null;
  const tokenIsJobs = (ghVar !== null && env.get(ghVar) === true) || inlineToken;
  const stepRef = ref(step);
  for (const need of analysis.needs) {
    if (!need.viaToken) {
      collector.add(need.scope, need.level, stepRef, need.what);
      continue;
    }
    if (need.what === 'git push' || need.what === 'mkdocs gh-deploy' || need.what === 'ghp-import --push' || need.what === 'gh-pages') {
      if (checkoutPersistsJobToken || inlineToken || (jobTokenEnv.size > 0 && scriptReadsVariable(script, jobTokenEnv)))
        collector.add(need.scope, need.level, stepRef, need.what);
      continue;
    }
    if (need.what === 'docker login ghcr.io') {
      if (inlineToken || scriptReadsVariable(script, jobTokenEnv)) collector.add(need.scope, need.level, stepRef, need.what);
      continue;
    }
    if (tokenIsJobs) collector.add(need.scope, need.level, stepRef, need.what);
  }
  if (tokenIsJobs || jobTokenEnv.size > 0) {
    for (const reason of analysis.unknowns) if (tokenIsJobs) collector.unknown(stepRef, `${reason} in \`${step.label}\``, 'token');
    // The token is handed to this script (in its own env, or read by name, or inline) but no command we know uses it.
    const handed = inlineToken || stepTokenEnv.length > 0 || scriptReadsVariable(script, jobTokenEnv);
    if (
      handed &&
      analysis.needs.filter((need) => need.viaToken).length === 0 &&
      analysis.unknowns.length === 0 &&
      !analysis.usesTokenCommand
    ) {
      collector.unknown(stepRef, `\`${step.label}\` is handed the job token and runs commands the heuristics do not know`, 'token');
    }
  }
}

function inferUsesStep(collector: Collector, step: StepView, env: Map<string, boolean>, options: InferOptions, depth: number): void {
  const value = scalarText(step.uses?.value ?? null);
  if (!value) return;
  const reference = parseUses(value);
  const stepRef = ref(step);
  const tokenInWith = step.with.entries.filter((entry) => isJobTokenExpression(scalarText(entry.value))).map((entry) => entry.key);
  const tokenInEnv = step.env.entries.filter((entry) => isJobTokenExpression(scalarText(entry.value))).map((entry) => entry.key);
  const handedToken = tokenInWith.length > 0 || tokenInEnv.length > 0;
  if (reference.kind === 'docker' || reference.kind === 'invalid') {
    if (handedToken) collector.unknown(stepRef, `\`${value}\` is handed the job token`, 'token');
    return;
  }
  if (reference.kind === 'local' || reference.kind === 'self') {
    const path = reference.kind === 'local' ? reference.path : cutFromFirst(reference.path, '@');
    const resolved = options.resolve && depth < 4 ? options.resolve(path) : null;
    if (resolved?.action) {
      inferComposite(collector, resolved, stepRef, step, options, depth + 1);
      return;
    }
    collector.unknown(stepRef, `local action \`${value}\` is not analysed${handedToken ? ' (it is handed the job token)' : ''}`, 'local');
    return;
  }
  const target = usesTarget(reference);
  const entry = actionPermissions(target);
  if (target.toLowerCase() === 'actions/github-script') {
    const tokenValue = inputValue(step, 'github-token');
    if (tokenValue !== null && !isJobTokenExpression(tokenValue)) return;
    const script = inputValue(step, 'script') ?? '';
    const found = analyzeGithubScript(script);
    for (const need of found.needs) collector.add(need.scope, need.level, stepRef, need.what);
    for (const reason of found.unknowns) collector.unknown(stepRef, `actions/github-script: ${reason}`, 'token');
    return;
  }
  if (!entry) {
    collector.unknown(
      stepRef,
      handedToken
        ? `\`${target}\` is handed the job token (${[...tokenInWith, ...tokenInEnv].join(', ')}) and is not in the permissions table`
        : `\`${target}\` is not in the permissions table (it may default an input to \`github.token\`)`,
      handedToken ? 'token' : 'unlisted',
    );
    return;
  }
  let getsJobToken = false;
  if (entry.token) {
    const given = inputValue(step, entry.token.input);
    getsJobToken = given === null || given.trim() === '' ? entry.token.defaultsToJobToken : isJobTokenExpression(given);
  }
  if (entry.tokenEnv) getsJobToken ||= entry.tokenEnv.some((name) => env.get(name) === true);
  if (!entry.token && !entry.tokenEnv) getsJobToken = true; // Uses the checkout credentials or no token at all.
  for (const need of entry.scopes) {
    if ((need.viaToken ?? true) && !getsJobToken) continue;
    if (need.when && !need.when.every((condition) => conditionHolds(step, condition))) continue;
    if (need.optional) {
      collector.tolerated.add(need.scope);
      continue;
    }
    collector.add(need.scope, need.level, stepRef, target);
  }
  if (entry.unknown && getsJobToken) collector.unknown(stepRef, `${target}: ${entry.unknown}`, 'token');
}

/** A composite action read through `resolve`: its steps, with the token flowing through its inputs. */
function inferComposite(collector: Collector, file: ParsedFile, at: StepRef, caller: StepView, options: InferOptions, depth: number): void {
  const action = file.action!;
  if (!action.isComposite) {
    if (caller.with.entries.some((entry) => isJobTokenExpression(scalarText(entry.value))))
      collector.unknown(at, `local action \`${scalarText(caller.uses?.value ?? null)}\` is handed the job token`, 'local');
    return;
  }
  // Inputs that carry the job token: passed as such, or defaulting to it when not passed.
  const tokenInputs = new Set<string>();
  for (const input of action.inputs.entries) {
    const given = caller.with.get(input.key);
    const def = scalarText(new MapView(asMap(input.value), file.doc).get('default')?.value ?? null);
    if (given ? isJobTokenExpression(scalarText(given.value)) : isJobTokenExpression(def)) tokenInputs.add(input.key);
  }
  const rewrite = (text: string) =>
    text.replace(/\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}/g, (whole, name: string) =>
      tokenInputs.has(name) ? '${{ github.token }}' : whole,
    );
  const sub = new Collector(false);
  // Re-run the step logic on the composite's steps with the job-token inputs substituted.
  for (const step of action.steps) {
    const env = new Map<string, boolean>();
    for (const entry of step.env.entries) env.set(entry.key, isJobTokenExpression(rewrite(scalarText(entry.value) ?? '')));
    if (step.uses) {
      inferUsesStep(sub, withPatchedInputs(step, rewrite), env, options, depth);
    } else if (step.run) {
      const script = rewrite(scalarText(step.run.value) ?? '');
      const analysis = analyzeRun(script, {
        jobTokenEnv: new Set([...env].filter(([, t]) => t).map(([n]) => n)),
        env: new Set(env.keys()),
      });
      const ghVar = env.has('GH_TOKEN') ? 'GH_TOKEN' : env.has('GITHUB_TOKEN') ? 'GITHUB_TOKEN' : null;
      const jobs = (ghVar !== null && env.get(ghVar) === true) || isJobTokenExpression(script);
      for (const need of analysis.needs) if (!need.viaToken || jobs) sub.add(need.scope, need.level, ref(step), need.what);
      if (jobs) for (const reason of analysis.unknowns) sub.unknown(ref(step), reason, 'token');
    }
  }
  const name = scalarText(caller.uses?.value ?? null) ?? 'local action';
  for (const scope of sub.scopes.values()) for (const use of scope.uses) collector.add(scope.scope, use.level, at, `${name} (${use.what})`);
  for (const unknown of sub.unknowns) collector.unknown(at, `${name}: ${unknown.reason}`, unknown.kind);
}

/** A step view whose `with:` values are read through `rewrite` (for composite inputs). */
function withPatchedInputs(step: StepView, rewrite: (text: string) => string): StepView {
  const patched = Object.create(step) as StepView;
  const original = step.with;
  const view = Object.create(original) as MapView;
  Object.defineProperty(view, 'get', {
    value: (key: string): Entry | undefined => {
      const entry = original.get(key);
      if (!entry) return entry;
      const text = scalarText(entry.value);
      if (text === null || rewrite(text) === text) return entry;
      return { ...entry, value: { ...(entry.value as object), value: rewrite(text), source: undefined } as unknown as Entry['value'] };
    },
  });
  Object.defineProperty(view, 'entries', { value: original.entries.map((entry) => view.get(entry.key) ?? entry) });
  Object.defineProperty(patched, 'with', { get: () => view });
  return patched;
}

function inferReusableCall(collector: Collector, job: JobView, at: StepRef, options: InferOptions, depth: number): void {
  const value = scalarText(job.uses?.value ?? null) ?? '';
  const reference = parseUses(value);
  const path = reference.kind === 'local' ? reference.path : reference.kind === 'self' ? `./${cutFromFirst(reference.path, '@')}` : null;
  const resolved = path && options.resolve && depth < 4 ? options.resolve(path) : null;
  const called = resolved?.workflow;
  if (!called) {
    collector.unknown(at, `job \`${job.id}\` calls the reusable workflow \`${value}\`: grant what its jobs need`, 'reusable');
    return;
  }
  // The caller's grant caps every called job: it must cover what each of them declares or needs.
  for (const calledJob of called.jobs) {
    const declared = calledJob.permissions ?? called.permissions;
    if (declared) {
      for (const [scope, level] of declaredScopes(declared)) collector.add(scope, level, at, `${value} (${calledJob.id})`);
      continue;
    }
    const sub = new Collector(collector.pullRequestWorkflow);
    inferInto(sub, called, calledJob, options, depth + 1);
    for (const scope of sub.scopes.values())
      for (const use of scope.uses) collector.add(scope.scope, use.level, at, `${value} (${calledJob.id}: ${use.what})`);
    for (const unknown of sub.unknowns) collector.unknown(at, `${value}: ${unknown.reason}`, unknown.kind);
  }
}

// ---------------------------------------------------------------------------------------------------
// Declared permissions

/** Every scope GitHub's workflow schema knows (knowledge/permissions.ts). */
export const ALL_SCOPES: readonly string[] = Object.keys(PERMISSION_SCOPES);

/** The scopes a `permissions:` value grants (`read-all`/`write-all` expanded; `none` and unknown values dropped). */
export function declaredScopes(entry: Entry): Map<string, Level> {
  const result = new Map<string, Level>();
  const shorthand = scalarText(entry.value);
  if (shorthand === 'read-all' || shorthand === 'write-all') {
    // Each scope at the level the shorthand names, where the scope has it: `read-all` skips write-only
    // scopes (`id-token`), `write-all` gives read-only ones (`models`) their read level.
    for (const scope of ALL_SCOPES) {
      const levels = scopeLevels(PERMISSION_SCOPES[scope]);
      if (shorthand === 'write-all') result.set(scope, levels.includes('write') ? 'write' : 'read');
      else if (levels.includes('read')) result.set(scope, 'read');
    }
    return result;
  }
  for (const scope of new MapView(asMap(entry.value), null).entries) {
    const level = scalarText(scope.value);
    if (level === 'read' || level === 'write') result.set(scope.key, level);
  }
  return result;
}

/** What a job's token grants today: its own block, else the workflow's, else null (the repository default). */
export function effectivePermissions(
  workflow: WorkflowView,
  job: JobView,
): { source: 'job' | 'workflow' | 'default'; entry: Entry | null } {
  if (job.permissions) return { source: 'job', entry: job.permissions };
  if (workflow.permissions) return { source: 'workflow', entry: workflow.permissions };
  return { source: 'default', entry: null };
}
