/**
 * Minimal text edits that respect the document as written: its indentation, its line endings and its
 * comments. Nothing here re-serialises YAML.
 */
import type { ParsedFile } from '../parse/document';
import type { OffsetEdit } from '../findings';
import type { Span } from '../parse/text';

/**
 * Inserts whole lines above the line holding `offset`, at that line's indentation. Comment lines that sit
 * directly above it at the same indentation are taken as belonging to it, so the new lines go above them.
 */
export function insertLinesAbove(file: ParsedFile, offset: number, lines: readonly string[]): OffsetEdit {
  const index = file.lines;
  let line = index.lineAt(offset);
  const indent = index.indentation(line);
  while (line > 0) {
    const above = index.lineText(line - 1);
    if (!/^\s*#/.test(above) || index.indentation(line - 1) !== indent) break;
    line--;
  }
  const eol = index.eol;
  const at = index.lineStarts[line];
  return { span: { start: at, end: at }, newText: lines.map((text) => indent + text + eol).join('') };
}

/** Appends lines at the end of the document, adding a line break first when the last line lacks one. */
export function appendLines(file: ParsedFile, lines: readonly string[]): OffsetEdit {
  const eol = file.lines.eol;
  const text = file.text;
  const needsBreak = text.length > 0 && !text.endsWith('\n');
  return { span: { start: text.length, end: text.length }, newText: (needsBreak ? eol : '') + lines.map((l) => l + eol).join('') };
}

/** The indentation step the document uses for nested mappings: that of its first job id (two spaces when it cannot tell). */
export function indentStep(file: ParsedFile): string {
  const job = file.workflow?.jobs[0];
  if (job) {
    const indent = file.lines.indentation(file.lines.lineAt(job.idSpan.start));
    if (indent.length > 0 && !indent.includes('\t')) return indent;
  }
  return '  ';
}

export function replaceSpan(span: Span, newText: string): OffsetEdit {
  return { span, newText };
}

/**
 * Applies non-overlapping edits to a text (used by the CLI's --fix and by tests). Insertions at the same
 * offset appear in the order they are given, as LSP's `TextEdit[]` specifies.
 */
export function applyEdits(text: string, edits: readonly OffsetEdit[]): string {
  const sorted = edits
    .map((edit, index) => ({ edit, index }))
    .sort((a, b) => b.edit.span.start - a.edit.span.start || b.edit.span.end - a.edit.span.end || b.index - a.index)
    .map(({ edit }) => edit);
  let result = text;
  let limit = Infinity;
  for (const edit of sorted) {
    if (edit.span.end > limit) throw new Error('overlapping edits');
    result = result.slice(0, edit.span.start) + edit.newText + result.slice(edit.span.end);
    limit = edit.span.start;
  }
  return result;
}
