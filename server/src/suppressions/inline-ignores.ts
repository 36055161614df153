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
import { suppressionLines, type LineRange } from './spans';

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

/**
 * Answers "is this finding suppressed by an inline comment?" and remembers which comment names were used.
 * Each question costs a binary search (comments are indexed by rule and line, containers by offset), and
 * a used name is recorded as the line range it covered, resolved once for unused-ignore: a file with many
 * comments and many findings stays linear-logarithmic.
 */
export class IgnoreTracker {
  readonly comments: IgnoreComment[];
  /** Per rule id: the indexes of the comments naming it, in line order. */
  private readonly byRule = new Map<string, number[]>();
  /** Per rule id: the line ranges of the findings of that rule that a comment suppressed. */
  private readonly covered = new Map<string, LineRange[]>();

  constructor(private readonly file: ParsedFile) {
    this.comments = ignoreComments(file);
    this.comments.forEach((comment, index) => {
      for (const rule of new Set(comment.rules)) {
        let list = this.byRule.get(rule);
        if (!list) this.byRule.set(rule, (list = []));
        list.push(index);
      }
    });
  }

  /** The comment naming the finding's rule in its suppression span nearest to the finding's first line, or null. */
  suppressing(finding: { ruleId: string; span: Span }): IgnoreComment | null {
    const list = this.byRule.get(finding.ruleId);
    if (!list) return null;
    const range = suppressionLines(this.file, finding.span);
    const line = this.file.lines.lineAt(finding.span.start);
    // The first comment at or after the finding's line, and the one before it: the nearest in range is one of them.
    let low = 0;
    let high = list.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.comments[list[middle]].line < line) low = middle + 1;
      else high = middle;
    }
    const after = low < list.length ? this.comments[list[low]] : null;
    const before = low > 0 ? this.comments[list[low - 1]] : null;
    const inRange = (comment: IgnoreComment | null) => comment !== null && comment.line >= range.first && comment.line <= range.last;
    const nearest =
      inRange(after) && (!inRange(before) || after!.line - line <= line - before!.line) ? after : inRange(before) ? before : null;
    if (!nearest) return null;
    let ranges = this.covered.get(finding.ruleId);
    if (!ranges) this.covered.set(finding.ruleId, (ranges = []));
    ranges.push(range);
    return nearest;
  }

  suppresses(finding: { ruleId: string; span: Span }): boolean {
    return this.suppressing(finding) !== null;
  }

  /** True when the comment at `index` suppressed at least one finding of `rule`. */
  used(index: number, rule: string): boolean {
    const line = this.comments[index].line;
    return this.coverage(rule)(line);
  }

  private coverages = new Map<string, (line: number) => boolean>();

  /** "Does a covered range of `rule` hold this line?", from the ranges sorted by first line with a running maximum of last lines. */
  private coverage(rule: string): (line: number) => boolean {
    let test = this.coverages.get(rule);
    if (test) return test;
    const ranges = [...(this.covered.get(rule) ?? [])].sort((a, b) => a.first - b.first);
    const reach: number[] = [];
    for (const range of ranges) reach.push(Math.max(range.last, reach.length > 0 ? reach[reach.length - 1] : -1));
    test = (line) => {
      let low = 0;
      let high = ranges.length;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (ranges[middle].first <= line) low = middle + 1;
        else high = middle;
      }
      return low > 0 && reach[low - 1] >= line;
    };
    this.coverages.set(rule, test);
    return test;
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
      if (rule === UNUSED_IGNORE_RULE || tracker.used(index, rule)) continue;
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
