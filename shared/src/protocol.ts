/** Names both sides of the language-server connection agree on. */

export const SERVER_NAME = 'actions-warden';
/** `source` of every diagnostic we publish. */
export const DIAGNOSTIC_SOURCE = 'actions-warden';
export const CONFIGURATION_SECTION = 'actionsWarden';

/** Where the rule documentation lives; each rule's page is `${DOCS_BASE_URL}/<rule-id>.md`. */
export const DOCS_BASE_URL = 'https://github.com/actions-warden/actions-warden/blob/main/docs/rules';

export function ruleDocsUrl(ruleId: string): string {
  return `${DOCS_BASE_URL}/${ruleId}.md`;
}

/** Commands the client registers (palette and code-lens ids). */
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
  addLeastPrivilegePermissions: 'actionsWarden.addLeastPrivilegePermissions',
  showMenu: 'actionsWarden.showMenu',
} as const;

/**
 * `workspace/executeCommand` ids the SERVER implements (it lists them in `executeCommandProvider`). They must
 * differ from the palette ids above: vscode-languageclient registers a VS Code command for every id the server
 * advertises, and a duplicate registration fails. The palette commands call these through the client.
 * Arguments: the `*InFile`/permissions commands take `[uri: string]`; `toggleOnline` takes `[]` or `[online: boolean]`.
 */
export const ServerCommands = {
  pinAllInFile: 'actionsWarden.server.pinAllInFile',
  pinAllInWorkspace: 'actionsWarden.server.pinAllInWorkspace',
  addLeastPrivilegePermissions: 'actionsWarden.server.addLeastPrivilegePermissions',
  toggleOnline: 'actionsWarden.server.toggleOnline',
  reanalyze: 'actionsWarden.server.reanalyze',
  /** `[documentUri, url, findingStart]`: fetch one download URL, record its sha256 in the configuration, insert the check (unverified-download). */
  recordChecksum: 'actionsWarden.server.recordChecksum',
} as const;

/**
 * Client → server: the GitHub session token from VS Code's GitHub authentication (`null` after sign-out).
 * This notification is the ONLY way the token reaches the server; it is never written to settings or logs.
 */
export const GITHUB_TOKEN_NOTIFICATION = 'actionsWarden/githubToken';
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

/** Server → client: online-check state for the status bar. */
export const STATUS_NOTIFICATION = 'actionsWarden/status';
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
