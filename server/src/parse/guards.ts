/**
 * Cheap, linear pre-checks that run before the YAML parser. The parser recurses per nesting level, so a
 * pathologically deep document (thousands of `[` or indentation steps) would exhaust the stack at a depth
 * that depends on the machine, after hundreds of milliseconds. No real workflow nests more than a few
 * dozen levels; past MAX_NESTING we report the file instead of parsing it.
 */

export const MAX_NESTING = 200;

/**
 * Measures how deeply the document nests, by flow brackets (`[`, `{` outside quotes and comments) and by
 * block structure (increasing indentation and `- ` sequence markers). Stops early past `limit`.
 * Returns the depth found, and the offset where it first exceeded the limit (or -1).
 */
export function measureNesting(text: string, limit = MAX_NESTING): { depth: number; offset: number } {
  let maxDepth = 0;
  let flow = 0;
  const indents: number[] = [];
  let nextSquare = -2;
  let nextCurly = -2;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    // Block depth: indentation plus `- ` markers at the start of the line.
    let i = lineStart;
    while (i < lineEnd && text.charCodeAt(i) === 32) i++;
    let column = i - lineStart;
    let markers = 0;
    // `- ` (or a lone `-` ending the line) opens a sequence entry.
    while (
      i < lineEnd &&
      text.charCodeAt(i) === 45 /* - */ &&
      (i + 1 >= lineEnd || text.charCodeAt(i + 1) === 32 || text.charCodeAt(i + 1) === 13)
    ) {
      markers++;
      i += 2;
      while (i < lineEnd && text.charCodeAt(i) === 32) i++;
    }
    const rest = i < lineEnd ? text.charCodeAt(i) : -1;
    const blank = markers === 0 && (rest === -1 || rest === 35 /* # */ || rest === 13);
    // Counted even while a bracket seems open: brackets are also counted inside block scripts (`run: |`),
    // where one left unclosed would otherwise hide a deep block structure below it from this check, and
    // the parser would then overflow its stack at a depth that depends on the JIT state (nondeterminism).
    if (!blank) {
      while (indents.length > 0 && indents[indents.length - 1] >= column) indents.pop();
      indents.push(column);
      column += markers;
      const depth = indents.length + markers;
      if (depth > maxDepth) maxDepth = depth;
      if (depth > limit) return { depth, offset: lineStart };
    }
    // Flow depth: brackets outside quotes and comments. Outside brackets, a line without `[` or `{` cannot
    // change it: found with two forward-only searches instead of a look at every character.
    if (nextSquare !== -1 && nextSquare < i) nextSquare = text.indexOf('[', i);
    if (nextCurly !== -1 && nextCurly < i) nextCurly = text.indexOf('{', i);
    const opensHere = (nextSquare !== -1 && nextSquare < lineEnd) || (nextCurly !== -1 && nextCurly < lineEnd);
    let quote = 0;
    for (let j = flow === 0 && !opensHere ? lineEnd : i; j < lineEnd; j++) {
      const c = text.charCodeAt(j);
      if (quote) {
        if (c === quote) quote = 0;
        continue;
      }
      if (c === 39 || c === 34) {
        // A quote starts a quoted scalar only at a token start.
        const before = j > lineStart ? text.charCodeAt(j - 1) : 32;
        if (before === 32 || before === 91 || before === 123 || before === 44 || before === 58) quote = c;
      } else if (c === 35 /* # */ && (j === lineStart || text.charCodeAt(j - 1) === 32)) {
        break;
      } else if (c === 91 || c === 123) {
        flow++;
        if (flow > maxDepth) maxDepth = flow;
        if (flow > limit) return { depth: flow, offset: j };
      } else if ((c === 93 || c === 125) && flow > 0) {
        flow--;
      }
    }
    lineStart = lineEnd + 1;
  }
  return { depth: maxDepth, offset: -1 };
}
