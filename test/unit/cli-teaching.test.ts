/**
 * The CLI that teaches: documentation links and fix marks in the text output, the fixable summary,
 * hyperlink detection, suppressions in SARIF and `--no-ignores`, `--exit-codes severity`, "did you
 * mean", grouped help, the `online` field and `--offline` winning, `--cache-dir`.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { closest, HELP_TEXT, parseArgs } from '../../server/src/cli/args';
import { editDistance } from '../../server/src/parse/edit-distance';
import type { JsonReport } from '../../server/src/cli/format-json';
import { useHyperlinks } from '../../server/src/cli/run';
import { analyze } from '../../server/src/engine';
import { parseFile } from '../../server/src/parse/document';
import { DOCS_BASE_URL } from '../../shared/src/rule-docs';
import { standardFakeGitHub, type FakeGitHub } from '../support/fake-github';
import { runCli, tempDir, tree } from '../support/cli';

/** unpinned-uses twice (no fix offline) and artipacked (an unsafe fix only). */
const WORKFLOW = `on: push
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
`;

/** The same workflow, with its first unpinned action ignored inline (with a reason) and its second by the configuration. */
const IGNORED = `on: push
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@v4 # warden: ignore[unpinned-uses] vendored, reviewed in SEC-12
        with:
          persist-credentials: false
      - uses: actions/setup-node@v4
`;
const IGNORING_CONFIG = 'rules:\n  unpinned-uses:\n    ignore: [ci.yml:12]\n';

const lines = (text: string) => text.trimEnd().split('\n');

