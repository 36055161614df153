/**
 * Completion where a security decision is being typed, and nowhere else (GitHub's own extension completes
 * the rest of the workflow schema; we coexist with it):
 * - `uses:` values: actions the workspace already uses, then the bundled catalogue, filtered by what is
 *   typed; an item inserts the pinned form `owner/repo@<commit> # vX.Y.Z`, or, where the repository pins
 *   with actions.lock, the readable tag `owner/repo@vX.Y.Z` with the "Add to actions.lock" command run
 *   once it is accepted (the lock is another file). The list is built from what is known at once (the
 *   workspace's own pins, the bundled release table); the newest release is resolved online for the chosen
 *   item only, in `completionItem/resolve`.
 * - `permissions:` values, scope keys and levels, with what each grants; in a job, the inferred minimal
 *   block first.
 * - `with:` keys of known actions, security-relevant inputs first.
 * Every item's edit replaces the typed token only (and the value's closing quote when it adds a comment
 * after it); indentation, quoting and the rest of the line are kept.
 */
import {
  CompletionItemKind,
  CompletionItemTag,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type Range,
} from 'vscode-languageserver-types';
import { ServerCommands } from '../../../shared/src/protocol';
import type { Analysis } from '../document-cache';
import { indentStep } from '../fixes/edits';
import { jobBlockLines } from '../fixes/permissions';
import { versionComment } from '../fixes/pin';
import { knownInputs } from '../knowledge/action-inputs';
import { advisoriesFor } from '../knowledge/advisories';
import { archivedAction } from '../knowledge/archived-actions';
import { PERMISSION_SCOPES } from '../knowledge/permissions';
import { ACTION_CATALOGUE } from '../knowledge/popular-actions';
import { bundledLatestRelease } from '../knowledge/release-versions';
import type { ParsedFile } from '../parse/document';
import type { LineIndex } from '../parse/text';
import { parseUses, usesTarget } from '../parse/uses';
import { inferJobPermissions } from '../permissions/infer';
import { isCompletionParams } from '../params';
import { FULL_SHA_RE, isValidRepoName } from '../resolve/types';
import { latestRelease } from '../resolve/versions';
import { typosquatTarget } from '../rules/typosquat-uses';
import { completionSpot, type CompletionSpot } from './completion-context';
import { onValidRequest, type Feature } from './feature';
import { within, type OnlineController } from './online';
import { pinsWithLockIn } from './pin-all';

/** A release to pin to: the commit and the version its comment names. */
export interface PinTarget {
  commit: string;
  version: string;
}

/** One action offered for `uses:`. */
export interface UsesCandidate {
  /** `owner/repo[/path]` as it will be written. */
  target: string;
  owner: string;
  repo: string;
  description: string | null;
  verified: boolean | null;
  fromWorkspace: boolean;
  /** What is known offline: a pin seen in the workspace or in the bundled release table. */
  pin: PinTarget | null;
  /** Where `pin` comes from, for the item's details. */
  pinSource: 'workspace' | 'bundled' | null;
  /** A tag the workspace uses unpinned (offered when nothing better is known offline). */
  tag: string | null;
  badges: string[];
}

/** What `completionItem/resolve` needs to pin the chosen item (sent to the client and back: checked again). */
interface UsesItemData {
  kind: 'uses';
  owner: string;
  repo: string;
  target: string;
  quote: string;
  comment: boolean;
  range: Range;
  /** Lockfile style: the document's URI, for the "Add to actions.lock" command of the resolved item. */
  lock?: string;
}

/** How the document's repository pins: with actions.lock (`style`), and whether locking can run now (`online`). */
export interface LockStyle {
  style: boolean;
  online: boolean;
}

const ADD_TO_LOCK = 'Add to actions.lock';

/** The command that locks `value` (a `uses:` value) for the workflow at `uri`, run once the item is accepted. */
function lockCommand(uri: string, value: string) {
  return { title: ADD_TO_LOCK, command: ServerCommands.addToLock.id, arguments: [uri, value] };
}

const MAX_WORKSPACE_FILES = 200;

