/** Line-oriented insertion helpers for rules' fixes (never re-serialise YAML). */
import type { ParsedFile } from '../../parse/document';
import type { OffsetEdit } from '../../findings';

/** Inserts lines after the line holding `offset - 1` (the end of a node), each prefixed by `indent`. */
export function insertLinesAfterNodeEnd(file: ParsedFile, nodeEnd: number, indent: string, lines: readonly string[]): OffsetEdit {
  const index = file.lines;
  const eol = index.eol;
  const line = index.lineAt(Math.max(0, nodeEnd - 1));
  const body = lines.map((text) => indent + text + eol).join('');
  if (line + 1 < index.lineCount) {
    const at = index.lineStarts[line + 1];
    return { span: { start: at, end: at }, newText: body };
  }
  const end = file.text.length;
  return { span: { start: end, end }, newText: eol + body.slice(0, body.length - eol.length) };
}

/** The column of an offset within its line, as spaces. */
export function columnIndent(file: ParsedFile, offset: number): string {
  const line = file.lines.lineAt(offset);
  return ' '.repeat(offset - file.lines.lineStarts[line]);
}