describe('text output teaches', () => {
  test('fix marks, one docs URL per rule when not a terminal, and the fixable summary', async () => {
    const root = tree({ '.github/workflows/ci.yml': WORKFLOW });
    const result = await runCli(['--no-config'], { cwd: root });
    assert.equal(result.code, 1);
    const out = lines(result.stdout);
    const unpinned = out.filter((line) => / unpinned-uses /.test(line));
    assert.equal(unpinned.length, 2);
    // The first finding of the rule ends with its page; the second does not repeat it.
    assert.ok(unpinned[0].endsWith(` (docs: ${DOCS_BASE_URL}/unpinned-uses.md)`), unpinned[0]);
    assert.ok(!unpinned[1].includes('docs:'), unpinned[1]);
    // artipacked's fix (persist-credentials: false) changes behaviour: only --fix=all applies it.
    const artipacked = out.find((line) => / artipacked /.test(line));
    assert.ok(artipacked?.includes(' [fix: --fix=all] (docs: '), artipacked);
    assert.ok(!unpinned[0].includes('[fix'), 'no offline fix for unpinned-uses');
    assert.equal(
      out.filter((line) => line.includes('[fix: --fix=all]')).length,
      out.filter((line) => line.includes('[fix')).length - out.filter((line) => line.includes('[fix]')).length,
    );
    const marked = {
      safe: out.filter((line) => line.includes(' [fix] ') || line.endsWith(' [fix]')).length,
      unsafe: out.filter((line) => line.includes('[fix: --fix=all]')).length,
    };
    const summary = out[out.length - 1];
    const expected =
      marked.safe > 0
        ? `${marked.safe} fixable with --fix; ${marked.unsafe} more with --fix=all, which also applies unsafe fixes: review the diff with --fix=all --dry-run`
        : `${marked.unsafe} fixable with --fix=all, which also applies unsafe fixes: review the diff with --fix=all --dry-run`;
    assert.equal(summary, expected);
    assert.match(out[out.length - 2], /^\d+ findings \(/);
  });

  test('the marks tell the truth: --fix fixes the [fix] findings, --fix=all also the others', async () => {
    const root = tree({
      '.github/workflows/ci.yml': `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
      - run: echo "\${{ github.event.head_commit.message }}"
`,
      '.github/dependabot.yml':
        'version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n    schedule:\n      interval: weekly\n',
    });
    const before = lines((await runCli(['--no-config'], { cwd: root })).stdout);
    const safe = before.filter((line) => line.includes(' [fix]')).length;
    const unsafe = before.filter((line) => line.includes('[fix: --fix=all]')).length;
    assert.ok(safe > 0 && unsafe > 0, before.join('\n'));
    const total = before.filter((line) => line.startsWith('.github/')).length;
    await runCli(['--no-config', '--fix'], { cwd: root });
    const afterSafe = lines((await runCli(['--no-config'], { cwd: root })).stdout);
    assert.equal(afterSafe.filter((line) => line.includes(' [fix]')).length, 0, afterSafe.join('\n'));
    assert.equal(afterSafe.filter((line) => line.startsWith('.github/')).length, total - safe);
    await runCli(['--no-config', '--fix=all'], { cwd: root });
    const afterAll = lines((await runCli(['--no-config'], { cwd: root })).stdout);
    assert.equal(afterAll.filter((line) => line.includes('[fix')).length, 0, afterAll.join('\n'));
  });

  test('on a terminal that supports them, every rule id is a hyperlink to its page, and no URL is printed', async () => {
    const root = tree({ '.github/workflows/ci.yml': WORKFLOW });
    const result = await runCli(['--no-config', '--no-code-frame'], { cwd: root, tty: true, env: { TERM: 'xterm-256color' } });
    const link = `\x1b]8;;${DOCS_BASE_URL}/unpinned-uses.md\x1b\\`;
    const unpinned = lines(result.stdout).filter((line) => line.includes('unpinned-uses'));
    assert.equal(unpinned.length, 2);
    for (const line of unpinned) {
      assert.ok(line.includes(`${link}\x1b[2munpinned-uses\x1b[0m\x1b]8;;\x1b\\`), JSON.stringify(line));
      assert.ok(!line.includes('(docs:'), line);
    }
  });

  test('hyperlinks only on a terminal, not in CI, not for TERM=dumb or the Linux console, never with --no-color or NO_COLOR', () => {
    const tty = { isTTY: true, write: () => true };
    const pipe = { isTTY: false, write: () => true };
    const on = { color: true };
    assert.equal(useHyperlinks(on, { env: { TERM: 'xterm' }, stdout: tty }), true);
    assert.equal(useHyperlinks(on, { env: {}, stdout: tty }), true);
    assert.equal(useHyperlinks(on, { env: { TERM: 'xterm' }, stdout: pipe }), false);
    for (const env of [{ CI: 'true' }, { CI: '1' }, { GITHUB_ACTIONS: 'true' }, { TERM: 'dumb' }, { TERM: 'linux' }, { NO_COLOR: '1' }]) {
      assert.equal(useHyperlinks(on, { env: { TERM: 'xterm', ...env }, stdout: tty }), false, JSON.stringify(env));
    }
    assert.equal(useHyperlinks(on, { env: { TERM: 'xterm', CI: 'false' }, stdout: tty }), true);
    assert.equal(useHyperlinks({ color: false }, { env: { TERM: 'xterm' }, stdout: tty }), false);
    // --color forces colour into a pipe, not hyperlinks.
    const parsed = parseArgs(['--color']);
    assert.ok(parsed.ok);
    assert.equal(useHyperlinks(parsed.options, { env: { TERM: 'xterm' }, stdout: pipe }), false);
  });

  test('--no-color on a terminal: no escape sequence at all, the URL is written out', async () => {
    const root = tree({ '.github/workflows/ci.yml': WORKFLOW });
    for (const [argv, env] of [
      [['--no-color'], {}],
      [[], { NO_COLOR: '1' }],
    ] as const) {
      const result = await runCli(['--no-config', ...argv], { cwd: root, tty: true, env: { TERM: 'xterm', ...env } });
      assert.ok(!result.stdout.includes('\x1b'), JSON.stringify(result.stdout));
      assert.ok(result.stdout.includes(`(docs: ${DOCS_BASE_URL}/unpinned-uses.md)`));
    }
  });

  test('a missing path prints no "No findings in 0 files" line', async () => {
    const root = tempDir('warden-teach-');
    const result = await runCli(['missing.yml'], { cwd: root });
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /missing\.yml: no such file or folder/);
    // An empty folder still says so (on stderr), and a clean file still gets its summary.
    const clean = tree({ '.github/workflows/ci.yml': 'on: push\npermissions: {}\njobs: {}\n' });
    assert.match((await runCli(['--no-config'], { cwd: clean })).stdout, /^No findings in 1 file\n$/);
  });
});

