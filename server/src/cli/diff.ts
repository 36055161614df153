/**
 * A unified diff (`--fix --dry-run`) of two texts, line by line, with three lines of context, as
 * `diff -u` and `git apply` read it. The longest common subsequence is computed by dynamic programming
 * after trimming the common head and tail, which leaves only the few changed lines of a fix; a change
 * too large for that is shown as one hunk replacing the middle.
 *
 * File names and lines are untrusted and shown through ./escape: control and bidirectional characters
 * appear escaped (a line's final CR is kept, so CRLF files still diff and apply), and a context line
 * whose text starts with `::` gets `\x3a:`. Lines without such characters are written exactly, so the
 * diff applies unless `escaped` reports otherwise.
 */
import { escapeLineStart, escapeText } from './escape';

const CONTEXT = 3;
const MAX_CELLS = 4_000_000;

type Op = { kind: ' ' | '-' | '+'; line: string };

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function unifiedDiff(oldText: string, newText: string, oldName: string, newName: string): string {
  return unifiedDiffReport(oldText, newText, oldName, newName).text;
}

/** The diff's lines after the marker: escaped, keeping a final CR. */
function diffLine(kind: Op['kind'], line: string): string {
  const cr = line.endsWith('\r');
  const body = cr ? line.slice(0, -1) : line;
  // A context line starts with a space, which the runner skips before looking for `::`.
  const escaped = kind === ' ' ? escapeLineStart(body) : escapeText(body);
  return `${kind}${escaped}${cr ? '\r' : ''}`;
}

/** The diff, and whether any line or name had to be escaped (then it no longer applies as is). */
export function unifiedDiffReport(oldText: string, newText: string, oldName: string, newName: string): { text: string; escaped: boolean } {
  if (oldText === newText) return { text: '', escaped: false };
  const a = splitLines(oldText);
  const b = splitLines(newText);
  const ops = diffLines(a, b);
  const oldNoEol = oldText !== '' && !oldText.endsWith('\n');
  const newNoEol = newText !== '' && !newText.endsWith('\n');
  const out = [`--- ${escapeText(oldName)}`, `+++ ${escapeText(newName)}`];
  let escaped = out[0] !== `--- ${oldName}` || out[1] !== `+++ ${newName}`;
  // Group changes into hunks with CONTEXT lines around them.
  let i = 0;
  while (i < ops.length) {
    while (i < ops.length && ops[i].kind === ' ') i++;
    if (i >= ops.length) break;
    let start = Math.max(0, i - CONTEXT);
    let end = i;
    // Extend while the next change is within 2*CONTEXT unchanged lines.
    for (;;) {
      while (end < ops.length && ops[end].kind !== ' ') end++;
      let next = end;
      while (next < ops.length && ops[next].kind === ' ') next++;
      if (next < ops.length && next - end <= 2 * CONTEXT) end = next;
      else {
        end = Math.min(ops.length, end + CONTEXT);
        break;
      }
    }
    let oldStart = 1;
    let newStart = 1;
    for (let k = 0; k < start; k++) {
      if (ops[k].kind !== '+') oldStart++;
      if (ops[k].kind !== '-') newStart++;
    }
    const hunk = ops.slice(start, end);
    const oldCount = hunk.filter((op) => op.kind !== '+').length;
    const newCount = hunk.filter((op) => op.kind !== '-').length;
    out.push(`@@ -${oldCount === 0 ? oldStart - 1 : oldStart},${oldCount} +${newCount === 0 ? newStart - 1 : newStart},${newCount} @@`);
    let oldSeen = oldStart - 1;
    let newSeen = newStart - 1;
    for (const op of hunk) {
      const shown = diffLine(op.kind, op.line);
      if (!escaped && shown !== op.kind + op.line) escaped = true;
      out.push(shown);
      if (op.kind !== '+') oldSeen++;
      if (op.kind !== '-') newSeen++;
      const lastOld = op.kind !== '+' && oldSeen === a.length && oldNoEol;
      const lastNew = op.kind !== '-' && newSeen === b.length && newNoEol;
      if ((op.kind === '-' && lastOld) || (op.kind === '+' && lastNew) || (op.kind === ' ' && (lastOld || lastNew)))
        out.push('\\ No newline at end of file');
    }
    i = end;
    start = end;
  }
  return { text: out.join('\n') + '\n', escaped };
}

function diffLines(a: string[], b: string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const ops: Op[] = a.slice(0, head).map((line) => ({ kind: ' ', line }));
  const n = midA.length;
  const m = midB.length;
  if ((n + 1) * (m + 1) > MAX_CELLS) {
    for (const line of midA) ops.push({ kind: '-', line });
    for (const line of midB) ops.push({ kind: '+', line });
  } else {
    // lcs[i][j] = LCS length of midA[i..] and midB[j..], in one flat array.
    const width = m + 1;
    const lcs = new Uint32Array((n + 1) * width);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * width + j] =
          midA[i] === midB[j] ? lcs[(i + 1) * width + j + 1] + 1 : Math.max(lcs[(i + 1) * width + j], lcs[i * width + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (midA[i] === midB[j]) {
        ops.push({ kind: ' ', line: midA[i] });
        i++;
        j++;
      } else if (lcs[(i + 1) * width + j] >= lcs[i * width + j + 1]) ops.push({ kind: '-', line: midA[i++] });
      else ops.push({ kind: '+', line: midB[j++] });
    }
    while (i < n) ops.push({ kind: '-', line: midA[i++] });
    while (j < m) ops.push({ kind: '+', line: midB[j++] });
  }
  for (const line of a.slice(a.length - tail)) ops.push({ kind: ' ', line });
  return ops;
}
