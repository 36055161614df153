/**
 * The CLI: argument parsing, discovery, formats, exit codes, robustness against junk input, and the
 * built `dist/cli.js` over examples/ (run `npm run build` first).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { run } from '../../server/src/cli/run';
import { parseArgs } from '../../server/src/cli/args';
import { discover, displayPath } from '../../server/src/cli/discover';
import type { JsonReport } from '../../server/src/cli/format-json';
import { MAX_READ_BYTES } from '../../server/src/cli/results';
import { MAX_ANALYSED_LENGTH } from '../../server/src/parse/document';
import { runCli, tempDir as newTempDir, writeTree } from '../support/cli';

// ---------------------------------------------------------------------------------------------------
// Helpers

const tempDir = () => newTempDir('warden-cli-');

/** Pinned, least-privilege: no findings. */
const CLEAN_WORKFLOW = `on: push
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
        with:
          persist-credentials: false
`;

/** One high finding (unpinned-uses on line 9, column 32) and nothing else. */
const UNPINNED_WORKFLOW = `on: push
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
`;

/** One medium finding (excessive-permissions) and nothing else. */
const NO_PERMISSIONS_WORKFLOW = `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
`;

const ACTION = `name: x
description: y
runs:
  using: composite
  steps:
    - uses: actions/setup-node@v4
`;

const DEPENDABOT = `version: 2
updates:
  - package-ecosystem: github-actions
    directory: /
    schedule:
      interval: weekly
`;

function findRepoRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'server', 'src', 'cli.ts'))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

// ---------------------------------------------------------------------------------------------------
// Arguments

describe('parseArgs', () => {
  test('defaults', () => {
    const result = parseArgs([]);
    assert.ok(result.ok);
    assert.deepEqual(result.options.paths, []);
    assert.equal(result.options.format, 'text');
    assert.equal(result.options.persona, 'regular');
    assert.equal(result.options.minSeverity, 'informational');
    assert.equal(result.options.offline, false);
    assert.equal(result.options.color, true);
  });

  test('values after a space or after =, short forms, flags and paths in any order', () => {
    const result = parseArgs([
      'a',
      '--format',
      'json',
      '--persona=auditor',
      'b',
      '--min-severity',
      'medium',
      '--offline',
      '--no-color',
      '-',
    ]);
    assert.ok(result.ok);
    assert.deepEqual(result.options.paths, ['a', 'b', '-']);
    assert.equal(result.options.format, 'json');
    assert.equal(result.options.persona, 'auditor');
    assert.equal(result.options.minSeverity, 'medium');
    assert.equal(result.options.offline, true);
    assert.equal(result.options.color, false);
    const short = parseArgs(['-f', 'json', '-h', '-V']);
    assert.ok(short.ok);
    assert.equal(short.options.format, 'json');
    assert.equal(short.options.help, true);
    assert.equal(short.options.version, true);
  });

  test('-- ends the options', () => {
    const result = parseArgs(['--', '--format', '-x']);
    assert.ok(result.ok);
    assert.deepEqual(result.options.paths, ['--format', '-x']);
  });

  test('usage errors', () => {
    const cases: [string[], RegExp][] = [
      [['--frobnicate'], /unknown option --frobnicate/],
      [['-x'], /unknown option -x/],
      [['--format'], /--format needs a value/],
      [['--format', 'xml'], /invalid value 'xml' for --format/],
      [['--format=sarif2'], /invalid value 'sarif2'/],
      [['--persona', 'boss'], /invalid value 'boss' for --persona: expected one of regular, pedantic, auditor/],
      [['--min-severity', 'critical'], /invalid value 'critical'/],
      [['--offline=yes'], /--offline takes no value/],
      [['--min-sev', 'high'], /did you mean --min-severity/],
      [[''], /empty path/],
    ];
    for (const [argv, message] of cases) {
      const result = parseArgs(argv);
      assert.equal(result.ok, false, argv.join(' '));
      if (!result.ok) assert.match(result.error, message);
    }
  });

  test('a usage error exits 2 with a message on stderr and nothing on stdout', async () => {
    const result = await runCli(['--bogus'], { cwd: tempDir() });
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /actions-warden: unknown option --bogus/);
    assert.match(result.stderr, /--help/);
  });

  test('--help and --version exit 0', async () => {
    const help = await runCli(['--help'], { cwd: tempDir() });
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: actions-warden \[options\] \[paths\.\.\.\]/);
    assert.match(help.stdout, /--min-severity/);
    const version = await runCli(['--version'], { cwd: tempDir() });
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^actions-warden \d+\.\d+\.\d+/);
  });
});

