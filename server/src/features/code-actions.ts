/**
 * Code actions: the fixes of the findings under the cursor (quick fixes), the `uses:` actions of pinning.ts,
 * "Record checksum" (record-checksum.ts), and `source.fixAll.actionsWarden`, which applies every preferred
 * safe fix that does not overlap another. Stateless: the findings are those of the cached analysis of the
 * document's current version.
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type Range } from 'vscode-languageserver-types';
import { ignoreFixes } from '../suppressions/ignore-fix';
import type { Analysis } from '../document-cache';
import { fixAllEdits } from '../fixes/fix-all';
import { AttachedCache, attachmentsOf } from '../parse/attached-cache';
import type { ParsedFile } from '../parse/document';
import { isCodeActionParams } from '../params';
import type { Finding, Fix } from '../findings';
import { rangesTouch, toTextEdits, wantsKind } from './code-action-filters';
import { toDiagnostic, type RelatedUriMap } from './diagnostics';
import { onValidRequest, type Feature } from './feature';
import { pinningCodeActions } from './pinning';
import { recordChecksumActions } from './record-checksum';
import { releaseAgePolicyFor } from './release-age';
import { fixAllLockEdit, lockCodeActions, type FixAllLockEdit } from './lock-actions';
import { pinsWithLockIn } from './pin-all';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.actionsWarden`;

export function codeActions(
  analysis: Analysis,
  range: Range,
  only: readonly string[] | undefined,
  contextDiagnostics: readonly Diagnostic[],
  relatedUri?: RelatedUriMap,
): CodeAction[] {
  const actions: CodeAction[] = [];
  if (wantsKind(only, CodeActionKind.QuickFix)) {
    const touched = analysis.findings.filter((finding) => rangesTouch(finding.range, range));
    const ignores = analysis.file.kind === 'unknown' ? touched.map(() => null) : ignoreFixesOf(analysis.file, touched);
    touched.forEach((finding, index) => {
      const diagnostic = matchingDiagnostic(finding, contextDiagnostics) ?? toDiagnostic(finding, analysis, relatedUri);
      // "Ignore <rule> on this line" comes after the real fixes (suppressions/ignore-fix.ts).
      const ignore = ignores[index];
      for (const fix of ignore ? [...finding.fixes, ignore] : finding.fixes) {
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          isPreferred: fix.isPreferred,
          diagnostics: [diagnostic],
          edit: { changes: { [analysis.uri]: toTextEdits(analysis.file, fix.edits) } },
        });
      }
    });
  }
  if (wantsKind(only, FIX_ALL_KIND)) {
    const edits = fixAllEdits(analysis.findings);
    if (edits.length > 0) {
      actions.push({
        title: 'Fix all safe Actions Warden findings',
        kind: FIX_ALL_KIND,
        edit: { changes: { [analysis.uri]: toTextEdits(analysis.file, edits) } },
      });
    }
  }
  return actions;
}

/**
 * Adds the lock's edit to the fix-all action (made when the workflow itself needs none): one workspace edit
 * of the workflow and its lock, versioned where the client takes document changes.
 */
function addLockToFixAll(actions: CodeAction[], analysis: Analysis, lock: FixAllLockEdit, documentChanges: boolean): void {
  let fixAll = actions.find((action) => action.kind === FIX_ALL_KIND);
  if (!fixAll) {
    fixAll = { title: 'Fix all safe Actions Warden findings', kind: FIX_ALL_KIND, edit: { changes: {} } };
    actions.push(fixAll);
  }
  const own = fixAll.edit?.changes?.[analysis.uri] ?? [];
  const what = lock.added.length === 0 ? 'list' : `lock ${lock.added.length === 1 ? lock.added[0] : `${lock.added.length} entries`}`;
  fixAll.title = `${fixAll.title} (and ${what} in actions.lock)`;
  fixAll.edit = documentChanges
    ? {
        documentChanges: [
          ...(own.length > 0 ? [{ textDocument: { uri: analysis.uri, version: analysis.version }, edits: own }] : []),
          { textDocument: { uri: lock.lockUri, version: lock.version }, edits: lock.edits },
        ],
      }
    : { changes: { ...(own.length > 0 ? { [analysis.uri]: own } : {}), [lock.lockUri]: lock.edits } };
}

/**
 * The "Ignore <rule> on this line" fixes of findings of one parsed file, each computed once: a request over
 * the whole document verifies all of them with one parse (`ignoreFixes`), later requests read them back.
 * Keyed by rule and position, so they survive a re-run of the rules over the same file (online results).
 */
const IGNORE_FIXES = new AttachedCache<ParsedFile, Map<string, Fix | null>>('code-action-ignore-fixes', attachmentsOf);

function ignoreFixesOf(file: ParsedFile, findings: readonly Finding[]): (Fix | null)[] {
  let known = IGNORE_FIXES.get(file);
  if (!known) IGNORE_FIXES.set(file, (known = new Map()));
  const key = (finding: Finding) => `${finding.ruleId}\u0000${finding.span.start}`;
  const missing = findings.filter((finding) => !known!.has(key(finding)));
  const computed = ignoreFixes(file, missing);
  missing.forEach((finding, index) => known!.set(key(finding), computed[index]));
  return findings.map((finding) => known!.get(key(finding)) ?? null);
}

function matchingDiagnostic(finding: Finding, diagnostics: readonly Diagnostic[]): Diagnostic | undefined {
  return diagnostics.find(
    (diagnostic) =>
      diagnostic.code === finding.ruleId &&
      diagnostic.range.start.line === finding.range.start.line &&
      diagnostic.range.start.character === finding.range.start.character &&
      diagnostic.range.end.line === finding.range.end.line &&
      diagnostic.range.end.character === finding.range.end.character,
  );
}

export const codeActionsFeature: Feature = {
  capabilities: { codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false } },
  register(connection, context) {
    onValidRequest(connection, 'textDocument/codeAction', isCodeActionParams, async (params) => {
      // Pin fixes need resolved tags: wait (bounded) for the online results of this version. Fix-all runs on
      // save under VS Code's short codeActionsOnSave timeout, so it takes what is there almost at once.
      const only = params.context.only ?? undefined;
      const onlyFixAll = (only ?? []).length > 0 && only!.every((kind) => kind.startsWith(CodeActionKind.SourceFixAll));
      const analysis = await context.enrichedAnalysis(params.textDocument.uri, onlyFixAll ? 250 : 8000);
      if (!analysis) return [];
      const actions = codeActions(analysis, params.range, only, params.context.diagnostics, context.relatedUri);
      // In lockfile style, fix-all also locks the refs whose entries are already known, in the same edit; only
      // when fix-all is asked for by kind (on save, the source action menu), not for every light bulb.
      if (only !== undefined && wantsKind(only, FIX_ALL_KIND) && pinsWithLockIn(context)(analysis.file)) {
        const lock = await fixAllLockEdit(context, analysis);
        if (lock) addLockToFixAll(actions, analysis, lock, context.client.edits.documentChanges);
      }
      return [
        ...actions,
        ...(await pinningCodeActions(analysis, params.range, only, context.online, () =>
          releaseAgePolicyFor(context, params.textDocument.uri),
        )),
        ...recordChecksumActions(analysis, params.range, only, context.online.isOffline),
        ...lockCodeActions(analysis, params.range, only, context.online.isOffline, pinsWithLockIn(context)),
      ];
    });
  },
};
