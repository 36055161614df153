/**
 * The CLI's workspace view (views.ts): every workflow and action file of a run is parsed once, and the
 * files of one repository are handed to each analysis of that repository as its `workspace`, so rules see
 * the callers of a reusable workflow or a local action (rules/support/callers.ts). A repository is the
 * folder above a `.github/workflows` (or `.github/dependabot.yml`); an `action.yml` belongs to the nearest
 * such folder above it, else to the folder that was scanned. A repository scanned through the API is one
 * repository. Standard input has no workspace. The view holds the files that take part in calls (actions,
 * reusable workflows, files with a local `uses:`), not every file of the repository.
 */
import { dirname, sep } from 'node:path';
import type { ParsedFile } from '../parse/document';
import { workspacePath } from '../rules/support/callers';
import { available, type View, type WorkspaceView } from '../views';
import { displayPath, STDIN_PATH, type Target } from './discover';

/** The repository folder a workflow or Dependabot file sits in (absolute), or null for other files. */
function ownRoot(path: string): string | null {
  const normalized = path.split(sep).join('/');
  const match = /^(.*)\/\.github\/(?:workflows\/[^/]+|dependabot\.ya?ml)$/i.exec(normalized);
  if (!match) return null;
  return match[1] === '' ? '/' : match[1].split('/').join(sep);
}

/**
 * Whether a file takes part in calls inside its repository: an action, a reusable workflow, or a file with
 * a local `uses:`. Only those are kept in the view (the rules read nothing else through it), so the other
 * files' parsed documents are let go as soon as they are analysed.
 */
export function takesPartInCalls(file: ParsedFile): boolean {
  // Every action file, even one that does not parse: a local `uses:` naming it finds it (self-repository).
  if (file.kind === 'action' || file.action) return true;
  if (file.workflow?.hasTrigger('workflow_call')) return true;
  return file.uses.some((site) => site.reference.kind === 'local' || site.reference.kind === 'self');
}

/** Whether a workflow's text may hold a local `uses:` (`./…`, `$/…`): a cheap test before parsing it. */
export function mayUseLocal(text: string): boolean {
  return text.includes('./') || text.includes('$/') || text.includes(': .');
}

/** Whether `path` is `root` or inside it. */
function inside(root: string, path: string): boolean {
  if (path === root) return true;
  const prefix = root.endsWith(sep) ? root : root + sep;
  return path.startsWith(prefix);
}

/**
 * One workspace view per repository of the run, for each parsed target. `files` are the parsed targets
 * (stdin and files that could not be parsed are not given).
 */
export function buildWorkspaces(parsed: ReadonlyMap<Target, ParsedFile>, cwd: string): Map<Target, View<WorkspaceView>> {
  const roots = new Set<string>();
  for (const target of parsed.keys()) {
    if (target.virtual || target.path === STDIN_PATH) continue;
    const root = ownRoot(target.path);
    if (root) roots.add(root);
  }
  const sortedRoots = [...roots].sort((a, b) => b.length - a.length);
  const groups = new Map<string, { root: string; members: [Target, ParsedFile][]; complete: boolean }>();
  for (const [target, file] of parsed) {
    if (target.path === STDIN_PATH) continue;
    let key: string;
    let root: string;
    if (target.virtual) {
      key = `virtual:${target.virtual.origin.label}`;
      root = '';
    } else {
      const own = ownRoot(target.path) ?? sortedRoots.find((candidate) => inside(candidate, dirname(target.path))) ?? target.rootPath;
      key = `disk:${own}`;
      root = displayPath(own, cwd);
    }
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { root, members: [], complete: false }));
    group.members.push([target, file]);
    // A folder scan that holds the whole repository collected every action file of it.
    if (!target.virtual && !target.explicit && target.rootPath !== '' && inside(target.rootPath, key.slice('disk:'.length)))
      group.complete = true;
  }
  const views = new Map<Target, View<WorkspaceView>>();
  for (const group of groups.values()) {
    const files = new Map<string, ParsedFile>();
    const view: WorkspaceView = { root: group.root, files, complete: group.complete };
    for (const [, file] of group.members) {
      if (!takesPartInCalls(file)) continue;
      const path = workspacePath(view, file);
      if (path !== null && !files.has(path)) files.set(path, file);
    }
    const shared = available(view);
    for (const [target] of group.members) views.set(target, shared);
  }
  return views;
}