// ---------------------------------------------------------------------------------------------------
// Discovery

describe('discover', () => {
  test('finds workflows, actions and Dependabot files at any depth; skips node_modules, .git and other files', () => {
    const root = tempDir();
    writeTree(root, {
      '.github/workflows/ci.yml': CLEAN_WORKFLOW,
      '.github/workflows/release.yaml': CLEAN_WORKFLOW,
      '.github/workflows/README.md': '# not a workflow',
      '.github/workflows/templates/partial.yml': CLEAN_WORKFLOW, // GitHub ignores subfolders of workflows/
      '.github/dependabot.yml': DEPENDABOT,
      '.github/actions/setup/action.yml': ACTION,
      'action.yaml': ACTION,
      'config.yml': 'a: 1',
      'packages/app/.github/workflows/app.yml': CLEAN_WORKFLOW,
      'node_modules/some-action/action.yml': ACTION,
      'node_modules/x/.github/workflows/ci.yml': CLEAN_WORKFLOW,
      'sub/node_modules/y/action.yml': ACTION,
      '.git/refs/.github/workflows/ci.yml': CLEAN_WORKFLOW,
    });
    const { targets, errors } = discover([root], root);
    assert.deepEqual(errors, []);
    assert.deepEqual(
      targets.map((target) => [target.displayPath, target.kind]),
      [
        ['.github/actions/setup/action.yml', 'action'],
        ['.github/dependabot.yml', 'dependabot'],
        ['.github/workflows/ci.yml', 'workflow'],
        ['.github/workflows/release.yaml', 'workflow'],
        ['action.yaml', 'action'],
        ['packages/app/.github/workflows/app.yml', 'workflow'],
      ],
    );
    assert.ok(targets.every((target) => !target.explicit));
  });

  test('no paths means the current folder; output paths are relative to it', () => {
    const root = tempDir();
    writeTree(root, { 'repo/.github/workflows/ci.yml': CLEAN_WORKFLOW });
    const { targets } = discover([], join(root, 'repo'));
    assert.deepEqual(
      targets.map((target) => target.displayPath),
      ['.github/workflows/ci.yml'],
    );
    assert.equal(targets[0].path, join(root, 'repo', '.github', 'workflows', 'ci.yml'));
  });

  test('symbolic links that loop back are walked once', () => {
    const root = tempDir();
    writeTree(root, { '.github/workflows/ci.yml': CLEAN_WORKFLOW, 'deep/action.yml': ACTION });
    symlinkSync(root, join(root, 'deep', 'loop'), 'dir');
    symlinkSync(join(root, 'deep'), join(root, 'again'), 'dir');
    symlinkSync(join(root, 'missing'), join(root, 'dangling'));
    const { targets, errors } = discover(['.'], root);
    assert.deepEqual(errors, []);
    const real = targets.filter((target) => target.displayPath === '.github/workflows/ci.yml');
    assert.equal(real.length, 1);
    // `again` sorts before `deep` but is a link: the folder is reported under its own path.
    assert.deepEqual(
      targets.map((target) => target.displayPath),
      ['.github/workflows/ci.yml', 'deep/action.yml'],
    );
  });

  test('a file named explicitly is analysed as its name says, else as a workflow', () => {
    const root = tempDir();
    writeTree(root, {
      'build.yml': CLEAN_WORKFLOW,
      'notes.txt': CLEAN_WORKFLOW,
      'x/action.yml': ACTION,
      'x/.github/dependabot.yaml': DEPENDABOT,
      'y/.github/workflows/ci.yml': CLEAN_WORKFLOW,
    });
    const { targets, errors } = discover(
      ['build.yml', 'notes.txt', 'x/action.yml', 'x/.github/dependabot.yaml', 'y/.github/workflows/ci.yml'],
      root,
    );
    assert.deepEqual(errors, []);
    assert.deepEqual(Object.fromEntries(targets.map((target) => [target.displayPath, target.kind])), {
      'build.yml': 'workflow',
      'notes.txt': 'workflow',
      'x/action.yml': 'action',
      'x/.github/dependabot.yaml': 'dependabot',
      'y/.github/workflows/ci.yml': 'workflow',
    });
    assert.ok(targets.every((target) => target.explicit));
  });

  test('a file named dependabot.yml is a Dependabot file wherever it is; other names are read by their top-level keys', async () => {
    const root = tempDir();
    writeTree(root, {
      'configs/dependabot.yml': DEPENDABOT,
      'configs/Dependabot.YAML': DEPENDABOT,
      'tools/setup.yml': ACTION,
      'ci.yml': UNPINNED_WORKFLOW,
      'settings.yml': 'name: not ours\nitems: [1, 2]\n',
      'empty.yml': '',
    });
    const { targets } = discover(['configs/dependabot.yml', 'configs/Dependabot.YAML', 'tools/setup.yml'], root);
    assert.deepEqual(
      targets.map((target) => [target.displayPath, target.kind, target.kindFromContent ?? false]),
      [
        ['configs/Dependabot.YAML', 'dependabot', false],
        ['configs/dependabot.yml', 'dependabot', false],
        ['tools/setup.yml', 'workflow', true],
      ],
    );
    const result = await runCli(['--format', 'json', 'configs/dependabot.yml', 'tools/setup.yml', 'ci.yml', 'settings.yml', 'empty.yml'], {
      cwd: root,
    });
    const report = JSON.parse(result.stdout) as JsonReport;
    assert.deepEqual(
      report.files.map((file) => [file.path, file.kind]),
      [
        ['ci.yml', 'workflow'],
        ['configs/dependabot.yml', 'dependabot'],
        ['empty.yml', 'workflow'],
        ['settings.yml', 'workflow'],
        ['tools/setup.yml', 'action'],
      ],
    );
    const byFile = (path: string) => report.findings.filter((finding) => finding.path === path).map((finding) => finding.ruleId);
    // A Dependabot file without a cooldown, an action with an unpinned step, a workflow with unpinned actions.
    assert.ok(byFile('configs/dependabot.yml').includes('dependabot-cooldown'));
    assert.ok(byFile('tools/setup.yml').includes('unpinned-uses'));
    assert.ok(byFile('ci.yml').includes('unpinned-uses'));
    assert.deepEqual(byFile('empty.yml'), []);
    // None of the three: one syntax-error on the first key saying what was expected.
    const [notOurs, ...more] = report.findings.filter((finding) => finding.path === 'settings.yml');
    assert.deepEqual(more, []);
    assert.equal(notOurs.ruleId, 'syntax-error');
    assert.deepEqual([notOurs.line, notOurs.column, notOurs.endColumn], [1, 1, 5]);
    assert.match(notOurs.message, /not a workflow, an action or a Dependabot file.*`on:` and `jobs:`.*`runs:`.*`updates:`/);
    assert.equal(result.code, 1);
  });

  test('the same file named twice, or named and found in a folder, is analysed once', () => {
    const root = tempDir();
    writeTree(root, { '.github/workflows/ci.yml': CLEAN_WORKFLOW });
    const { targets } = discover(['.', '.github/workflows/ci.yml', './.github/workflows/ci.yml'], root);
    assert.equal(targets.length, 1);
  });

  test('a missing path is an error; the others are still found', () => {
    const root = tempDir();
    writeTree(root, { 'a/.github/workflows/ci.yml': CLEAN_WORKFLOW });
    const { targets, errors } = discover(['nope', 'a'], root);
    assert.equal(targets.length, 1);
    assert.deepEqual(errors, ['nope: no such file or folder']);
  });

  test('display paths: relative inside the working folder, absolute outside, <stdin> for -', () => {
    const root = tempDir();
    assert.equal(displayPath(join(root, 'a', 'b.yml'), root), 'a/b.yml');
    assert.equal(displayPath(resolve(root, '..', 'elsewhere.yml'), root), resolve(root, '..', 'elsewhere.yml'));
    assert.equal(displayPath('-', root), '<stdin>');
  });
});

