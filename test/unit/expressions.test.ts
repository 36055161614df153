import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_AST_HEIGHT,
  MAX_NESTING,
  absoluteParse,
  contextPath,
  contextPathSegments,
  findExpressions,
  nodeAt,
  parseExpression,
  shiftParsed,
  valueLeaves,
  walkExpression,
  type ExprNode,
} from '../../server/src/parse/expressions';

/** Parses and fails the test on a syntax error. */
function ast(text: string): ExprNode {
  const parsed = parseExpression(text);
  assert.deepEqual(parsed.errors, [], `unexpected errors for ${JSON.stringify(text)}`);
  assert.ok(parsed.ast);
  return parsed.ast;
}

/** A compact, offset-free rendering of a tree, with explicit parentheses for structure. */
function show(node: ExprNode): string {
  switch (node.type) {
    case 'literal':
      return node.kind === 'string' ? `'${node.value as string}'` : String(node.value);
    case 'context':
      return node.name;
    case 'property':
      return `${show(node.object)}.${node.name}`;
    case 'index':
      return `${show(node.object)}[${show(node.index)}]`;
    case 'wildcard':
      return `${show(node.object)}.*`;
    case 'call':
      return `${node.name}(${node.args.map(show).join(', ')})`;
    case 'unary':
      return `!${show(node.operand)}`;
    case 'binary':
      return `(${show(node.left)} ${node.op} ${show(node.right)})`;
    case 'group':
      return `{${show(node.expr)}}`;
  }
}

function leaves(text: string): string[] {
  return valueLeaves(ast(text)).map(show);
}

function errorOf(text: string) {
  const parsed = parseExpression(text);
  assert.equal(parsed.ast, null, `expected an error for ${JSON.stringify(text)}`);
  assert.equal(parsed.errors.length, 1);
  return parsed.errors[0];
}

// --- parsing ---------------------------------------------------------------------------------------

test('operator precedence: || < && < == != < comparisons < ! < postfix', () => {
  assert.equal(show(ast('a || b && c')), '(a || (b && c))');
  assert.equal(show(ast('a && b || c')), '((a && b) || c)');
  assert.equal(show(ast('a == b && c != d')), '((a == b) && (c != d))');
  assert.equal(show(ast('a < b == c >= d')), '((a < b) == (c >= d))');
  assert.equal(show(ast('!a == b')), '(!a == b)');
  assert.equal(show(ast('!a.b[0]')), '!a.b[0]');
  assert.equal(show(ast('!!a')), '!!a');
  assert.equal(show(ast('a || b || c')), '((a || b) || c)');
  assert.equal(show(ast('a <= b > c')), '((a <= b) > c)');
  assert.equal(show(ast('(a || b) && c')), '({(a || b)} && c)');
});

test('binary and unary spans', () => {
  const node = ast("  github.ref == 'refs/heads/main'  ");
  assert.equal(node.type, 'binary');
  assert.deepEqual([node.start, node.end], [2, 33]);
  const unary = ast('! success()');
  assert.deepEqual([unary.start, unary.end], [0, 11]);
  const group = ast('( a )');
  assert.deepEqual([group.type, group.start, group.end], ['group', 0, 5]);
});

test('literal forms', () => {
  const lit = (text: string) => {
    const node = ast(text);
    assert.equal(node.type, 'literal');
    return node.type === 'literal' ? [node.kind, node.value] : null;
  };
  assert.deepEqual(lit('null'), ['null', null]);
  assert.deepEqual(lit('true'), ['boolean', true]);
  assert.deepEqual(lit('false'), ['boolean', false]);
  assert.deepEqual(lit('711'), ['number', 711]);
  assert.deepEqual(lit('-9.2'), ['number', -9.2]);
  assert.deepEqual(lit('+3'), ['number', 3]);
  assert.deepEqual(lit('0xff'), ['number', 255]);
  assert.deepEqual(lit('0x4A'), ['number', 74]);
  assert.deepEqual(lit('-2.99e-2'), ['number', -0.0299]);
  assert.deepEqual(lit('1E3'), ['number', 1000]);
  assert.deepEqual(lit('.5'), ['number', 0.5]);
  assert.deepEqual(lit('Infinity'), ['number', Infinity]);
  assert.deepEqual(lit('NaN'), ['number', NaN]);
  assert.deepEqual(lit("'Mona the Octocat'"), ['string', 'Mona the Octocat']);
  assert.deepEqual(lit("'It''s open source!'"), ['string', "It's open source!"]);
  assert.deepEqual(lit("''''''"), ['string', "''"]);
  assert.deepEqual(lit("''"), ['string', '']);
  assert.deepEqual(lit("'multi\nline }} ${{'"), ['string', 'multi\nline }} ${{']);
  // Keywords are case-sensitive: `True` is an identifier.
  assert.equal(ast('True').type, 'context');
  const span = ast("  'x'  ");
  assert.deepEqual([span.start, span.end], [2, 5]);
});

