/**
 * Who calls a reusable workflow or a local action of the workspace, and with what: the caller's triggers
 * (its own, or those of its own callers when it is itself a reusable workflow), the permissions and secrets
 * it gives the call, and the `with:` values it passes. Read only from the workspace view (views.ts), so
 * the CLI and the language server get the same answers from the files they index.
 *
 * Only references inside the repository count: `./path` and `$/path`. A reusable workflow or an action
 * called from another repository has callers we cannot see; rules say so instead of assuming none.
 */
import type { ParsedFile } from '../../parse/document';
import type { Span } from '../../parse/text';
import type { JobView, MapView, StepView } from '../../parse/views';
import { scalarText, type Entry } from '../../parse/yaml-nodes';
import type { WorkspaceView } from '../../views';

/** How deep a chain of reusable workflows calling each other is followed (GitHub allows ten levels). */
export const MAX_CALL_DEPTH = 10;

/** One `uses:` of the workspace that names a workflow or action of the workspace. */
export interface CallSite {
  /** The calling file's path in the workspace. */
  path: string;
  file: ParsedFile;
  /** The calling job: a job-level `uses:` (reusable workflow) or the job of a step. Null in a composite action. */
  job: JobView | null;
  /** The calling step (a local action), or null for a job calling a reusable workflow. */
  step: StepView | null;
  /** The `uses:` entry. */
  uses: Entry;
  /** The `with:` of the call. */
  with: MapView;
}

/** A job that calls a reusable workflow, with what it brings. */
export interface WorkflowCaller extends CallSite {
  job: JobView;
  step: null;
  /**
   * The events that start the call: the caller's own triggers, and, when the caller is itself a reusable
   * workflow, the triggers of its callers (deduplicated, in order).
   */
  triggers: string[];
  /** Where the triggers come from when not (only) from the caller itself: the paths of the callers up the chain. */
  chain: string[];
  /** The caller's `permissions:` for the call: the job's, else its workflow's (undefined: the default token). */
  permissions: Entry | undefined;
  /** `inherit`, the names of the secrets passed, or none. */
  secrets: 'inherit' | string[];
}

/** The path of `file` inside the workspace (`/` separators), or null when it is not under its root. */
export function workspacePath(workspace: WorkspaceView, file: ParsedFile): string | null {
  let root = workspace.root.replace(/\\/g, '/');
  while (root.endsWith('/')) root = root.slice(0, -1);
  const uri = file.uri.replace(/\\/g, '/');
  let rest: string;
  if (root === '' || root === '.') rest = uri;
  else if (uri.startsWith(`${root}/`)) rest = uri.slice(root.length + 1);
  else return null;
  if (root.includes('://')) {
    try {
      rest = decodeURIComponent(rest);
    } catch {
      return null;
    }
  }
  return normalizePath(rest);
}

