/**
 * GitHub Actions expressions: the `${{ ... }}` language (docs: "Evaluate expressions in workflows and
 * actions"). A dependency-free lexer + recursive-descent parser, a scanner that finds `${{ }}`
 * occurrences in text, and dataflow helpers for the security rules.
 *
 * Robustness contract: nothing here throws on any input. Work is linear in the input, the parser
 * stops at the first syntax error, nesting is capped at {@link MAX_NESTING} and the height of any
 * produced AST at {@link MAX_AST_HEIGHT}, so recursive consumers of an AST cannot overflow the stack.
 *
 * Offsets are JavaScript string (UTF-16) indices, like everywhere else in the engine.
 */
import { TextMemo } from './text-memo';
import { AttachedCache } from './attached-cache';

// ---------------------------------------------------------------------------------------------------
// AST

export type ExprNode =
  | { type: 'literal'; kind: 'string' | 'number' | 'boolean' | 'null'; value: string | number | boolean | null; start: number; end: number }
  /** A bare identifier: github, env, secrets, matrix, inputs, ... (original spelling kept). */
  | { type: 'context'; name: string; start: number; end: number }
  /** `a.b` */
  | { type: 'property'; object: ExprNode; name: string; computed: false; start: number; end: number }
  /** `a['b']` or `a[expr]` */
  | { type: 'index'; object: ExprNode; index: ExprNode; start: number; end: number }
  /** `a.*` or `a[*]` */
  | { type: 'wildcard'; object: ExprNode; start: number; end: number }
  /** `fn(a, b)`: function names are case-insensitive; `name` keeps the original text. */
  | { type: 'call'; name: string; args: ExprNode[]; start: number; end: number }
  | { type: 'unary'; op: '!'; operand: ExprNode; start: number; end: number }
  | { type: 'binary'; op: BinaryOperator; left: ExprNode; right: ExprNode; start: number; end: number }
  /** `( expr )` */
  | { type: 'group'; expr: ExprNode; start: number; end: number };

export type BinaryOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';

export interface ExprError {
  message: string;
  start: number;
  end: number;
}

export interface ParsedExpression {
  /** The tree, or null when the expression has a syntax error. */
  ast: ExprNode | null;
  /** At most one syntax error (the parser stops at the first), plus scanner errors from findExpressions. */
  errors: ExprError[];
}

/** Nesting limit for `(`, `[`, `!` and call arguments. GitHub's own limit is lower (50). */
export const MAX_NESTING = 256;
/** Limit on the height of a produced AST (long `a || b || ...` or `a.b.c...` chains add height too). */
export const MAX_AST_HEIGHT = 1024;

/** Built-in functions with their argument counts (max is Infinity for variadic ones). Keys are lowercase. */
export const BUILTIN_FUNCTIONS: ReadonlyMap<string, { name: string; minArgs: number; maxArgs: number }> = new Map(
  (
    [
      ['contains', 2, 2],
      ['startsWith', 2, 2],
      ['endsWith', 2, 2],
      ['format', 1, Infinity],
      ['join', 1, 2],
      ['toJSON', 1, 1],
      ['fromJSON', 1, 1],
      ['hashFiles', 1, Infinity],
      ['case', 3, Infinity],
      ['success', 0, 0],
      ['always', 0, 0],
      ['cancelled', 0, 0],
      ['failure', 0, Infinity],
    ] as const
  ).map(([name, minArgs, maxArgs]) => [name.toLowerCase(), { name, minArgs, maxArgs }]),
);

// ---------------------------------------------------------------------------------------------------
// Lexer

type Punctuator = '(' | ')' | '[' | ']' | ',' | '.' | '*' | '!' | BinaryOperator;

type Token =
  | { kind: 'punct'; op: Punctuator; start: number; end: number }
  | { kind: 'ident'; name: string; start: number; end: number }
  | { kind: 'number'; value: number; start: number; end: number }
  | { kind: 'string'; value: string; start: number; end: number }
  | { kind: 'eof'; start: number; end: number };

/** Internal: aborts parsing with an error. Always caught by parseExpression. */
class SyntaxAbort {
  constructor(readonly error: ExprError) {}
}

function abort(message: string, start: number, end: number): never {
  throw new SyntaxAbort({ message, start, end });
}

