/**
 * The "Ignore <rule> on this line" quick fix: adds `# warden: ignore[<rule>] reason` at the end of the
 * finding's first line, or adds the rule to an ignore comment already on that line. When that line is
 * text of a block scalar (a `run: |` script), where a `#` is not a YAML comment, the comment goes on the
 * scalar's header line (`run: |`) instead, which is in the finding's suppression span (./spans.ts). It
 * is not offered inside other multi-line scalars (quoted or plain), and the edit is checked by
 * re-parsing: the chosen line must then carry an ignore for the rule.
 */
import { ParsedFile } from '../parse/document';
import type { Span } from '../parse/text';
import { walkScalars } from '../parse/yaml-nodes';
import { builtInRule, type Fix, type OffsetEdit } from '../findings';
import { applyEdits } from '../fixes/edits';
import { AttachedCache, attachmentsOf } from '../parse/attached-cache';
import { ignoreComments } from './inline-ignores';
import { suppressionLines } from './spans';

export const REASON_PLACEHOLDER = 'reason';

type Suppressible = { ruleId: string; span: Span };

/** Broken YAML, our own failures and configuration problems are not suppressible findings. */
const unsuppressible = (ruleId: string) => builtInRule(ruleId)?.ignorable === false;

/** `line` is where the comment goes (0-based); `own` says whether that is the finding's first line. */
const ignoreFixOf = (ruleId: string, edit: OffsetEdit, own: boolean, line: number): Fix => ({
  title: own ? `Ignore ${ruleId} on this line` : `Ignore ${ruleId} with a comment on line ${line + 1} (the block's header)`,
  isPreferred: false,
  safety: 'safe',
  edits: [edit],
});

export function ignoreFix(file: ParsedFile, finding: Suppressible): Fix | null {
  if (unsuppressible(finding.ruleId)) return null;
  const line = commentLine(file, finding.span);
  if (line === null) return null;
  const edit = ignoreEdit(file, line, finding.ruleId);
  if (!edit) return null;
  // Verify: the rewritten line must carry an ignore for the rule, seen by the same parser the engine uses
  // (the previous version is the file itself: only the edited job is re-parsed).
  const after = new ParsedFile(file.uri, file.kind, applyEdits(file.text, [edit]), file.version, file);
  if (!ignoreComments(after).some((comment) => comment.line === line && comment.rules.includes(finding.ruleId))) return null;
  return ignoreFixOf(finding.ruleId, edit, line === file.lines.lineAt(finding.span.start), line);
}

/** How many candidates `ignoreFixes` had to verify one by one (for the tests). */
export const ignoreFixStats = { verifiedAlone: 0 };

/**
 * `ignoreFix` of many findings of one file (a code-action request over a whole document), verified with a
 * few parses instead of one per finding. Each round parses the file with at most one candidate comment per
 * line (the first round takes the first candidate of every line, the next the second, and so on), and a
 * candidate is accepted when that parse makes no new problem and reads its comment as an ignore of its
 * rule. Comments end at the line end and change nothing else the parser reads, so each comment is then
 * also one in the file with only that comment added. Candidates of one line whose edits differ only in the
 * rule id (letters, digits and dashes, inside the comment) share one check. A candidate that a round does
 * not confirm (its parse has new problems) is verified alone, as `ignoreFix` does.
 */
export function ignoreFixes(file: ParsedFile, findings: readonly Suppressible[]): (Fix | null)[] {
  const result: (Fix | null)[] = findings.map(() => null);
  interface Candidate {
    ruleId: string;
    line: number;
    edit: OffsetEdit;
    indexes: number[];
    /** Candidates of the same line whose edit differs only in the rule id: they take this one's verdict. */
    alike: Candidate[];
  }
  const byLine = new Map<number, Map<string, Candidate>>();
  findings.forEach((finding, index) => {
    if (unsuppressible(finding.ruleId)) return;
    const line = commentLine(file, finding.span);
    if (line === null) return;
    let shapes = byLine.get(line);
    if (!shapes) byLine.set(line, (shapes = new Map()));
    const edit = ignoreEdit(file, line, finding.ruleId);
    if (!edit) return;
    const plainId = isPlainRuleId(finding.ruleId);
    // The edit with its rule id taken out: equal shapes parse alike.
    const shape = plainId ? `${edit.span.start}:${edit.newText.split(finding.ruleId).join('\u0000')}` : `${index}`;
    const representative = shapes.get(shape);
    if (!representative) {
      shapes.set(shape, { ruleId: finding.ruleId, line, edit, indexes: [index], alike: [] });
      return;
    }
    if (representative.ruleId === finding.ruleId) representative.indexes.push(index);
    else {
      const same = representative.alike.find((candidate) => candidate.ruleId === finding.ruleId);
      if (same) same.indexes.push(index);
      else representative.alike.push({ ruleId: finding.ruleId, line, edit, indexes: [index], alike: [] });
    }
  });
  const settle = (candidate: Candidate, confirmed: boolean) => {
    for (const index of candidate.indexes)
      result[index] = confirmed
        ? ignoreFixOf(
            candidate.ruleId,
            { span: { ...candidate.edit.span }, newText: candidate.edit.newText },
            file.lines.lineAt(findings[index].span.start) === candidate.line,
            candidate.line,
          )
        : null;
  };
  const queues = [...byLine.values()].map((shapes) => [...shapes.values()]);
  for (let round = 0; ; round++) {
    const batch = queues.filter((queue) => queue.length > round).map((queue) => queue[round]);
    if (batch.length === 0) break;
    // The edits insert no line break: line numbers are the same in the combined text.
    const combined =
      batch.length > 1
        ? new ParsedFile(
            file.uri,
            file.kind,
            insertAll(
              file.text,
              batch.map((candidate) => candidate.edit),
            ),
            file.version,
          )
        : null;
    const trusted =
      combined !== null &&
      combined.problems.length === file.problems.length &&
      combined.problems.every((problem, i) => problem.code === file.problems[i].code);
    const comments = trusted ? ignoreComments(combined) : [];
    for (const candidate of batch) {
      const confirmed = trusted && comments.some((comment) => comment.line === candidate.line && comment.rules.includes(candidate.ruleId));
      if (confirmed) {
        settle(candidate, true);
        for (const alike of candidate.alike) settle(alike, true);
        continue;
      }
      for (const each of [candidate, ...candidate.alike]) {
        ignoreFixStats.verifiedAlone++;
        settle(each, ignoreFix(file, findings[each.indexes[0]]) !== null);
      }
    }
  }
  return result;
}

