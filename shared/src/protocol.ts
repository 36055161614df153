/**
 * The protocol between the extension and the language server, declared once and imported by both sides:
 * every custom notification (method and params type) and every command the server implements (id,
 * arguments and result), plus the palette command ids of the extension.
 */
import { NotificationType, RequestType } from 'vscode-jsonrpc';
import type { DependencySource } from './dependency-uri';
import type { WorkspaceEdit } from 'vscode-languageserver-types';

export const SERVER_NAME = 'actions-warden';
/** `source` of every diagnostic we publish. */
export const DIAGNOSTIC_SOURCE = 'actions-warden';
export const CONFIGURATION_SECTION = 'actionsWarden';

/** Commands the extension registers (palette and status-bar menu ids). */
export const Commands = {
  restartServer: 'actionsWarden.restartServer',
  showOutput: 'actionsWarden.showOutput',
  reanalyze: 'actionsWarden.reanalyze',
  openRuleDocs: 'actionsWarden.openRuleDocs',
  signIn: 'actionsWarden.signInToGitHub',
  signOut: 'actionsWarden.signOutOfGitHub',
  toggleOnline: 'actionsWarden.toggleOnline',
  pinAllInFile: 'actionsWarden.pinAllInFile',
  pinAllInWorkspace: 'actionsWarden.pinAllInWorkspace',
  updateAllInFile: 'actionsWarden.updateAllInFile',
  updateAllInWorkspace: 'actionsWarden.updateAllInWorkspace',
  lockWorkflow: 'actionsWarden.lockWorkflow',
  addLeastPrivilegePermissions: 'actionsWarden.addLeastPrivilegePermissions',
  enableFixOnSave: 'actionsWarden.enableFixOnSave',
  showMenu: 'actionsWarden.showMenu',
  showRepositorySettings: 'actionsWarden.showRepositorySettings',
} as const;

/**
 * A `workspace/executeCommand` the server implements: its id, with the types of its arguments and of its
 * result (carried by the type only). The ids differ from the palette ids: vscode-languageclient registers a
 * VS Code command for every id the server advertises, and a duplicate registration fails.
 */
export interface ServerCommand<Args extends unknown[], Result> {
  readonly id: string;
  /** Never set: makes the argument and result types part of the command's type. */
  readonly signature?: (...args: Args) => Result;
}

function serverCommand<Args extends unknown[], Result>(id: string): ServerCommand<Args, Result> {
  return { id };
}

export interface PinAllSummary {
  pinned: number;
  files: number;
  applied: boolean;
  offline: boolean;
  skipped: { file: string; uses: string; reason: string }[];
  /** Lockfile-style repositories: the entries added to actions.lock (their workflows' `uses:` are left as they are). */
  locked?: number;
  /** Lockfile-style repositories: what was locked in each workflow, or why not. */
  lockNotes?: string[];
}

export interface UpdateAllSummary {
  /** `uses:` moved to a newer release. */
  updated: number;
  files: number;
  applied: boolean;
  offline: boolean;
  /** Releases younger than the minimum release age (or undated), not taken; an older release may have been taken instead. */
  held: { file: string; uses: string; release: string; age: string; minAgeDays: number; tookInstead: string | null }[];
  /** `uses:` left as they are, with why (not pinned to a SHA, lockfile style...). */
  skipped: { file: string; uses: string; reason: string }[];
  /** Lockfile style: the locks edited in the same workspace edit (re-locked at the new refs). */
  relocked?: number;
  /** Lockfile style: what was re-locked for each workflow. */
  lockNotes?: string[];
}

export interface RecordChecksumResult {
  applied: boolean;
  message: string;
  sha256?: string;
  edit?: WorkspaceEdit;
}

export interface AddPermissionsResult {
  applied: boolean;
  /** The title of the fix applied (absent when the file needed no change). */
  title?: string;
}

export interface LockActionResult {
  applied: boolean;
  /** What was done (or why nothing was), as shown to the user. */
  message: string;
  offline?: boolean;
}

