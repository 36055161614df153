/**
 * Incremental re-parsing (server/src/parse/incremental.ts): a document re-parsed from its previous
 * version must be node for node what a full parse of the same text gives, with the same problems and the
 * same findings, whether or not the incremental path was taken.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { isMap, isPair, isScalar, isSeq, type Node, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { analyze, DEFAULT_ANALYSIS_OPTIONS } from '../../server/src/engine';
import { ParsedFile } from '../../server/src/parse/document';
import { diffTexts, incrementalStats } from '../../server/src/parse/incremental';
import { rng, seedFiles } from '../support/fuzz';

const ROOT = join(__dirname, '..', '..', '..');
const URI = 'file:///repo/.github/workflows/ci.yml';

/** Everything of a node the engine can read: class, style, value, tag, anchor and all three offsets. */
function canonical(node: unknown): unknown {
  if (node === null || node === undefined) return null;
  if (isPair(node)) return [canonical(node.key), canonical(node.value)];
  const n = node as Node;
  const common = { range: n.range, tag: n.tag ?? null, anchor: n.anchor ?? null };
  if (isScalar(n)) {
    const value = (n as Scalar).value;
    return { scalar: `${typeof value}:${String(value)}`, type: (n as Scalar).type ?? null, ...common };
  }
  if (isMap(n) || isSeq(n)) {
    return {
      collection: isMap(n) ? 'map' : 'seq',
      flow: !!(n as YAMLMap).flow,
      items: ((n as YAMLMap | YAMLSeq).items as unknown[]).map(canonical),
      ...common,
    };
  }
  return { other: String(n), ...common };
}

function snapshot(file: ParsedFile): string {
  const findings = analyze(file, { ...DEFAULT_ANALYSIS_OPTIONS, persona: 'auditor' }).map((finding) => ({
    ...finding,
    fixes: finding.fixes.map((fix) => ({ title: fix.title, edits: fix.edits })),
  }));
  return JSON.stringify({ doc: canonical(file.doc?.contents ?? null), range: file.doc?.range ?? null, problems: file.problems, findings });
}

/** Parses `text` both ways and checks they agree; returns whether the incremental path was taken. */
function checkAgainstFullParse(previous: ParsedFile, text: string, label: string): ParsedFile {
  const incremental = new ParsedFile(URI, previous.kind, text, previous.version + 1, previous);
  const full = new ParsedFile(URI, previous.kind, text, previous.version + 1);
  const [got, want] = [snapshot(incremental), snapshot(full)];
  if (got !== want) {
    let at = 0;
    while (got[at] === want[at]) at++;
    const change = diffTexts(previous.text, text);
    assert.fail(
      `${label} (change ${JSON.stringify(change)}: ${JSON.stringify(previous.text.slice(change.start, change.oldEnd))} → ${JSON.stringify(text.slice(change.start, change.newEnd))}): first difference at ${at}\n  incremental: …${got.slice(Math.max(0, at - 200), at + 150)}\n  full parse:  …${want.slice(Math.max(0, at - 200), at + 150)}`,
    );
  }
  return incremental;
}

const WORKFLOW = [
  'name: ci',
  'on:',
  '  push:',
  '  pull_request_target:',
  'permissions: {}',
  'jobs:',
  '  build:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - uses: actions/checkout@v4',
  '      - run: echo "${{ github.head_ref }}"',
  '',
  '  # the tests',
  '  test:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - run: make test',
  '  last:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - run: echo done',
  '',
].join('\n');

test('incremental: diffTexts finds the one changed span', () => {
  assert.deepEqual(diffTexts('abcdef', 'abXYdef'), { start: 2, oldEnd: 3, newEnd: 4 });
  assert.deepEqual(diffTexts('abc', 'abc'), { start: 3, oldEnd: 3, newEnd: 3 });
  assert.deepEqual(diffTexts('aaa', 'aaaa'), { start: 3, oldEnd: 3, newEnd: 4 });
  assert.deepEqual(diffTexts('abc', ''), { start: 0, oldEnd: 3, newEnd: 0 });
});