describe('suppressed findings', () => {
  const setup = () => tree({ '.github/workflows/ci.yml': IGNORED, '.github/actions-warden.yml': IGNORING_CONFIG });

  test('SARIF: inline ignores are inSource suppressions with their reason, configuration ignores external ones', async () => {
    const root = setup();
    const result = await runCli(['--format', 'sarif'], { cwd: root });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const sarif = JSON.parse(result.stdout) as {
      runs: {
        results: {
          ruleId: string;
          locations: { physicalLocation: { region: { startLine: number } } }[];
          suppressions?: { kind: string; status: string; justification?: string }[];
        }[];
        tool: { driver: { rules: { id: string }[] } };
      }[];
    };
    const results = sarif.runs[0].results.filter((result) => result.ruleId === 'unpinned-uses');
    assert.deepEqual(
      results.map((result) => [result.locations[0].physicalLocation.region.startLine, result.suppressions]),
      [
        [9, [{ kind: 'inSource', status: 'accepted', justification: 'vendored, reviewed in SEC-12' }]],
        [12, [{ kind: 'external', status: 'accepted', justification: 'configuration: rules.unpinned-uses.ignore: ci.yml:12' }]],
      ],
    );
    assert.ok(sarif.runs[0].tool.driver.rules.some((rule) => rule.id === 'unpinned-uses'));
    // Nothing else is suppressed, and every result that is not suppressed is still there.
    assert.ok(sarif.runs[0].results.every((result) => result.ruleId === 'unpinned-uses' || result.suppressions === undefined));
  });

  test('--no-ignores: the hidden findings are plain results (SARIF, text, exit code), but --fix still leaves them alone', async () => {
    const root = setup();
    const sarif = JSON.parse((await runCli(['--format', 'sarif', '--no-ignores'], { cwd: root })).stdout) as {
      runs: { results: { ruleId: string; suppressions?: unknown }[] }[];
    };
    const unpinned = sarif.runs[0].results.filter((result) => result.ruleId === 'unpinned-uses');
    assert.equal(unpinned.length, 2);
    assert.ok(unpinned.every((result) => result.suppressions === undefined));
    const text = await runCli(['--no-ignores'], { cwd: root });
    assert.equal(text.code, 1);
    assert.equal(lines(text.stdout).filter((line) => / unpinned-uses /.test(line)).length, 2);
    const plain = await runCli([], { cwd: root });
    assert.equal(plain.code, 0, plain.stdout);
    assert.equal(plain.stdout, 'No findings in 1 file (2 suppressed by ignore comments or the configuration: --no-ignores shows them)\n');
  });

  test('--fix never changes what the configuration ignores, in any format and with --no-ignores', async () => {
    const workflow =
      "on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    if: |\n      ${{ github.event_name == 'push' }}\n    steps:\n      - run: echo hi\n";
    // Positive control: without the ignore, unsound-condition's safe fix rewrites `if: |`.
    const open = tree({ '.github/workflows/ci.yml': workflow });
    const control = await runCli(['--fix', '--dry-run'], { cwd: open });
    assert.match(control.stdout, /^\+ {4}if: \|-$/m);
    const root = tree({
      '.github/workflows/ci.yml': workflow,
      '.github/actions-warden.yml': 'rules:\n  unsound-condition:\n    ignore: [ci.yml]\n',
    });
    for (const extra of [[], ['--format', 'sarif'], ['--format', 'github'], ['--format', 'json'], ['--no-ignores']]) {
      const result = await runCli(['--fix', '--dry-run', ...extra], { cwd: root });
      assert.doesNotMatch(result.stdout, /^\+ {4}if: \|-$/m, `${extra.join(' ')}: ${result.stdout}`);
      assert.match(result.stderr, /nothing to fix/, extra.join(' '));
    }
  });

  test("the default analysis (the editor's) is unchanged: suppressed findings only come back when asked for", () => {
    const file = parseFile('ci.yml', 'workflow', IGNORED);
    const shown = analyze(file);
    assert.ok(!shown.some((finding) => finding.ruleId === 'unpinned-uses' && finding.range.start.line === 8));
    assert.ok(shown.every((finding) => !('suppression' in finding)));
    const kept = analyze(parseFile('ci.yml', 'workflow', IGNORED), {
      persona: 'regular',
      minSeverity: 'informational',
      minConfidence: 'low',
      disabledRules: new Set(),
      keepSuppressed: true,
    });
    const suppressed = kept.filter((finding) => 'suppression' in finding);
    assert.equal(suppressed.length, 1);
    assert.equal(kept.length, shown.length + 1);
  });
});

describe('exit codes', () => {
  test('--exit-codes severity: 11-14 by the highest severity shown, 0 when nothing, 2 for errors', async () => {
    const root = tree({
      'high.yml': WORKFLOW,
      'medium.yml': 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n',
      'clean.yml': 'on: push\npermissions: {}\njobs: {}\n',
    });
    const code = async (...argv: string[]) => (await runCli(['--no-config', '--exit-codes', 'severity', ...argv], { cwd: root })).code;
    assert.equal(await code('high.yml'), 14);
    assert.equal(await code('medium.yml'), 13);
    assert.equal(await code('clean.yml'), 0);
    assert.equal(await code('--min-severity', 'high', 'medium.yml'), 0);
    assert.equal(await code('missing.yml'), 2);
    // Default: 1 whatever the severity.
    assert.equal((await runCli(['--no-config', 'medium.yml'], { cwd: root })).code, 1);
    // The lowest levels, through the pedantic persona's findings.
    const low = tree({
      'low.yml':
        'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi # warden: ignore[no-such-rule]\n',
    });
    assert.equal(
      (await runCli(['--no-config', '--exit-codes=severity', '--persona', 'pedantic', '--format', 'json', 'low.yml'], { cwd: low })).code,
      12,
    );
  });
});

