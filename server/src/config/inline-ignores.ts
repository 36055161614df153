/**
 * Inline suppressions: `# warden: ignore[rule-a,rule-b] reason` and zizmor's `# zizmor: ignore[...]`,
 * honoured on any line a finding covers. Only real comments count: a `#` inside a quoted or block
 * scalar (a shell comment in `run: |`, say) is text, not YAML, and suppresses nothing.
 */
import type { ParsedFile } from '../parse/document';
import type { Span } from '../parse/text';
import { walkScalars } from '../parse/yaml-nodes';

const IGNORE_RE = /(?:^|\s)#\s*(warden|zizmor)\s*:\s*ignore\[([^\]]*)\]/g;

export interface IgnoreComment {
  line: number;
  /** Span of the whole marker, from `#`. */
  span: Span;
  tool: 'warden' | 'zizmor';
  rules: string[];
}

const cache = new WeakMap<ParsedFile, IgnoreComment[]>();

export function ignoreComments(file: ParsedFile): IgnoreComment[] {
  const cached = cache.get(file);
  if (cached) return cached;
  const found: IgnoreComment[] = [];
  if (file.text.includes('ignore[')) {
    const scalarSpans: Span[] = [];
    walkScalars(file.doc?.contents ?? null, (scalar) => {
      if (scalar.range && scalar.type !== 'PLAIN') scalarSpans.push({ start: scalar.range[0], end: scalar.range[1] });
    });
    const insideScalar = (offset: number) => scalarSpans.some((span) => offset > span.start && offset < span.end);
    IGNORE_RE.lastIndex = 0;
    for (let match = IGNORE_RE.exec(file.text); match; match = IGNORE_RE.exec(file.text)) {
      const hash = match.index + match[0].indexOf('#');
      if (insideScalar(hash)) continue;
      const rules = match[2].split(',').map((rule) => rule.trim()).filter(Boolean);
      found.push({ line: file.lines.lineAt(hash), span: { start: hash, end: match.index + match[0].length }, tool: match[1] as 'warden' | 'zizmor', rules });
    }
  }
  cache.set(file, found);
  return found;
}

/** True when an ignore comment on one of the lines of `span` names `ruleId`. */
export function isIgnored(file: ParsedFile, ruleId: string, span: Span): boolean {
  const comments = ignoreComments(file);
  if (comments.length === 0) return false;
  const first = file.lines.lineAt(span.start);
  const last = file.lines.lineAt(span.end);
  return comments.some((comment) => comment.line >= first && comment.line <= last && comment.rules.includes(ruleId));
}
