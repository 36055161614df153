/**
 * The read-only virtual documents of a dependency's file at a commit:
 * `actions-warden-dependency:/<owner>/<repo>/<40-hex commit>/<path>`, where `<path>` is an `action.yml` /
 * `action.yaml` (at the root or in a folder) or a reusable workflow (`.github/workflows/<name>.yml`). The
 * client shows them (a content provider asking the server); the server reads them from its caches or the
 * configured GitHub host. Nothing in the URI chooses a host, and each part is checked here, on both sides,
 * before it is used: names of the GitHub alphabet, a full commit, a repository path without `.`/`..`
 * segments, backslashes or control characters.
 */
import { trimTrailingSlashes } from './github-hosts';

export const DEPENDENCY_SCHEME = 'actions-warden-dependency';

export interface DependencySource {
  owner: string;
  repo: string;
  commit: string;
  /** The file's repository path (`action.yml`, `sub/action.yaml`, `.github/workflows/x.yml`). */
  path: string;
}

const MAX_PATH = 1024;

function isName(text: string): boolean {
  if (text === '' || text.length > 100 || text === '.' || text === '..') return false;
  for (const char of text) {
    const ok = (char >= 'a' && char <= 'z') || (char >= 'A' && char <= 'Z') || (char >= '0' && char <= '9') || '-_.'.includes(char);
    if (!ok) return false;
  }
  return true;
}

function isCommit(text: string): boolean {
  if (text.length !== 40) return false;
  for (const char of text) if (!((char >= '0' && char <= '9') || (char >= 'a' && char <= 'f'))) return false;
  return true;
}

/** Why these parts do not name a dependency file, or null when they do. */
export function dependencySourceProblem(source: unknown): string | null {
  if (!source || typeof source !== 'object') return 'not an object';
  const { owner, repo, commit, path } = source as Record<string, unknown>;
  if (typeof owner !== 'string' || !isName(owner)) return 'the owner is not a GitHub name';
  if (typeof repo !== 'string' || !isName(repo)) return 'the repository is not a GitHub name';
  if (typeof commit !== 'string' || !isCommit(commit)) return 'the commit is not a full lower-case commit SHA';
  if (typeof path !== 'string' || path === '' || path.length > MAX_PATH) return 'the path is empty or too long';
  const segments = path.split('/');
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..') return 'the path has an empty, `.` or `..` segment';
    for (const char of segment) {
      const code = char.codePointAt(0) ?? 0;
      if (char === '\\' || code < 0x20 || code === 0x7f) return 'the path has a backslash or a control character';
    }
  }
  const name = segments[segments.length - 1];
  const workflow = segments.length === 3 && segments[0] === '.github' && segments[1] === 'workflows' && /\.ya?ml$/.test(name);
  if (name !== 'action.yml' && name !== 'action.yaml' && !workflow)
    return 'the path is not an action.yml, action.yaml or reusable workflow';
  return null;
}

/** The virtual document URI of a dependency file (null when the parts are not valid). */
export function dependencyUri(source: DependencySource): string | null {
  if (dependencySourceProblem(source) !== null) return null;
  const parts = [source.owner, source.repo, source.commit, ...source.path.split('/')];
  return `${DEPENDENCY_SCHEME}:/${parts.map(encodeURIComponent).join('/')}`;
}

/** The parts of a dependency URI, or null when it is not one (another scheme, an authority, a query, invalid parts). */
export function parseDependencyUri(uri: string): DependencySource | null {
  const prefix = `${DEPENDENCY_SCHEME}:/`;
  if (typeof uri !== 'string' || !uri.startsWith(prefix) || uri.startsWith(`${prefix}/`)) return null;
  const rest = uri.slice(prefix.length);
  if (rest.includes('?') || rest.includes('#')) return null;
  let parts: string[];
  try {
    parts = rest.split('/').map(decodeURIComponent);
  } catch {
    return null;
  }
  if (parts.length < 4) return null;
  const source: DependencySource = { owner: parts[0], repo: parts[1], commit: parts[2], path: parts.slice(3).join('/') };
  // A decoded `/` inside one part would move the parts: such a URI is refused.
  if (parts.some((part) => part.includes('/'))) return null;
  return dependencySourceProblem(source) === null ? source : null;
}

/**
 * The web URL of a dependency's file at a commit on the configured GitHub server
 * (`<serverUrl>/<owner>/<repo>/blob/<40-hex commit>/<path>`, as the dependency walk builds it) as the virtual
 * document URI of the same file; any other text is returned unchanged: another host (or the same host under
 * other settings), not `blob/` at a full lower-case commit, a query or fragment, a path that is not an action
 * or reusable workflow or that leaves the repository. The URL is split as text, never normalised (a URL
 * parser would resolve `..` segments), and each part is checked by `dependencyUri`.
 */
export function dependencyDocumentUri(url: string, serverUrl: string): string {
  const base = webBase(serverUrl);
  if (base === null || typeof url !== 'string' || !url.startsWith(`${base}/`)) return url;
  const rest = url.slice(base.length + 1);
  if (rest.includes('?') || rest.includes('#')) return url;
  const parts = rest.split('/');
  if (parts.length < 5 || parts[2] !== 'blob') return url;
  let decoded: string[];
  try {
    decoded = parts.map(decodeURIComponent);
  } catch {
    return url;
  }
  // A decoded `/` inside one part would move the parts.
  if (decoded.some((part) => part.includes('/'))) return url;
  const [owner, repo, , commit, ...path] = decoded;
  return dependencyUri({ owner, repo, commit, path: path.join('/') }) ?? url;
}

/** `http(s)://host[:port][/prefix]` of a server URL without credentials, query or fragment; null otherwise. */
function webBase(serverUrl: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(serverUrl);
  } catch {
    return null;
  }
  if ((parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || parsed.username || parsed.password) return null;
  if (parsed.search || parsed.hash) return null;
  return `${parsed.origin}${trimTrailingSlashes(parsed.pathname)}`;
}