// ---------------------------------------------------------------------------------------------------
// Running: formats and exit codes

describe('run', () => {
  test('text: path:line:col: severity rule-id message with 1-based positions, then a summary', async () => {
    const root = tempDir();
    writeTree(root, { '.github/workflows/ci.yml': UNPINNED_WORKFLOW });
    const result = await runCli([], { cwd: root });
    assert.equal(result.code, 1);
    assert.equal(result.stderr, '');
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    const line9 = UNPINNED_WORKFLOW.split('\n')[8];
    assert.equal(line9.indexOf('v4') + 1, 32);
    assert.match(lines[0], /^\.github\/workflows\/ci\.yml:9:32: high unpinned-uses action `actions\/checkout` is pinned to tag `v4`/);
    assert.equal(lines[1], '1 finding (1 high, 0 medium, 0 low, 0 informational) in 1 file');
    assert.doesNotMatch(result.stdout, /\x1b\[/, 'no colour when not a terminal');
  });

  test('no findings: exit 0 and "No findings in F files"', async () => {
    const root = tempDir();
    writeTree(root, { '.github/workflows/a.yml': CLEAN_WORKFLOW, '.github/workflows/b.yml': CLEAN_WORKFLOW });
    const result = await runCli(['.'], { cwd: root });
    assert.equal(result.code, 0);
    assert.equal(result.stdout, 'No findings in 2 files\n');
  });

  test('files and findings are sorted', async () => {
    const root = tempDir();
    writeTree(root, {
      'z/.github/workflows/ci.yml': UNPINNED_WORKFLOW,
      'a/.github/workflows/ci.yml': NO_PERMISSIONS_WORKFLOW + '      - uses: actions/setup-node@v4\n',
    });
    const result = await runCli(['z', 'a'], { cwd: root });
    const lines = result.stdout
      .trimEnd()
      .split('\n')
      .filter((line) => /^[az]\//.test(line));
    const keys = lines.map((line) =>
      line
        .split(':')
        .slice(0, 3)
        .map((part, index) => (index === 0 ? part : part.padStart(6, '0')))
        .join(':'),
    );
    assert.deepEqual(keys, [...keys].sort(), 'sorted by path, then position');
    // Other rules may report on these files too; the foundation's three findings are there, in order.
    const foundation = lines
      .filter((line) => / (unpinned-uses|excessive-permissions) /.test(line))
      .map((line) => line.split(':').slice(0, 2).join(':'));
    assert.deepEqual(foundation, ['a/.github/workflows/ci.yml:2', 'a/.github/workflows/ci.yml:7', 'z/.github/workflows/ci.yml:9']);
    assert.match(result.stdout, /^\d+ findings \(\d+ high, \d+ medium, \d+ low, \d+ informational\) in 2 files$/m);
  });

  test('json: a stable object with 1-based line/column and 0-based LSP ranges', async () => {
    const root = tempDir();
    writeTree(root, { '.github/workflows/ci.yml': UNPINNED_WORKFLOW, '.github/workflows/ok.yml': CLEAN_WORKFLOW });
    const result = await runCli(['--format', 'json'], { cwd: root });
    assert.equal(result.code, 1);
    const report = JSON.parse(result.stdout) as JsonReport;
    assert.equal(report.schemaVersion, 1);
    assert.equal(report.tool.name, 'actions-warden');
    assert.deepEqual(report.options, { persona: 'regular', minSeverity: 'informational', offline: false });
    assert.deepEqual(report.files, [
      { path: '.github/workflows/ci.yml', kind: 'workflow', findings: 1 },
      { path: '.github/workflows/ok.yml', kind: 'workflow', findings: 0 },
    ]);
    assert.equal(report.findings.length, 1);
    const finding = report.findings[0];
    assert.equal(finding.path, '.github/workflows/ci.yml');
    assert.equal(finding.ruleId, 'unpinned-uses');
    assert.equal(finding.severity, 'high');
    assert.equal(finding.confidence, 'high');
    assert.equal(finding.persona, 'regular');
    assert.match(finding.message, /actions\/checkout/);
    assert.deepEqual([finding.line, finding.column, finding.endLine, finding.endColumn], [9, 32, 9, 34]);
    assert.deepEqual(finding.range, { start: { line: 8, character: 31 }, end: { line: 8, character: 33 } });
    assert.equal(UNPINNED_WORKFLOW.slice(finding.offset.start, finding.offset.end), 'v4');
    assert.match(finding.helpUri, /unpinned-uses\.md$/);
    assert.deepEqual(report.summary, { files: 2, findings: 1, bySeverity: { informational: 0, low: 0, medium: 0, high: 1 } });
  });

  test('json: fixes carry edits with ranges', async () => {
    const root = tempDir();
    writeTree(root, { '.github/workflows/ci.yml': NO_PERMISSIONS_WORKFLOW });
    const result = await runCli(['--format=json'], { cwd: root });
    const report = JSON.parse(result.stdout) as JsonReport;
    const finding = report.findings.find((f) => f.ruleId === 'excessive-permissions');
    assert.ok(finding);
    assert.ok(finding.fixes.length > 0);
    const edit = finding.fixes[0].edits[0];
    assert.deepEqual(edit.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } });
    assert.equal(edit.newText, 'permissions: {}\n');
  });

  test('--min-severity: findings below it are not printed and do not fail the run', async () => {
    const root = tempDir();
    writeTree(root, { '.github/workflows/ci.yml': NO_PERMISSIONS_WORKFLOW });
    const all = await runCli([], { cwd: root });
    assert.equal(all.code, 1);
    assert.match(all.stdout, /:2:1: medium excessive-permissions /);
    const high = await runCli(['--min-severity', 'high'], { cwd: root });
    assert.equal(high.code, 0);
    assert.equal(high.stdout, 'No findings in 1 file\n');
    const medium = await runCli(['--min-severity', 'medium'], { cwd: root });
    assert.equal(medium.code, 1);
  });

  test('--persona: pedantic findings appear only for pedantic and auditor', async () => {
    const root = tempDir();
    // Every job declares permissions but the workflow does not: a pedantic finding.
    const text = CLEAN_WORKFLOW.replace('permissions: {}\n', '');
    writeTree(root, { '.github/workflows/ci.yml': text });
    assert.equal((await runCli([], { cwd: root })).code, 0);
    const pedantic = await runCli(['--persona', 'pedantic'], { cwd: root });
    assert.equal(pedantic.code, 1);
    assert.match(pedantic.stdout, /low excessive-permissions No workflow-level/);
    assert.equal((await runCli(['--persona', 'auditor'], { cwd: root })).code, 1);
  });

  test('- reads a workflow from standard input', async () => {
    const root = tempDir();
    const result = await runCli(['-'], { cwd: root, stdin: UNPINNED_WORKFLOW });
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^<stdin>:9:32: high unpinned-uses /);
    const clean = await runCli(['-', '--format', 'json'], { cwd: root, stdin: CLEAN_WORKFLOW });
    assert.equal(clean.code, 0);
    assert.deepEqual((JSON.parse(clean.stdout) as JsonReport).files, [{ path: '<stdin>', kind: 'workflow', findings: 0 }]);
  });

  test('stdin that fails to read is an I/O error', async () => {
    let stderr = '';
    const code = await run(['-'], {
      cwd: tempDir(),
      env: {},
      stdout: { write: () => true },
      stderr: { write: (text: string) => (stderr += text) },
      readStdin: () => Promise.reject(new Error('EIO')),
    });
    assert.equal(code, 2);
    assert.match(stderr, /cannot read standard input: EIO/);
  });

  test('a missing path exits 2, with a message, after reporting the files that exist', async () => {
    const root = tempDir();
    writeTree(root, { '.github/workflows/ci.yml': UNPINNED_WORKFLOW });
    const result = await runCli(['does-not-exist.yml', '.'], { cwd: root });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /actions-warden: error: does-not-exist\.yml: no such file or folder/);
    assert.match(result.stdout, /unpinned-uses/);
  });

  test('an unreadable file exits 2', { skip: process.getuid?.() === 0 ? 'root can read any file' : false }, async () => {
    const { chmodSync } = await import('node:fs');
    const root = tempDir();
    writeTree(root, { '.github/workflows/ci.yml': CLEAN_WORKFLOW });
    chmodSync(join(root, '.github/workflows/ci.yml'), 0o000);
    const result = await runCli([], { cwd: root });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /ci\.yml: permission denied/);
  });

  test('a folder with nothing to analyse: exit 0 and a note on stderr', async () => {
    const root = tempDir();
    writeTree(root, { 'README.md': 'hi' });
    const result = await runCli([], { cwd: root });
    assert.equal(result.code, 0);
    assert.equal(result.stdout, 'No findings in 0 files\n');
    assert.match(result.stderr, /no workflow, action or Dependabot files found/);
  });

  test('colour: only on a terminal, never with --no-color or NO_COLOR, always with --color', async () => {
    const root = tempDir();
    writeTree(root, { '.github/workflows/ci.yml': UNPINNED_WORKFLOW });
    assert.match((await runCli([], { cwd: root, tty: true })).stdout, /\x1b\[31mhigh\x1b\[0m/);
    assert.doesNotMatch((await runCli(['--no-color'], { cwd: root, tty: true })).stdout, /\x1b\[/);
    assert.doesNotMatch((await runCli([], { cwd: root, tty: true, env: { NO_COLOR: '1' } })).stdout, /\x1b\[/);
    assert.match((await runCli(['--color'], { cwd: root, tty: false })).stdout, /\x1b\[/);
    assert.doesNotMatch((await runCli(['--format', 'json'], { cwd: root, tty: true })).stdout, /\x1b\[/);
  });
});

// ---------------------------------------------------------------------------------------------------
// Bad input never crashes

describe('bad input', () => {
  test('binary junk gets a syntax-error finding', async () => {
    const root = tempDir();
    const junk = new Uint8Array(4096);
    let seed = 42;
    for (let i = 0; i < junk.length; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      junk[i] = seed & 0xff;
    }
    junk[0] = 0;
    writeTree(root, { '.github/workflows/junk.yml': junk, 'action.yml': junk, '.github/dependabot.yml': junk });
    const result = await runCli(['--format', 'json'], { cwd: root });
    assert.equal(result.code, 1);
    const report = JSON.parse(result.stdout) as JsonReport;
    assert.equal(report.files.length, 3);
    for (const file of report.files) assert.ok(file.findings > 0, file.path);
    assert.ok(
      report.findings.every((finding) => finding.ruleId === 'syntax-error'),
      JSON.stringify(report.findings.map((f) => f.ruleId)),
    );
  });

  test('malformed YAML, a scalar document, an empty file and odd text do not crash', async () => {
    const root = tempDir();
    const cases: Record<string, string> = {
      'broken.yml': 'on: push\njobs:\n  a:\n    steps: [\n',
      'scalar.yml': 'just a string\n',
      'empty.yml': '',
      'bom.yml': '\uFEFF' + UNPINNED_WORKFLOW,
      'crlf.yml': UNPINNED_WORKFLOW.replace(/\n/g, '\r\n'),
      'tabs.yml': 'on: push\njobs:\n\tbuild:\n\t\truns-on: x\n',
      'dupes.yml': 'on: push\non: pull_request\njobs: {}\n',
      'anchors.yml': 'x: &a [*a]\non: push\njobs: *a\n',
      'deep.yml': 'on: push\njobs: ' + '['.repeat(2000) + ']'.repeat(2000) + '\n',
      'jobs-list.yml': 'on: push\njobs:\n  - uses: actions/checkout@v4\n',
      'step-scalar.yml':
        'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - 42\n      - uses: 7\n      - uses: ""\n      - uses: "@"\n',
    };
    writeTree(root, cases);
    const result = await runCli(['--format', 'json', ...Object.keys(cases)], { cwd: root });
    assert.notEqual(result.code, 2, result.stderr);
    const report = JSON.parse(result.stdout) as JsonReport;
    assert.equal(report.files.length, Object.keys(cases).length);
    assert.ok(
      !report.findings.some((finding) => finding.ruleId === 'internal-error'),
      JSON.stringify(report.findings.filter((f) => f.ruleId === 'internal-error')),
    );
    const byPath = (path: string) => report.findings.filter((finding) => finding.path === path).map((finding) => finding.ruleId);
    assert.ok(byPath('broken.yml').includes('syntax-error'));
    assert.ok(byPath('scalar.yml').includes('syntax-error'));
    // A BOM is dropped as editors do, so positions match what the editor shows.
    assert.ok(report.findings.some((f) => f.path === 'bom.yml' && f.ruleId === 'unpinned-uses' && f.line === 9 && f.column === 32));
    assert.ok(report.findings.some((f) => f.path === 'crlf.yml' && f.ruleId === 'unpinned-uses' && f.line === 9 && f.column === 32));
  });

  test('oversized files get a syntax-error finding, without reading them whole when huge', async () => {
    const root = tempDir();
    const line = '# ' + 'x'.repeat(1021) + '\n';
    const big = line.repeat(Math.ceil((MAX_ANALYSED_LENGTH + 1024) / line.length)); // just over the engine's limit
    const huge = line.repeat(Math.ceil((MAX_READ_BYTES + 1024) / line.length)); // over the CLI's read limit
    writeTree(root, { 'big.yml': big, 'huge.yml': huge });
    const result = await runCli(['big.yml', 'huge.yml'], { cwd: root });
    assert.equal(result.code, 1);
    assert.match(
      result.stdout,
      /^big\.yml:1:1: high syntax-error File is \d+ KiB; files over 4 MiB are not analysed\. \(docs: \S+\/syntax-error\.md\)$/m,
    );
    assert.match(result.stdout, /^huge\.yml:1:1: high syntax-error File is \d+ KiB; files over 4 MiB are not analysed\.$/m);
  });
});

// ---------------------------------------------------------------------------------------------------
// The built CLI over examples/

describe('dist/cli.js', () => {
  const root = findRepoRoot();
  const cli = join(root, 'dist', 'cli.js');
  const node = (args: string[], input?: string) => spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', input });

  test('is built', () => {
    assert.ok(existsSync(cli), `${cli} is missing: run \`npm run build\` first`);
  });

  test('examples/vulnerable: exit 1 with dangerous-triggers, excessive-permissions and unpinned-uses', () => {
    const result = node(['examples/vulnerable']);
    assert.equal(result.status, 1, result.stderr);
    for (const rule of ['dangerous-triggers', 'excessive-permissions', 'unpinned-uses']) {
      assert.match(
        result.stdout,
        new RegExp(`^examples/vulnerable/\\.github/workflows/pr-build\\.yml:\\d+:\\d+: \\w+ ${rule} `, 'm'),
        rule,
      );
    }
    assert.match(result.stdout, /\d+ findings \(\d+ high, \d+ medium, \d+ low, \d+ informational\) in \d+ files\n/);
    assert.match(
      result.stdout,
      /\n\d+ fixable with --fix; \d+ more with --fix=all, which also applies unsafe fixes: review the diff with --fix=all --dry-run\n$/,
    );
  });

  test('examples/hardened: exit 0, even for the auditor persona', () => {
    for (const args of [['examples/hardened'], ['--persona', 'auditor', 'examples/hardened']]) {
      const result = node(args);
      assert.equal(result.status, 0, result.stdout + result.stderr);
      assert.match(result.stdout, /^No findings in 3 files\n$/);
    }
  });

  test('examples/locked: the lock pins the readable refs, exit 0 even for the auditor persona', () => {
    for (const args of [['examples/locked'], ['--persona', 'auditor', 'examples/locked']]) {
      const result = node(args);
      assert.equal(result.status, 0, result.stdout + result.stderr);
      assert.match(result.stdout, /^No findings in 2 files\n$/);
    }
  });

  test('examples as JSON', () => {
    const result = node(['--format', 'json', 'examples']);
    assert.equal(result.status, 1, result.stderr);
    const report = JSON.parse(result.stdout) as JsonReport;
    assert.ok(report.files.some((file) => file.path === 'examples/hardened/action.yml' && file.kind === 'action'));
    assert.ok(report.findings.every((finding) => finding.path.startsWith('examples/vulnerable/')));
  });

  test('stdin, usage errors and --version', () => {
    const stdin = node(['-'], UNPINNED_WORKFLOW);
    assert.equal(stdin.status, 1);
    assert.match(stdin.stdout, /^<stdin>:9:32: high unpinned-uses /);
    const bad = node(['--nope']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown option --nope/);
    const missing = node(['examples/no-such-thing']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /examples\/no-such-thing: no such file or folder/);
    const version = node(['--version']);
    assert.equal(version.status, 0);
    assert.match(version.stdout, /^actions-warden \d+\.\d+\.\d+\n$/);
  });
});
