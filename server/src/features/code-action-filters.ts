/**
 * The two questions every code-action provider asks: does the client want actions of this kind (the
 * request's `only`), and does this finding or span touch the requested range. Also the conversion of
 * offset edits to LSP text edits.
 */
import type { Range, TextEdit } from 'vscode-languageserver-types';
import type { ParsedFile } from '../parse/document';
import type { Span } from '../parse/text';
import type { OffsetEdit } from '../findings';

/** Whether a request limited to the kinds `only` (none: every kind) wants actions of `kind` (`only: ['source']` wants `source.fixAll.x`). */
export function wantsKind(only: readonly string[] | undefined, kind: string): boolean {
  return !only || only.length === 0 || only.some((requested) => kind === requested || kind.startsWith(`${requested}.`));
}

/** Whether two ranges overlap or touch (an empty range at the end of another touches it). */
export function rangesTouch(a: Range, b: Range): boolean {
  const before = (x: Range['start'], y: Range['start']) => x.line < y.line || (x.line === y.line && x.character <= y.character);
  return before(a.start, b.end) && before(b.start, a.end);
}

/** Whether a span of the file overlaps or touches the range. */
export function spanTouches(file: ParsedFile, span: Span, range: Range): boolean {
  return rangesTouch(file.lines.range(span), range);
}

export function toTextEdits(file: ParsedFile, edits: readonly OffsetEdit[]): TextEdit[] {
  return edits.map((edit) => ({ range: file.lines.range(edit.span), newText: edit.newText }));
}