const NUMBER_PATTERN = /^[+-]?(?:0[xX][0-9a-fA-F]+|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|Infinity)$/;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isIdentStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f; // a-z A-Z _
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c) || c === 0x2d; // dashes allowed: head-ref, my-step
}

/** Characters a number token may span before it is validated: `-9.2`, `0xff`, `1e+5`, `Infinity`. */
function isNumberPart(c: number): boolean {
  return isIdentPart(c) || c === 0x2e || c === 0x2b; // . +
}

function isWhitespace(c: number): boolean {
  return (
    c === 0x20 ||
    (c >= 0x09 && c <= 0x0d) ||
    c === 0xa0 ||
    c === 0xfeff ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** Produces tokens on demand, so a syntax error early in a huge input costs nothing for the rest. */
class Lexer {
  private pos = 0;
  /** Whether the previous token ends a value, which makes a following `.` a dereference, not `.5`. */
  private afterValue = false;

  constructor(private readonly src: string) {}

  next(): Token {
    const src = this.src;
    while (this.pos < src.length && isWhitespace(src.charCodeAt(this.pos))) this.pos++;
    const start = this.pos;
    if (start >= src.length) return { kind: 'eof', start, end: start };

    const c = src.charCodeAt(start);
    const afterValue = this.afterValue;
    this.afterValue = false;

    if (c === 0x27 /* ' */) return this.string(start);
    if (isDigit(c) || c === 0x2d /* - */ || c === 0x2b /* + */ || (c === 0x2e /* . */ && !afterValue)) {
      return this.number(start);
    }
    if (isIdentStart(c)) {
      let end = start + 1;
      while (end < src.length && isIdentPart(src.charCodeAt(end))) end++;
      this.pos = end;
      this.afterValue = true;
      return { kind: 'ident', name: src.slice(start, end), start, end };
    }

    const ch = src[start];
    const pair = src.slice(start, start + 2);
    switch (ch) {
      case '(':
      case '[':
      case ',':
      case '.':
        return this.punct(ch, start, 1);
      case ')':
      case ']':
      case '*':
        this.afterValue = true;
        return this.punct(ch, start, 1);
      case '=':
      case '!':
      case '<':
      case '>':
        if (pair[1] === '=') return this.punct(pair as Punctuator, start, 2);
        if (ch === '=') abort("Unexpected '='; use '==' to compare", start, start + 1);
        return this.punct(ch, start, 1);
      case '&':
      case '|':
        if (pair === ch + ch) return this.punct(pair as Punctuator, start, 2);
        abort(`Unexpected '${ch}'; did you mean '${ch}${ch}'?`, start, start + 1);
    }
    if (ch === '"') abort('Strings must be enclosed in single quotes', start, start + 1);
    // Report a whole astral character (emoji) rather than half a surrogate pair.
    const width = c >= 0xd800 && c <= 0xdbff && start + 1 < src.length ? 2 : 1;
    abort(`Unexpected character '${src.slice(start, start + width)}'`, start, start + width);
  }

  private punct(op: Punctuator, start: number, length: number): Token {
    this.pos = start + length;
    return { kind: 'punct', op, start, end: start + length };
  }

  /** `'...'` with `''` as the escape for a quote. */
  private string(start: number): Token {
    const src = this.src;
    let quote = src.indexOf("'", start + 1);
    while (quote !== -1 && src.charCodeAt(quote + 1) === 0x27) quote = src.indexOf("'", quote + 2);
    if (quote === -1) abort('Unterminated string literal', start, src.length);
    const raw = src.slice(start + 1, quote);
    this.pos = quote + 1;
    this.afterValue = true;
    return { kind: 'string', value: raw.includes("''") ? raw.replaceAll("''", "'") : raw, start, end: quote + 1 };
  }

  private number(start: number): Token {
    const src = this.src;
    let end = start + 1;
    while (end < src.length && isNumberPart(src.charCodeAt(end))) end++;
    const lexeme = src.slice(start, end);
    if (!NUMBER_PATTERN.test(lexeme)) abort(`Invalid number '${truncate(lexeme)}'`, start, end);
    const negative = lexeme[0] === '-';
    const unsigned = lexeme[0] === '-' || lexeme[0] === '+' ? lexeme.slice(1) : lexeme;
    // Number() reads 0x.., decimals, exponents and Infinity, but not a signed hex literal.
    const magnitude = Number(unsigned);
    this.pos = end;
    this.afterValue = true;
    return { kind: 'number', value: negative ? -magnitude : magnitude, start, end };
  }
}

function truncate(text: string, max = 32): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

// ---------------------------------------------------------------------------------------------------
// Parser

/** Binary precedence levels, lowest first. All are left-associative. */
const BINARY_LEVELS: readonly (readonly BinaryOperator[])[] = [['||'], ['&&'], ['==', '!='], ['<', '<=', '>', '>=']];

const KEYWORD_LITERALS: ReadonlyMap<string, Pick<Extract<ExprNode, { type: 'literal' }>, 'kind' | 'value'>> = new Map([
  ['true', { kind: 'boolean', value: true }],
  ['false', { kind: 'boolean', value: false }],
  ['null', { kind: 'null', value: null }],
  ['NaN', { kind: 'number', value: NaN }],
  ['Infinity', { kind: 'number', value: Infinity }],
] as const);

class Parser {
  private readonly lexer: Lexer;
  private token: Token;
  /** The last consumed token (for "unexpected end" errors). */
  private previous: Token | null = null;
  private depth = 0;
  /**
   * Height of the node most recently built by `node()`. Every parse method builds its result last,
   * so callers read this right after a sub-parse (cheaper than a side table on large inputs).
   */
  private lastHeight = 0;

  constructor(private readonly src: string) {
    this.lexer = new Lexer(src);
    this.token = this.lexer.next();
  }

  parse(): ExprNode {
    if (this.atEnd()) abort('Empty expression', 0, this.src.length);
    const ast = this.parseExpr();
    if (!this.atEnd()) this.unexpected('Unexpected');
    return ast;
  }

  private parseExpr(): ExprNode {
    return this.parseBinary(0);
  }

  private parseBinary(level: number): ExprNode {
    if (level === BINARY_LEVELS.length) return this.parseUnary();
    const ops = BINARY_LEVELS[level];
    let left = this.parseBinary(level + 1);
    let leftHeight = this.lastHeight;
    for (;;) {
      const tok = this.token;
      if (tok.kind !== 'punct' || !(ops as readonly string[]).includes(tok.op)) return left;
      this.advance();
      const right = this.parseBinary(level + 1);
      const height = Math.max(leftHeight, this.lastHeight);
      left = this.node({ type: 'binary', op: tok.op as BinaryOperator, left, right, start: left.start, end: right.end }, height);
      leftHeight = this.lastHeight;
    }
  }

  private parseUnary(): ExprNode {
    if (!this.atPunct('!')) return this.parsePostfix();
    const bang = this.advance();
    this.enter(bang);
    const operand = this.parseUnary();
    this.depth--;
    return this.node({ type: 'unary', op: '!', operand, start: bang.start, end: operand.end }, this.lastHeight);
  }

  private parsePostfix(): ExprNode {
    let expr = this.parsePrimary();
    // Like GitHub, only contexts, calls and groups can be dereferenced ('abc'.length is an error).
    if (expr.type !== 'context' && expr.type !== 'call' && expr.type !== 'group') return expr;
    for (;;) {
      const height = this.lastHeight;
      if (this.atPunct('.')) {
        const dot = this.advance();
        const tok = this.token;
        if (tok.kind === 'ident') {
          this.advance();
          expr = this.node({ type: 'property', object: expr, name: tok.name, computed: false, start: expr.start, end: tok.end }, height);
        } else if (tok.kind === 'punct' && tok.op === '*') {
          this.advance();
          expr = this.node({ type: 'wildcard', object: expr, start: expr.start, end: tok.end }, height);
        } else {
          this.expected("a property name or '*'", dot);
        }
      } else if (this.atPunct('[')) {
        const open = this.advance();
        this.enter(open);
        if (this.atPunct('*')) {
          this.advance();
          const close = this.expect(']');
          expr = this.node({ type: 'wildcard', object: expr, start: expr.start, end: close.end }, height);
        } else {
          const index = this.parseExpr();
          const close = this.expect(']');
          expr = this.node({ type: 'index', object: expr, index, start: expr.start, end: close.end }, Math.max(height, this.lastHeight));
        }
        this.depth--;
      } else {
        return expr;
      }
    }
  }

  private parsePrimary(): ExprNode {
    const tok = this.token;
    switch (tok.kind) {
      case 'number':
        this.advance();
        return this.node({ type: 'literal', kind: 'number', value: tok.value, start: tok.start, end: tok.end });
      case 'string':
        this.advance();
        return this.node({ type: 'literal', kind: 'string', value: tok.value, start: tok.start, end: tok.end });
      case 'ident': {
        this.advance();
        // Keywords are case-sensitive, as in GitHub: `True` is an (unknown) context name.
        const keyword = KEYWORD_LITERALS.get(tok.name);
        if (keyword) return this.node({ type: 'literal', ...keyword, start: tok.start, end: tok.end });
        if (this.atPunct('(')) return this.parseCall(tok.name, tok.start);
        return this.node({ type: 'context', name: tok.name, start: tok.start, end: tok.end });
      }
      case 'punct':
        if (tok.op === '(') {
          const open = this.advance();
          this.enter(open);
          const expr = this.parseExpr();
          const close = this.expect(')');
          this.depth--;
          return this.node({ type: 'group', expr, start: open.start, end: close.end }, this.lastHeight);
        }
        return this.expected('an expression');
      case 'eof':
        return this.expected('an expression');
    }
  }

  private parseCall(name: string, start: number): ExprNode {
    const open = this.advance();
    this.enter(open);
    const args: ExprNode[] = [];
    let height = 0;
    if (!this.atPunct(')')) {
      for (;;) {
        args.push(this.parseExpr());
        height = Math.max(height, this.lastHeight);
        if (!this.atPunct(',')) break;
        this.advance();
      }
    }
    const close = this.expect(')');
    this.depth--;
    return this.node({ type: 'call', name, args, start, end: close.end }, height);
  }

  // --- helpers ---

  private advance(): Token {
    const tok = this.token;
    this.previous = tok;
    this.token = this.lexer.next();
    return tok;
  }

  private atEnd(): boolean {
    return this.token.kind === 'eof';
  }

  private atPunct(op: Punctuator): boolean {
    return this.token.kind === 'punct' && this.token.op === op;
  }

  private expect(op: Punctuator): Token {
    if (!this.atPunct(op)) this.expected(`'${op}'`);
    return this.advance();
  }

  private enter(opener: Token): void {
    if (++this.depth > MAX_NESTING) {
      abort(`Expression is nested too deeply (more than ${MAX_NESTING} levels)`, opener.start, opener.end);
    }
  }

  /** Finishes a node whose tallest child has height `childHeight`, enforcing MAX_AST_HEIGHT. */
  private node<T extends ExprNode>(node: T, childHeight = 0): T {
    const height = childHeight + 1;
    if (height > MAX_AST_HEIGHT) abort(`Expression is too complex (more than ${MAX_AST_HEIGHT} levels)`, node.start, node.end);
    this.lastHeight = height;
    return node;
  }

  private expected(what: string, after: Token | null = this.previous): never {
    if (this.atEnd()) {
      // Point at the last token, which is what the reader needs to complete.
      const at = after ?? this.token;
      abort(`Expected ${what} after '${truncate(this.src.slice(at.start, at.end))}'`, at.start, at.end);
    }
    return this.unexpected(`Expected ${what} but found`);
  }

  private unexpected(prefix: string): never {
    const tok = this.token;
    abort(`${prefix} '${truncate(this.src.slice(tok.start, tok.end))}'`, tok.start, tok.end);
  }
}

/**
 * Parses the text of one expression (what is between `${{` and `}}`). Offsets in the result are
 * relative to `text`. Never throws; a syntax error gives `ast: null` and one error.
 */
export function parseExpression(text: string): ParsedExpression {
  return typeof text === 'string' ? expressionMemo.get(text) : parseExpressionText(text);
}

/** Parses of expression texts, shared across documents and versions (never mutate a parse). */
export const expressionMemo = new TextMemo(parseExpressionText);

function parseExpressionText(text: string): ParsedExpression {
  if (typeof text !== 'string') return { ast: null, errors: [{ message: 'Expression text is not a string', start: 0, end: 0 }] };
  try {
    return { ast: new Parser(text).parse(), errors: [] };
  } catch (error) {
    if (error instanceof SyntaxAbort) return { ast: null, errors: [error.error] };
    // Last line of defence (e.g. out of memory on absurd input): report instead of crashing the server.
    return { ast: null, errors: [{ message: `Could not parse expression: ${String(error)}`, start: 0, end: text.length }] };
  }
}

// ---------------------------------------------------------------------------------------------------
// Scanner

export interface ExpressionOccurrence {
  /** Offset of "${{" in the scanned text. */
  start: number;
  /** Offset just after "}}", or the end of the scanned region if unterminated. */
  end: number;
  /** Offset of the first character after "${{". */
  innerStart: number;
  /** Offset of the "}}" (exclusive end of the inner text); the region's end if unterminated. */
  innerEnd: number;
  /** The inner text, between "${{" and "}}". */
  text: string;
  terminated: boolean;
  /**
   * The parse of `text`. Offsets inside are RELATIVE TO `innerStart`; use {@link absoluteParse} or
   * {@link shiftParsed} for document offsets. When unterminated, `errors[0]` is the "missing '}}'"
   * error at offsets -3..0 (i.e. on the "${{" itself), and `ast` is still filled in if the rest parses,
   * so completion works while typing; rules should skip occurrences that are not `terminated`.
   */
  parsed: ParsedExpression;
}

/**
 * Finds every `${{ ... }}` in `text[from, to)`, with offsets relative to `text`. A "}}" inside a
 * single-quoted string literal does not close the expression. An unterminated "${{" yields one last
 * occurrence running to `to`. Nested "${{" inside an expression is just (invalid) expression text.
 */
export function findExpressions(text: string, from = 0, to: number = text.length): ExpressionOccurrence[] {
  const begin = clamp(Math.trunc(from) || 0, 0, text.length);
  const finish = clamp(Math.trunc(to) || 0, begin, text.length);
  // Search a copy of the region so indexOf never runs past `to`.
  const region = text.slice(begin, finish);
  const found: ExpressionOccurrence[] = [];
  let pos = 0;
  for (;;) {
    const open = region.indexOf('${{', pos);
    if (open === -1) break;
    const innerStart = open + 3;
    const close = findClosing(region, innerStart);
    const terminated = close !== -1;
    const innerEnd = terminated ? close : region.length;
    const inner = region.slice(innerStart, innerEnd);
    const shared = parseExpression(inner);
    const parsed = terminated
      ? shared
      : { ast: shared.ast, errors: [{ message: "Unterminated expression: missing '}}'", start: -3, end: 0 }, ...shared.errors] };
    found.push({
      start: begin + open,
      end: begin + (terminated ? close + 2 : region.length),
      innerStart: begin + innerStart,
      innerEnd: begin + innerEnd,
      text: inner,
      terminated,
      parsed,
    });
    if (!terminated) break;
    pos = close + 2;
  }
  return found;
}

/** Index of the "}}" closing an expression whose text starts at `from`, skipping string literals; -1 if none. */
function findClosing(text: string, from: number): number {
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Toggling on every quote also handles the '' escape (two toggles).
    if (c === 0x27) inString = !inString;
    else if (c === 0x7d && !inString && text.charCodeAt(i + 1) === 0x7d) return i;
  }
  return -1;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

/** A copy of the node with every offset moved by `delta`. */
export function shiftNode(node: ExprNode, delta: number): ExprNode {
  const start = node.start + delta;
  const end = node.end + delta;
  switch (node.type) {
    case 'literal':
    case 'context':
      return { ...node, start, end };
    case 'property':
    case 'wildcard':
      return { ...node, object: shiftNode(node.object, delta), start, end };
    case 'index':
      return { ...node, object: shiftNode(node.object, delta), index: shiftNode(node.index, delta), start, end };
    case 'call':
      return { ...node, args: node.args.map((arg) => shiftNode(arg, delta)), start, end };
    case 'unary':
      return { ...node, operand: shiftNode(node.operand, delta), start, end };
    case 'binary':
      return { ...node, left: shiftNode(node.left, delta), right: shiftNode(node.right, delta), start, end };
    case 'group':
      return { ...node, expr: shiftNode(node.expr, delta), start, end };
  }
}

/** A copy of the parse with every offset (AST and errors) moved by `delta`. */
export function shiftParsed(parsed: ParsedExpression, delta: number): ParsedExpression {
  return {
    ast: parsed.ast ? shiftNode(parsed.ast, delta) : null,
    errors: parsed.errors.map((error) => ({ ...error, start: error.start + delta, end: error.end + delta })),
  };
}

/** The occurrence's parse with offsets relative to the scanned text instead of `innerStart`. */
export function absoluteParse(occurrence: ExpressionOccurrence): ParsedExpression {
  // Memoised per occurrence (several rules ask for the same one); the result is shared: do not mutate it.
  let parsed = absoluteParses.get(occurrence);
  if (!parsed) {
    parsed = shiftParsed(occurrence.parsed, occurrence.innerStart);
    absoluteParses.set(occurrence, parsed);
  }
  return parsed;
}
const absoluteParses = new AttachedCache<ExpressionOccurrence, ParsedExpression>('absolute-parse');

// ---------------------------------------------------------------------------------------------------
// Tree helpers

/** Direct children, in source order. */
export function childNodes(node: ExprNode): ExprNode[] {
  switch (node.type) {
    case 'literal':
    case 'context':
      return [];
    case 'property':
    case 'wildcard':
      return [node.object];
    case 'index':
      return [node.object, node.index];
    case 'call':
      return node.args;
    case 'unary':
      return [node.operand];
    case 'binary':
      return [node.left, node.right];
    case 'group':
      return [node.expr];
  }
}

/**
 * Visits every node in pre-order (source order), without recursion. Returning `false` from `visit`
 * skips that node's children.
 */
export function walkExpression(node: ExprNode, visit: (n: ExprNode, parent: ExprNode | null) => void | boolean): void {
  const stack: [ExprNode, ExprNode | null][] = [[node, null]];
  while (stack.length > 0) {
    const [current, parent] = stack.pop()!;
    if (visit(current, parent) === false) continue;
    const children = childNodes(current);
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i], current]);
  }
}