test('property, index and wildcard chains', () => {
  assert.equal(show(ast('github.event.pull_request.head-ref')), 'github.event.pull_request.head-ref');
  assert.equal(show(ast('steps.my-step.outputs.result')), 'steps.my-step.outputs.result');
  assert.equal(show(ast("github['event']['issue'].title")), "github['event']['issue'].title");
  assert.equal(show(ast('github.event.commits.*.message')), 'github.event.commits.*.message');
  assert.equal(show(ast('github.event.commits[*].message')), 'github.event.commits.*.message');
  assert.equal(show(ast('matrix[ matrix.key ]')), 'matrix[matrix.key]');
  assert.equal(show(ast('fromJSON(needs.a.outputs.m).x[0]')), 'fromJSON(needs.a.outputs.m).x[0]');
  assert.equal(show(ast('(github).event')), '{github}.event');
  // Keywords are fine as property names.
  assert.equal(show(ast('inputs.null.true')), 'inputs.null.true');

  const chain = ast("github.event['pull_request'].title");
  assert.equal(chain.type, 'property');
  assert.deepEqual([chain.start, chain.end], [0, 34]);
  if (chain.type === 'property') {
    assert.equal(chain.computed, false);
    assert.equal(chain.object.type, 'index');
    assert.deepEqual([chain.object.start, chain.object.end], [0, 28]);
  }
  const wildcard = ast('a[ * ]');
  assert.deepEqual([wildcard.type, wildcard.start, wildcard.end], ['wildcard', 0, 6]);
});

test('function calls keep the original name and parse arguments', () => {
  const call = ast("format('{0} {1}', github.actor, toJSON(github.event))");
  assert.equal(call.type, 'call');
  if (call.type !== 'call') return;
  assert.equal(call.name, 'format');
  assert.equal(call.args.length, 3);
  assert.deepEqual([call.start, call.end], [0, 53]);
  assert.equal(show(ast('ToJson ( a )')), 'ToJson(a)');
  assert.equal(show(ast('success()')), 'success()');
  assert.equal(
    show(ast('contains(fromJSON(\'["a","b"]\'), matrix.x) && always()')),
    '(contains(fromJSON(\'["a","b"]\'), matrix.x) && always())',
  );
});

// --- errors -----------------------------------------------------------------------------------------

