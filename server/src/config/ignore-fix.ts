/**
 * The "Ignore <rule> on this line" quick fix: adds `# warden: ignore[<rule>] reason` at the end of the
 * finding's first line, or adds the rule to an ignore comment already on that line. It is offered only
 * where the comment would be a real YAML comment (not inside a block or multi-line scalar), and the edit
 * is checked by re-parsing: the finding's line must then carry an ignore for the rule.
 */
import { ParsedFile } from '../parse/document';
import type { Span } from '../parse/text';
import { walkScalars } from '../parse/yaml-nodes';
import type { Fix, OffsetEdit } from '../rules/types';
import { applyEdits } from '../fixes/edits';
import { ignoreComments } from './inline-ignores';

export const REASON_PLACEHOLDER = 'reason';

export function ignoreFix(file: ParsedFile, finding: { ruleId: string; span: Span }): Fix | null {
  // Broken YAML and our own failures are not suppressible findings.
  if (finding.ruleId === 'syntax-error' || finding.ruleId === 'internal-error' || finding.ruleId === 'config-error') return null;
  const line = file.lines.lineAt(finding.span.start);
  const edit = ignoreEdit(file, line, finding.ruleId);
  if (!edit) return null;
  // Verify: the rewritten line must carry an ignore for the rule, seen by the same parser the engine uses.
  const after = new ParsedFile(file.uri, file.kind, applyEdits(file.text, [edit]), file.version);
  if (!ignoreComments(after).some((comment) => comment.line === line && comment.rules.includes(finding.ruleId))) return null;
  return { title: `Ignore ${finding.ruleId} on this line`, isPreferred: false, safety: 'safe', edits: [edit] };
}

function ignoreEdit(file: ParsedFile, line: number, ruleId: string): OffsetEdit | null {
  const existing = ignoreComments(file).find((comment) => comment.line === line);
  if (existing) {
    if (existing.rules.includes(ruleId)) return null;
    const list = file.text.slice(existing.listSpan.start, existing.listSpan.end);
    const separator = list.trim() === '' ? '' : list.trimEnd().endsWith(',') ? '' : ',';
    return { span: { start: existing.listSpan.end, end: existing.listSpan.end }, newText: `${separator}${ruleId}` };
  }
  const end = file.lines.lineContentEnd(line);
  if (insideMultiLineScalar(file, end)) return null;
  const text = file.lines.lineText(line);
  const pad = text.length === 0 || /[ \t]$/.test(text) ? '' : ' ';
  return { span: { start: end, end }, newText: `${pad}# warden: ignore[${ruleId}] ${REASON_PLACEHOLDER}` };
}

/** True when `offset` (an end of line) lies strictly inside a scalar, where a `#` would be text. */
function insideMultiLineScalar(file: ParsedFile, offset: number): boolean {
  let inside = false;
  walkScalars(file.doc?.contents ?? null, (scalar) => {
    const range = scalar.range;
    if (!range || offset <= range[0] || offset >= range[1]) return;
    // A block scalar's header line (`run: |`) may end with a comment; its content lines may not.
    const header = (scalar.type === 'BLOCK_LITERAL' || scalar.type === 'BLOCK_FOLDED') && file.lines.lineAt(range[0]) === file.lines.lineAt(offset);
    if (!header) inside = true;
  });
  return inside;
}