/** The innermost node whose span contains `offset` (end inclusive, for completion at an identifier's end). */
export function nodeAt(node: ExprNode, offset: number): ExprNode | null {
  if (offset < node.start || offset > node.end) return null;
  let current = node;
  for (;;) {
    const next = childNodes(current).find((child) => offset >= child.start && offset <= child.end);
    if (!next) return current;
    current = next;
  }
}

/** Lowercase function name, for comparisons (`toJson(...)` and `toJSON(...)` are the same). */
export function functionKey(call: Extract<ExprNode, { type: 'call' }>): string {
  return call.name.toLowerCase();
}

// ---------------------------------------------------------------------------------------------------
// Dataflow helpers

export interface ContextPathOptions {
  /** Lowercase every segment, not only the context name (GitHub property lookups are case-insensitive). */
  caseInsensitive?: boolean;
  /** Render a computed, non-literal index (`secrets[matrix.name]`) as `*` instead of giving up. */
  computedIndexAsWildcard?: boolean;
}

/**
 * The segments of a context access chain, root first: `github.event['pull_request'].title` gives
 * ['github', 'event', 'pull_request', 'title']. Wildcards (`.*`, `[*]`) give '*', integer indexes
 * their digits. The context name is lowercased. Groups around the chain are looked through. Returns
 * null when the chain is not rooted in a context or has a computed index (see options).
 */
