/**
 * Document links on `uses:` values: a remote action or reusable workflow opens on the configured GitHub
 * host at the ref written (`tree/<ref>/<path>` for actions, `blob/<ref>/<path>` for workflow files), so a
 * SHA pin can be inspected at exactly the commit it runs. In a workflow file, `./path` and `$/path` open the
 * local `action.yml` / workflow file when it exists in the repository the workflow belongs to.
 *
 * Links are computed from the parsed document only: nothing is fetched, and no link points anywhere but the
 * configured GitHub host or a file of the workspace. Values whose ref is an expression, Docker images and
 * malformed references get no link.
 */
import type { DocumentLink } from 'vscode-languageserver-types';
import { isFile } from '../config/find-config';
import { uriToPath } from '../config/workspace';
import { checkBaseUrl } from '../resolve/http';
import type { ParsedFile, UsesSite } from '../parse/document';
import type { Span } from '../parse/text';
import type { RemoteUses } from '../parse/uses';
import { trimEndOf } from '../parse/strings';
import { isDocumentLinkParams } from '../params';
import { onValidRequest, type Feature } from './feature';

/** The path of a `$/path@ref` reference: cut before the first `@` after its last `/` (what `/@[^/]*$/` removed). */
export function withoutRef(path: string): string {
  const at = path.indexOf('@', path.lastIndexOf('/') + 1);
  return at === -1 ? path : path.slice(0, at);
}

export interface DocumentLinkOptions {
  /** The GitHub web host, e.g. `https://github.com` or a GitHub Enterprise Server URL. */
  serverUrl: string;
  /** Whether a path of the local file system names a regular file (replaced in tests). */
  isFile?: (path: string) => boolean;
}

/** GitHub owner and repository names: letters, digits, `-`, `_` and `.` (what the REST API accepts). */
const NAME = /^[A-Za-z0-9_.-]+$/;
/** White space and control characters: a ref or path holding one is not linked. */
const UNPRINTABLE = /[\s\u0000-\u001f\u007f]/;

export function documentLinks(file: ParsedFile, options: DocumentLinkOptions): DocumentLink[] {
  const server = webHost(options.serverUrl);
  const links: DocumentLink[] = [];
  for (const site of file.uses) {
    const reference = site.reference;
    let target: string | null = null;
    let tooltip = '';
    if (reference.kind === 'remote') {
      if (!server) continue;
      target = remoteTarget(server.url, reference);
      tooltip = `Open ${reference.subpath ? `${reference.repository}/${reference.subpath}` : reference.repository} at ${describeRef(reference)} on ${server.host}`;
    } else if ((reference.kind === 'local' || reference.kind === 'self') && file.kind === 'workflow') {
      const path = reference.kind === 'local' ? reference.path.replace(/^\.\//, '') : withoutRef(reference.path);
      target = localTarget(file.uri, path, reference.isReusableWorkflow, options.isFile ?? isFile);
      tooltip = `Open ${path === '' ? 'the repository root' : path}${reference.isReusableWorkflow ? '' : '/action.yml'} in this repository`;
    }
    if (!target) continue;
    links.push({ range: file.lines.range(linkSpan(site)), target, tooltip });
  }
  return links;
}

/** The span of the reference itself: the value without its quotes when its source is exact, else the token. */
function linkSpan(site: UsesSite): Span {
  if (!site.exact) return site.entry.valueSpan;
  const leading = site.value.length - site.value.trimStart().length;
  return { start: site.valueStart + leading, end: site.valueStart + site.value.trimEnd().length };
}

function remoteTarget(server: string, reference: RemoteUses): string | null {
  const ref = reference.ref;
  if (!ref || reference.refKind === 'expression' || UNPRINTABLE.test(ref)) return null;
  if (ref.split('/').some((segment) => segment === '.' || segment === '..')) return null;
  if (!NAME.test(reference.owner) || !NAME.test(reference.repo)) return null;
  const subpath = reference.subpath ? reference.subpath.split('/').filter((segment) => segment !== '') : [];
  if (subpath.some((segment) => segment === '.' || segment === '..' || UNPRINTABLE.test(segment))) return null;
  const kind = reference.isReusableWorkflow ? 'blob' : 'tree';
  const parts = encodeSegments([reference.owner, reference.repo, kind, ...ref.split('/'), ...subpath]);
  return parts ? [server, ...parts].join('/') : null;
}

/** Each segment percent-encoded; null when one cannot be (a lone surrogate is not text a URL can carry). */
function encodeSegments(segments: readonly string[]): string[] | null {
  try {
    return segments.map(encodeURIComponent);
  } catch {
    return null;
  }
}

function describeRef(reference: RemoteUses): string {
  return reference.refKind === 'sha' ? `commit ${reference.ref!.slice(0, 12)}` : `\`${reference.ref}\``;
}

/**
 * The local file `./path` names, as a URI: a workflow's repository root is the folder holding its
 * `.github/workflows`. Null when the workflow is not in such a folder, the path climbs out of the root, or
 * the file does not exist.
 */
function localTarget(uri: string, path: string, isWorkflow: boolean, isFile: (path: string) => boolean): string | null {
  const at = uri.lastIndexOf('/.github/workflows/');
  if (!uri.startsWith('file:') || at === -1) return null;
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.some((segment) => segment === '..')) return null;
  const root = uri.slice(0, at);
  const candidates = isWorkflow
    ? [segments]
    : [
        [...segments, 'action.yml'],
        [...segments, 'action.yaml'],
      ];
  for (const candidate of candidates) {
    const encoded = encodeSegments(candidate);
    if (!encoded) return null;
    const target = [root, ...encoded].join('/');
    const fsPath = uriToPath(target);
    if (fsPath && isFile(fsPath)) return target;
  }
  return null;
}

/**
 * The configured host as `https://host[/prefix]` without a trailing slash, checked as the resolver checks
 * the hosts it talks to (https, or http on loopback; no credentials); null when it fails that check.
 */
function webHost(serverUrl: string): { url: string; host: string } | null {
  const checked = checkBaseUrl(serverUrl, 'GitHub server URL');
  if (!checked.ok) return null;
  const url = checked.value;
  return { url: `${url.origin}${trimEndOf(url.pathname, '/')}`, host: url.host };
}

export const documentLinksFeature: Feature = {
  capabilities: { documentLinkProvider: { resolveProvider: false } },
  register(connection, context) {
    onValidRequest(connection, 'textDocument/documentLink', isDocumentLinkParams, async (params) => {
      const document = context.documents.get(params.textDocument.uri);
      if (!document || !context.settings().enable) return [];
      // Null when cancelled (a newer version arrived: the client asks again for it; or the settings changed).
      const analysis = await context.cache.getAsync(document);
      return analysis ? documentLinks(analysis.file, { serverUrl: context.settings().github.serverUrl }) : [];
    });
  },
};