/** The remote actions the given files use, one candidate per target, the best-known pin kept. */
export function workspaceCandidates(files: readonly ParsedFile[]): Map<string, UsesCandidate> {
  const found = new Map<string, UsesCandidate>();
  for (const file of files.slice(0, MAX_WORKSPACE_FILES)) {
    for (const site of file.uses) {
      const uses = site.reference;
      // Without `@ref` it is not a use GitHub runs, and most often the very value being typed.
      if (uses.kind !== 'remote' || uses.isReusableWorkflow || uses.refKind === null) continue;
      const target = usesTarget(uses);
      const key = target.toLowerCase();
      const candidate = found.get(key) ?? newCandidate(target, uses.owner, uses.repo, true);
      found.set(key, candidate);
      if (uses.refKind === 'sha' && !candidate.pin) {
        const comment = versionComment(file, site);
        if (comment) {
          candidate.pin = { commit: uses.ref!, version: comment.text };
          candidate.pinSource = 'workspace';
        }
      } else if (uses.refKind === 'version' && !candidate.tag) candidate.tag = uses.ref;
      if (uses.refKind === 'expression' && !candidate.badges.includes('not pinnable')) candidate.badges.push('not pinnable');
    }
  }
  return found;
}

function newCandidate(target: string, owner: string, repo: string, fromWorkspace: boolean): UsesCandidate {
  const repository = `${owner}/${repo}`;
  const badges: string[] = [];
  if (archivedAction(owner, repo)) badges.push('archived');
  if (advisoriesFor(repository).length > 0) badges.push('known-vulnerable versions');
  const squat = typosquatTarget(repository);
  if (squat) badges.push(`looks like ${squat}`);
  return { target, owner, repo, description: null, verified: null, fromWorkspace, pin: null, pinSource: null, tag: null, badges };
}

/** Workspace candidates first, then the catalogue (with its sub-path actions), filtered by the typed prefix. */
export function usesCandidates(workspace: Map<string, UsesCandidate>, typed: string): UsesCandidate[] {
  const all = new Map(workspace);
  for (const entry of ACTION_CATALOGUE) {
    const [owner, repo] = entry.action.split('/');
    const targets = [{ target: entry.action, description: entry.description }].concat(
      (entry.paths ?? []).map((path) => ({ target: `${entry.action}/${path.path}`, description: path.description })),
    );
    for (const { target, description } of targets) {
      const key = target.toLowerCase();
      const candidate = all.get(key) ?? newCandidate(target, owner, repo, false);
      candidate.description ??= description;
      candidate.verified ??= entry.verified;
      all.set(key, candidate);
    }
  }
  const wanted = typed.toLowerCase().split('@')[0];
  const result: UsesCandidate[] = [];
  for (const candidate of all.values()) {
    if (!matches(candidate.target.toLowerCase(), wanted)) continue;
    if (!candidate.pin) {
      const bundled = bundledLatestRelease(`${candidate.owner}/${candidate.repo}`);
      if (bundled) {
        candidate.pin = { commit: bundled.commit, version: bundled.version };
        candidate.pinSource = 'bundled';
      }
    }
    result.push(candidate);
  }
  return result;
}

/** `typed` starts the target, its repository name, or (without a slash) its owner. */
function matches(target: string, typed: string): boolean {
  if (typed === '' || target.startsWith(typed)) return true;
  if (typed.includes('/')) return false;
  const repo = target.slice(target.indexOf('/') + 1);
  return repo.startsWith(typed);
}

/**
 * The text an item writes for `target`. Pinning style `sha`: the commit with the release in a comment
 * after the value. Lockfile style (`lock`): the readable tag, which the item's command then locks.
 */
export function usesInsertion(
  spot: Extract<CompletionSpot, { kind: 'uses' }>,
  target: string,
  pin: PinTarget | null,
  tag: string | null,
  lock = false,
): string {
  const close = spot.quote;
  if (lock) {
    const ref = pin?.version ?? tag;
    return ref ? `${target}@${ref}${close}` : `${target}@${spot.closed ? close : ''}`;
  }
  if (pin) return `${target}@${pin.commit}${close}${spot.commented || spot.blocked ? '' : ` # ${pin.version}`}`;
  if (tag) return `${target}@${tag}${close}`;
  return `${target}@${spot.closed ? close : ''}`;
}