/** Rule ids made of lowercase letters, digits and dashes (all of ours): inside a comment they change nothing. */
function isPlainRuleId(ruleId: string): boolean {
  if (ruleId.length === 0) return false;
  for (let i = 0; i < ruleId.length; i++) {
    const c = ruleId.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d)) return false;
  }
  return true;
}

/** The text with edits that replace nothing and lie on different lines applied, in one pass. */
function insertAll(text: string, edits: readonly OffsetEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.span.start - b.span.start);
  const parts: string[] = [];
  let at = 0;
  for (const edit of sorted) {
    parts.push(text.slice(at, edit.span.start), edit.newText);
    at = edit.span.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
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
  const text = file.lines.lineText(line);
  const pad = text.length === 0 || /[ \t]$/.test(text) ? '' : ' ';
  return { span: { start: end, end }, newText: `${pad}# warden: ignore[${ruleId}] ${REASON_PLACEHOLDER}` };
}

/** Per file: the scalars that span lines (only they can hold a line end), found with one walk. */
const MULTI_LINE_SCALARS = new AttachedCache<ParsedFile, { start: number; end: number; blockHeaderLine: number }[]>(
  'ignore-fix-scalars',
  attachmentsOf,
);

/**
 * The line to put the ignore comment of a finding at `span` on: its first line, or, when that line ends
 * inside a block scalar's text, the scalar's header line (when the finding's suppression span holds it).
 * Null when the first line ends inside another multi-line scalar, where no comment can be written.
 */
function commentLine(file: ParsedFile, span: Span): number | null {
  const line = file.lines.lineAt(span.start);
  const scalar = enclosingScalar(file, file.lines.lineContentEnd(line));
  if (!scalar) return line;
  if (scalar.blockHeaderLine === -1) return null;
  const lines = suppressionLines(file, span);
  return scalar.blockHeaderLine >= lines.first && scalar.blockHeaderLine <= lines.last ? scalar.blockHeaderLine : null;
}

/** The multi-line scalar in which `offset` (an end of line) lies strictly, where a `#` would be text; a block scalar's header line is not inside. */
function enclosingScalar(file: ParsedFile, offset: number): { start: number; end: number; blockHeaderLine: number } | null {
  let scalars = MULTI_LINE_SCALARS.get(file);
  if (!scalars) {
    const found: { start: number; end: number; blockHeaderLine: number }[] = [];
    walkScalars(file.doc?.contents ?? null, (scalar) => {
      const range = scalar.range;
      if (!range) return;
      const lineBreak = file.text.indexOf('\n', range[0]);
      const carriage = file.text.indexOf('\r', range[0]);
      if ((lineBreak === -1 || lineBreak >= range[1]) && (carriage === -1 || carriage >= range[1])) return;
      // A block scalar's header line (`run: |`) may end with a comment; its content lines may not.
      const block = scalar.type === 'BLOCK_LITERAL' || scalar.type === 'BLOCK_FOLDED';
      found.push({ start: range[0], end: range[1], blockHeaderLine: block ? file.lines.lineAt(range[0]) : -1 });
    });
    MULTI_LINE_SCALARS.set(file, (scalars = found));
  }
  const line = file.lines.lineAt(offset);
  return scalars.find((scalar) => offset > scalar.start && offset < scalar.end && scalar.blockHeaderLine !== line) ?? null;
}
