/**
 * Where a secret handed to a dependency goes inside it. A value is tracked by the name it has inside the
 * fetched file (`inputs.<name>` in a composite action, `secrets.<name>` in a reusable workflow, or every
 * secret for `secrets: inherit`), and followed through that file:
 * - into the `with:` (or the `env:`) of a step whose `uses:` is not pinned to a full commit SHA: the secret
 *   is handed to code that can change under the caller (`unpinned`);
 * - into a `run:` (directly, or as `$VAR` through one level of `env:`: the step's, the job's or the
 *   workflow's) that writes it to `$GITHUB_ENV` / `$GITHUB_OUTPUT` / `$GITHUB_PATH` (`persisted`), sends it
 *   with curl, wget and the like to a host other than GitHub's own (`network`), or prints it to the log
 *   (`log`);
 * - into a further fetched dependency (a pinned composite action's input, a pinned reusable workflow's
 *   secret) that itself forwards it somewhere risky: followed through the walk, each hop named;
 * - for a reusable workflow called from a workflow outsiders can trigger with privileges: into a job that
 *   checks out the pull request's code (`pr-head`).
 * The first such place (in document order) is the answer. The follow is bounded by the walk's depth and a
 * cycle check, and memoised per fetched file. Every scan is a loop over the parsed scripts' words: no
 * regular expression sees the fetched text.
 */
import type { Severity } from '../findings';
import { PRIVILEGED_OUTSIDER_TRIGGERS } from '../knowledge/job-facts';
import { untrustedCheckouts } from '../knowledge/pr-checkout';
import { runScripts, type RunScript, type ShellCommand, type ShellWord } from '../knowledge/shell';
import type { ParsedFile } from '../parse/document';
import { contextPath, findExpressions, valueLeaves, type ExprNode } from '../parse/expressions';
import type { Span } from '../parse/text';
import type { RemoteUses } from '../parse/uses';
import type { JobView, StepView } from '../parse/views';
import { scalarText } from '../parse/yaml-nodes';
import { lockableUses } from '../resolve/lock-entry';
import type { DependencyView, FetchedAction } from '../views';
import { DEFAULT_MAX_DEPTH, actionKey, usesPath } from './walk';

/** What a forwarded value is called inside the file it was handed to. */
export interface Tracked {
  context: 'inputs' | 'secrets';
  /** Lower-cased name; null: every secret but `GITHUB_TOKEN` (`secrets: inherit`). */
  name: string | null;
}

export type LeakKind = 'unpinned' | 'persisted' | 'network' | 'log' | 'pr-head';

/** One file of the chain the value passes through, and the line where it is handed on (or leaks). */
export interface Hop {
  action: FetchedAction;
  /** The name of the value in that file (`inputs.token`, `secrets.NPM_TOKEN`, `every secret`). */
  name: string;
  /** Where, in that file, the value is handed on to the next hop, or goes somewhere risky (the last hop). */
  span: Span;
}

export interface Leak {
  kind: LeakKind;
  /** What happens at the last hop, as a phrase: "hands it to `other/tool@v1`, which is not pinned to a commit". */
  what: string;
  severity: Severity;
  /** The files the value passes through, from the one the caller names to the one where it leaks. */
  hops: Hop[];
}

export function trackedName(tracked: Tracked): string {
  if (tracked.name === null) return 'every secret';
  return `${tracked.context}.${tracked.name}`;
}

/** True when a context path (as `contextPath` gives it) reads the tracked value. */
function reads(tracked: Tracked, path: string): boolean {
  const lower = path.toLowerCase();
  const prefix = `${tracked.context}.`;
  if (!lower.startsWith(prefix)) return false;
  const rest = lower.slice(prefix.length);
  const dot = rest.indexOf('.');
  const name = dot === -1 ? rest : rest.slice(0, dot);
  if (tracked.name === null) return name !== '' && name !== 'github_token';
  return name === tracked.name || name === '*';
}

function astReads(ast: ExprNode | null, tracked: Tracked): boolean {
  if (!ast) return false;
  for (const leaf of valueLeaves(ast)) {
    if (leaf.type === 'literal') continue;
    const path = contextPath(leaf, { computedIndexAsWildcard: true });
    if (path && reads(tracked, path)) return true;
  }
  return false;
}