export function contextPathSegments(node: ExprNode, options: ContextPathOptions = {}): string[] | null {
  const reversed: string[] = [];
  const fold = (segment: string) => (options.caseInsensitive ? segment.toLowerCase() : segment);
  let current = node;
  for (;;) {
    switch (current.type) {
      case 'context':
        reversed.push(current.name.toLowerCase());
        return reversed.reverse();
      case 'group':
        current = current.expr;
        continue;
      case 'property':
        reversed.push(fold(current.name));
        break;
      case 'wildcard':
        reversed.push('*');
        break;
      case 'index': {
        const index = unwrapGroups(current.index);
        if (index.type === 'literal' && index.kind === 'string') reversed.push(fold(index.value as string));
        else if (index.type === 'literal' && index.kind === 'number') reversed.push(String(index.value));
        else if (options.computedIndexAsWildcard) reversed.push('*');
        else return null;
        break;
      }
      default:
        return null;
    }
    current = current.object;
  }
}

const SIMPLE_SEGMENT = /^(?:[A-Za-z0-9_-]+|\*)$/;

/**
 * The normalized dotted path of a context access chain, e.g. `github.event.pull_request.title`,
 * `steps.build.outputs.x`, `github.event.commits.*.message`, `github.event.commits.0.message`.
 * The context name is lowercased (see options for the rest). Segments that are not plain names
 * are written `['a.b']`. Returns null for anything else, and for computed non-literal indexes
 * unless `computedIndexAsWildcard` (then `secrets[matrix.x]` gives `secrets.*`).
 */