function usesItems(
  analysis: Analysis,
  spot: Extract<CompletionSpot, { kind: 'uses' }>,
  files: readonly ParsedFile[],
  lock: LockStyle,
): CompletionItem[] {
  const lines = analysis.file.lines;
  const range = lines.range({ start: spot.start, end: spot.end });
  const locking = lock.style && analysis.file.kind === 'workflow';
  return usesCandidates(workspaceCandidates(files), spot.prefix).map((candidate, index) => {
    const tag = candidate.pin ? null : candidate.tag;
    const newText = usesInsertion(spot, candidate.target, candidate.pin, tag, locking);
    const ref = candidate.pin?.version ?? tag;
    const notes: string[] = [];
    if (candidate.pin)
      notes.push(`${candidate.pin.version} (${candidate.pinSource === 'bundled' ? 'bundled release table' : 'pinned in this workspace'})`);
    else if (candidate.tag && !locking) notes.push(`@${candidate.tag}: needs pinning (resolving…)`);
    if (locking && ref)
      notes.push(
        lock.online
          ? 'added to actions.lock when accepted'
          : 'will need locking in actions.lock (offline: run Add to actions.lock once online)',
      );
    const badges = [...candidate.badges];
    if (candidate.verified) badges.unshift('verified publisher');
    const data: UsesItemData = {
      kind: 'uses',
      owner: candidate.owner,
      repo: candidate.repo,
      target: candidate.target,
      quote: spot.quote,
      comment: !spot.commented && !spot.blocked,
      range,
    };
    if (locking) data.lock = analysis.uri;
    const item: CompletionItem = {
      label: candidate.target,
      kind: CompletionItemKind.Module,
      labelDetails: { description: [candidate.fromWorkspace ? 'in workspace' : '', ...badges].filter(Boolean).join(' · ') || undefined },
      detail: [candidate.description, ...notes].filter(Boolean).join(' — ') || undefined,
      documentation: usesDocumentation(candidate, locking),
      tags: candidate.badges.includes('archived') ? [CompletionItemTag.Deprecated] : undefined,
      sortText: `${candidate.fromWorkspace ? 0 : 1}${candidate.badges.length > 0 ? 1 : 0}${String(index).padStart(4, '0')}`,
      filterText: candidate.target,
      textEdit: { range, newText },
      insertTextFormat: InsertTextFormat.PlainText,
      data,
    };
    if (locking && ref && lock.online) item.command = lockCommand(analysis.uri, `${candidate.target}@${ref}`);
    return item;
  });
}

function usesDocumentation(candidate: UsesCandidate, lock: boolean): { kind: 'markdown'; value: string } {
  const lines = [`**${candidate.target}**${candidate.description ? ` — ${candidate.description}` : ''}`];
  if (candidate.verified !== null)
    lines.push(candidate.verified ? 'Publisher: GitHub or a verified Marketplace creator.' : 'Publisher: not confirmed as verified.');
  const archived = archivedAction(candidate.owner, candidate.repo);
  if (archived) lines.push(`⚠ Archived: it gets no fixes.${archived.replacement ? ` Use ${archived.replacement} instead.` : ''}`);
  const advisories = advisoriesFor(`${candidate.owner}/${candidate.repo}`);
  if (advisories.length > 0)
    lines.push(`⚠ Known-vulnerable versions: ${advisories.map((advisory) => advisory.ghsa).join(', ')}. Pin a fixed release.`);
  const squat = candidate.badges.find((badge) => badge.startsWith('looks like '));
  if (squat) lines.push(`⚠ One character away from \`${squat.slice('looks like '.length)}\` under another owner: check the spelling.`);
  if (candidate.badges.includes('not pinnable')) lines.push('The workspace uses it with an expression as ref, which cannot be pinned.');
  lines.push(
    lock
      ? 'This repository pins with actions.lock: inserts the latest release tag and adds its entry to the lock.'
      : 'Inserts the latest release pinned to its commit SHA, with the version in a comment.',
  );
  return { kind: MarkupKind.Markdown, value: lines.join('\n\n') };
}