/** True when `text` holds a `${{ }}` whose value carries the tracked value. */
function textReads(text: string, tracked: Tracked): boolean {
  if (!text.includes('${{')) return false;
  for (const occurrence of findExpressions(text)) if (occurrence.terminated && astReads(occurrence.parsed.ast, tracked)) return true;
  return false;
}

function isIdentifierChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

/** True when `text` expands the environment variable `name`: `$NAME`, `${NAME…}`, `$env:NAME`, `%NAME%`. */
export function mentionsVariable(text: string, name: string): boolean {
  if (name === '') return false;
  for (let at = text.indexOf('$', 0); at !== -1; at = text.indexOf('$', at + 1)) {
    const brace = text.charCodeAt(at + 1) === 123;
    const start = brace ? at + 2 : at + 1;
    if (text.startsWith(name, start) && !isIdentifierChar(text.charCodeAt(start + name.length))) return true;
    if (!brace && text.slice(start, start + 4).toLowerCase() === 'env:') {
      const after = start + 4;
      if (
        text.slice(after, after + name.length).toLowerCase() === name.toLowerCase() &&
        !isIdentifierChar(text.charCodeAt(after + name.length))
      )
        return true;
    }
  }
  const percent = `%${name.toLowerCase()}%`;
  return text.length >= percent.length && text.toLowerCase().includes(percent);
}

/** What in a script carries the value: a `${{ }}` reading it, or one of the environment variables holding it. */
interface Needle {
  tracked: Tracked;
  variables: readonly string[];
}

function wordCarries(word: ShellWord, needle: Needle): boolean {
  if (needle.variables.some((name) => mentionsVariable(word.raw, name))) return true;
  return textReads(word.raw, needle.tracked);
}

function bodyCarries(body: string, quoted: boolean, needle: Needle): boolean {
  if (!quoted && needle.variables.some((name) => mentionsVariable(body, name))) return true;
  return textReads(body, needle.tracked);
}

const PERSISTING_FILES = ['GITHUB_ENV', 'GITHUB_OUTPUT', 'GITHUB_PATH'];

/** The runner file a redirection target names (`$GITHUB_ENV`, `"${GITHUB_OUTPUT}"`, `$env:GITHUB_PATH`, `%GITHUB_ENV%`). */
function persistingFile(word: ShellWord | null | undefined): string | null {
  if (!word) return null;
  let text = word.text.trim();
  if (text.startsWith('${{') && text.endsWith('}}')) {
    const inner = text.slice(3, -2).trim().toLowerCase();
    const name = inner.startsWith('github.')
      ? `GITHUB_${inner.slice(7).toUpperCase()}`
      : inner.startsWith('env.')
        ? inner.slice(4).toUpperCase()
        : '';
    return PERSISTING_FILES.includes(name) ? name : null;
  }
  if (text.startsWith('%') && text.endsWith('%')) text = text.slice(1, -1);
  else if (text.startsWith('${') && text.endsWith('}')) text = text.slice(2, -1);
  else if (text.toLowerCase().startsWith('$env:')) text = text.slice(5);
  else if (text.startsWith('$')) text = text.slice(1);
  else return null;
  const name = text.toUpperCase();
  return PERSISTING_FILES.includes(name) ? name : null;
}

const PRINTERS = new Set(['echo', 'printf', 'write-output', 'write-host', 'write', 'print']);
const NETWORK = new Set([
  'curl',
  'wget',
  'http',
  'https',
  'xh',
  'invoke-webrequest',
  'iwr',
  'invoke-restmethod',
  'irm',
  'nc',
  'ncat',
  'aria2c',
]);
/** Hosts a token is meant for: sending a GitHub token to GitHub is using it, not leaking it. */
const GITHUB_HOSTS = new Set(['github.com', 'api.github.com', 'uploads.github.com']);
const GITHUB_URL_VARIABLES = ['GITHUB_API_URL', 'GITHUB_SERVER_URL', 'GITHUB_GRAPHQL_URL'];

