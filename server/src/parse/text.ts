/**
 * Offsets, lines and LSP positions. Every offset in the engine is an index into the JavaScript string
 * of the document, which is UTF-16: LSP's default position encoding. A position's character is
 * therefore `offset - lineStart`, with no conversion, whatever the line contains (emoji, CJK, tabs).
 */
import type { Position, Range } from 'vscode-languageserver-types';

export interface Span {
  start: number;
  end: number;
}

export class LineIndex {
  /** Offset at which each line starts. Lines end at `\n`; a `\r` before it belongs to the line. */
  readonly lineStarts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** The line containing `offset` (0-based). */
  lineAt(offset: number): number {
    const starts = this.lineStarts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineAt(clamped);
    return { line, character: clamped - this.lineStarts[line] };
  }

  range(span: Span): Range {
    return { start: this.position(span.start), end: this.position(span.end) };
  }

  offset(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[position.line];
    return Math.min(start + Math.max(0, position.character), this.lineContentEnd(position.line));
  }

  /** Offset just past the last character of the line, before its `\r\n` or `\n`. */
  lineContentEnd(line: number): number {
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] - 1 : this.text.length;
    return next > this.lineStarts[line] && this.text.charCodeAt(next - 1) === 13 ? next - 1 : next;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStarts[line], this.lineContentEnd(line));
  }

  /** The end-of-line sequence the document uses (its first line break), `\n` when it has none. */
  get eol(): string {
    const first = this.text.indexOf('\n');
    return first > 0 && this.text.charCodeAt(first - 1) === 13 ? '\r\n' : '\n';
  }

  /** Leading spaces of a line. */
  indentation(line: number): string {
    return /^[ \t]*/.exec(this.lineText(line))![0];
  }
}

export function containsOffset(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}

export function spansOverlap(a: Span, b: Span): boolean {
  return a.start <= b.end && b.start <= a.end;
}
