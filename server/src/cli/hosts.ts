/**
 * Which GitHub hosts the CLI talks to, and so where the user's token goes. Only the user decides, from
 * (highest first): the `--github-server-url` / `--github-api-url` flags, the environment
 * (`GITHUB_SERVER_URL` / `GITHUB_API_URL`, then `GH_HOST`), the user configuration file
 * (`$XDG_CONFIG_HOME/actions-warden/config.yml`, default `~/.config/actions-warden/config.yml`), then public
 * GitHub. The first source that names a host decides both hosts; the one it leaves out follows the one it
 * names (see completeHosts). A scanned repository's configuration file is untrusted: a host it names that
 * the user did not choose is refused with a `config-error` in that file, and nothing is sent to it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, parseDocument, type Node } from 'yaml';
import { completeHosts, displayUrl, PUBLIC_API_URL, PUBLIC_SERVER_URL } from '../../../shared/src/github-hosts';
import type { ConfigProblem, WardenConfig } from '../config/config-file';
import type { CliOptions } from './args';

export interface HostChoice {
  serverUrl: string;
  apiUrl: string;
  /** Where the hosts come from, for messages: `--github-server-url`, `GITHUB_SERVER_URL`, the user configuration... */
  source: string;
}

export interface UserConfig {
  path: string;
  serverUrl?: string;
  apiUrl?: string;
  /** Problems of the file (it is then not used for hosts). */
  problems: string[];
}

type Env = Readonly<Record<string, string | undefined>>;

/** `$XDG_CONFIG_HOME/actions-warden/config.yml`, `%APPDATA%\actions-warden\config.yml` on Windows, else `~/.config/actions-warden/config.yml`; null without a home. */
export function userConfigPath(env: Env, platform: NodeJS.Platform = process.platform): string | null {
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'actions-warden', 'config.yml');
  if (platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'actions-warden', 'config.yml');
  const home = env.HOME || (platform === 'win32' ? env.USERPROFILE : undefined);
  return home ? join(home, '.config', 'actions-warden', 'config.yml') : null;
}

/**
 * Reads the user configuration: only `github.server-url` and `github.api-url` are read from it. A missing
 * file is no configuration; a broken one is reported and not used (null hosts).
 */
export function readUserConfig(path: string | null): UserConfig | null {
  if (!path) return null;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    return { path, problems: [`cannot be read: ${(error as Error).message}`] };
  }
  const config: UserConfig = { path, problems: [] };
  let doc;
  try {
    doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    return { path, problems: [`is not valid YAML: ${String(error)}`] };
  }
  if (doc.errors.length > 0) return { path, problems: [`is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`] };
  const root = doc.contents as Node | null;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return config;
  if (!isMap(root)) return { path, problems: ['must be a mapping (github: { server-url, api-url })'] };
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (key !== 'github') {
      config.problems.push(`\`${key}\` is not read from the user configuration (only github.server-url and github.api-url are)`);
      continue;
    }
    if (!isMap(pair.value)) {
      config.problems.push('`github` must be a mapping with server-url and/or api-url');
      continue;
    }
    for (const item of pair.value.items) {
      const sub = isScalar(item.key) ? String(item.key.value) : '';
      const value = isScalar(item.value) ? item.value.value : undefined;
      if (sub !== 'server-url' && sub !== 'api-url') config.problems.push(`\`github.${sub}\` is not read from the user configuration`);
      else if (typeof value !== 'string' || value.trim() === '') config.problems.push(`\`github.${sub}\` must be a URL`);
      else if (sub === 'server-url') config.serverUrl = value.trim();
      else config.apiUrl = value.trim();
    }
  }
  return config;
}

/** `GH_HOST` is a host name (`ghe.example.com`, optionally `:port`), as the GitHub CLI takes it. */
function ghHostUrl(host: string): string | null {
  const trimmed = host.trim();
  if (trimmed === '' || trimmed.length > 253) return null;
  for (const char of trimmed) {
    if (
      !(
        (char >= 'a' && char <= 'z') ||
        (char >= 'A' && char <= 'Z') ||
        (char >= '0' && char <= '9') ||
        char === '.' ||
        char === '-' ||
        char === ':'
      )
    )
      return null;
  }
  return `https://${trimmed}`;
}

/**
 * The hosts the CLI uses. `warn` receives problems of the environment or the user configuration (their
 * hosts are then not used). Never looks at a repository's configuration.
 */