/** The host of the first URL among a network command's arguments; '' when it is computed or absent. */
function hostOf(command: ShellCommand): string {
  for (const word of command.argv.slice(1)) {
    const text = word.text;
    if (GITHUB_URL_VARIABLES.some((name) => mentionsVariable(text, name)) || /* `${{ github.api_url }}` */ githubUrlExpression(text))
      return 'api.github.com';
    const scheme = text.indexOf('://');
    if (scheme === -1) continue;
    let end = scheme + 3;
    while (end < text.length && !'/:?#'.includes(text[end])) end++;
    const host = text.slice(scheme + 3, end).toLowerCase();
    const at = host.lastIndexOf('@');
    return at === -1 ? host : host.slice(at + 1);
  }
  return '';
}

function githubUrlExpression(text: string): boolean {
  const lower = text.toLowerCase();
  return ['github.api_url', 'github.server_url', 'github.graphql_url'].some((name) => lower.includes(name));
}

interface ScriptLeak {
  kind: LeakKind;
  what: string;
  severity: Severity;
  span: Span;
}

/** The first command of a script that persists, sends or prints the value. */
function scriptLeak(run: RunScript, needle: Needle): ScriptLeak | null {
  const commands = run.script.commands;
  for (let index = 0; index < commands.length; index++) {
    const command = commands[index];
    const carries = command.argv.some((word) => wordCarries(word, needle));
    const heredoc = command.heredocs.some((doc) => bodyCarries(doc.body, doc.quoted, needle));
    const at = run.sourceSpan(command.span);
    const target = command.redirects.map((redirect) => (redirect.op.includes('>') ? persistingFile(redirect.target) : null)).find(Boolean);
    if (target && (carries || heredoc)) return { kind: 'persisted', what: `writes it to \`$${target}\``, severity: 'medium', span: at };
    if (command.name === 'tee' && index > 0 && commands[index - 1].pipesTo) {
      const file = command.argv.slice(1).map(persistingFile).find(Boolean);
      const before = commands[index - 1];
      if (file && before.argv.some((word) => wordCarries(word, needle)))
        return { kind: 'persisted', what: `writes it to \`$${file}\``, severity: 'medium', span: at };
    }
    if (!carries) continue;
    if (NETWORK.has(command.name)) {
      const host = hostOf(command);
      if (GITHUB_HOSTS.has(host)) continue;
      return {
        kind: 'network',
        what: host ? `sends it with \`${command.name}\` to \`${host}\`` : `sends it with \`${command.name}\` to a host the script computes`,
        severity: 'high',
        span: at,
      };
    }
    if (PRINTERS.has(command.name)) {
      const first = command.argv[1]?.text ?? '';
      if (first.startsWith('::add-mask::')) continue;
      if (first.startsWith('::set-output') || first.startsWith('::set-env'))
        return {
          kind: 'persisted',
          what: `sets it as a step output or environment variable (\`${first.slice(0, first.indexOf('::', 2) + 2)}\`)`,
          severity: 'medium',
          span: at,
        };
      // Piped into another command (`echo $T | docker login --password-stdin`) or written to a file: not the log.
      if (
        command.pipesTo ||
        command.inSubstitution ||
        command.redirects.some((redirect) => redirect.op.includes('>') && !toLog(redirect.target))
      )
        continue;
      return { kind: 'log', what: `prints it to the job log with \`${command.name}\``, severity: 'low', span: at };
    }
  }
  return null;
}

function toLog(word: ShellWord | null): boolean {
  const text = word?.text ?? '';
  return text === '/dev/stdout' || text === '/dev/stderr' || text === '&1' || text === '&2' || text === '1' || text === '2';
}

function isPinned(uses: string): boolean {
  const at = uses.lastIndexOf('@');
  if (uses.startsWith('docker://')) return uses.includes('@sha256:');
  if (at === -1) return false;
  const ref = uses.slice(at + 1);
  if (ref.length !== 40) return false;
  for (let i = 0; i < ref.length; i++) if (!'0123456789abcdefABCDEF'.includes(ref[i])) return false;
  return true;
}

function isRemote(uses: string): boolean {
  return (
    !uses.startsWith('./') && !uses.startsWith('$/') && !uses.startsWith('.\\') && (uses.startsWith('docker://') || uses.includes('/'))
  );
}

