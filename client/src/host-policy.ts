/**
 * What the extension tells the language server about GitHub hosts and tokens. Pure functions (no `vscode`
 * import) so the decisions are unit-tested:
 * - the hosts and the token setting are read from the USER level only (`inspect().globalValue`, else the
 *   default): a workspace or folder value is ignored even on a VS Code that would apply it;
 * - when only one host is set, the other follows it (a GHES server URL alone moves the API to `/api/v3`);
 * - in Restricted Mode (an untrusted workspace) no token is sent at all;
 * - the GitHub sign-in token is sent with the hosts it is for, only to public GitHub or to hosts the user
 *   set at user level, and the server keeps it to those hosts.
 */
import { completeHosts, PUBLIC_API_URL, PUBLIC_SERVER_URL, trimTrailingSlashes } from '../../shared/src/github-hosts';
import type { GitHubTokenParams } from '../../shared/src/protocol';
import type { GitHubSettings } from '../../shared/src/settings';

/** `actionsWarden.*` keys only the user may set (machine scope, restricted in untrusted workspaces). */
export const USER_ONLY_SETTINGS = ['github.serverUrl', 'github.apiUrl', 'github.token'] as const;

/** The part of `WorkspaceConfiguration.inspect()` we look at. */
export interface Inspected {
  defaultValue?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

export interface UserGitHub {
  github: GitHubSettings;
  /** True when the user set a host at user level (not the public GitHub default). */
  userHosts: boolean;
}

/** The GitHub settings from user settings only; `inspect(key)` is `getConfiguration('actionsWarden').inspect(key)`. */
export function userLevelGitHub(inspect: (key: (typeof USER_ONLY_SETTINGS)[number]) => Inspected | undefined): UserGitHub {
  const user = (key: (typeof USER_ONLY_SETTINGS)[number]): string | undefined => {
    const value = inspect(key)?.globalValue;
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const serverUrl = user('github.serverUrl');
  const apiUrl = user('github.apiUrl');
  return {
    github: { ...completeHosts(serverUrl, apiUrl), token: user('github.token') ?? '' },
    userHosts: serverUrl !== undefined || apiUrl !== undefined,
  };
}

function isPublic(github: Pick<GitHubSettings, 'serverUrl' | 'apiUrl'>): boolean {
  const strip = (url: string) => trimTrailingSlashes(url.trim()).toLowerCase();
  return strip(github.serverUrl) === PUBLIC_SERVER_URL && strip(github.apiUrl) === PUBLIC_API_URL;
}

/** The `github` block the server receives: user-level hosts; the token only in a trusted workspace. */
export function serverGitHub(user: UserGitHub, trusted: boolean): GitHubSettings {
  return { serverUrl: user.github.serverUrl, apiUrl: user.github.apiUrl, token: trusted ? user.github.token : '' };
}

/** The `actionsWarden` settings object for the server, with its `github` block replaced (see serverGitHub). */
export function serverSettings(effective: unknown, user: UserGitHub, trusted: boolean): Record<string, unknown> {
  const copy: Record<string, unknown> =
    effective && typeof effective === 'object' && !Array.isArray(effective) ? { ...(effective as Record<string, unknown>) } : {};
  copy.github = serverGitHub(user, trusted);
  return copy;
}

/**
 * Rewrites the answer to a `workspace/configuration` request so every GitHub host or token in it is the
 * user-level one: the server never sees a workspace's `actionsWarden.github.*`.
 */
export function sanitizeConfiguration(
  sections: readonly (string | null | undefined)[],
  results: readonly unknown[],
  user: UserGitHub,
  trusted: boolean,
): unknown[] {
  const github = serverGitHub(user, trusted);
  return results.map((result, index) => {
    const section = sections[index] ?? '';
    if (section === '') {
      if (!result || typeof result !== 'object') return result;
      const all = result as Record<string, unknown>;
      return 'actionsWarden' in all ? { ...all, actionsWarden: serverSettings(all.actionsWarden, user, trusted) } : result;
    }
    if (section === 'actionsWarden') return serverSettings(result, user, trusted);
    if (section === 'actionsWarden.github') return { ...github };
    if (section === 'actionsWarden.github.serverUrl') return github.serverUrl;
    if (section === 'actionsWarden.github.apiUrl') return github.apiUrl;
    if (section === 'actionsWarden.github.token') return github.token;
    return result;
  });
}

/**
 * What to send to the server for a GitHub sign-in: nothing (`token: null`) in Restricted Mode, or when the
 * hosts are neither public GitHub nor set by the user; otherwise the token with the hosts it is for.
 */
export function signInTokenParams(
  token: string | undefined,
  account: string | undefined,
  user: UserGitHub,
  trusted: boolean,
): GitHubTokenParams {
  if (!token || !trusted) return { token: null };
  if (!isPublic(user.github) && !user.userHosts) return { token: null };
  return { token, account, serverUrl: user.github.serverUrl, apiUrl: user.github.apiUrl };
}

/** What the sign-in may read: public repositories need no scope; private ones need `repo` (an explicit choice). */
export type SignInAccess = 'public' | 'private';

export function signInScopes(access: SignInAccess): string[] {
  return access === 'private' ? ['repo'] : [];
}

/** The access stored from an earlier sign-in; anything but an explicit `private` is `public`. */
export function storedAccess(value: unknown): SignInAccess {
  return value === 'private' ? 'private' : 'public';
}