function isUsesItemData(data: unknown): data is UsesItemData {
  const value = data as Partial<UsesItemData> | null;
  return (
    !!value &&
    typeof value === 'object' &&
    value.kind === 'uses' &&
    typeof value.owner === 'string' &&
    typeof value.repo === 'string' &&
    typeof value.target === 'string' &&
    (value.quote === '' || value.quote === "'" || value.quote === '"') &&
    typeof value.comment === 'boolean' &&
    (value.lock === undefined || typeof value.lock === 'string') &&
    !!value.range &&
    typeof value.range === 'object'
  );
}

/**
 * Resolves the newest release of the chosen action and rewrites the item's edit to pin it. Offline, or
 * when the repository does not resolve, the item stays as listed and says why.
 */
export async function resolveUsesItem(
  item: CompletionItem,
  listRefs: OnlineController['listRefs'],
  waitMs: number,
): Promise<CompletionItem> {
  const data = item.data;
  if (!isUsesItemData(data) || !isValidRepoName(data.owner, data.repo)) return item;
  const target = data.target.toLowerCase().startsWith(`${data.owner}/${data.repo}`.toLowerCase())
    ? data.target
    : `${data.owner}/${data.repo}`;
  const say = (note: string): CompletionItem => ({
    ...item,
    documentation: { kind: MarkupKind.Markdown, value: [documentationText(item), note].filter(Boolean).join('\n\n') },
  });
  const pending = listRefs(data.owner, data.repo);
  if (!pending)
    return say(
      data.lock !== undefined
        ? '_Offline: the latest release is not resolved. A tag written here will need locking (Add to actions.lock, when online)._'
        : listedPin(item)
          ? '_Offline: pinned to the release named above, known without the network; a newer release is not looked up._'
          : '_Offline: the latest release is not resolved. A tag written here will need pinning (the pin quick fix, when online)._',
    );
  const refs = await within(pending, waitMs, null);
  if (!refs) return say('_The latest release did not resolve in time: pin it with the quick fix once it does._');
  if (!refs.ok) return say(`_Could not resolve ${data.owner}/${data.repo}: ${refs.error.message}._`);
  const latest = latestRelease(refs.value, 'v') ?? latestRelease(refs.value);
  if (!latest) return say(`_${data.owner}/${data.repo} has no release tag: pin a commit by hand._`);
  const close = data.quote;
  if (data.lock !== undefined) {
    const value = `${target}@${latest.name}`;
    return {
      ...item,
      detail: `${latest.name} (latest release) · added to actions.lock when accepted`,
      textEdit: { range: data.range, newText: `${value}${close}` },
      command: lockCommand(data.lock, value),
      documentation: {
        kind: MarkupKind.Markdown,
        value: [
          documentationText(item),
          `Latest release \`${latest.name}\` is commit \`${latest.commit}\`; accepting adds its entry to actions.lock.`,
        ].join('\n\n'),
      },
    };
  }
  const newText = `${target}@${latest.commit}${close}${data.comment ? ` # ${latest.name}` : ''}`;
  return {
    ...item,
    detail: `${latest.name} (latest release) · ${latest.commit.slice(0, 12)}…`,
    textEdit: { range: data.range, newText },
    documentation: {
      kind: MarkupKind.Markdown,
      value: [documentationText(item), `Latest release \`${latest.name}\` is commit \`${latest.commit}\`.`].join('\n\n'),
    },
  };
}

/** True when the item as listed already writes a full commit SHA (a workspace pin or the bundled release table). */
function listedPin(item: CompletionItem): boolean {
  const edit = item.textEdit;
  const text = edit && typeof edit === 'object' && typeof edit.newText === 'string' ? edit.newText : '';
  const at = text.indexOf('@');
  return at >= 0 && FULL_SHA_RE.test(text.slice(at + 1, at + 41));
}