/** Everything one follow needs besides the file. */
export interface FollowContext {
  view: DependencyView;
  /** True when the first caller runs on a trigger outsiders can fire with the repository's secrets. */
  privilegedCaller: boolean;
  maxDepth?: number;
}

const memo = new WeakMap<FetchedAction, Map<string, Leak | null>>();

/** Where the tracked value, handed to `action`, goes somewhere risky; null when nowhere we can see. */
export function followSecret(action: FetchedAction, tracked: Tracked, context: FollowContext): Leak | null {
  return follow(action, tracked, context, 1, new Set());
}

function follow(action: FetchedAction, tracked: Tracked, context: FollowContext, depth: number, stack: Set<string>): Leak | null {
  const key = actionKey(action.owner, action.repo, action.path, action.commit);
  if (stack.has(key) || depth > (context.maxDepth ?? DEFAULT_MAX_DEPTH)) return null;
  const memoKey = `${tracked.context}.${tracked.name ?? '*'}|${context.privilegedCaller}|${depth}`;
  let byValue = memo.get(action);
  const known = byValue?.get(memoKey);
  if (known !== undefined) return known;
  stack.add(key);
  let found: Leak | null = null;
  try {
    found = leakIn(action, tracked, context, depth, stack);
  } finally {
    stack.delete(key);
  }
  if (!byValue) {
    byValue = new Map();
    memo.set(action, byValue);
  }
  byValue.set(memoKey, found);
  return found;
}

interface Place {
  job: JobView | null;
  step: StepView | null;
  /** `with`, `env`, `run`, `secrets` (a reusable workflow call), or another key. */
  key: string;
  /** The `with:`/`env:`/`secrets:` key. */
  name: string;
}

function placeOf(file: ParsedFile, path: readonly (string | number)[]): Place | null {
  if (file.action) {
    const at = file.action.stepAt(path);
    if (!at) return null;
    return { job: null, step: at.step, key: String(path[at.keysAt] ?? ''), name: String(path[at.keysAt + 1] ?? '') };
  }
  const workflow = file.workflow;
  if (!workflow) return null;
  if (path[0] === 'env') return { job: null, step: null, key: 'env', name: String(path[1] ?? '') };
  if (path[0] !== 'jobs') return null;
  const job = workflow.jobs.find((candidate) => candidate.id === path[1]);
  if (!job) return null;
  const at = job.stepAt(path);
  if (at) return { job, step: at.step, key: String(path[at.keysAt] ?? ''), name: String(path[at.keysAt + 1] ?? '') };
  return { job, step: null, key: String(path[2] ?? ''), name: String(path[3] ?? '') };
}

