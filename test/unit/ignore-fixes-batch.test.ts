import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ignoreFix, ignoreFixes, ignoreFixStats } from '../../server/src/suppressions/ignore-fix';
import { analyze, DEFAULT_ANALYSIS_OPTIONS } from '../../server/src/engine';
import { ParsedFile } from '../../server/src/parse/document';

const ROOT = join(__dirname, '..', '..', '..');
const AUDITOR = { ...DEFAULT_ANALYSIS_OPTIONS, persona: 'auditor' as const };

const TRICKY = [
  // Block scalars (header lines take a comment, content lines do not), a multi-line plain and a multi-line
  // quoted scalar, an existing ignore comment, two findings on one line, a flow mapping.
  [
    'on: pull_request_target',
    'permissions: write-all',
    'jobs:',
    '  build:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4 # zizmor: ignore[artipacked] kept',
    '      - uses: my-org/tool@main',
    '      - run: |',
    '          echo "${{ github.event.pull_request.title }}" "${{ github.head_ref }}"',
    '      - run: echo ${{ github.event.issue.title }} ${{ github.event.issue.body }}',
    '      - run: echo "${{ github.event.comment.body',
    '          }}"',
    '      - run: echo ${{ github.event.review.body }}',
    '          and more',
    '      - { uses: docker/login-action@v3, with: { password: hunter2 } }',
    '',
  ].join('\n'),
  // The same with CRLF line ends.
  '',
  // Broken YAML: the file's own problems are there before any comment is added.
  'on: push\njobs:\n  a:\n    runs-on: [ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n',
];
TRICKY[1] = TRICKY[0].replace(/\n/g, '\r\n');

function texts(): string[] {
  const found = [...TRICKY];
  for (const dir of ['vulnerable', 'hardened']) {
    const workflows = join(ROOT, 'examples', dir, '.github', 'workflows');
    for (const name of readdirSync(workflows)) found.push(readFileSync(join(workflows, name), 'utf8'));
  }
  return found;
}

test('ignoreFixes (one verification parse for all findings) gives what ignoreFix gives for each finding', () => {
  let compared = 0;
  let offered = 0;
  let alone = 0;
  for (const text of texts()) {
    const file = new ParsedFile('file:///r/.github/workflows/ci.yml', 'workflow', text, 1);
    const findings = analyze(file, AUDITOR);
    const before = ignoreFixStats.verifiedAlone;
    const batch = ignoreFixes(file, findings);
    alone += ignoreFixStats.verifiedAlone - before;
    findings.forEach((finding, index) => {
      assert.deepEqual(batch[index], ignoreFix(file, finding), `${finding.ruleId} at ${finding.span.start}`);
      compared++;
      if (batch[index]) offered++;
    });
  }
  assert.ok(compared > 40 && offered > 20, `${compared} findings compared, ${offered} with an ignore fix`);
  // Most were confirmed by the combined parse (the others share a line with another candidate).
  assert.ok(alone < offered / 2, `${alone} of ${offered} verified one by one`);
});

test('ignoreFixes puts the comment of a block scalar content line on its header; nothing in a multi-line plain scalar or for syntax errors', () => {
  const text = TRICKY[0];
  const file = new ParsedFile('file:///r/.github/workflows/ci.yml', 'workflow', text, 1);
  const inScript = text.indexOf('echo "${{ github.event.pull_request');
  // The first line of a plain scalar that goes on over the next line: a `#` there would end it early.
  const inPlain = text.indexOf('${{ github.event.review.body');
  const fixes = ignoreFixes(file, [
    { ruleId: 'template-injection', span: { start: inScript, end: inScript + 4 } },
    { ruleId: 'template-injection', span: { start: inPlain, end: inPlain + 10 } },
    { ruleId: 'syntax-error', span: { start: 0, end: 2 } },
    { ruleId: 'unpinned-uses', span: { start: text.indexOf('main'), end: text.indexOf('main') + 4 } },
  ]);
  assert.deepEqual(fixes[0]?.edits, [
    {
      span: { start: text.indexOf('- run: |') + 8, end: text.indexOf('- run: |') + 8 },
      newText: ' # warden: ignore[template-injection] reason',
    },
  ]);
  assert.equal(fixes[0]?.title, "Ignore template-injection with a comment on line 9 (the block's header)");
  assert.deepEqual(fixes.slice(1, 3), [null, null]);
  assert.equal(fixes[3]?.title, 'Ignore unpinned-uses on this line');
});