function documentationText(item: CompletionItem): string {
  const doc = item.documentation;
  return typeof doc === 'string' ? doc : (doc?.value ?? '');
}

// ---------------------------------------------------------------------------------------------------
// permissions:

const LEVELS: Record<string, readonly string[]> = { 'id-token': ['write', 'none'], models: ['read', 'none'] };

function scopeDocumentation(scope: string): string {
  const info = PERMISSION_SCOPES[scope];
  const parts = [`**${scope}**`];
  if (!info.read.startsWith('(')) parts.push(`\`read\`: ${info.read}`);
  if (!info.write.startsWith('(')) parts.push(`\`write\`: ${info.write}`);
  parts.push('`none`: no access');
  return parts.join('\n\n');
}

/** The job whose block holds `offset`, in a workflow. */
function jobAt(file: ParsedFile, offset: number) {
  return file.workflow?.jobs.find((job) => job.span.start <= offset && offset <= job.span.end) ?? null;
}

/** The inferred minimal scope lines of the job at `offset` (`contents: read  # actions/checkout`); null outside a job or when unknown. */
function inferredLines(file: ParsedFile, offset: number): { lines: string[]; empty: boolean } | null {
  const workflow = file.workflow;
  const job = jobAt(file, offset);
  if (!workflow || !job) return null;
  const block = jobBlockLines(inferJobPermissions(workflow, job), '', true);
  if (!block) return null;
  if (block[0].startsWith('permissions: {}')) return { lines: [], empty: true };
  return { lines: block.slice(1), empty: false };
}

function permissionItems(file: ParsedFile, spot: CompletionSpot, lines: LineIndex): CompletionItem[] {
  const range = lines.range({ start: spot.start, end: spot.end });
  const eol = lines.eol;
  const items: CompletionItem[] = [];
  if (spot.kind === 'permissions-value') {
    const inferred = inferredLines(file, spot.keyStart);
    const step = indentStep(file);
    if (inferred && !inferred.empty) {
      const indent = spot.keyIndent + step;
      // From the colon: no space is left at the end of the key's line.
      const blockRange = lines.range({ start: spot.afterColon, end: spot.end });
      const item = inferredItem(blockRange, inferred.lines.map((line) => `${eol}${indent}${line}`).join(''), inferred.lines);
      item.filterText = `${lines.text.slice(spot.afterColon, spot.start)}${inferred.lines[0]}`;
      items.push(item);
    }
    items.push(
      valueItem(range, '{}', 'No permissions: the token can do nothing. The safe default at workflow level.', inferred?.empty ? '00' : '1'),
      valueItem(range, 'read-all', 'Read access to every scope.', '2'),
      valueItem(range, 'write-all', '⚠ Write access to every scope: what a compromised step gets.', '3'),
    );
    return items;
  }
  if (spot.kind === 'permission-key') {
    const inferred = spot.present.size === 0 ? inferredLines(file, spot.keyStart) : null;
    if (inferred && !inferred.empty) items.push(inferredItem(range, inferred.lines.join(`${eol}${spot.indent}`), inferred.lines));
    for (const scope of Object.keys(PERMISSION_SCOPES)) {
      if (spot.present.has(scope)) continue;
      items.push({
        label: scope,
        kind: CompletionItemKind.Property,
        documentation: { kind: MarkupKind.Markdown, value: scopeDocumentation(scope) },
        sortText: `1${scope}`,
        textEdit: { range, newText: `${scope}: ` },
      });
    }
    return items;
  }
  if (spot.kind === 'permission-level') {
    if (!Object.hasOwn(PERMISSION_SCOPES, spot.scope)) return [];
    const info = PERMISSION_SCOPES[spot.scope];
    const levels = LEVELS[spot.scope] ?? ['read', 'write', 'none'];
    return levels.map((level, index) => ({
      label: level,
      kind: CompletionItemKind.EnumMember,
      detail: level === 'read' ? info.read : level === 'write' ? info.write : 'no access',
      sortText: String(index),
      textEdit: { range, newText: level },
    }));
  }
  return items;
}