test('incremental: diffTexts on long texts (compared block by block) agrees with a character-by-character diff', () => {
  const reference = (before: string, after: string) => {
    const limit = Math.min(before.length, after.length);
    let start = 0;
    while (start < limit && before[start] === after[start]) start++;
    let suffix = 0;
    while (suffix < limit - start && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
    return { start, oldEnd: before.length - suffix, newEnd: after.length - suffix };
  };
  // Repetitive text, so that a shifted block could match by accident if the blocks were misaligned.
  const base = 'jobs:\n  build:\n    steps:\n      - run: echo 1\n'.repeat(400);
  const random = rng(5);
  for (let round = 0; round < 300; round++) {
    const at = Math.floor(random() * base.length);
    const removed = Math.floor(random() * 3) === 0 ? Math.floor(random() * 1500) : Math.floor(random() * 3);
    const inserted = ['', 'x', ' ', '\n', '      - run: echo 1\n', 'é😀'.repeat(1 + Math.floor(random() * 600))][Math.floor(random() * 6)];
    const after = base.slice(0, at) + inserted + base.slice(Math.min(base.length, at + removed));
    assert.deepEqual(diffTexts(base, after), reference(base, after), `edit at ${at}, -${removed}, +${inserted.length}`);
    assert.deepEqual(diffTexts(after, base), reference(after, base));
  }
  assert.deepEqual(diffTexts(base, base), { start: base.length, oldEnd: base.length, newEnd: base.length });
});

test('incremental: typing a step inside a job re-parses only that job, and agrees with a full parse', () => {
  let file = new ParsedFile(URI, 'workflow', WORKFLOW, 1);
  const at = WORKFLOW.indexOf('actions/checkout@v4') + 'actions/checkout@v4'.length;
  const typed = '\n      - name: greet\n        run: echo ${{ github.event.pull_request.title }}';
  let taken = 0;
  for (let i = 1; i <= typed.length; i++) {
    const text = WORKFLOW.slice(0, at) + typed.slice(0, i) + WORKFLOW.slice(at);
    file = checkAgainstFullParse(file, text, `after ${i} characters`);
    if (file.incremental) taken++;
  }
  // Most intermediate states are valid YAML inside the job: those must have taken the incremental path.
  assert.ok(taken > typed.length / 2, `incremental ${taken} of ${typed.length}`);
  assert.ok(file.incremental);
  const findings = analyze(file, { ...DEFAULT_ANALYSIS_OPTIONS, persona: 'auditor' }).filter(
    (finding) => finding.ruleId === 'template-injection',
  );
  assert.deepEqual(
    findings.map((finding) => file.text.slice(finding.span.start, finding.span.end)),
    ['github.head_ref', 'github.event.pull_request.title'].sort((a, b) => file.text.indexOf(a) - file.text.indexOf(b)),
  );
});

test('incremental: falls back to a full parse where it cannot vouch for the result', () => {
  const base = new ParsedFile(URI, 'workflow', WORKFLOW, 1);
  const cases: [string, string][] = [
    ['an edit in the last job, which ends with a comment', `${WORKFLOW}# the end\n`.replace('echo done', 'echo finished')],
    [
      'an edit joining two jobs',
      WORKFLOW.replace('"${{ github.head_ref }}"\n\n  # the tests\n  test:\n    runs-on: ubuntu-latest\n', 'x\n'),
    ],
    ['renaming a job onto its sibling', WORKFLOW.replace('  build:', '  test:')],
    [
      'a new job typed inside another',
      WORKFLOW.replace('      - uses: actions/checkout@v4\n', '      - uses: actions/checkout@v4\n  other:\n    runs-on: x\n'),
    ],
    ['an unterminated quote', WORKFLOW.replace('echo "${{ github.head_ref }}"', '"echo ${{ github.head_ref }}')],
    [
      'an anchor',
      WORKFLOW.replace('    runs-on: ubuntu-latest\n    steps:\n      - uses', '    runs-on: &os ubuntu-latest\n    steps:\n      - uses'),
    ],
    ['an indentation indicator', WORKFLOW.replace('      - run: make test', '      - run: |2\n          make test')],
    ['a line at column 0', WORKFLOW.replace('      - run: make test', 'x: 1\n      - run: make test')],
    ['a top-level edit', WORKFLOW.replace('name: ci', 'name: CI')],
    [
      'nesting too deep to analyse',
      WORKFLOW.replace(
        '      - run: make test',
        `      - run: make test\n${Array.from({ length: 250 }, (_, i) => `${' '.repeat(8 + i)}k${i}:`).join('\n')} x`,
      ),
    ],
  ];
  for (const [label, text] of cases) {
    assert.notEqual(text, WORKFLOW, label);
    const file = checkAgainstFullParse(base, text, label);
    assert.equal(file.incremental, false, label);
    if (label.startsWith('nesting'))
      assert.deepEqual(
        file.problems.map((problem) => problem.code),
        ['too-deeply-nested'],
      );
  }
  // A document with errors is never the base of an incremental parse.
  const broken = new ParsedFile(URI, 'workflow', WORKFLOW.replace('echo "${{ github.head_ref }}"', '"echo x'), 2);
  assert.ok(broken.problems.length > 0);
  assert.equal(
    checkAgainstFullParse(broken, WORKFLOW.replace('echo "${{ github.head_ref }}"', '"echo xy'), 'broken base').incremental,
    false,
  );
});

test('incremental: the last job, the first job and a trigger are re-parsed on their own', () => {
  const base = new ParsedFile(URI, 'workflow', WORKFLOW, 1);
  for (const [label, text] of [
    ['the last job', WORKFLOW.replace('echo done', 'echo finished')],
    ['the last job, text appended at the end', `${WORKFLOW}      - run: echo more\n`],
    ['the first job', WORKFLOW.replace('  build:\n    runs-on: ubuntu-latest', '  build:\n    runs-on: ubuntu-24.04')],
    ['a trigger', WORKFLOW.replace('  push:\n', '  push:\n    branches: [main]\n')],
  ]) {
    assert.equal(checkAgainstFullParse(base, text, label).incremental, true, label);
  }
});

test('incremental: CRLF line endings, non-ASCII text and comments between jobs', () => {
  const crlf = WORKFLOW.replace(/\n/g, '\r\n').replace('make test', 'make test # 測試 🚀');
  let file = new ParsedFile(URI, 'workflow', crlf, 1);
  for (const [from, to] of [
    ['make test', 'make tests'],
    ['# the tests', '# the tests 🚀'],
    ['runs-on: ubuntu-latest\r\n    steps:\r\n      - uses', 'runs-on: ubuntu-24.04\r\n    steps:\r\n      - uses'],
  ]) {
    const text = file.text.replace(from, to);
    file = checkAgainstFullParse(file, text, `${from} → ${to}`);
    assert.ok(file.incremental, `${from} → ${to}`);
  }
});

/** A deterministic generator (the tests must not depend on Math.random). */
function generator(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

const FRAGMENTS = [
  'a',
  ' ',
  '\n',
  '\n      ',
  ':',
  ': ',
  '- ',
  '"',
  "'",
  '#',
  '${{ github.head_ref }}',
  '[',
  ']',
  '{',
  '}',
  '&x ',
  '*x',
  '|',
  '|2',
  '\t',
  '🚀',
  'é',
  '---',
  '\r\n',
  '\n  job:\n    runs-on: x\n',
  '\n      - run: echo hi\n',
];

test('incremental: random edit sequences over corpus workflows agree with full parses', () => {
  const seeds = seedFiles(ROOT).filter((seed) => seed.kind === 'workflow' && seed.text.length < 60_000);
  assert.ok(seeds.length > 0);
  const random = generator(Number(process.env.WARDEN_INCREMENTAL_SEED ?? 7));
  let edits = 0;
  let taken = 0;
  const files = Number(process.env.WARDEN_INCREMENTAL_FILES ?? 60);
  for (let n = 0; n < files; n++) {
    const seed = seeds[Math.floor(random() * seeds.length)];
    let file = new ParsedFile(URI, 'workflow', seed.text, 1);
    // A burst of edits around one place, as typing does, then a jump elsewhere.
    let at = Math.floor(random() * seed.text.length);
    for (let i = 0; i < 25; i++) {
      if (random() < 0.15) at = Math.floor(random() * file.text.length);
      at = Math.min(at, file.text.length);
      const roll = random();
      let text: string;
      if (roll < 0.35) {
        // Typing inside a word, the commonest edit.
        while (at > 0 && at < file.text.length && !/\w/.test(file.text[at - 1])) at++;
        const letter = 'abcxyz019_-.'[Math.floor(random() * 12)];
        text = file.text.slice(0, at) + letter + file.text.slice(at);
        at += 1;
      } else if (roll < 0.45) {
        // A new line below the current one, indented like it.
        const lineEnd = file.text.indexOf('\n', at) === -1 ? file.text.length : file.text.indexOf('\n', at);
        const lineStart = file.text.lastIndexOf('\n', lineEnd - 1) + 1;
        const indent = /^[ ]*/.exec(file.text.slice(lineStart, lineEnd))![0];
        const added = `\n${indent}${['x: 1', '- run: echo ${{ github.head_ref }}', '# note', "if: github.actor == 'dependabot[bot]'"][Math.floor(random() * 4)]}`;
        text = file.text.slice(0, lineEnd) + added + file.text.slice(lineEnd);
        at = lineEnd + added.length;
      } else if (roll < 0.7) {
        const fragment = FRAGMENTS[Math.floor(random() * FRAGMENTS.length)];
        text = file.text.slice(0, at) + fragment + file.text.slice(at);
        at += fragment.length;
      } else if (roll < 0.92) {
        const length = Math.floor(random() * (roll < 0.85 ? 3 : 80));
        text = file.text.slice(0, at) + file.text.slice(at + length);
      } else {
        const length = Math.floor(random() * 10);
        text = file.text.slice(0, at) + 'x'.repeat(length) + file.text.slice(at + length);
      }
      file = checkAgainstFullParse(file, text, `${seed.path}, edit ${i} at ${at}`);
      edits++;
      if (file.incremental) taken++;
    }
  }
  // The oracle only proves something if the incremental path was taken often (these edits are hostile:
  // a quarter of them insert YAML punctuation that breaks the document for many edits after).
  assert.ok(taken > edits / 6, `incremental ${taken} of ${edits}; fallbacks so far: ${JSON.stringify(incrementalStats.fallbacks)}`);
});

test('incremental: every fuzz mutator, applied as one edit to a parsed workflow, agrees with a full parse', async () => {
  const { MUTATORS } = await import('../support/fuzz');
  const seeds = seedFiles(ROOT)
    .filter((seed) => seed.kind === 'workflow' && seed.text.length < 20_000)
    .slice(0, 12);
  for (const seed of seeds) {
    const base = new ParsedFile(URI, 'workflow', seed.text, 1);
    for (const [name, mutate] of Object.entries(MUTATORS)) {
      let state = seed.text.length;
      const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const mutant = mutate(seed.text, random);
      if (mutant.length > 2_000_000) continue;
      const started = Date.now();
      checkAgainstFullParse(base, mutant, `${name} on ${seed.path}`);
      assert.ok(Date.now() - started < 10_000, `${name} on ${seed.path} took ${Date.now() - started} ms`);
    }
  }
});

test('incremental: typing a new key character by character (a key line without its colon) agrees with full parses', () => {
  const seeds = seedFiles(ROOT).filter((seed) => seed.kind === 'workflow' && seed.text.length < 60_000);
  const random = generator(Number(process.env.WARDEN_INCREMENTAL_SEED ?? 7) + 1);
  let withError = 0;
  let taken = 0;
  const files = Math.max(8, Math.floor(Number(process.env.WARDEN_INCREMENTAL_FILES ?? 60) / 4));
  for (let n = 0; n < files; n++) {
    const seed = seeds[Math.floor(random() * seeds.length)];
    const lines = seed.text.split('\n');
    // Below a key line inside a job (the commonest place to type), and below any line at all (an oracle only).
    const keyLines = lines.map((line, index) => ({ line, index })).filter(({ line }) => /^ {4,}[A-Za-z_][\w-]*:/.test(line));
    const places = [
      ...(keyLines.length > 0 ? [{ line: keyLines[Math.floor(random() * keyLines.length)].index, sibling: true }] : []),
      { line: Math.floor(random() * (lines.length - 1)), sibling: false },
    ];
    for (const place of places) {
      let file = new ParsedFile(URI, 'workflow', seed.text, 1);
      const indent = /^[ ]*/.exec(lines[place.line])![0] + (place.sibling || random() < 0.5 ? '' : '  ');
      let at = lines.slice(0, place.line + 1).join('\n').length;
      let text = file.text.slice(0, at) + `\n${indent}` + file.text.slice(at);
      at += 1 + indent.length;
      file = checkAgainstFullParse(file, text, `${seed.path}, new line after line ${place.line + 1}`);
      for (const char of 'uses: x/y@v1') {
        text = file.text.slice(0, at) + char + file.text.slice(at);
        at += 1;
        file = checkAgainstFullParse(file, text, `${seed.path}, typing after line ${place.line + 1}`);
        if (!place.sibling || file.problems.length === 0) continue;
        withError++;
        if (file.incremental) taken++;
      }
    }
  }
  // Below a key, the states before the colon are errors: most of them must have gone the incremental way.
  assert.ok(
    withError > 0 && taken > withError / 2,
    `incremental with errors ${taken} of ${withError}; fallbacks so far: ${JSON.stringify(incrementalStats.fallbacks)}`,
  );
});
