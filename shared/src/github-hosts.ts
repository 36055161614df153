/**
 * GitHub host helpers shared by the CLI, the language server and the extension: how the API host follows
 * the server host when only one of them is configured, and how a URL is shown without its credentials.
 * Nothing here reads a setting or a file: callers decide which sources they trust.
 */

export const PUBLIC_SERVER_URL = 'https://github.com';
export const PUBLIC_API_URL = 'https://api.github.com';

function parse(raw: string): URL | null {
  try {
    return new URL(raw.trim());
  } catch {
    return null;
  }
}

/** `path` without its trailing slashes (a loop: `/\/+$/` is quadratic on a long run of slashes). */
export function trimTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 0x2f) end--;
  return path.slice(0, end);
}

/** `https://host[/prefix]` of a parsed URL: no credentials, query, fragment or trailing slash. */
function base(url: URL): string {
  return `${url.origin}${trimTrailingSlashes(url.pathname)}`;
}

/**
 * The REST API base that goes with a server URL: `https://api.github.com` for github.com,
 * `https://api.<tenant>.ghe.com` for GitHub Enterprise Cloud with data residency, and `<server>/api/v3`
 * for GitHub Enterprise Server. Null when the server URL does not parse.
 */
export function apiUrlForServer(serverUrl: string): string | null {
  const url = parse(serverUrl);
  if (!url || url.username || url.password) return null;
  const host = url.hostname.toLowerCase();
  if (host === 'github.com' || host === 'www.github.com') return PUBLIC_API_URL;
  if (host.endsWith('.ghe.com') && !host.startsWith('api.')) return `${url.protocol}//api.${url.host}`;
  return `${base(url)}/api/v3`;
}

/** The server URL that goes with an API base, when it can be told from it (the inverse of apiUrlForServer); else null. */
export function serverUrlForApi(apiUrl: string): string | null {
  const url = parse(apiUrl);
  if (!url || url.username || url.password) return null;
  const host = url.hostname.toLowerCase();
  const path = trimTrailingSlashes(url.pathname);
  if (host === 'api.github.com' && path === '') return PUBLIC_SERVER_URL;
  if (host.startsWith('api.') && host.endsWith('.ghe.com') && path === '') return `${url.protocol}//${url.host.slice(4)}`;
  if (path.endsWith('/api/v3')) return `${url.origin}${path.slice(0, -'/api/v3'.length)}`;
  return null;
}

/**
 * Both hosts from what one source names: the missing one follows the given one, so a GitHub Enterprise
 * server URL alone never leaves the API (and the token) on api.github.com. With neither, public GitHub.
 */
export function completeHosts(serverUrl: string | undefined, apiUrl: string | undefined): { serverUrl: string; apiUrl: string } {
  const server = serverUrl?.trim() || undefined;
  const api = apiUrl?.trim() || undefined;
  if (server && api) return { serverUrl: server, apiUrl: api };
  if (server) return { serverUrl: server, apiUrl: apiUrlForServer(server) ?? PUBLIC_API_URL };
  if (api) return { serverUrl: serverUrlForApi(api) ?? PUBLIC_SERVER_URL, apiUrl: api };
  return { serverUrl: PUBLIC_SERVER_URL, apiUrl: PUBLIC_API_URL };
}

/** True when the URL carries a user name or password (`https://user:pass@host`), parsed or not. */
export function hasUrlCredentials(raw: string): boolean {
  const url = parse(raw);
  if (url) return url.username !== '' || url.password !== '';
  const authority = authorityOf(raw);
  return authority !== null && raw.slice(authority.start, authority.end).includes('@');
}

/**
 * A URL for a message: credentials replaced by `***`. A URL that does not parse is shown with everything
 * between its scheme and its last `@` masked, so a malformed `https://user:p/ss@host` leaks nothing either.
 */
export function displayUrl(raw: string): string {
  const url = parse(raw);
  if (url && (url.protocol === 'http:' || url.protocol === 'https:')) {
    const masked = url.username !== '' || url.password !== '';
    return `${url.protocol}//${masked ? '***@' : ''}${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  }
  const at = raw.lastIndexOf('@');
  if (at === -1) return raw;
  const scheme = raw.indexOf('://');
  return `${scheme !== -1 && scheme < at ? raw.slice(0, scheme + 3) : ''}***${raw.slice(at)}`;
}

/** Start and end of the authority after the first `://`, or null. */
function authorityOf(text: string): { start: number; end: number } | null {
  const scheme = text.indexOf('://');
  if (scheme === -1) return null;
  let end = scheme + 3;
  while (end < text.length && !AUTHORITY_END.has(text[end])) end++;
  return { start: scheme + 3, end };
}

const AUTHORITY_END = new Set(['/', '\\', '?', '#', ' ', '\t', '\n', '\r', '"', "'", '`', '<', '>']);

/**
 * Free text (a log line, an error) with the `user:password@` of every `scheme://` URL replaced by `***@`.
 * One pass over the text (each character is looked at a bounded number of times).
 */
export function redactUrlCredentials(text: string): string {
  let out = '';
  let from = 0;
  for (;;) {
    const scheme = text.indexOf('://', from);
    if (scheme === -1) break;
    const start = scheme + 3;
    let end = start;
    let at = -1;
    while (end < text.length && !AUTHORITY_END.has(text[end])) {
      if (text[end] === '@') at = end;
      end++;
    }
    out += text.slice(from, start);
    out += at === -1 ? text.slice(start, end) : `***${text.slice(at, end)}`;
    from = end;
  }
  return out + text.slice(from);
}