test('syntax errors carry exact offsets and never throw', () => {
  assert.deepEqual(errorOf(''), { message: 'Empty expression', start: 0, end: 0 });
  assert.deepEqual(errorOf('   '), { message: 'Empty expression', start: 0, end: 3 });
  assert.deepEqual(errorOf("a == 'abc"), { message: 'Unterminated string literal', start: 5, end: 9 });
  assert.deepEqual([errorOf('a b').start, errorOf('a b').end], [2, 3]);
  assert.deepEqual([errorOf('a ==').start, errorOf('a ==').end], [2, 4]);
  assert.deepEqual([errorOf('a = b').start, errorOf('a = b').end], [2, 3]);
  assert.deepEqual([errorOf('a & b').start, errorOf('a & b').end], [2, 3]);
  assert.deepEqual([errorOf('a | b').start, errorOf('a | b').end], [2, 3]);
  assert.match(errorOf('"double"').message, /single quotes/);
  assert.deepEqual([errorOf('a.').start, errorOf('a.').end], [1, 2]);
  assert.deepEqual([errorOf('a.5').start, errorOf('a.5').end], [2, 3]);
  assert.deepEqual([errorOf('fn(a,)').start, errorOf('fn(a,)').end], [5, 6]);
  assert.deepEqual([errorOf('(a').start, errorOf('(a').end], [1, 2]);
  assert.deepEqual([errorOf('a[0').start, errorOf('a[0').end], [2, 3]);
  assert.deepEqual([errorOf('a)').start, errorOf('a)').end], [1, 2]);
  assert.deepEqual([errorOf('1.2.3').start, errorOf('1.2.3').end], [0, 5]);
  assert.deepEqual([errorOf('a -1').start, errorOf('a -1').end], [2, 4]);
  assert.deepEqual([errorOf("'x'.length").start, errorOf("'x'.length").end], [3, 4]);
  assert.deepEqual([errorOf('a.b(c)').start, errorOf('a.b(c)').end], [3, 4]);
  assert.deepEqual(errorOf('é'), { message: "Unexpected character 'é'", start: 0, end: 1 });
  assert.deepEqual(errorOf('a == 😀'), { message: "Unexpected character '😀'", start: 5, end: 7 });
  for (const bad of [
    '(',
    ')',
    '[',
    ']',
    ',',
    '.',
    '*',
    '!',
    '==',
    '&&',
    'a ||',
    '!()',
    'a[]',
    'a..b',
    '${{ a }}',
    '{',
    '}}',
    '\0',
    'a\u2028b',
  ]) {
    const parsed = parseExpression(bad);
    assert.equal(parsed.ast, null, bad);
    assert.equal(parsed.errors.length, 1, bad);
    const [error] = parsed.errors;
    assert.ok(error.start >= 0 && error.start <= error.end && error.end <= bad.length, `offsets in range for ${JSON.stringify(bad)}`);
  }
});

test('deep nesting 100k levels gives an error, not a stack overflow', () => {
  for (const [open, close] of [
    ['(', ')'],
    ['!', ''],
    ['a[', ']'],
    ['f(', ')'],
  ]) {
    const text = open.repeat(100_000) + 'x' + close.repeat(100_000);
    const parsed = parseExpression(text);
    assert.equal(parsed.ast, null);
    assert.equal(parsed.errors.length, 1);
    assert.match(parsed.errors[0].message, /nested too deeply/);
    // The error is on the first opener beyond the limit.
    assert.equal(parsed.errors[0].start, MAX_NESTING * open.length + open.length - 1);
  }
  // Just under the limit is fine.
  assert.ok(parseExpression('('.repeat(MAX_NESTING) + 'x' + ')'.repeat(MAX_NESTING)).ast);
});

test('long chains are capped in AST height so consumers can recurse safely', () => {
  const ok = Array.from({ length: 500 }, (_, i) => `a${i}`).join(' || ');
  assert.ok(parseExpression(ok).ast);
  const tooLong = Array.from({ length: MAX_AST_HEIGHT + 10 }, () => 'a').join(' || ');
  const parsed = parseExpression(tooLong);
  assert.equal(parsed.ast, null);
  assert.match(parsed.errors[0].message, /too complex/);
  const longChain = 'a' + '.b'.repeat(MAX_AST_HEIGHT + 10);
  assert.match(parseExpression(longChain).errors[0].message, /too complex/);
  // Heights propagate through every construct: a chain of exactly the limit is fine, one more level is not.
  const atLimit = 'a' + '.b'.repeat(MAX_AST_HEIGHT - 1);
  const oneBelow = 'a' + '.b'.repeat(MAX_AST_HEIGHT - 2);
  assert.ok(parseExpression(atLimit).ast);
  for (const wrap of [
    (x: string) => `f(1, ${x})`,
    (x: string) => `c[${x}]`,
    (x: string) => `(${x})`,
    (x: string) => `!${x}`,
    (x: string) => `c || ${x}`,
    (x: string) => `${x} == c`,
  ]) {
    assert.match(parseExpression(wrap(atLimit)).errors[0]?.message ?? '', /too complex/, wrap('x'));
    assert.ok(parseExpression(wrap(oneBelow)).ast, wrap('x'));
  }
});

