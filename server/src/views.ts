/**
 * What an analysis may know beyond the file and the configuration: the online resolution results, the
 * other files of the repository, and the actions the file depends on as fetched at their commits. Each
 * is a `View`: present, or absent with a reason a rule or a notice can say. The front ends build them;
 * the engine hands them to the rules through the rule context.
 */
import type { Lockfile } from './lockfile/types';
import type { ParsedFile } from './parse/document';
import type { RepositoryPolicy } from './resolve/repo-policy';
import type { OnlineSnapshot } from './resolve/snapshot';

/** Why a view is absent. */
export type ViewUnavailableReason =
  /** Network use is switched off: nothing was asked, on purpose. */
  | 'offline'
  /** The repository's other files have not been read (a single file, standard input, an untitled buffer). */
  | 'not-indexed'
  /** Not resolved or fetched (yet): the front end did not ask, or the answer has not arrived. */
  | 'not-fetched'
  /** Asked for, and the asking failed; `detail` says how. */
  | 'failed'
  /** The rule did not declare that it reads this view (`Rule.reads`). */
  | 'not-declared';

export type View<T> =
  | { readonly available: true; readonly value: T }
  | { readonly available: false; readonly reason: ViewUnavailableReason; readonly detail?: string };

export function available<T>(value: T): View<T> {
  return { available: true, value };
}

export function unavailable<T = never>(reason: ViewUnavailableReason, detail?: string): View<T> {
  return detail === undefined ? { available: false, reason } : { available: false, reason, detail };
}

/** The value of a view, or undefined when it is absent. */
export function viewValue<T>(view: View<T>): T | undefined {
  return view.available ? view.value : undefined;
}

/** The other files of the repository the analysed file belongs to. */
export interface WorkspaceView {
  /** The repository root, as the front end names files (a path or a URI). */
  readonly root: string;
  /** The repository's Actions files (workflows, actions, Dependabot configuration), by path relative to `root`; the analysed file may be among them. */
  readonly files: ReadonlyMap<string, ParsedFile>;
  /**
   * True when `files` holds every action metadata file of the repository that was collected (the editor's
   * index, a folder scan of the repository): a path it lacks is then missing. Absent or false: it may exist.
   */
  readonly complete?: boolean;
}

/** An action (or reusable workflow) as fetched at a commit. */
export interface FetchedAction {
  readonly owner: string;
  readonly repo: string;
  /** The directory of the action inside the repository ('' for its root), or the reusable workflow's path. */
  readonly path: string;
  /** The full commit SHA the files were fetched at. */
  readonly commit: string;
  /** The action's metadata file (or the reusable workflow), parsed. */
  readonly file: ParsedFile;
  /** The repository path of that file (`action.yml`, `sub/action.yaml`, `.github/workflows/x.yml`). */
  readonly fileName?: string;
  /** Where a person can read that file at that commit (a web URL on the GitHub server). */
  readonly url?: string;
}

/** The actions the analysed file depends on, as fetched at their commits. */
export interface DependencyView {
  /** The action at `owner/repo[/path]@commit`, when it was fetched. */
  action(owner: string, repo: string, path: string, commit: string): View<FetchedAction>;
  /** The commit `owner/repo@ref` resolved to during the walk (a full SHA ref is its own), when it was. */
  commitOf?(owner: string, repo: string, ref: string): string | undefined;
}

/**
 * The repository's actions lock (`.github/workflows/actions.lock`), as the analysed file sees it. Absent
 * (`not-indexed`) when there is none or it could not be read; the front end reads it only inside the
 * scanned root, links not followed.
 */
export interface LockView {
  readonly lock: Lockfile;
  /** The analysed workflow's key in the lock (`.github/workflows/ci.yml`); null for other files. */
  readonly workflowPath: string | null;
  /**
   * For the lock's own analysis: the workflow at a repository-relative path, parsed; `missing` when no
   * such file exists; undefined when it was not looked at (then nothing is said about it).
   */
  workflow?(path: string): ParsedFile | 'missing' | undefined;
}

export type ViewName = 'online' | 'workspace' | 'dependencies' | 'lock' | 'policy';

/** Everything an analysis may read besides the file and the configuration. */
export interface AnalysisViews {
  readonly online: View<OnlineSnapshot>;
  readonly workspace: View<WorkspaceView>;
  readonly dependencies: View<DependencyView>;
  readonly lock: View<LockView>;
  /**
   * The repository's GitHub Actions policy as GitHub reports it (online, with a token that may read the
   * repository's settings). Absent offline, without a repository, or when GitHub refused to say.
   */
  readonly policy: View<RepositoryPolicy>;
}

/** The online view of a resolution snapshot: absent when there is none yet, or when it was made offline. */
export function onlineView(snapshot: OnlineSnapshot | undefined): View<OnlineSnapshot> {
  if (!snapshot) return unavailable('not-fetched');
  return snapshot.offline ? unavailable('offline') : available(snapshot);
}

/** Views for a lone file: nothing online, no repository, no fetched dependency. */
export const NO_VIEWS: AnalysisViews = Object.freeze({
  online: unavailable<OnlineSnapshot>('not-fetched'),
  workspace: unavailable<WorkspaceView>('not-indexed'),
  dependencies: unavailable<DependencyView>('not-fetched'),
  lock: unavailable<LockView>('not-indexed'),
  policy: unavailable<RepositoryPolicy>('not-fetched'),
});

const lockViews = new WeakMap<ParsedFile, LockView>();

/** Keeps the lock view a file was analysed with, for the hovers. */
export function rememberLockView(file: ParsedFile, view: LockView): void {
  lockViews.set(file, view);
}

/** The lock view the file was last analysed with, if any. */
export function lockViewOf(file: ParsedFile): LockView | undefined {
  return lockViews.get(file);
}