function leakIn(action: FetchedAction, tracked: Tracked, context: FollowContext, depth: number, stack: Set<string>): Leak | null {
  const file = action.file;
  const name = trackedName(tracked);
  const here = (kind: LeakKind, what: string, severity: Severity, span: Span): Leak => ({
    kind,
    what,
    severity,
    hops: [{ action, name, span }],
  });
  const scripts = runScripts(file).filter((run) => !run.input);
  const scriptOf = (step: StepView) => scripts.find((run) => run.step === step);
  const checkedJobs = new Set<JobView>();

  const intoStep = (step: StepView, job: JobView | null, variables: readonly string[], direct: boolean): Leak | null => {
    const uses = scalarText(step.uses?.value ?? null);
    if (uses && isRemote(uses) && !isPinned(uses) && step.uses)
      return here('unpinned', `hands it to \`${uses}\`, which is not pinned to a commit`, 'medium', step.uses.valueSpan);
    const run = step.run ? scriptOf(step) : undefined;
    if (run && (direct || variables.length > 0)) {
      const leak = scriptLeak(run, { tracked, variables });
      if (leak) return here(leak.kind, leak.what, leak.severity, leak.span);
    }
    void job;
    return null;
  };

  const prHead = (job: JobView): Leak | null => {
    if (!context.privilegedCaller || !file.workflow || checkedJobs.has(job)) return null;
    checkedJobs.add(job);
    const checkout = untrustedCheckouts(file, file.workflow, job)[0];
    if (!checkout) return null;
    return here(
      'pr-head',
      `gives it to job \`${job.id}\`, which checks out the pull request's code (${checkout.how})`,
      'high',
      checkout.span,
    );
  };

  const further = (uses: RemoteUses, inner: Tracked, span: Span): Leak | null => {
    const commit = context.view.commitOf?.(uses.owner, uses.repo, uses.ref as string);
    if (!commit) return null;
    const fetched = context.view.action(uses.owner, uses.repo, usesPath(uses), commit);
    if (!fetched.available) return null;
    if (fetched.value.file.kind === 'action' && !fetched.value.file.action?.isComposite) return null;
    const leak = follow(fetched.value, inner, context, depth + 1, stack);
    if (!leak) return null;
    return { ...leak, hops: [{ action, name, span }, ...leak.hops] };
  };

  for (const site of file.expressions) {
    const occurrence = site.occurrence;
    if (!occurrence.terminated || !astReads(occurrence.parsed.ast, tracked)) continue;
    const place = placeOf(file, site.path);
    if (!place) continue;
    const span = { start: occurrence.start, end: occurrence.end };
    if (place.job) {
      const leak = prHead(place.job);
      if (leak) return leak;
    }
    if (place.step) {
      if (place.key === 'with') {
        const uses = scalarText(place.step.uses?.value ?? null);
        if (!uses || !isRemote(uses)) continue;
        if (!isPinned(uses)) return intoStep(place.step, place.job, [], false);
        const remote = lockableUses(uses);
        if (!remote) continue;
        const leak = further(remote, { context: 'inputs', name: place.name.toLowerCase() }, span);
        if (leak) return leak;
      } else if (place.key === 'env') {
        const leak = intoStep(place.step, place.job, [place.name], false);
        if (leak) return leak;
      } else if (place.key === 'run') {
        const leak = intoStep(place.step, place.job, [], true);
        if (leak) return leak;
      }
      continue;
    }
    if (place.key === 'env') {
      // A job's or the workflow's env: every step of the job (of every job) sees it.
      const jobs = place.job ? [place.job] : (file.workflow?.jobs ?? []);
      for (const job of jobs) {
        if (!place.job) {
          const leak = prHead(job);
          if (leak) return leak;
        }
        for (const step of job.steps) {
          const leak = intoStep(step, job, [place.name], false);
          if (leak) return leak;
        }
      }
      continue;
    }
    if (place.job && (place.key === 'secrets' || place.key === 'with')) {
      // A reusable workflow called from this one.
      const uses = scalarText(place.job.uses?.value ?? null);
      if (!uses || !isRemote(uses)) continue;
      if (!isPinned(uses) && place.job.uses)
        return here('unpinned', `hands it to \`${uses}\`, which is not pinned to a commit`, 'medium', place.job.uses.valueSpan);
      const remote = lockableUses(uses);
      if (!remote) continue;
      const leak = further(remote, { context: place.key === 'secrets' ? 'secrets' : 'inputs', name: place.name.toLowerCase() }, span);
      if (leak) return leak;
    }
  }
  // `secrets: inherit` inside a called workflow passes the tracked secret on too.
  if (tracked.context === 'secrets' && file.workflow) {
    for (const job of file.workflow.jobs) {
      if (!job.secrets || scalarText(job.secrets.value) !== 'inherit') continue;
      const uses = scalarText(job.uses?.value ?? null);
      if (!uses || !isRemote(uses)) continue;
      if (!isPinned(uses) && job.uses)
        return here(
          'unpinned',
          `passes it (\`secrets: inherit\`) to \`${uses}\`, which is not pinned to a commit`,
          'medium',
          job.uses.valueSpan,
        );
      const remote = lockableUses(uses);
      if (!remote) continue;
      const leak = further(remote, tracked, job.secrets.valueSpan);
      if (leak) return leak;
    }
  }
  return null;
}

/** True when a workflow runs on a trigger outsiders can fire with the repository's secrets. */
export function privilegedCaller(file: ParsedFile): boolean {
  return file.workflow?.triggers.some((trigger) => PRIVILEGED_OUTSIDER_TRIGGERS.includes(trigger.name)) ?? false;
}