test('1 MB adversarial inputs finish fast', () => {
  const size = 1 << 20;
  const inputs = [
    '('.repeat(size),
    '!'.repeat(size),
    '['.repeat(size),
    'a'.repeat(size),
    "'" + 'x'.repeat(size),
    "'" + "''".repeat(size / 2) + "'",
    'a || '.repeat(size / 5) + 'a',
    'a.b'.repeat(size / 3),
    'format(' + 'a, '.repeat(size / 3) + 'a)',
    '${{ '.repeat(size / 4),
    '}}'.repeat(size / 2),
    '-'.repeat(size),
    '9'.repeat(size),
    Array.from({ length: size }, (_, i) => "()[]'.!=<>&|*,ab1 -"[(i * 7919) % 19]).join(''),
  ];
  const started = Date.now();
  for (const input of inputs) {
    const parsed = parseExpression(input);
    assert.ok(parsed.ast !== null || parsed.errors.length > 0);
    const text = `run: echo "\${{ ${input} }}" and \${{ ${input}`;
    const found = findExpressions(text);
    assert.ok(found.length >= 1);
  }
  // A megabyte of text with many small expressions.
  const many = 'x: ${{ a.b }} y ${{ c }}\n'.repeat(size / 25);
  const found = findExpressions(many);
  assert.equal(found.length, 2 * Math.floor(size / 25));
  const elapsed = Date.now() - started;
  assert.ok(elapsed < 20000, `took ${elapsed} ms`);
});

// --- findExpressions -------------------------------------------------------------------------------

test('findExpressions on multi-line block-scalar-like text', () => {
  const text = [
    'run: |',
    '  echo "${{ github.event.issue.title }}" > ${{ runner.temp }}/t.txt',
    "  if [ '${{ matrix.os }}' = linux ]; then ${{ inputs.cmd }}; fi",
    '  echo done',
  ].join('\n');
  const found = findExpressions(text);
  assert.deepEqual(
    found.map((o) => o.text.trim()),
    ['github.event.issue.title', 'runner.temp', 'matrix.os', 'inputs.cmd'],
  );
  for (const occurrence of found) {
    assert.equal(text.slice(occurrence.start, occurrence.start + 3), '${{');
    assert.equal(text.slice(occurrence.end - 2, occurrence.end), '}}');
    assert.equal(occurrence.innerStart, occurrence.start + 3);
    assert.equal(occurrence.innerEnd, occurrence.end - 2);
    assert.equal(text.slice(occurrence.innerStart, occurrence.innerEnd), occurrence.text);
    assert.equal(occurrence.terminated, true);
    assert.deepEqual(occurrence.parsed.errors, []);
    // Offsets in `parsed` are relative to innerStart; absoluteParse shifts them.
    const absolute = absoluteParse(occurrence).ast!;
    assert.equal(text.slice(absolute.start, absolute.end), occurrence.text.trim());
  }
  const first = found[0];
  assert.equal(contextPath(first.parsed.ast!), 'github.event.issue.title');
});

test('findExpressions honours from/to and adjacent expressions', () => {
  const text = 'a ${{ x }}${{y}} b ${{ z }}';
  assert.deepEqual(
    findExpressions(text).map((o) => o.text),
    [' x ', 'y', ' z '],
  );
  const second = text.indexOf('${{y');
  const only = findExpressions(text, second, second + 6);
  assert.equal(only.length, 1);
  assert.deepEqual([only[0].start, only[0].end, only[0].text], [second, second + 6, 'y']);
  // The region ends inside an expression: unterminated within the region.
  const cut = findExpressions(text, 0, 8);
  assert.equal(cut.length, 1);
  assert.equal(cut[0].terminated, false);
  assert.equal(cut[0].end, 8);
  assert.deepEqual(
    findExpressions(text, 3, 100).map((o) => o.text),
    ['y', ' z '],
  ); // starts past the first "${{"
  assert.deepEqual(findExpressions('no expressions $ {{ here }}'), []);
});

test('"}}" inside a string literal does not close the expression', () => {
  const text = "echo ${{ format('a}}b', 'it''s }}') }} tail";
  const [occurrence, ...rest] = findExpressions(text);
  assert.equal(rest.length, 0);
  assert.equal(occurrence.text, " format('a}}b', 'it''s }}') ");
  assert.equal(text.slice(occurrence.end), ' tail');
  assert.deepEqual(occurrence.parsed.errors, []);
  assert.equal(show(occurrence.parsed.ast!), "format('a}}b', 'it's }}')");
});