export function contextPath(node: ExprNode, options: ContextPathOptions = {}): string | null {
  const segments = contextPathSegments(node, options);
  if (!segments) return null;
  let path = segments[0];
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i];
    path += SIMPLE_SEGMENT.test(segment) ? `.${segment}` : `['${segment.replace(/'/g, "''")}']`;
  }
  return path;
}

function unwrapGroups(node: ExprNode): ExprNode {
  while (node.type === 'group') node = node.expr;
  return node;
}

/** Functions whose result is a boolean or a hash: no argument value reaches the result. */
const OPAQUE_FUNCTIONS = new Set(['contains', 'startswith', 'endswith', 'success', 'always', 'failure', 'cancelled', 'hashfiles']);

/** The arguments of a call whose values can flow into its result. */
function valueArguments(call: Extract<ExprNode, { type: 'call' }>): ExprNode[] {
  const name = functionKey(call);
  if (OPAQUE_FUNCTIONS.has(name)) return [];
  // case(pred1, val1, pred2, val2, ..., default): predicates only decide.
  if (name === 'case') return call.args.filter((_, i) => i % 2 === 1 || i === call.args.length - 1);
  // format, join, toJSON, fromJSON (conservatively) and unknown functions: every argument.
  return call.args;
}

/**
 * The sub-expressions whose VALUE can end up in the result of `node` (what is substituted into the
 * text when the expression is expanded), in source order:
 * - literals and context access chains are leaves themselves;
 * - `a || b` gives the leaves of both; `a && b` only those of `b` (when `a` is falsy the result is
 *   `a`, but falsy values are only false, 0, '', null and NaN, which are harmless);
 * - `!x` and comparisons give nothing (booleans); groups are looked through;
 * - calls: see {@link valueArguments}.
 * A chain rooted in a call or group (`fromJSON(x).y`, `(a || b).c`) contributes the leaves of that
 * root, conservatively. Literals are included; callers filter them.
 */
