/**
 * Inline suppressions: `# warden: ignore[rule-a,rule-b] reason` and zizmor's `# zizmor: ignore[...]`,
 * honoured on any line of the finding's suppression span: the step, job or top-level key it is in
 * (./spans.ts). Only real comments count: a `#` inside a quoted or block scalar (a shell comment in
 * `run: |`, say) is text, not YAML, and suppresses nothing.
 */
import type { ParsedFile } from '../parse/document';
import type { Span } from '../parse/text';
import { walkScalars } from '../parse/yaml-nodes';
import { ruleById } from '../rules';
import { BUILT_IN_RULES, UNUSED_IGNORE_RULE, type FindingReport, type OffsetEdit } from '../findings';
import { AttachedCache, attachmentsOf } from '../parse/attached-cache';
import { suppressionLines } from './spans';

const IGNORE_RE = /(?:^|\s)#\s*(warden|zizmor)\s*:\s*ignore\[([^\]]*)\]/g;

export interface IgnoreComment {
  line: number;
  /** Span of the whole marker, from `#`. */
  span: Span;
  tool: 'warden' | 'zizmor';
  rules: string[];
  /** Span of the text between the brackets. */
  listSpan: Span;
}

const cache = new AttachedCache<ParsedFile, IgnoreComment[]>('inline-ignores', attachmentsOf);

export function ignoreComments(file: ParsedFile): IgnoreComment[] {
  const cached = cache.get(file);
  if (cached) return cached;
  const found: IgnoreComment[] = [];
  if (file.text.includes('ignore[')) {
    const scalarSpans: Span[] = [];
    walkScalars(file.doc?.contents ?? null, (scalar) => {
      if (!scalar.range || scalar.type === 'PLAIN') return;
      let start = scalar.range[0];
      // A block scalar's header line (`run: | # comment`) may carry a real comment; its content may not.
      if (scalar.type === 'BLOCK_LITERAL' || scalar.type === 'BLOCK_FOLDED') start = file.lines.lineContentEnd(file.lines.lineAt(start));
      scalarSpans.push({ start, end: scalar.range[1] });
    });
    const insideScalar = (offset: number) => scalarSpans.some((span) => offset > span.start && offset < span.end);
    IGNORE_RE.lastIndex = 0;
    for (let match = IGNORE_RE.exec(file.text); match; match = IGNORE_RE.exec(file.text)) {
      const hash = match.index + match[0].indexOf('#');
      if (insideScalar(hash)) continue;
      const rules = match[2]
        .split(',')
        .map((rule) => rule.trim())
        .filter(Boolean);
      const end = match.index + match[0].length;
      found.push({
        line: file.lines.lineAt(hash),
        span: { start: hash, end },
        tool: match[1] as 'warden' | 'zizmor',
        rules,
        listSpan: { start: end - 1 - match[2].length, end: end - 1 },
      });
    }
  }
  cache.set(file, found);
  return found;
}

/** True when an ignore comment in the suppression span of a finding at `span` names `ruleId`. */
export function isIgnored(file: ParsedFile, ruleId: string, span: Span): boolean {
  const comments = ignoreComments(file);
  if (comments.length === 0) return false;
  const { first, last } = suppressionLines(file, span);
  return comments.some((comment) => comment.line >= first && comment.line <= last && comment.rules.includes(ruleId));
}

/** Ids that are not registry rules but that an ignore comment in an Actions file may legitimately name. */
const ENGINE_RULES = new Set(BUILT_IN_RULES.filter((rule) => rule.reportedOn === 'actions-file').map((rule) => rule.id));

/** Answers "is this finding suppressed by an inline comment?" and remembers which comment names were used. */
export class IgnoreTracker {
  readonly comments: IgnoreComment[];
  /** `${comment index}:${rule}` of every name that suppressed at least one finding. */
  readonly used = new Set<string>();

  constructor(private readonly file: ParsedFile) {
    this.comments = ignoreComments(file);
  }