/** `a/./b/../c/` → `a/c`; null when it climbs above the root. */
export function normalizePath(path: string): string | null {
  const parts: string[] = [];
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

/** The workspace file a local `uses:` value names (`./dir`, `./.github/workflows/x.yml`, `$/dir`), or null. */
export function resolveLocalUses(workspace: WorkspaceView, value: string, self?: ParsedFile): { path: string; file: ParsedFile } | null {
  const text = value.trim();
  let raw: string;
  if (text.startsWith('$/')) {
    const at = text.indexOf('@');
    raw = text.slice(2, at === -1 ? undefined : at);
  } else if (text === '.' || text.startsWith('./')) raw = text;
  else return null;
  const path = normalizePath(raw);
  if (path === null) return null;
  const find = (candidate: string) => {
    const file = workspace.files.get(candidate) ?? (self && workspacePath(workspace, self) === candidate ? self : undefined);
    return file ? { path: candidate, file } : null;
  };
  if (/\.ya?ml$/i.test(path) && path.startsWith('.github/workflows/')) return find(path);
  const dir = path === '' ? '' : `${path}/`;
  return find(`${dir}action.yml`) ?? find(`${dir}action.yaml`);
}

interface CallIndex {
  /** Call sites by the workspace path of the file they call. */
  byTarget: Map<string, CallSite[]>;
}

const indexes = new WeakMap<WorkspaceView, CallIndex>();

/** Every local call site of the workspace, by target (built once per workspace view). */
function callIndex(workspace: WorkspaceView): CallIndex {
  const cached = indexes.get(workspace);
  if (cached) return cached;
  const byTarget = new Map<string, CallSite[]>();
  for (const [path, file] of workspace.files) for (const site of callSitesOf(workspace, path, file)) push(byTarget, site.target, site.call);
  const index = { byTarget };
  indexes.set(workspace, index);
  return index;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The local calls `file` makes: each with the workspace path it names (whether or not that file exists). */
function callSitesOf(workspace: WorkspaceView, path: string, file: ParsedFile): { target: string; call: CallSite }[] {
  const found: { target: string; call: CallSite }[] = [];
  for (const site of file.uses) {
    const reference = site.reference;
    if (reference.kind !== 'local' && reference.kind !== 'self') continue;
    const target = resolveLocalUses(workspace, site.value, file);
    const targetPath = target?.path ?? localTargetPath(site.value);
    if (targetPath === null) continue;
    const entry = site.entry;
    if (site.step)
      found.push({ target: targetPath, call: { path, file, job: site.job, step: site.step, uses: entry, with: site.step.with } });
    else if (site.job)
      found.push({ target: targetPath, call: { path, file, job: site.job, step: null, uses: entry, with: site.job.with } });
  }
  return found;
}

/** The workspace path a local reference names when the file is not (yet) in the workspace. */
function localTargetPath(value: string): string | null {
  const text = value.trim();
  const raw = text.startsWith('$/') ? text.slice(2).split('@')[0] : text;
  const path = normalizePath(raw);
  if (path === null) return null;
  return /\.ya?ml$/i.test(path) ? path : `${path === '' ? '' : `${path}/`}action.yml`;
}

/** The call sites of the workspace that name `file` (not `file` itself calling itself). */
export function callSitesOfFile(workspace: WorkspaceView, file: ParsedFile): CallSite[] {
  const path = workspacePath(workspace, file);
  if (path === null) return [];
  const sites = callIndex(workspace).byTarget.get(path) ?? [];
  // The analysed file may be in the view too, in an older version: its own calls are read from it.
  return sites.filter((site) => site.path !== path);
}

/** The jobs of the workspace that call `file` as a reusable workflow, each with its effective triggers. */
export function workflowCallers(workspace: WorkspaceView, file: ParsedFile): WorkflowCaller[] {
  if (!file.workflow?.hasTrigger('workflow_call')) return [];
  const path = workspacePath(workspace, file);
  if (path === null) return [];
  return callersOf(workspace, path, new Set([path]), 0);
}

function callersOf(workspace: WorkspaceView, path: string, seen: Set<string>, depth: number): WorkflowCaller[] {
  const found: WorkflowCaller[] = [];
  for (const site of callIndex(workspace).byTarget.get(path) ?? []) {
    const workflow = site.file.workflow;
    if (!workflow || !site.job || site.step) continue;
    const own = workflow.triggers.map((trigger) => trigger.name).filter((name) => name !== 'workflow_call');
    const triggers = [...own];
    const chain: string[] = [];
    if (workflow.hasTrigger('workflow_call') && depth < MAX_CALL_DEPTH && !seen.has(site.path)) {
      seen.add(site.path);
      for (const upper of callersOf(workspace, site.path, seen, depth + 1)) {
        for (const trigger of upper.triggers) if (!triggers.includes(trigger)) triggers.push(trigger);
        if (!chain.includes(upper.path)) chain.push(upper.path);
      }
      seen.delete(site.path);
    }
    const secretsEntry = site.job.secrets;
    const secrets: 'inherit' | string[] =
      scalarText(secretsEntry?.value ?? null) === 'inherit' ? 'inherit' : site.job.child('secrets').entries.map((entry) => entry.key);
    found.push({
      ...site,
      job: site.job,
      step: null,
      triggers,
      chain,
      permissions: site.job.permissions ?? workflow.permissions,
      secrets,
    });
  }
  return found;
}

/** The steps of the workspace that use `file` (an action's metadata) as a local action. */
export function actionCallers(workspace: WorkspaceView, file: ParsedFile): CallSite[] {
  if (!file.action) return [];
  return callSitesOfFile(workspace, file).filter((site) => site.step !== null);
}

/** The value a call passes for input `name` (input names are case-insensitive), or undefined. */
export function passedInput(call: Pick<CallSite, 'with'>, name: string): Entry | undefined {
  const lower = name.toLowerCase();
  return call.with.entries.find((entry) => entry.key.toLowerCase() === lower);
}

/** `path` (job `id`), for messages naming a caller. */
export function describeCaller(call: CallSite): string {
  const where = call.job ? `job \`${call.job.id}\`` : call.step ? `step ${call.step.index + 1}` : 'a step';
  return `\`${call.path}\` (${where})`;
}

/** The span of a call's `uses:` value, for reports on the caller's line. */
export function usesSpan(call: CallSite): Span {
  return call.uses.valueSpan;
}