export function valueLeaves(node: ExprNode): ExprNode[] {
  const leaves: ExprNode[] = [];
  const stack: ExprNode[] = [node];
  // Pushing children in reverse keeps the output in source order.
  const pushAll = (nodes: ExprNode[]) => {
    for (let i = nodes.length - 1; i >= 0; i--) stack.push(nodes[i]);
  };
  while (stack.length > 0) {
    const current = stack.pop()!;
    switch (current.type) {
      case 'literal':
      case 'context':
        leaves.push(current);
        break;
      case 'property':
      case 'index':
      case 'wildcard': {
        const root = chainRoot(current);
        if (root.type === 'context') leaves.push(current);
        else stack.push(root);
        break;
      }
      case 'group':
        stack.push(current.expr);
        break;
      case 'unary':
        break;
      case 'binary':
        if (current.op === '||') pushAll([current.left, current.right]);
        else if (current.op === '&&') stack.push(current.right);
        break;
      case 'call':
        pushAll(valueArguments(current));
        break;
    }
  }
  return leaves;
}

/** Follows `.object` links (and groups) down to the node a property/index/wildcard chain starts from. */
function chainRoot(node: ExprNode): ExprNode {
  let current = node;
  for (;;) {
    if (current.type === 'property' || current.type === 'index' || current.type === 'wildcard') current = current.object;
    else if (current.type === 'group') current = current.expr;
    else return current;
  }
}
