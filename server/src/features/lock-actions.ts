/**
 * Locking from the editor (online): the "Add to actions.lock" quick fix on `unlocked-uses` and
 * `lockfile-drift` (re-lock at the new ref), and the "Lock all actions of this workflow" command. Both
 * compute the entries with the resolver (lockfile/online.ts) and apply one workspace edit of the lock
 * beside the workflow, created with its header when absent. The lock is read and written only inside the
 * workspace folder holding the workflow (else the workflow's repository), links not followed.
 */
import { pathToFileURL } from 'node:url';
import { CodeActionKind, type CodeAction, type Range } from 'vscode-languageserver';
import type { CreateFile, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { ServerCommands, type LockActionResult } from '../../../shared/src/protocol';
import type { OffsetEdit } from '../findings';
import { uriToPath } from '../config/workspace';
import type { Analysis } from '../document-cache';
import { closureOf, coverageOf, lockableUses, onboardedWorkflow } from '../lockfile/coverage';
import { relockEdits, removeLockEntries, rewriteWorkflowList } from '../lockfile/edits';
import { MISSING, readPlainFileWithin, workflowsFolderOf } from '../lockfile/locate';
import { describePlan, planLock, usesToLock } from '../lockfile/online';
import { parseLockText, pinKeyOf } from '../lockfile/read';
import type { Lockfile } from '../lockfile/types';
import { ParsedFile } from '../parse/document';
import { LineIndex } from '../parse/text';
import type { RemoteUses } from '../parse/uses';
import { isAncestor } from '../resolve/ancestry';
import { computeLockEntry, tagForCommit } from '../resolve/lock-entry';
import type { RepoData } from '../resolve/repo-data';
import { refsFor, snapshotOf } from '../resolve/snapshot';
import { shaToTagEdits } from '../rules/unpinned-uses';
import { lockViewOf } from '../views';
import { toDiagnostic } from './diagnostics';
import { rangesTouch, wantsKind } from './code-action-filters';
import { showMessage, type Feature, type FeatureContext } from './feature';

export const ADD_TO_LOCK_TITLE = 'Add to actions.lock';
const LOCKING_RULES = new Set(['unlocked-uses', 'lockfile-drift']);

/**
 * The "Add to actions.lock" actions (a command: the entries are computed when chosen) of the findings in
 * `range`. In lockfile style (`pinsWithLock`), an `unpinned-uses` finding of a workflow the lock does not list
 * yet gets it too, preferred over the SHA rewrite: locking onboards the workflow (its list is added). A bare SHA
 * the lock covers gets "Write `<tag>` instead of the SHA and lock it" when the online results name a tag at its
 * commit (writeTagAndLock).
 */
export function lockCodeActions(
  analysis: Analysis,
  range: Range,
  only: readonly string[] | undefined,
  offline: boolean,
  pinsWithLock: (file: ParsedFile) => boolean = () => false,
): CodeAction[] {
  if (offline || !wantsKind(only, CodeActionKind.QuickFix) || analysis.file.kind !== 'workflow') return [];
  const lockStyle = pinsWithLock(analysis.file);
  const actions: CodeAction[] = [];
  const byValue = new Map<string, CodeAction>();
  for (const finding of analysis.findings) {
    const unpinned = finding.ruleId === 'unpinned-uses';
    if ((!LOCKING_RULES.has(finding.ruleId) && !unpinned) || !rangesTouch(finding.range, range)) continue;
    const site = analysis.file.uses.find(
      (candidate) => candidate.entry.valueSpan.start <= finding.span.start && finding.span.end <= candidate.entry.valueSpan.end,
    );
    if (site?.reference.kind !== 'remote') continue;
    if (finding.ruleId === 'unpinned-uses' && site.reference.refKind === 'sha') {
      // A bare SHA the lock covers: written as its tag, which is locked in the same edit.
      const tag = finding.fixes.length === 0 ? bareShaTag(analysis, site.reference) : null;
      if (tag === null || byValue.has(`tag\0${site.value}`)) continue;
      const tagTitle = `Write \`${tag}\` instead of the SHA and lock it (actions.lock)`;
      const action: CodeAction = {
        title: tagTitle,
        kind: CodeActionKind.QuickFix,
        isPreferred: true,
        diagnostics: [toDiagnostic(finding, analysis)],
        command: { title: tagTitle, command: ServerCommands.addToLock.id, arguments: [analysis.uri, site.value, tag] },
      };
      byValue.set(`tag\0${site.value}`, action);
      actions.push(action);
      continue;
    }
    if (unpinned && (!lockStyle || site.reference.refKind === 'expression' || !site.reference.ref)) continue;
    const title = finding.ruleId === 'lockfile-drift' ? `Re-lock at \`${site.reference.ref}\` (add to actions.lock)` : ADD_TO_LOCK_TITLE;
    const same = byValue.get(`${title}\0${site.value}`);
    if (same) {
      same.diagnostics?.push(toDiagnostic(finding, analysis));
      same.isPreferred ||= finding.ruleId !== 'lockfile-drift';
      continue;
    }
    const action: CodeAction = {
      title,
      kind: CodeActionKind.QuickFix,
      isPreferred: finding.ruleId !== 'lockfile-drift',
      diagnostics: [toDiagnostic(finding, analysis)],
      command: { title, command: ServerCommands.addToLock.id, arguments: [analysis.uri, site.value] },
    };
    byValue.set(`${title}\0${site.value}`, action);
    actions.push(action);
  }
  return actions;
}

/** The tag a bare SHA of an onboarded workflow would be written as (from the online results), or null. */
function bareShaTag(analysis: Analysis, uses: RemoteUses): string | null {
  const view = lockViewOf(analysis.file);
  if (!view || !onboardedWorkflow(view.lock, view.workflowPath) || coverageOf(view.lock, uses)?.state !== 'covered') return null;
  const refs = refsFor(snapshotOf(analysis.file), uses);
  return refs?.ok && uses.ref ? tagForCommit(refs.value, uses.ref) : null;
}

/** The workspace folder holding `path` (the longest), else null. */
function workspaceBase(context: FeatureContext, path: string): string | null {
  return (
    context
      .workspaceRoots()
      .map(uriToPath)
      .filter((root): root is string => root !== null && path.startsWith(root.endsWith('/') ? root : `${root}/`))
      .sort((a, b) => b.length - a.length)[0] ?? null
  );
}

export interface LockIo {
  applyEdit(label: string, edit: WorkspaceEdit): Promise<boolean>;
  notify(level: 'info' | 'warning', message: string): void;
}

interface LockTarget {
  folder: NonNullable<ReturnType<typeof workflowsFolderOf>>;
  lockUri: string;
  /** The lock's open document, if any. */
  open: { version: number } | undefined;
  /** The lock's text (undefined: there is none yet). */
  lockText: string | undefined;
  /** The workflow's text. */
  text: string;
}

/**
 * Reads the workflow at `uri` and the lock beside it, inside the workspace folder holding the workflow
 * (else its repository); `lockTexts` gives the lock's text already planned by an earlier workflow (by lock URI).
 */
function lockTarget(context: FeatureContext, uri: string, lockTexts?: ReadonlyMap<string, string | undefined>): LockTarget | string {
  const path = uriToPath(uri);
  const folder = path ? workflowsFolderOf(path) : null;
  if (!path || !folder || !/\.ya?ml$/i.test(path)) return 'only a workflow in .github/workflows can be locked.';
  const base = workspaceBase(context, path) ?? folder.repoRoot;
  let text = context.documents.get(uri)?.getText();
  if (text === undefined) {
    const read = readPlainFileWithin(base, path);
    if (typeof read !== 'string') return `${folder.key} could not be read.`;
    text = read;
  }
  const lockUri = pathToFileURL(folder.lockPath).href;
  const open = context.documents.get(lockUri);
  if (lockTexts?.has(lockUri)) return { folder, lockUri, open, lockText: lockTexts.get(lockUri), text };
  // The file on disk is checked even when the lock is open: an editor shows a link's text under the link's
  // URI and writes the edit through it, so a lock that links out of the repository is never edited.
  const read = readPlainFileWithin(base, folder.lockPath);
  if (read === null) return 'actions.lock beside the workflow cannot be read (a link, not a file, or too large): nothing was changed.';
  const lockText: string | undefined = open ? open.getText() : read === MISSING ? undefined : read;
  return { folder, lockUri, open, lockText, text };
}

/**
 * Locks `only` (a `uses:` value of the workflow at `uri`), or every `uses:` the lock lacks. With `tag`, `only`
 * is a bare SHA the lock covers: it is written as `tag` and `tag` is locked, in one edit of both files.
 */
export async function lockCommand(
  context: FeatureContext,
  io: LockIo,
  uri: string,
  only?: string,
  tag?: string,
): Promise<LockActionResult> {
  const done = (message: string, applied = false, offline = false): LockActionResult => {
    io.notify(applied ? 'info' : 'warning', `Actions Warden: ${message}`);
    return offline ? { applied, message, offline } : { applied, message };
  };
  const data = context.online.lockData;
  if (!data) return done('locking needs GitHub, and online checks are off (actionsWarden.offline): nothing was changed.', false, true);
  const target = lockTarget(context, uri);
  if (typeof target === 'string') return done(target);
  if (only !== undefined && tag !== undefined) return writeTagAndLock(context, io, uri, target, only, tag, done);
  const { folder, lockUri, open, lockText, text } = target;
  const values = only !== undefined ? [only] : usesToLock(new ParsedFile(uri, 'workflow', text), lockText, folder.key);
  const plan = await planLock(data, lockText, folder.key, values);
  const summary = describePlan(plan);
  if (plan.edits.length === 0) return done(`${summary}.`);
  const can = context.client.edits;
  let edit: WorkspaceEdit;
  if (lockText === undefined) {
    if (!can.documentChanges || !can.createFiles)
      return done(`the editor cannot create ${folder.key.replace(/[^/]+$/, 'actions.lock')}; run gh actions-lock.`);
    const documentChanges: (CreateFile | TextDocumentEdit)[] = [
      { kind: 'create', uri: lockUri, options: { ignoreIfExists: true } },
      {
        textDocument: { uri: lockUri, version: null },
        edits: [
          {
            range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
            newText: plan.edits.map((e) => e.newText).join(''),
          },
        ],
      },
    ];
    edit = { documentChanges };
  } else {
    const lines = new LineIndex(lockText);
    const edits: TextEdit[] = plan.edits.map((e) => ({ range: lines.range(e.span), newText: e.newText }));
    edit =
      can.documentChanges && open
        ? { documentChanges: [{ textDocument: { uri: lockUri, version: open.version }, edits }] }
        : { changes: { [lockUri]: edits } };
  }
  const applied = await io.applyEdit('Lock actions in actions.lock', edit);
  if (!applied) return done('the editor did not apply the edit to actions.lock (did it change meanwhile?).');
  context.configurationChanged();
  return done(`${summary}.`, true);
}

/**
 * "Write `tag` instead of the SHA and lock it": every `uses:` of the workflow written `value` (a bare SHA)
 * gets `tag`, checked now to still point at that commit; the lock gets the entry of `tag` (computed like
 * any other), the workflow's list names it instead of the SHA key, and the SHA's entry is removed when
 * nothing else needs it. One workspace edit of both documents, so neither is changed without the other.
 */
async function writeTagAndLock(
  context: FeatureContext,
  io: LockIo,
  uri: string,
  target: LockTarget,
  value: string,
  tag: string,
  done: (message: string, applied?: boolean) => LockActionResult,
): Promise<LockActionResult> {
  const data = context.online.lockData!;
  const { folder, lockUri, open, lockText, text } = target;
  if (lockText === undefined) return done('there is no actions.lock beside the workflow: nothing was changed.');
  const file = new ParsedFile(uri, 'workflow', text);
  const sites = file.uses.filter((site) => site.value === value && site.reference.kind === 'remote' && site.reference.refKind === 'sha');
  const uses = sites[0]?.reference as RemoteUses | undefined;
  if (!uses?.ref) return done(`\`${value}\` is no longer a bare SHA of this workflow: nothing was changed.`);
  const sha = uses.ref;
  const refs = await data.resolver.listRefs(uses.owner, uses.repo);
  if (!refs.ok) return done(`could not list the tags of ${uses.owner}/${uses.repo}: ${refs.error.message}`);
  const current = tagForCommit(refs.value, sha);
  if (current !== tag)
    return done(
      current === null
        ? `no tag of ${uses.owner}/${uses.repo} points at ${sha.slice(0, 12)} any more: nothing was changed.`
        : `\`${tag}\` no longer points at ${sha.slice(0, 12)} (\`${current}\` does): nothing was changed.`,
    );
  const workflowEdits: { span: { start: number; end: number }; newText: string }[] = [];
  for (const site of sites) {
    const edits = shaToTagEdits(file, site, site.reference as RemoteUses, tag);
    if (!edits) return done(`\`${value}\` is not written plainly enough to edit exactly: nothing was changed.`);
    workflowEdits.push(...edits);
  }
  const newValue = `${value.slice(0, value.lastIndexOf('@') + 1)}${tag}`;
  const plan = await planLock(data, lockText, folder.key, [newValue]);
  const tagKey = pinKeyOf(uses.owner, uses.repo, tag);
  const failed = plan.problems.find((problem) => problem.key === tagKey);
  if (plan.refused || failed) return done(`${describePlan(plan)}: nothing was changed.`);
  // The lock after the new entry, then the workflow's list without the SHA key, then without its entry.
  const rewritten = new ParsedFile(uri, 'workflow', applyOffsetEdits(text, workflowEdits));
  const lockAfter = dropReplaced(applyOffsetEdits(lockText, plan.edits), folder.key, rewritten, [pinKeyOf(uses.owner, uses.repo, sha)]);
  const lines = new LineIndex(text);
  const workflowTextEdits: TextEdit[] = workflowEdits.map((e) => ({ range: lines.range(e.span), newText: e.newText }));
  const lockTextEdits: TextEdit[] = [middleEdit(lockText, lockAfter)];
  const workflowOpen = context.documents.get(uri);
  const edit: WorkspaceEdit = context.client.edits.documentChanges
    ? {
        documentChanges: [
          { textDocument: { uri, version: workflowOpen?.version ?? null }, edits: workflowTextEdits },
          { textDocument: { uri: lockUri, version: open?.version ?? null }, edits: lockTextEdits },
        ],
      }
    : { changes: { [uri]: workflowTextEdits, [lockUri]: lockTextEdits } };
  const applied = await io.applyEdit(`Write ${tag} and lock it`, edit);
  if (!applied) return done('the editor did not apply the edit (did the workflow or actions.lock change meanwhile?).');
  context.configurationChanged();
  return done(
    `wrote \`${tag}\` for ${sites.length === 1 ? 'the SHA' : `${sites.length} uses of the SHA`} and ${describePlan(plan)}.`,
    true,
  );
}

/**
 * After `uses:` were rewritten from the keys `replaced` (their entries already joined by the new ones): the
 * workflow's list without the replaced keys the rewritten workflow no longer needs (nor what only they
 * used), and the entries of those keys that no workflow needs any more removed. Every other byte is kept.
 */
export function dropReplaced(lockText: string, workflowPath: string, rewritten: ParsedFile, replaced: readonly string[]): string {
  const lock = parseLockText(lockText);
  const needed = new Set(closureOf(lock, [...new Set(lockableUses(rewritten).map((found) => found.key))]));
  const candidates = new Set(closureOf(lock, replaced).filter((key) => !needed.has(key)));
  const listed = onboardedWorkflow(lock, workflowPath)?.pins.map((pin) => pin.normalized) ?? [];
  if (!listed.some((key) => candidates.has(key))) return lockText;
  let after = applyOffsetEdits(
    lockText,
    rewriteWorkflowList(
      lockText,
      workflowPath,
      listed.filter((key) => !candidates.has(key)),
    ),
  );
  // What the workflows still list, transitively, stays; the rest of the candidates goes.
  const relisted = parseLockText(after);
  const kept = new Set(
    closureOf(
      relisted,
      relisted.workflows.flatMap((workflow) => workflow.pins.map((pin) => pin.normalized)),
    ),
  );
  const unused = [...candidates].filter((key) => !kept.has(key));
  if (unused.length > 0) after = applyOffsetEdits(after, removeLockEntries(after, unused));
  return after;
}

/** A workflow whose `uses:` update-all rewrites, to be re-locked in the same edit. */
export interface RelockRequest {
  uri: string;
  /** The workflow's text the edits apply to. */
  text: string;
  edits: readonly OffsetEdit[];
  /** The pin keys of the rewritten `uses:` before the edits. */
  replaced: readonly string[];
  /** Floating tags (`v4`) whose tag moved: their entries are re-locked at `commit`, the tag's current commit. */
  refresh?: readonly FloatingRefresh[];
}

/** A floating tag of a locked workflow to re-lock where it points now. */
export interface FloatingRefresh {
  /** The `uses:` value and its pin key. */
  value: string;
  key: string;
  owner: string;
  repo: string;
  ref: string;
  /** The commit the tag names now (full SHA). */
  commit: string;
}

/** The re-locks of update-all: each lock's text before and after, and the workflows that could not be re-locked (with why). */
export interface RelockResult {
  locks: LockAllResult['locks'];
  notes: string[];
  /** By workflow URI: why it could not be re-locked (its edits must not be applied). */
  refused: Map<string, string>;
  /** Workflows the lock does not list (no lock, or not onboarded): nothing of theirs is locked. */
  unlisted: Set<string>;
  /** Floating tags not re-locked (their workflow's other updates still are), by workflow URI and `uses:` value, with why. */
  notRefreshed: { uri: string; value: string; reason: string }[];
}

/** The lock beside a workflow when it lists the workflow (the one relockRewrites edits), else null. */
export function listedLockOf(context: FeatureContext, uri: string): Lockfile | null {
  const target = lockTarget(context, uri);
  if (typeof target === 'string' || target.lockText === undefined) return null;
  const lock = parseLockText(target.lockText);
  return onboardedWorkflow(lock, target.folder.key) ? lock : null;
}

/**
 * The edit of `lockText` re-locking a floating tag at its current commit: only when that commit contains the
 * locked one (a tag moved forward; a tag re-pointed elsewhere is for review, as lockfile-unverified says),
 * and the entry computed there has the same ids and dependencies (then only its commit changes).
 */
async function refreshEdits(data: RepoData, lockText: string, refresh: FloatingRefresh): Promise<OffsetEdit[] | string> {
  const entry = parseLockText(lockText).entries.find((candidate) => candidate.normalized === refresh.key);
  const locked = entry?.commit ? /^sha1-([0-9a-f]{40})$/.exec(entry.commit.value)?.[1] : undefined;
  if (!entry || !locked) return 'its entry has no sha1 commit to compare';
  const ancestry = await isAncestor(data, refresh.owner, refresh.repo, locked, refresh.commit);
  if (ancestry.status === 'inconclusive') return `could not compare the commits: ${ancestry.reason}`;
  if (ancestry.status !== 'ancestor')
    return `\`${refresh.ref}\` now names ${refresh.commit.slice(0, 12)}, which does not contain the locked commit ${locked.slice(0, 12)}: review the change (lockfile-unverified) before re-locking`;
  const next = await computeLockEntry(data, refresh.owner, refresh.repo, refresh.ref);
  if (!next.ok) return next.error.message;
  if (next.value.commit !== `sha1-${refresh.commit}`) return `\`${refresh.ref}\` moved again meanwhile: run the command again`;
  const edits = relockEdits(lockText, entry, next.value);
  return edits.length > 0 ? edits : 'its dependencies or ids changed: re-lock it with gh actions-lock';
}

/**
 * Re-locks workflows whose `uses:` update-all rewrites (a tag moved to a newer release, a SHA to a newer
 * commit): the lock gets the new entries (planLock, as "Re-lock at `<ref>`"), the workflow's list names them
 * instead of the old keys, and old entries nothing needs any more go. One workflow after the other, so that
 * workflows sharing a lock see the earlier ones' changes. A workflow is refused (its edits must not be
 * applied) when the lock does not list it or any new entry cannot be computed. Nothing is applied.
 */
export async function relockRewrites(context: FeatureContext, requests: readonly RelockRequest[]): Promise<RelockResult> {
  const result: RelockResult = { locks: new Map(), notes: [], refused: new Map(), unlisted: new Set(), notRefreshed: [] };
  const data = context.online.lockData;
  const texts = new Map<string, string | undefined>();
  for (const request of requests) {
    if (!data) {
      result.refused.set(request.uri, 'locking needs GitHub, and online checks are off');
      continue;
    }
    const target = lockTarget(context, request.uri, texts);
    if (typeof target === 'string') {
      result.refused.set(request.uri, target);
      continue;
    }
    const { folder, lockUri, lockText, open } = target;
    if (lockText === undefined || !onboardedWorkflow(parseLockText(lockText), folder.key)) {
      result.unlisted.add(request.uri);
      continue;
    }
    const rewritten = new ParsedFile(request.uri, 'workflow', applyOffsetEdits(request.text, request.edits));
    const lock = parseLockText(lockText);
    // Only what the edits wrote: refs the workflow had before (locked or not) are not this command's business.
    const before = new Set(lockableUses(new ParsedFile(request.uri, 'workflow', request.text)).map((found) => found.key));
    const values = [
      ...new Set(
        lockableUses(rewritten)
          .filter(({ uses, key }) => !before.has(key) && coverageOf(lock, uses)?.state !== 'covered')
          .map(({ site }) => site.value),
      ),
    ];
    const plan = await planLock(data, lockText, folder.key, values);
    if (plan.refused || plan.problems.length > 0) {
      result.refused.set(request.uri, `${describePlan(plan)}: this workflow was not updated`);
      continue;
    }
    let after = dropReplaced(applyOffsetEdits(lockText, plan.edits), folder.key, rewritten, request.replaced);
    const refreshed: string[] = [];
    for (const refresh of request.refresh ?? []) {
      const edits = await refreshEdits(data, after, refresh);
      if (typeof edits === 'string') result.notRefreshed.push({ uri: request.uri, value: refresh.value, reason: edits });
      else {
        after = applyOffsetEdits(after, edits);
        refreshed.push(`${refresh.key} at ${refresh.commit.slice(0, 12)}`);
      }
    }
    if (after === lockText) continue;
    texts.set(lockUri, after);
    const known = result.locks.get(lockUri);
    result.locks.set(lockUri, { before: known ? known.before : lockText, after, open, key: folder.key });
    const removed = request.replaced.filter((key) => !parseLockText(after).entries.some((entry) => entry.normalized === key));
    const parts = values.length > 0 ? [describePlan(plan)] : [];
    if (removed.length > 0)
      parts.push(`removed ${removed.length} replaced ${removed.length === 1 ? 'entry' : 'entries'} (${removed.join(', ')})`);
    if (refreshed.length > 0) parts.push(`re-locked ${refreshed.join(', ')}`);
    result.notes.push(`${folder.key}: ${parts.join('; ')}`);
  }
  return result;
}

/** The edit of the lock that fix-all adds in lockfile style, for one workflow. */
export interface FixAllLockEdit {
  lockUri: string;
  /** The lock's open document version (null: not open). */
  version: number | null;
  edits: TextEdit[];
  /** The pin keys given entries. */
  added: string[];
}

/** Workflows whose refs are being resolved in the background for a later fix-all (one at a time each). */
const warming = new Set<string>();

/**
 * Fix-all in lockfile style (`source.fixAll.actionsWarden`, on save): the lock edit adding the entries of the
 * refs the lock does not cover, computed only from what is already known (the resolver's and the lock data's
 * caches: listings, ids, files at a commit); nothing is fetched, so it returns at once. Refs not known yet are
 * left out, and resolved in the background so that a later fix-all finds them. A workflow the lock does not
 * list yet is onboarded only when every entry it needs is known (a partial list would fail its runs under
 * enforcement). A lock is never created here. Null when there is nothing to add.
 */
export async function fixAllLockEdit(context: FeatureContext, analysis: Analysis): Promise<FixAllLockEdit | null> {
  const data = context.online.lockData;
  if (!data || context.online.isOffline || analysis.file.kind !== 'workflow') return null;
  const target = lockTarget(context, analysis.uri);
  if (typeof target === 'string' || target.lockText === undefined) return null;
  const { folder, lockUri, open, lockText } = target;
  const lock = parseLockText(lockText);
  const listed = onboardedWorkflow(lock, folder.key) !== undefined;
  // The analysed text, so that the lock matches the `uses:` fix-all sees (not a newer or older copy). Like the
  // preferred fixes: a ref with no entry is locked; a ref changed by hand (lockfile-drift) is not re-locked.
  const values = usesToLock(analysis.file, lockText, folder.key).filter((value) => {
    const site = analysis.file.uses.find((candidate) => candidate.value === value);
    return !listed || (site?.reference.kind === 'remote' && coverageOf(lock, site.reference)?.state === 'unlocked');
  });
  if (values.length === 0) return null;
  const plan = await planLock(data.cacheOnly(), lockText, folder.key, values);
  if (plan.problems.some((problem) => problem.error.kind === 'offline') && !warming.has(analysis.uri)) {
    warming.add(analysis.uri);
    void planLock(data, lockText, folder.key, values).finally(() => warming.delete(analysis.uri));
  }
  if (plan.edits.length === 0 || plan.refused) return null;
  if (!listed && plan.problems.length > 0) return null;
  // GitHub does not onboard a workflow with a `./` action: nothing to list it for.
  if (!listed && analysis.file.uses.some((site) => site.reference.kind === 'local')) return null;
  return {
    lockUri,
    version: open?.version ?? null,
    edits: [middleEdit(lockText, applyOffsetEdits(lockText, plan.edits))],
    added: plan.added,
  };
}

/** The locks "pin all" edits in lockfile style: each lock's text before and after, with what each workflow got. */
export interface LockAllResult {
  /** By lock URI. */
  locks: Map<string, { before: string | undefined; after: string; open: { version: number } | undefined; key: string }>;
  /** One line per workflow: what was locked, or why not. */
  notes: string[];
  /** New entries written. */
  locked: number;
}

/**
 * Locks every `uses:` the lock lacks for each workflow of `uris` (the lockWorkflow command's planning), one
 * after the other so that workflows sharing a lock see the entries the earlier ones added. Nothing is applied.
 */
export async function lockWorkflows(context: FeatureContext, uris: readonly string[]): Promise<LockAllResult> {
  const result: LockAllResult = { locks: new Map(), notes: [], locked: 0 };
  const data = context.online.lockData;
  if (!data) {
    result.notes.push('locking needs GitHub, and online checks are off (actionsWarden.offline): nothing was locked');
    return result;
  }
  const texts = new Map<string, string | undefined>();
  for (const uri of uris) {
    const target = lockTarget(context, uri, texts);
    if (typeof target === 'string') {
      result.notes.push(`${uri}: ${target}`);
      continue;
    }
    const { folder, lockUri, lockText, text, open } = target;
    const values = usesToLock(new ParsedFile(uri, 'workflow', text), lockText, folder.key);
    const plan = await planLock(data, lockText, folder.key, values);
    result.notes.push(`${folder.key}: ${describePlan(plan)}`);
    if (plan.edits.length === 0) continue;
    const after = lockText === undefined ? plan.edits.map((e) => e.newText).join('') : applyOffsetEdits(lockText, plan.edits);
    texts.set(lockUri, after);
    const known = result.locks.get(lockUri);
    result.locks.set(lockUri, { before: known ? known.before : lockText, after, open, key: folder.key });
    result.locked += plan.added.length;
  }
  return result;
}

function applyOffsetEdits(text: string, edits: readonly { span: { start: number; end: number }; newText: string }[]): string {
  let out = text;
  for (const edit of [...edits].sort((a, b) => b.span.start - a.span.start))
    out = out.slice(0, edit.span.start) + edit.newText + out.slice(edit.span.end);
  return out;
}

/** The one edit of `before` that gives `after`: the differing middle, every other byte kept. */
export function middleEdit(before: string, after: string): TextEdit {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end])
    end++;
  const lines = new LineIndex(before);
  return { range: lines.range({ start, end: before.length - end }), newText: after.slice(start, after.length - end) };
}

/** The commands behind "Add to actions.lock" and "Lock all actions of this workflow". */
export const lockActionsFeature: Feature = {
  register(connection, context) {
    const io: LockIo = {
      applyEdit: async (label, edit) => (await connection.workspace.applyEdit({ label, edit })).applied,
      notify: (level, message) => showMessage(connection, level, message),
    };
    return {
      commands: {
        [ServerCommands.addToLock.id]: (args) =>
          typeof args?.[0] === 'string' && typeof args[1] === 'string'
            ? lockCommand(context, io, args[0], args[1], typeof args[2] === 'string' ? args[2] : undefined)
            : { applied: false, message: 'expected a document URI and a `uses:` value' },
        [ServerCommands.lockWorkflow.id]: (args) => lockCommand(context, io, String(args?.[0] ?? '')),
      },
    };
  },
};
