/**
 * The GitHub repository a checkout belongs to, read from its git configuration: `.git/config` (or, when
 * `.git` is a file as in worktrees and submodules, the `gitdir:` it names, and that directory's
 * `commondir`). Nothing is run. A small hand-written INI scanner (linear, bounded input) picks the
 * `origin` remote, else the first remote with a URL, and accepts https, ssh and scp-like URLs of the
 * configured GitHub host only: the repository never chooses the host a token is sent to.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { isValidRepoName } from '../resolve/types';

/** Largest git file read (config, `.git` file, commondir). */
const MAX_GIT_FILE_BYTES = 64 * 1024;

export type GitRemote =
  | { readonly kind: 'github'; readonly owner: string; readonly repo: string; readonly remote: string }
  /** The remote is on another host than the configured GitHub server: no repository (said once). */
  | { readonly kind: 'other-host'; readonly host: string; readonly remote: string }
  /** No remote with a URL, no git configuration, or a URL we do not understand. */
  | { readonly kind: 'none'; readonly reason: string };

/** The remotes of a git configuration text, in order: name and URL (the first `url` of each). */
export function gitRemotes(text: string): { name: string; url: string }[] {
  const remotes: { name: string; url: string }[] = [];
  const seen = new Set<string>();
  let section: string | null = null;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line === '' || line[0] === '#' || line[0] === ';') continue;
    if (line[0] === '[') {
      section = remoteSection(line);
      continue;
    }
    if (section === null || seen.has(section)) continue;
    const equals = line.indexOf('=');
    if (equals === -1) continue;
    if (line.slice(0, equals).trim().toLowerCase() !== 'url') continue;
    const value = configValue(line.slice(equals + 1));
    if (value === '') continue;
    seen.add(section);
    remotes.push({ name: section, url: value });
  }
  return remotes;
}

/** `[remote "origin"]` → `origin`; any other section header → null. */
function remoteSection(line: string): string | null {
  const close = line.indexOf(']');
  if (close === -1) return null;
  const inner = line.slice(1, close).trim();
  const space = inner.indexOf(' ');
  if (space === -1 || inner.slice(0, space).toLowerCase() !== 'remote') return null;
  const name = inner.slice(space + 1).trim();
  if (name.length < 2 || name[0] !== '"' || name[name.length - 1] !== '"') return null;
  return name.slice(1, -1);
}

/** A config value: quotes removed, a `#` or `;` comment outside quotes cut off. */
function configValue(raw: string): string {
  let out = '';
  let quoted = false;
  for (let index = 0; index < raw.length; index++) {
    const char = raw[index];
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '#' || char === ';')) break;
    else if (char === '\\' && index + 1 < raw.length) out += raw[++index];
    else out += char;
  }
  return out.trim();
}

/**
 * The owner and repository of a remote URL when it is on `host` (a host name, lower case, maybe with a
 * port for https): `https://host/owner/repo(.git)`, `ssh://[user@]host[:port]/owner/repo(.git)`,
 * `[user@]host:owner/repo(.git)`. Otherwise the URL's host (other host) or null (not understood).
 */
export function remoteRepository(url: string, host: string): { owner: string; repo: string } | { otherHost: string } | null {
  const text = url.trim();
  let urlHost: string;
  let path: string;
  // http(s) URLs name the web host with its port; ssh and scp-like ones name the machine only.
  let web = false;
  const scheme = text.indexOf('://');
  if (scheme !== -1) {
    const protocol = text.slice(0, scheme).toLowerCase();
    if (protocol !== 'https' && protocol !== 'http' && protocol !== 'ssh' && protocol !== 'git' && protocol !== 'git+ssh') return null;
    const rest = text.slice(scheme + 3);
    // The authority ends where a URL parser ends it (`/`, `?`, `#`, or `\` as WHATWG reads it), so an
    // `@` after any of them never moves the host: `https://evil.example#@github.com/…` is evil.example.
    let end = 0;
    while (end < rest.length && !'/?#\\'.includes(rest[end])) end++;
    if (rest[end] !== '/') {
      if (end === rest.length) return null;
      const at = rest.lastIndexOf('@', end);
      const cut = rest.slice(at + 1, end).toLowerCase();
      return cut === '' ? null : { otherHost: cut };
    }
    const authority = rest.slice(0, end);
    const at = authority.lastIndexOf('@');
    const hostPort = authority.slice(at + 1).toLowerCase();
    // For ssh the port is the ssh port, not part of the web host; for http(s) it is (the default one aside).
    web = protocol === 'https' || protocol === 'http';
    urlHost = web ? withoutDefaultPort(hostPort, protocol) : stripPort(hostPort);
    path = rest.slice(end + 1);
  } else {
    const colon = text.indexOf(':');
    if (colon === -1 || text.slice(0, colon).includes('/')) return null;
    urlHost = text.slice(text.lastIndexOf('@', colon) + 1, colon).toLowerCase();
    path = text.slice(colon + 1);
  }
  if (urlHost === '') return null;
  const wanted = web ? host.toLowerCase() : stripPort(host.toLowerCase());
  if (urlHost !== wanted) return { otherHost: urlHost };
  const segments = path
    .replace(/^\/+/, '')
    .split('/')
    .filter((segment) => segment !== '');
  if (segments.length !== 2) return null;
  const owner = segments[0];
  const repo = segments[1].endsWith('.git') ? segments[1].slice(0, -4) : segments[1];
  return isValidRepoName(owner, repo) ? { owner, repo } : null;
}