describe('arguments', () => {
  test('a mistyped option or value gets "did you mean"', async () => {
    const cases: [string[], RegExp][] = [
      [['--formt', 'json'], /unknown option --formt \(did you mean --format\?\)/],
      [['--ofline'], /did you mean --offline\?/],
      [['--no-colour'], /did you mean --no-color\?/],
      [['--no-ignore'], /did you mean --no-ignores\?/],
      [['--exit-code', 'severity'], /did you mean --exit-codes\?/],
      [['-format', 'json'], /did you mean --format\?/],
      [['--format', 'jsno'], /expected one of text, json, sarif, github \(did you mean json\?\)/],
      [['--collect', 'al'], /did you mean all\?/],
    ];
    for (const [argv, expected] of cases) {
      const result = await runCli(argv, { cwd: tempDir('warden-teach-') });
      assert.equal(result.code, 2, argv.join(' '));
      assert.match(result.stderr, expected, argv.join(' '));
    }
    const far = await runCli(['--zzzzzzzz'], { cwd: tempDir('warden-teach-') });
    assert.doesNotMatch(far.stderr, /did you mean/);
    assert.equal(editDistance('formt', 'format', { swaps: true }), 1);
    assert.equal(editDistance('ofline', 'offline', { swaps: true }), 1);
    assert.equal(editDistance('fromat', 'format', { swaps: true }), 1, 'a swap of neighbours is one edit');
    assert.equal(closest('x'.repeat(1000), ['format']), undefined);
  });

  test('--help groups the options and says when online checks run', () => {
    const headings = HELP_TEXT.split('\n').filter((line) => /^[A-Z][a-z]+( [a-z]+)?( \(.*\))?:$/.test(line));
    assert.deepEqual(
      headings.map((line) => line.replace(/ \(.*/, '').replace(':', '')),
      ['Input', 'Output', 'Rules', 'Online', 'Other', 'Exit status'],
    );
    assert.match(HELP_TEXT, /Online \(off unless --online, a token or a host flag is given\):/);
    for (const option of ['--collect', '--no-ignores', '--cache-dir', '--exit-codes', '--online', '--offline'])
      assert.ok(HELP_TEXT.includes(option), option);
    assert.ok(HELP_TEXT.split('\n').every((line) => line.length <= 80));
  });

  test('new options parse, with their defaults', () => {
    const defaults = parseArgs([]);
    assert.ok(defaults.ok);
    assert.deepEqual(
      [
        defaults.options.collect,
        defaults.options.noIgnores,
        defaults.options.exitCodes,
        defaults.options.cacheDir,
        defaults.options.online,
      ],
      ['default', false, 'default', undefined, false],
    );
    const given = parseArgs(['--collect=all', '--no-ignores', '--exit-codes', 'severity', '--cache-dir', 'c', '--online']);
    assert.ok(given.ok);
    assert.deepEqual(
      [given.options.collect, given.options.noIgnores, given.options.exitCodes, given.options.cacheDir, given.options.online],
      ['all', true, 'severity', 'c', true],
    );
  });
});

describe('online', () => {
  let gh: FakeGitHub;
  before(async () => {
    gh = await standardFakeGitHub().start();
  });
  after(async () => {
    await gh.stop();
  });

  test('JSON says whether online checks ran; --offline wins even when --online comes after it', async () => {
    const root = tree({ '.github/workflows/ci.yml': WORKFLOW });
    const env = { XDG_CACHE_HOME: join(root, 'xdg') };
    const report = async (...argv: string[]) =>
      JSON.parse((await runCli(['--no-config', '--format', 'json', ...argv], { cwd: root, env })).stdout) as JsonReport;
    assert.equal((await report()).online, false);
    gh.reset();
    assert.equal((await report('--online', '--github-server-url', gh.serverUrl, '--github-api-url', gh.apiUrl)).online, true);
    assert.ok(gh.count() > 0);
    gh.reset();
    const offline = await report('--offline', '--online', '--github-server-url', gh.serverUrl, '--github-api-url', gh.apiUrl);
    assert.equal(offline.online, false);
    assert.equal(offline.options.offline, true);
    assert.equal(gh.count(), 0, 'no request');
  });

  test('--cache-dir: online answers are cached there, not in the XDG cache', async () => {
    const root = tree({ '.github/workflows/ci.yml': WORKFLOW });
    const xdg = join(root, 'xdg');
    const result = await runCli(
      ['--no-config', '--online', '--github-server-url', gh.serverUrl, '--github-api-url', gh.apiUrl, '--cache-dir', 'my-cache'],
      { cwd: root, env: { XDG_CACHE_HOME: xdg } },
    );
    assert.equal(result.code, 1, result.stderr);
    assert.ok(existsSync(join(root, 'my-cache')) && readdirSync(join(root, 'my-cache')).length > 0, 'cache written to --cache-dir');
    assert.ok(!existsSync(join(xdg, 'actions-warden')), 'nothing in the XDG cache');
  });
});