test('unterminated "${{" gives one occurrence with an error', () => {
  const text = 'x: ${{ github.event.issue.title\nnext: line';
  const found = findExpressions(text);
  assert.equal(found.length, 1);
  const [occurrence] = found;
  assert.equal(occurrence.terminated, false);
  assert.equal(occurrence.end, text.length);
  assert.equal(occurrence.innerEnd, text.length);
  assert.match(occurrence.parsed.errors[0].message, /Unterminated expression/);
  // The error sits on the "${{" once shifted to absolute offsets.
  const absolute = absoluteParse(occurrence).errors[0];
  assert.deepEqual([absolute.start, absolute.end], [3, 6]);
  // An unterminated string literal swallows the "}}".
  const inString = findExpressions("${{ 'abc }} more");
  assert.equal(inString.length, 1);
  assert.equal(inString[0].terminated, false);
  assert.ok(inString[0].parsed.errors.some((e) => /Unterminated string/.test(e.message)));
});

test('nested "${{" text is part of the outer expression', () => {
  const text = "a ${{ ${{ b }} }} c ${{ '${{ x }}' }}";
  const found = findExpressions(text);
  assert.deepEqual(
    found.map((o) => o.text),
    [' ${{ b ', " '${{ x }}' "],
  );
  assert.equal(found[0].parsed.ast, null);
  assert.match(found[0].parsed.errors[0].message, /Unexpected character '\$'/);
  assert.deepEqual(found[1].parsed.errors, []);
  assert.equal(show(found[1].parsed.ast!), "'${{ x }}'");
});

test('offsets are UTF-16 string offsets after non-ASCII text and emoji', () => {
  const text = 'name: héllo 😀 wörld ${{ github.actor }} 🚀${{ 😀 }}';
  const found = findExpressions(text);
  assert.equal(found.length, 2);
  assert.equal(found[0].start, text.indexOf('${{'));
  assert.equal(text.slice(found[0].innerStart, found[0].innerEnd), ' github.actor ');
  const node = absoluteParse(found[0]).ast!;
  assert.equal(text.slice(node.start, node.end), 'github.actor');
  const bad = absoluteParse(found[1]).errors[0];
  assert.equal(text.slice(bad.start, bad.end), '😀');
});

test('malformed expressions in text give errors, not exceptions', () => {
  const text = '${{ }} ${{ a == }} ${{ ) }} ${{ "x" }} ${{ a b }}';
  const found = findExpressions(text);
  assert.equal(found.length, 5);
  for (const occurrence of found) {
    assert.equal(occurrence.parsed.ast, null);
    assert.equal(occurrence.parsed.errors.length, 1);
    const error = shiftParsed(occurrence.parsed, occurrence.innerStart).errors[0];
    assert.ok(error.start >= occurrence.innerStart && error.end <= occurrence.innerEnd);
  }
  assert.match(found[0].parsed.errors[0].message, /Empty expression/);
});

// --- dataflow helpers ------------------------------------------------------------------------------

test('contextPath normalisation', () => {
  const path = (text: string) => contextPath(ast(text));
  assert.equal(path('github.event.pull_request.title'), 'github.event.pull_request.title');
  assert.equal(path("GitHub.event['pull_request'].title"), 'github.event.pull_request.title');
  assert.equal(path("github['event'][a && 'b']"), null);
  assert.equal(path('matrix.os'), 'matrix.os');
  assert.equal(path('Steps.build.outputs.x'), 'steps.build.outputs.x');
  assert.equal(path('github.event.commits.*.message'), 'github.event.commits.*.message');
  assert.equal(path('github.event.commits[*].message'), 'github.event.commits.*.message');
  assert.equal(path('github.event.commits[0].message'), 'github.event.commits.0.message');
  assert.equal(path('github.event.pull_request.head-ref'), 'github.event.pull_request.head-ref');
  assert.equal(path("env['a.b']"), "env['a.b']");
  assert.equal(path("env['it''s']"), "env['it''s']");
  assert.equal(path('(github.event).title'), 'github.event.title');
  assert.equal(path("github.event[('issue')].title"), 'github.event.issue.title');
  assert.equal(path('secrets[matrix.name]'), null);
  assert.equal(contextPath(ast('secrets[matrix.name]'), { computedIndexAsWildcard: true }), 'secrets.*');
  assert.equal(contextPath(ast('github.Event.Issue.TITLE'), { caseInsensitive: true }), 'github.event.issue.title');
  assert.equal(path('github.Event.Issue'), 'github.Event.Issue');
  assert.equal(path("'x'"), null);
  assert.equal(path('fromJSON(x).y'), null);
  assert.equal(path('a || b'), null);
  assert.deepEqual(contextPathSegments(ast("github.event['a.b'].*")), ['github', 'event', 'a.b', '*']);
});

