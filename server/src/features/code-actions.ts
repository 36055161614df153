/**
 * Code actions: the fixes of the findings under the cursor (quick fixes), and `source.fixAll.actionsWarden`,
 * which applies every preferred safe fix that does not overlap another. Stateless: the findings are those
 * of the cached analysis of the document's current version.
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver-types';
import type { Analysis } from '../analysis';
import { ignoreFixes } from '../suppressions/ignore-fix';
import { AttachedCache, attachmentsOf } from '../parse/attached-cache';
import type { ParsedFile } from '../parse/document';
import type { Finding, Fix, OffsetEdit } from '../findings';
import { toDiagnostic } from './diagnostics';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.actionsWarden`;

export function toTextEdits(file: ParsedFile, edits: readonly OffsetEdit[]): TextEdit[] {
  return edits.map((edit) => ({ range: file.lines.range(edit.span), newText: edit.newText }));
}

function rangesTouch(a: Range, b: Range): boolean {
  const before = (x: Range['start'], y: Range['start']) => x.line < y.line || (x.line === y.line && x.character <= y.character);
  return before(a.start, b.end) && before(b.start, a.end);
}

export function codeActions(analysis: Analysis, range: Range, only: readonly string[] | undefined, contextDiagnostics: readonly Diagnostic[]): CodeAction[] {
  const wants = (kind: string) => !only || only.length === 0 || only.some((requested) => kind === requested || kind.startsWith(`${requested}.`));
  const actions: CodeAction[] = [];
  if (wants(CodeActionKind.QuickFix)) {
    const touched = analysis.findings.filter((finding) => rangesTouch(finding.range, range));
    const ignores = analysis.file.kind === 'unknown' ? touched.map(() => null) : ignoreFixesOf(analysis.file, touched);
    touched.forEach((finding, index) => {
      const diagnostic = matchingDiagnostic(finding, contextDiagnostics) ?? toDiagnostic(finding, analysis);
      // "Ignore <rule> on this line" comes after the real fixes (config/ignore-fix.ts).
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
  if (wants(FIX_ALL_KIND)) {
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

/** The edits of every preferred safe fix, skipping any that overlap an edit already taken. */
export function fixAllEdits(findings: readonly Finding[], accept: (fix: Fix) => boolean = (fix) => fix.isPreferred && fix.safety === 'safe'): OffsetEdit[] {
  const taken: OffsetEdit[] = [];
  const seen = new Set<string>();
  for (const finding of findings) {
    const fix = finding.fixes.find(accept);
    if (!fix) continue;
    const key = JSON.stringify(fix.edits);
    if (seen.has(key)) continue;
    const overlaps = fix.edits.some((edit) =>
      taken.some((other) => edit.span.start < other.span.end && other.span.start < edit.span.end || (edit.span.start === other.span.start && edit.span.end === other.span.end)),
    );
    if (overlaps) continue;
    seen.add(key);
    taken.push(...fix.edits);
  }
  return taken;
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