/** `host:443` for https (`host:80` for http) is `host`: the port the configured server URL leaves out. */
function withoutDefaultPort(hostPort: string, protocol: string): string {
  const suffix = protocol === 'https' ? ':443' : ':80';
  return hostPort.endsWith(suffix) ? hostPort.slice(0, -suffix.length) : hostPort;
}

function stripPort(host: string): string {
  const colon = host.lastIndexOf(':');
  return colon === -1 || host.endsWith(']') ? host : host.slice(0, colon);
}

/** The remote to use: `origin`, else the first one. */
export function chooseRemote(remotes: readonly { name: string; url: string }[]): { name: string; url: string } | undefined {
  return remotes.find((remote) => remote.name === 'origin') ?? remotes[0];
}

/** The repository of a remote URL list for `host`. */
export function repositoryFromConfig(text: string, host: string): GitRemote {
  const remote = chooseRemote(gitRemotes(text));
  if (!remote) return { kind: 'none', reason: 'the git configuration names no remote' };
  const found = remoteRepository(remote.url, host);
  if (found === null) return { kind: 'none', reason: `the URL of the remote \`${remote.name}\` does not name a repository` };
  if ('otherHost' in found) return { kind: 'other-host', host: found.otherHost, remote: remote.name };
  return { kind: 'github', owner: found.owner, repo: found.repo, remote: remote.name };
}

/**
 * The start of a regular file (at most MAX_GIT_FILE_BYTES), or null. Opened without blocking and checked
 * on the open descriptor, so a FIFO, a device or a socket put in its place after any earlier look is
 * never waited on or read.
 */
function readSmall(path: string): string | null {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    if (!fstatSync(fd).isFile()) return null;
    const buffer = Buffer.alloc(MAX_GIT_FILE_BYTES);
    const read = readSync(fd, buffer, 0, MAX_GIT_FILE_BYTES, 0);
    return buffer.subarray(0, read).toString('utf8');
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The git configuration file of the checkout at `root`: `.git/config`, or through a `.git` file's
 * `gitdir:` (and its `commondir`, for worktrees). Reads at most three small files; null when none.
 */
export function gitConfigText(root: string): string | null {
  const dotGit = join(root, '.git');
  let gitDir: string;
  try {
    const stat = statSync(dotGit);
    if (stat.isDirectory()) gitDir = dotGit;
    else if (stat.isFile()) {
      const pointer = readSmall(dotGit);
      const line = pointer?.split('\n').find((entry) => entry.startsWith('gitdir:'));
      if (!line) return null;
      const target = line.slice('gitdir:'.length).trim();
      gitDir = isAbsolute(target) ? target : resolve(dirname(dotGit), target);
    } else return null;
  } catch {
    return null;
  }
  const own = readSmall(join(gitDir, 'config'));
  if (own !== null) return own;
  const common = readSmall(join(gitDir, 'commondir'))?.split('\n')[0]?.trim();
  if (!common) return null;
  return readSmall(join(isAbsolute(common) ? common : resolve(gitDir, common), 'config'));
}

/** The GitHub repository of the checkout at `root` on `host` (the configured server's host). */
export function repositoryOfCheckout(root: string, host: string): GitRemote {
  const text = gitConfigText(root);
  if (text === null) return { kind: 'none', reason: 'no git configuration was found' };
  return repositoryFromConfig(text, host);
}