test('valueLeaves: ternary-like a && x || y', () => {
  assert.deepEqual(leaves("github.event_name == 'push' && '--x' || ''"), ["'--x'", "''"]);
  assert.deepEqual(leaves("inputs.debug && github.event.issue.title || 'none'"), ['github.event.issue.title', "'none'"]);
  assert.deepEqual(leaves('github.head_ref || github.ref'), ['github.head_ref', 'github.ref']);
  assert.deepEqual(leaves('(a.b || (c && d.e))'), ['a.b', 'd.e']);
  assert.deepEqual(leaves('github.event.issue.title'), ['github.event.issue.title']);
  assert.deepEqual(leaves('matrix'), ['matrix']);
  assert.deepEqual(leaves("'lit'"), ["'lit'"]);
});

test('valueLeaves: comparisons and negation produce no value leaves', () => {
  assert.deepEqual(leaves("github.event.issue.title == 'x'"), []);
  assert.deepEqual(leaves('a.b != c.d'), []);
  assert.deepEqual(leaves('a < b'), []);
  assert.deepEqual(leaves('a >= b'), []);
  assert.deepEqual(leaves('!github.event.issue.title'), []);
});

test('valueLeaves: functions', () => {
  assert.deepEqual(leaves("format('{0} by {1}', github.event.issue.title, github.actor)"), [
    "'{0} by {1}'",
    'github.event.issue.title',
    'github.actor',
  ]);
  assert.deepEqual(leaves("join(github.event.commits.*.message, ', ')"), ['github.event.commits.*.message', "', '"]);
  assert.deepEqual(leaves('toJSON(github.event)'), ['github.event']);
  assert.deepEqual(leaves('fromJSON(steps.s.outputs.json)'), ['steps.s.outputs.json']);
  assert.deepEqual(leaves('fromJson(steps.s.outputs.json).name'), ['steps.s.outputs.json']);
  assert.deepEqual(leaves("contains(github.event.issue.title, 'x')"), []);
  assert.deepEqual(leaves("startsWith(github.ref, 'refs/tags') || endsWith(a, b)"), []);
  assert.deepEqual(leaves('success() && always() || failure() || cancelled()'), []);
  assert.deepEqual(leaves("hashFiles('**/package-lock.json')"), []);
  assert.deepEqual(leaves("CONTAINS(a, b) && FORMAT('{0}', c)"), ["'{0}'", 'c']);
  assert.deepEqual(leaves("case(a == 'x', b.c, d, e.f, 'default')"), ['b.c', 'e.f', "'default'"]);
  assert.deepEqual(leaves('myFunc(a, b.c)'), ['a', 'b.c']);
  assert.deepEqual(leaves('(a || b).c'), ['a', 'b']);
});

test('walkExpression visits every node in pre-order with parents', () => {
  const root = ast("a.b[c] || !f(1, 'x')");
  const seen: string[] = [];
  walkExpression(root, (node, parent) => {
    seen.push(`${node.type}<${parent?.type ?? 'none'}`);
  });
  assert.deepEqual(seen, [
    'binary<none',
    'index<binary',
    'property<index',
    'context<property',
    'context<index',
    'unary<binary',
    'call<unary',
    'literal<call',
    'literal<call',
  ]);
  // Returning false skips children.
  const types: string[] = [];
  walkExpression(root, (node) => {
    types.push(node.type);
    return node.type !== 'index';
  });
  assert.deepEqual(types, ['binary', 'index', 'unary', 'call', 'literal', 'literal']);
});

test('nodeAt finds the innermost node at an offset', () => {
  const root = ast('contains(github.event.issue.title, x)');
  const at = nodeAt(root, 'contains(github.ev'.length);
  assert.ok(at);
  assert.equal(show(at!), 'github.event');
  assert.equal(nodeAt(root, 100), null);
});
