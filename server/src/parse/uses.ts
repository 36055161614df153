/**
 * Parser for the value of `uses:`: remote actions and reusable workflows, local (`./`) and same-repository
 * (`$/`) references, and Docker images. Offsets are relative to the start of the value string.
 */
import { TextMemo } from './text-memo';
import { cutFromFirst } from './strings';

export type RefKind =
  /** A full 40-hex commit SHA: a real pin. */
  | 'sha'
  /** 7 to 39 hex digits: looks like an abbreviated commit, which is not a pin. */
  | 'short-sha'
  /** `v4`, `v4.2`, `v4.2.2`, `1.0.0`, `v1.2.3-beta.1`. */
  | 'version'
  /** Anything else: `main`, `master`, `release/v1`, `feature-x`. Resolves to a branch or a tag. */
  | 'branch-like'
  /** Contains `${{`: evaluated at run time, cannot be pinned. */
  | 'expression';

export interface RemoteUses {
  kind: 'remote';
  owner: string;
  repo: string;
  /** Path inside the repository for subpath actions and reusable workflows (no leading slash). */
  subpath: string | null;
  /** `owner/repo` — the repository that is fetched. */
  repository: string;
  /** True for `owner/repo/.github/workflows/x.yml@ref`. */
  isReusableWorkflow: boolean;
  ref: string | null;
  refKind: RefKind | null;
  /** Offsets of the ref inside the value (after `@`), or of the end of the value when there is none. */
  refStart: number;
  refEnd: number;
  /**
   * How the path was written when it is not the plain `owner/repo[/path]` that `owner`, `repo` and `subpath`
   * give: `normalized` when `.`, `..` or empty segments were folded away (`actions/checkout/.@v4` is
   * `actions/checkout`), `escapes` when a `..` leaves the repository that is fetched (`evil/x/../../actions/checkout`
   * fetches `evil/x`, and `owner`/`repo` stay the fetched ones). Null for a plain path.
   */
  obscured: { kind: 'normalized' | 'escapes'; written: string } | null;
}

export interface LocalUses {
  kind: 'local';
  /** `./path` as written. */
  path: string;
  isReusableWorkflow: boolean;
}

export interface SelfRepositoryUses {
  kind: 'self';
  /** The path after `$/`. */
  path: string;
  isReusableWorkflow: boolean;
}

export interface DockerUses {
  kind: 'docker';
  image: string;
  tag: string | null;
  digest: string | null;
}

export interface InvalidUses {
  kind: 'invalid';
  reason: string;
}

export type UsesReference = RemoteUses | LocalUses | SelfRepositoryUses | DockerUses | InvalidUses;

const SHA_RE = /^[0-9a-f]{40}$/;
const SHORT_SHA_RE = /^[0-9a-f]{7,39}$/;
const VERSION_RE = /^v?\d+(\.\d+){0,3}([-+][0-9A-Za-z.+-]+)?$/;

export function classifyRef(ref: string): RefKind {
  if (ref.includes('${{')) return 'expression';
  if (SHA_RE.test(ref)) return 'sha';
  if (SHORT_SHA_RE.test(ref) && !VERSION_RE.test(ref)) return 'short-sha';
  if (VERSION_RE.test(ref)) return 'version';
  return 'branch-like';
}

function isWorkflowPath(path: string): boolean {
  return /^\.github\/workflows\/[^/]+\.ya?ml$/.test(path);
}

export function parseUses(value: string): UsesReference {
  return typeof value === 'string' ? usesMemo.get(value) : readUses(value);
}

/** Parsed `uses:` values, shared across documents and versions (never mutate one). */
const usesMemo = new TextMemo(readUses, 2048, 1024);

