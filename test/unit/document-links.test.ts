import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { DocumentLink, Range } from 'vscode-languageserver-types';
import { documentLinks } from '../../server/src/features/document-links';
import { ParsedFile } from '../../server/src/parse/document';

const SHA = '11bd71901bbe5b1630ceea73d27597364c9af683';

/** The lines of a workflow with one job whose steps are `steps` (each written after `- `). */
function jobWithSteps(...steps: string[]): string[] {
  return ['on: push', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', ...steps.map((step) => `      - ${step}`)];
}

function textAt(file: ParsedFile, range: Range): string {
  return file.text.slice(file.lines.offset(range.start), file.lines.offset(range.end));
}

function linksOf(
  text: string,
  serverUrl = 'https://github.com',
  uri = 'file:///repo/.github/workflows/ci.yml',
  isFile = (_: string) => false,
) {
  const file = new ParsedFile(uri, 'workflow', text);
  return { file, links: documentLinks(file, { serverUrl, isFile }) };
}

const WORKFLOW = [
  'on: push',
  'jobs:',
  '  build:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  `      - uses: actions/checkout@${SHA} # v4.2.2`,
  "      - uses: 'actions/setup-node@v4'",
  '      - uses: github/codeql-action/init@releases/v3',
  '      - uses: owner/repo@${{ matrix.ref }}',
  '      - uses: docker://alpine:3.20',
  '      - uses: actions/cache',
  '  reuse:',
  '    uses: octo-org/workflows/.github/workflows/release.yml@v1',
  '',
].join('\n');

test('document links: remote actions and reusable workflows open on the GitHub host at the ref written', () => {
  const { file, links } = linksOf(WORKFLOW);
  const byText = new Map(links.map((link: DocumentLink) => [textAt(file, link.range), link]));
  assert.deepEqual(
    [...byText.keys()],
    [
      `actions/checkout@${SHA}`,
      'actions/setup-node@v4',
      'github/codeql-action/init@releases/v3',
      'octo-org/workflows/.github/workflows/release.yml@v1',
    ],
    'no link for an expression ref, a Docker image or a missing ref; quotes outside the range',
  );
  assert.equal(byText.get(`actions/checkout@${SHA}`)!.target, `https://github.com/actions/checkout/tree/${SHA}`);
  assert.match(byText.get(`actions/checkout@${SHA}`)!.tooltip!, /actions\/checkout at commit 11bd71901bbe on github\.com/);
  assert.equal(byText.get('actions/setup-node@v4')!.target, 'https://github.com/actions/setup-node/tree/v4');
  assert.equal(
    byText.get('github/codeql-action/init@releases/v3')!.target,
    'https://github.com/github/codeql-action/tree/releases/v3/init',
  );
  assert.equal(
    byText.get('octo-org/workflows/.github/workflows/release.yml@v1')!.target,
    'https://github.com/octo-org/workflows/blob/v1/.github/workflows/release.yml',
  );
});

test('document links: a GitHub Enterprise Server host (with a path prefix) is used as configured; anything else gives none', () => {
  const { links } = linksOf(WORKFLOW, 'https://ghe.example.com/prefix/');
  assert.equal(links[1].target, 'https://ghe.example.com/prefix/actions/setup-node/tree/v4');
  assert.match(links[1].tooltip!, /on ghe\.example\.com/);
  assert.equal(linksOf(WORKFLOW, 'http://127.0.0.1:8080').links[1].target, 'http://127.0.0.1:8080/actions/setup-node/tree/v4');
  for (const bad of ['javascript:alert(1)', 'file:///etc', 'not a url', 'https://user:pass@github.com', 'http://github.com']) {
    assert.deepEqual(linksOf(WORKFLOW, bad).links, [], bad);
  }
});

test('document links: exact UTF-16 ranges after non-ASCII text, CRLF line ends and flow mappings; odd characters are encoded', () => {
  const text = [...jobWithSteps('{ name: "déploiement 🚀", uses: "owner/re.po_x@feature/ü#1" }'), ''].join('\r\n');
  const { file, links } = linksOf(text);
  assert.equal(links.length, 1);
  assert.equal(textAt(file, links[0].range), 'owner/re.po_x@feature/ü#1');
  assert.equal(links[0].range.start.line, 5);
  assert.equal(links[0].target, 'https://github.com/owner/re.po_x/tree/feature/%C3%BC%231');
  // Names GitHub would not accept, and paths that climb, get no link.
  assert.deepEqual(linksOf(WORKFLOW.replace('actions/setup-node@v4', 'act<ions/setup-node@v4')).links.length, 3);
  assert.deepEqual(linksOf(WORKFLOW.replace('codeql-action/init', 'codeql-action/../../x')).links.length, 3);
  assert.deepEqual(linksOf(WORKFLOW.replace('init@releases/v3', 'init@../../../evil')).links.length, 3);
  // A lone surrogate cannot be percent-encoded (found by the fuzzer): no link, no exception.
  assert.deepEqual(linksOf(WORKFLOW.replace('init@releases/v3', 'init@releases/\ud800')).links.length, 3);
  assert.deepEqual(linksOf(WORKFLOW.replace('codeql-action/init', 'codeql-action/\udfff')).links.length, 3);
});

test('document links: local actions and workflows open the file in the repository when it exists', () => {
  const root = mkdtempSync(join(tmpdir(), 'warden-links-'));
  try {
    mkdirSync(join(root, '.github', 'workflows'), { recursive: true });
    mkdirSync(join(root, '.github', 'actions', 'set up'), { recursive: true });
    mkdirSync(join(root, 'tools', 'yaml-variant'), { recursive: true });
    writeFileSync(join(root, '.github', 'actions', 'set up', 'action.yml'), 'name: x\nruns: { using: node20, main: x.js }\n');
    writeFileSync(join(root, 'tools', 'yaml-variant', 'action.yaml'), 'name: y\nruns: { using: node20, main: y.js }\n');
    writeFileSync(join(root, '.github', 'workflows', 'build.yml'), 'on: workflow_call\njobs: {}\n');
    const uri = pathToFileURL(join(root, '.github', 'workflows', 'ci.yml')).href;
    const text = [
      ...jobWithSteps(
        'uses: ./.github/actions/set up',
        'uses: $/tools/yaml-variant',
        'uses: ./.github/actions/missing',
        'uses: ./../outside',
      ),
      '  b:',
      '    uses: ./.github/workflows/build.yml',
      '  c:',
      '    uses: $/.github/workflows/build.yml@main',
      '',
    ].join('\n');
    const file = new ParsedFile(uri, 'workflow', text);
    const links = documentLinks(file, { serverUrl: 'https://github.com' });
    assert.deepEqual(
      links.map((link) => [textAt(file, link.range), link.target]),
      [
        ['./.github/actions/set up', pathToFileURL(join(root, '.github', 'actions', 'set up', 'action.yml')).href],
        ['$/tools/yaml-variant', pathToFileURL(join(root, 'tools', 'yaml-variant', 'action.yaml')).href],
        ['./.github/workflows/build.yml', pathToFileURL(join(root, '.github', 'workflows', 'build.yml')).href],
        ['$/.github/workflows/build.yml@main', pathToFileURL(join(root, '.github', 'workflows', 'build.yml')).href],
      ],
    );
    // Outside a `.github/workflows` folder the repository root is unknown: no local links.
    const elsewhere = new ParsedFile(pathToFileURL(join(root, 'ci.yml')).href, 'workflow', text);
    assert.deepEqual(documentLinks(elsewhere, { serverUrl: 'https://github.com' }), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('document links: broken YAML and files without uses give no links and do not throw', () => {
  for (const text of [
    '',
    'on: [push',
    'jobs:\n  a:\n    steps: 3\n',
    '\u0000\u0001binary',
    'on: push\njobs:\n  a:\n    steps:\n      - uses:\n      - uses: [1, 2]\n',
  ]) {
    assert.doesNotThrow(() => linksOf(text));
    assert.deepEqual(linksOf(text).links, []);
  }
});