function inferredItem(range: Range, newText: string, lines: readonly string[]): CompletionItem {
  return {
    label: 'minimal permissions for this job (inferred)',
    kind: CompletionItemKind.Snippet,
    detail: lines.map((line) => line.split('  #')[0]).join(', '),
    documentation: {
      kind: MarkupKind.Markdown,
      value: `What the job's steps need, each scope with the step that needs it:\n\n\`\`\`yaml\n${lines.join('\n')}\n\`\`\``,
    },
    sortText: '0',
    preselect: true,
    filterText: range.start.character === range.end.character ? undefined : lines[0],
    textEdit: { range, newText },
  };
}

function valueItem(range: Range, value: string, documentation: string, sortText: string): CompletionItem {
  return { label: value, kind: CompletionItemKind.Value, documentation, sortText, textEdit: { range, newText: value } };
}

// ---------------------------------------------------------------------------------------------------
// with:

function withItems(spot: Extract<CompletionSpot, { kind: 'with-key' }>, lines: LineIndex): CompletionItem[] {
  if (!spot.uses) return [];
  const uses = parseUses(spot.uses);
  if (uses.kind !== 'remote') return [];
  const target = usesTarget(uses);
  let inputs = knownInputs(target);
  if (inputs.length === 0 && uses.subpath) inputs = knownInputs(uses.repository);
  const range = lines.range({ start: spot.start, end: spot.end });
  return inputs
    .filter((input) => !spot.present.has(input.name))
    .map((input) => ({
      label: input.name,
      kind: CompletionItemKind.Property,
      labelDetails: input.security ? { description: 'security' } : undefined,
      detail: input.description,
      documentation: input.security ? { kind: MarkupKind.Markdown, value: `⚠ Security: ${input.security}` } : undefined,
      sortText: `${input.security ? 0 : 1}${input.name}`,
      textEdit: { range, newText: `${input.name}: ` },
    }));
}

/** The items at `offset` of an analysed Actions file; `files` are the workspace's parsed files (open documents). */
export function completionItems(
  analysis: Analysis,
  offset: number,
  files: readonly ParsedFile[],
  lock: LockStyle = { style: false, online: false },
): CompletionItem[] {
  const file = analysis.file;
  if (file.kind !== 'workflow' && file.kind !== 'action') return [];
  const spot = completionSpot(file.lines, offset);
  if (!spot) return [];
  switch (spot.kind) {
    case 'uses':
      return usesItems(analysis, spot, files, lock);
    case 'with-key':
      return withItems(spot, file.lines);
    default:
      return file.kind === 'workflow' ? permissionItems(file, spot, file.lines) : [];
  }
}

export const completionFeature: Feature = {
  capabilities: { completionProvider: { resolveProvider: true, triggerCharacters: ['/', ' '] } },
  register(connection, context) {
    const pinsWithLock = pinsWithLockIn(context);
    onValidRequest(connection, 'textDocument/completion', isCompletionParams, (params): CompletionList | null => {
      const analysis = context.currentAnalysis(params.textDocument.uri);
      const document = context.documents.get(params.textDocument.uri);
      if (!analysis || !document) return null;
      // The workspace view: the open documents (a workspace index, when there is one, adds its files here).
      const files = context.documents
        .all()
        .map((open) => (open.uri === analysis.uri ? analysis : context.currentAnalysis(open.uri)))
        .flatMap((other) => (other ? [other.file] : []));
      const lock = { style: pinsWithLock(analysis.file), online: !context.online.isOffline };
      const items = completionItems(analysis, document.offsetAt(params.position), files, lock);
      return items.length === 0 ? null : { isIncomplete: false, items };
    });
    connection.onRequest('completionItem/resolve', async (item: CompletionItem) => {
      if (!item || typeof item !== 'object') return item;
      return resolveUsesItem(item, (owner, repo) => context.online.listRefs(owner, repo), 5000);
    });
  },
};