function readUses(value: string): UsesReference {
  const text = value.trim();
  if (text === '') return { kind: 'invalid', reason: 'empty `uses:`' };
  if (text.startsWith('docker://')) return parseDocker(text.slice('docker://'.length));
  if (text.startsWith('./') || text === '.') {
    return { kind: 'local', path: text, isReusableWorkflow: isWorkflowPath(text.replace(/^\.\//, '')) };
  }
  if (text.startsWith('$/')) {
    const path = text.slice(2);
    return { kind: 'self', path, isReusableWorkflow: isWorkflowPath(cutFromFirst(path, '@')) };
  }
  const leading = value.length - value.trimStart().length;
  const at = text.indexOf('@');
  const target = at === -1 ? text : text.slice(0, at);
  if (/\s/.test(target)) return { kind: 'invalid', reason: `\`${text}\` contains white space before the \`@\`` };
  const written = target.split('/');
  const clean = normalizeUsesPath(written);
  const plain = clean.length === written.length;
  const fetched = written.length >= 2 && isName(written[0]) && isName(written[1]);
  const escapes =
    !plain &&
    fetched &&
    (clean.length < 2 || clean[0].toLowerCase() !== written[0].toLowerCase() || clean[1].toLowerCase() !== written[1].toLowerCase());
  const segments = escapes ? written : clean;
  if (segments.length < 2 || !isName(segments[0]) || !isName(segments[1])) {
    return { kind: 'invalid', reason: `\`${text}\` is not \`owner/repo@ref\`, \`./path\` or \`docker://image\`` };
  }
  const [owner, repo, ...rest] = segments;
  const subpath = rest.length > 0 ? rest.join('/') : null;
  const ref = at === -1 ? null : text.slice(at + 1);
  return {
    kind: 'remote',
    owner,
    repo,
    subpath,
    repository: `${owner}/${repo}`,
    isReusableWorkflow: subpath !== null && isWorkflowPath(subpath),
    ref,
    refKind: ref === null || ref === '' ? null : classifyRef(ref),
    refStart: leading + (at === -1 ? text.length : at + 1),
    refEnd: leading + text.length,
    obscured: plain ? null : { kind: escapes ? 'escapes' : 'normalized', written: target },
  };
}

/** An owner or repository name segment: not empty, `.` or `..`. */
function isName(segment: string): boolean {
  return segment !== '' && segment !== '.' && segment !== '..';
}

/**
 * Normalises a `/`-separated path as the runner's file system would: drops `.` and empty segments and folds
 * `x/..`; a `..` with nothing left to fold stays (leading `..`).
 */
export function normalizeUsesPath(segments: readonly string[]): string[] {
  const out: string[] = [];
  for (const segment of segments) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else out.push(segment);
  }
  return out;
}

/** The plain spelling of a remote `uses:` whose path was normalised (`owner/repo[/path][@ref]`), else null. */
export function normalizedUses(uses: RemoteUses): string | null {
  if (uses.obscured?.kind !== 'normalized') return null;
  return uses.ref === null ? usesTarget(uses) : `${usesTarget(uses)}@${uses.ref}`;
}

function parseDocker(image: string): DockerUses {
  const { name, tag, digest } = parseImage(image);
  return { kind: 'docker', image: name, tag, digest };
}

/** A container image reference, `[registry[:port]/]name[:tag][@digest]`, split into its parts. */
export interface ImageRef {
  name: string;
  tag: string | null;
  digest: string | null;
}

export function parseImage(text: string): ImageRef {
  let rest = text.trim();
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  // A tag follows the last colon after the last slash (a colon before it is a registry port).
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  let tag: string | null = null;
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { name: rest, tag, digest };
}

/** `owner/repo[/path]` of a remote reference, for messages. */
export function usesTarget(uses: RemoteUses): string {
  return uses.subpath ? `${uses.repository}/${uses.subpath}` : uses.repository;
}

/**
 * The action a `uses:` value names, normalised and lower-case (`owner/repo[/path]`), or null when it is not a
 * remote action. Compare action names through this (or `stepAction`), never the written text: `actions/checkout/.@v4`
 * is checkout.
 */
export function remoteActionName(value: string | null | undefined): string | null {
  const reference = parseUses(value ?? '');
  return reference.kind === 'remote' ? usesTarget(reference).toLowerCase() : null;
}