export function chooseCliHosts(
  options: Pick<CliOptions, 'githubServerUrl' | 'githubApiUrl'>,
  env: Env,
  userConfig: UserConfig | null,
  warn: (message: string) => void,
): HostChoice {
  if (options.githubServerUrl !== undefined || options.githubApiUrl !== undefined) {
    const source = options.githubServerUrl !== undefined ? '--github-server-url' : '--github-api-url';
    return { ...completeHosts(options.githubServerUrl, options.githubApiUrl), source };
  }
  if (env.GITHUB_SERVER_URL || env.GITHUB_API_URL) {
    const source = env.GITHUB_SERVER_URL ? 'GITHUB_SERVER_URL' : 'GITHUB_API_URL';
    return { ...completeHosts(env.GITHUB_SERVER_URL, env.GITHUB_API_URL), source };
  }
  if (env.GH_HOST) {
    const server = ghHostUrl(env.GH_HOST);
    if (server) return { ...completeHosts(server, undefined), source: 'GH_HOST' };
    warn('GH_HOST is not a host name (such as ghe.example.com) and is not used');
  }
  if (userConfig) {
    for (const problem of userConfig.problems) warn(`${userConfig.path}: ${problem}`);
    if (userConfig.serverUrl !== undefined || userConfig.apiUrl !== undefined) {
      return { ...completeHosts(userConfig.serverUrl, userConfig.apiUrl), source: userConfig.path };
    }
  }
  return { serverUrl: PUBLIC_SERVER_URL, apiUrl: PUBLIC_API_URL, source: 'the default' };
}

function originOf(raw: string): string | null {
  try {
    const url = new URL(raw.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

function hostOf(raw: string): string {
  try {
    return new URL(raw.trim()).host.toLowerCase();
  } catch {
    return '';
  }
}

/**
 * The hosts a repository's configuration names (`github.server-url`, `github.api-url`, `github.hosts`) that
 * the user did not choose, as problems for that file. Public GitHub is always acceptable in `github.hosts`.
 */
export function refusedRepositoryHosts(config: WardenConfig, choice: HostChoice): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const chosen = new Set([originOf(choice.serverUrl), originOf(choice.apiUrl)].filter((origin): origin is string => origin !== null));
  const chosenHosts = new Set([hostOf(choice.serverUrl), hostOf(choice.apiUrl), 'github.com', 'api.github.com']);
  const using =
    choice.source === 'the default' ? `public GitHub (${choice.serverUrl})` : `${displayUrl(choice.serverUrl)} (from ${choice.source})`;
  const why = (what: string, shown: string, flag: string) =>
    `\`${what}\` names ${shown}, which you have not chosen: a repository's configuration cannot decide where your GitHub token is sent, so nothing is sent there and online checks use ${using}. ` +
    `To use this host, confirm it with \`${flag}\` (or GITHUB_SERVER_URL / GITHUB_API_URL, or your user configuration).`;
  const check = (what: string, value: string | undefined, span: ConfigProblem['span'] | undefined, flag: string) => {
    if (value === undefined || !span) return;
    const origin = originOf(value);
    if (origin !== null && chosen.has(origin)) return;
    const shown = origin !== null ? displayUrl(value) : `\`${displayUrl(value)}\``;
    problems.push({ span, level: 'error', message: why(what, shown, `${flag} ${origin !== null ? displayUrl(value) : '<url>'}`) });
  };
  check('github.server-url', config.githubServerUrl, config.githubSpans?.serverUrl, '--github-server-url');
  check('github.api-url', config.githubApiUrl, config.githubSpans?.apiUrl, '--github-api-url');
  config.githubHosts.forEach((host, index) => {
    const span = config.githubSpans?.hosts[index];
    const name = host.trim().toLowerCase();
    if (!span || chosenHosts.has(name)) return;
    const safe = ghHostUrl(name) !== null ? name : '(an invalid host name)';
    problems.push({
      span,
      level: 'error',
      message:
        `\`github.hosts\` names ${safe}, which you have not chosen: a repository's configuration cannot decide where your GitHub token is sent, so nothing is sent there and online checks use ${using}. ` +
        `To use this host, confirm it with \`--github-server-url https://${safe}\` (or GITHUB_SERVER_URL / GH_HOST, or your user configuration).`,
    });
  });
  return problems;
}