  /** Every comment in the finding's suppression span that names its rule (all are marked used), nearest to the finding first. */
  suppressing(finding: { ruleId: string; span: Span }): IgnoreComment[] {
    if (this.comments.length === 0 || !this.comments.some((comment) => comment.rules.includes(finding.ruleId))) return [];
    const { first, last } = suppressionLines(this.file, finding.span);
    const found: IgnoreComment[] = [];
    this.comments.forEach((comment, index) => {
      if (comment.line >= first && comment.line <= last && comment.rules.includes(finding.ruleId)) {
        this.used.add(`${index}:${finding.ruleId}`);
        found.push(comment);
      }
    });
    const line = this.file.lines.lineAt(finding.span.start);
    return found.sort((a, b) => Math.abs(a.line - line) - Math.abs(b.line - line) || a.line - b.line);
  }

  suppresses(finding: { ruleId: string; span: Span }): boolean {
    return this.suppressing(finding).length > 0;
  }
}

/**
 * Reports for `warden:` ignore comments naming rules that suppressed nothing: a rule that ran on this
 * file (`ran`) and found nothing whose suppression span holds the comment, or an id no rule has. `zizmor:` comments are left alone
 * (zizmor may still need them), and so is a rule that is disabled or does not apply to this file.
 */
export function unusedIgnores(file: ParsedFile, tracker: IgnoreTracker, ran: ReadonlySet<string>): FindingReport[] {
  const reports: FindingReport[] = [];
  tracker.comments.forEach((comment, index) => {
    // A `zizmor:` comment belongs to zizmor, whose audits of the same name can be broader than ours
    // (zizmor's unpinned-uses also covers container images): only our own comments are judged.
    if (comment.tool !== 'warden') return;
    const unused: string[] = [];
    const unknown: string[] = [];
    for (const rule of new Set(comment.rules)) {
      if (rule === UNUSED_IGNORE_RULE || tracker.used.has(`${index}:${rule}`)) continue;
      if (ran.has(rule)) unused.push(rule);
      else if (comment.tool === 'warden' && !ENGINE_RULES.has(rule) && !ruleById(rule)) unknown.push(rule);
    }
    if (unused.length === 0 && unknown.length === 0) return;
    const stale = [...unused, ...unknown];
    const parts: string[] = [];
    if (unused.length > 0)
      parts.push(`no ${unused.map((rule) => `\`${rule}\``).join(' or ')} finding in the step, job or block of this line`);
    if (unknown.length > 0)
      parts.push(
        `${unknown.map((rule) => `\`${rule}\``).join(', ')} ${unknown.length === 1 ? 'is not a rule' : 'are not rules'} of Actions Warden`,
      );
    const kept = comment.rules.filter((rule) => !stale.includes(rule));
    reports.push({
      span: comment.span,
      message: `This ignore comment suppresses nothing for ${stale.map((rule) => `\`${rule}\``).join(', ')}: ${parts.join('; ')}.`,
      fixes: [
        {
          title:
            kept.length === 0
              ? 'Remove the unused ignore comment'
              : `Remove ${stale.map((rule) => `\`${rule}\``).join(', ')} from the ignore comment`,
          isPreferred: true,
          safety: 'safe',
          edits: [kept.length === 0 ? removeComment(file, comment) : { span: comment.listSpan, newText: kept.join(',') }],
        },
      ],
    });
  });
  return reports;
}

/** Deletes the comment (with its reason and the blanks before it), or its whole line when nothing else is on it. */
function removeComment(file: ParsedFile, comment: IgnoreComment): OffsetEdit {
  const lineStart = file.lines.offset({ line: comment.line, character: 0 });
  const contentEnd = file.lines.lineContentEnd(comment.line);
  let start = comment.span.start;
  while (start > lineStart && (file.text[start - 1] === ' ' || file.text[start - 1] === '\t')) start--;
  if (start === lineStart) {
    const nextLine = comment.line + 1 < file.lines.lineCount ? file.lines.offset({ line: comment.line + 1, character: 0 }) : contentEnd;
    return { span: { start: lineStart, end: nextLine }, newText: '' };
  }
  return { span: { start, end: contentEnd }, newText: '' };
}