export const ServerCommands = {
  /**
   * `[documentUri, usesValue]`: adds the entries one `uses:` of a workflow needs to the actions.lock beside it.
   * `[documentUri, usesValue, tag]`: the value is a bare SHA the lock covers; it is written as `tag`, which is locked.
   */
  addToLock: serverCommand<[uri: string, uses: string, tag?: string], LockActionResult>('actionsWarden.server.addToLock'),
  /** `[documentUri]`: adds every entry the workflow's `uses:` need and the lock lacks, listing them for the workflow. */
  lockWorkflow: serverCommand<[uri: string], LockActionResult>('actionsWarden.server.lockWorkflow'),
  /** `[documentUri]`: pins every version-tag ref of the file to its commit SHA. */
  pinAllInFile: serverCommand<[uri: string], PinAllSummary>('actionsWarden.server.pinAllInFile'),
  /** `[]`: pins every version-tag ref of the workflow and action files of the workspace. */
  pinAllInWorkspace: serverCommand<[], PinAllSummary>('actionsWarden.server.pinAllInWorkspace'),
  /** `[documentUri]`: moves every SHA-pinned `uses:` of the file to its preferred update (the minimum release age applies). */
  updateAllInFile: serverCommand<[uri: string], UpdateAllSummary>('actionsWarden.server.updateAllInFile'),
  /** `[]`: the same for every workflow and action file of the workspace. */
  updateAllInWorkspace: serverCommand<[], UpdateAllSummary>('actionsWarden.server.updateAllInWorkspace'),
  /** `[documentUri]`: applies the file's preferred excessive-permissions fix (least-privilege `permissions:`). */
  addLeastPrivilegePermissions: serverCommand<[uri: string], AddPermissionsResult>('actionsWarden.server.addLeastPrivilegePermissions'),
  /** `[]`: a short Markdown report of each workspace repository's Actions settings (what is set, what is recommended, links). */
  showRepositorySettings: serverCommand<[], string>('actionsWarden.server.showRepositorySettings'),
  /** `[]`: re-analyses every open document. */
  reanalyze: serverCommand<[], null>('actionsWarden.server.reanalyze'),
  /** `[dependencyUri]`: asks the client to show a dependency's file at a commit (window/showDocument). */
  openDependencySource: serverCommand<[uri: string], { shown: boolean }>('actionsWarden.server.openDependencySource'),
  /** `[documentUri, url, findingStart]`: fetch one download URL, record its sha256 in the configuration, insert the check (unverified-download). */
  recordChecksum: serverCommand<[uri: string, url: string, findingStart: number], RecordChecksumResult>(
    'actionsWarden.server.recordChecksum',
  ),
} as const;

export interface GitHubTokenParams {
  token: string | null;
  /** The account label, for status display only. */
  account?: string;
  /**
   * The hosts the token is for (absent: public GitHub). The server uses the token only while its settings
   * name these same hosts, so a settings change can never carry a github.com sign-in to another host.
   */
  serverUrl?: string;
  apiUrl?: string;
}

/**
 * Client → server: the GitHub session token from VS Code's GitHub authentication (`null` after sign-out).
 * This notification is the ONLY way the token reaches the server; it is never written to settings or logs.
 */
export const GitHubTokenNotification = new NotificationType<GitHubTokenParams>('actionsWarden/githubToken');

export interface ServerStatusParams {
  /** Whether online checks (tag resolution, impostor commits...) are enabled and reachable. */
  online: boolean;
  /** ISO time until which GitHub refuses requests (403/429), when rate-limited. */
  rateLimitedUntil?: string;
  /** Whether the server holds a token. */
  authenticated?: boolean;
  /** A short human explanation, shown in the tooltip. */
  message?: string;
}

/** Server → client: online-check state for the status bar. */
export const StatusNotification = new NotificationType<ServerStatusParams>('actionsWarden/status');

export interface HiddenFindingsParams {
  uri: string;
  /** How many high-severity findings the persona or minimum confidence hides in this document, and which setting shows them; null when none. */
  sentence: string | null;
}

/** Server → client: the hidden high-severity findings of a document, for the status item's tooltip. */
export const HiddenFindingsNotification = new NotificationType<HiddenFindingsParams>('actionsWarden/hiddenFindings');

/**
 * Client → server: the text of a dependency's file at a commit, for the read-only virtual document
 * (`actions-warden-dependency:` URIs, see dependency-uri.ts). Answered from the server's caches or the
 * configured GitHub host only while online; `text: null` with the reason otherwise.
 */
export const DependencySourceRequest = new RequestType<DependencySource, { text: string | null; message?: string }, void>(
  'actionsWarden/dependencySource',
);
