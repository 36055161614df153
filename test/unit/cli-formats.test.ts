/**
 * The CLI's SARIF and GitHub formats, the code frame, configuration discovery from the command line,
 * --fix / --dry-run on temporary files, exit codes, and docs/ci.md's workflow audited by our own CLI.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseArgs } from '../../server/src/cli/args';
import { unifiedDiff } from '../../server/src/cli/diff';
import { escapeData, escapeProperty } from '../../server/src/cli/format-github';
import { runCli, tree as makeTree } from '../support/cli';

const tree = (files: Record<string, string>) => makeTree(files, 'warden-cli2-');
const cli = (argv: string[], cwd: string, tty = false, stdin = '') => runCli(argv, { cwd, tty, stdin });

const UNPINNED = `on: push
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

/** A structural validator of what GitHub code scanning requires of a SARIF 2.1.0 upload. */
function validateSarif(log: any): string[] {
  const errors: string[] = [];
  const need = (condition: unknown, message: string) => condition || errors.push(message);
  need(log && typeof log === 'object', 'log is an object');
  need(log.version === '2.1.0', 'version is 2.1.0');
  need(typeof log.$schema === 'string' && /sarif-2\.1\.0/.test(log.$schema), '$schema names 2.1.0');
  need(Array.isArray(log.runs) && log.runs.length >= 1, 'runs is a non-empty array');
  for (const runObject of log.runs ?? []) {
    const driver = runObject?.tool?.driver;
    need(driver && typeof driver.name === 'string' && driver.name.length > 0, 'tool.driver.name');
    need(typeof driver?.version === 'string' || typeof driver?.semanticVersion === 'string', 'driver version');
    need(Array.isArray(driver?.rules), 'tool.driver.rules is an array');
    const ruleIds = new Set<string>();
    for (const rule of driver?.rules ?? []) {
      need(typeof rule.id === 'string' && rule.id.length > 0, 'rule.id');
      need(!ruleIds.has(rule.id), `rule ${rule.id} listed once`);
      ruleIds.add(rule.id);
      need(typeof rule.name === 'string', `rule ${rule.id}: name`);
      need(typeof rule.shortDescription?.text === 'string', `rule ${rule.id}: shortDescription.text`);
      need(typeof rule.fullDescription?.text === 'string', `rule ${rule.id}: fullDescription.text`);
      need(typeof rule.helpUri === 'string' && /^https:\/\//.test(rule.helpUri), `rule ${rule.id}: helpUri`);
      const severity = Number(rule.properties?.['security-severity']);
      need(
        typeof rule.properties?.['security-severity'] === 'string' && severity >= 0 && severity <= 10,
        `rule ${rule.id}: security-severity is a string 0..10`,
      );
      need(Array.isArray(rule.properties?.tags) && rule.properties.tags.includes('security'), `rule ${rule.id}: tags include security`);
      need(['none', 'note', 'warning', 'error'].includes(rule.defaultConfiguration?.level), `rule ${rule.id}: defaultConfiguration.level`);
    }
    need(Array.isArray(runObject.results), 'results is an array');
    for (const result of runObject.results ?? []) {
      need(ruleIds.has(result.ruleId), `result ruleId ${result.ruleId} is a listed rule`);
      need(driver.rules[result.ruleIndex]?.id === result.ruleId, 'ruleIndex points at the rule');
      need(['none', 'note', 'warning', 'error'].includes(result.level), 'result.level');
      need(typeof result.message?.text === 'string' && result.message.text.length > 0, 'result.message.text');
      need(Array.isArray(result.locations) && result.locations.length >= 1, 'result.locations');
      for (const location of result.locations ?? []) {
        const physical = location.physicalLocation;
        need(
          typeof physical?.artifactLocation?.uri === 'string' && !/^\/|\\/.test(physical.artifactLocation.uri),
          'relative artifactLocation.uri with / separators',
        );
        const region = physical?.region ?? {};
        for (const key of ['startLine', 'startColumn', 'endLine', 'endColumn'])
          need(Number.isInteger(region[key]) && region[key] >= 1, `region.${key} is a 1-based integer`);
        need(
          region.endLine > region.startLine || (region.endLine === region.startLine && region.endColumn >= region.startColumn),
          'region ends after it starts',
        );
      }
      need(
        result.partialFingerprints && Object.values(result.partialFingerprints).every((value) => typeof value === 'string'),
        'partialFingerprints are strings',
      );
    }
  }
  return errors;
}

describe('formats', () => {
  test('sarif: valid 2.1.0 for code scanning, 1-based regions, stable fingerprints', async () => {
    const root = tree({
      '.git/HEAD': '',
      '.github/workflows/ci.yml': UNPINNED,
      '.github/workflows/b c.yml': 'on: pull_request_target\njobs: {}\n',
    });
    const result = await cli(['--format', 'sarif'], root);
    assert.equal(result.code, 1);
    const log = JSON.parse(result.stdout);
    assert.deepEqual(validateSarif(log), []);
    const unpinned = log.runs[0].results.find((each: any) => each.ruleId === 'unpinned-uses');
    assert.deepEqual(unpinned.locations[0].physicalLocation.region, { startLine: 9, startColumn: 32, endLine: 9, endColumn: 34 });
    assert.equal(unpinned.locations[0].physicalLocation.artifactLocation.uri, '.github/workflows/ci.yml');
    assert.equal(unpinned.level, 'error');
    const rule = log.runs[0].tool.driver.rules.find((each: any) => each.id === 'unpinned-uses');
    assert.equal(rule.properties['security-severity'], '8.0');
    assert.match(rule.helpUri, /docs\/rules\/unpinned-uses\.md$/);
    assert.ok(
      log.runs[0].results.some((each: any) => each.locations[0].physicalLocation.artifactLocation.uri === '.github/workflows/b%20c.yml'),
    );
    // Lines added above do not change the fingerprint.
    writeFileSync(join(root, '.github/workflows/ci.yml'), '# a comment\n' + UNPINNED);
    const again = JSON.parse((await cli(['--format', 'sarif'], root)).stdout);
    const moved = again.runs[0].results.find((each: any) => each.ruleId === 'unpinned-uses');
    assert.equal(moved.locations[0].physicalLocation.region.startLine, 10);
    assert.deepEqual(moved.partialFingerprints, unpinned.partialFingerprints);
    // No findings: still a valid log with an empty result list.
    const clean = tree({ '.github/workflows/ci.yml': 'on: push\npermissions: {}\njobs: {}\n' });
    const empty = await cli(['--format', 'sarif', '--min-severity', 'high'], clean);
    assert.deepEqual(validateSarif(JSON.parse(empty.stdout)), []);
  });

  test('github: workflow commands with escaped properties and messages', async () => {
    const root = tree({ '.github/workflows/ci.yml': UNPINNED });
    const result = await cli(['--format', 'github', '--min-severity', 'high'], root);
    assert.equal(result.code, 1);
    const lines = result.stdout.trimEnd().split('\n');
    assert.match(
      lines[0],
      /^::error file=\.github\/workflows\/ci\.yml,line=9,col=32,endLine=9,endColumn=34,title=unpinned-uses \(high\)::action `actions\/checkout` is pinned to tag `v4`/,
    );
    assert.match(lines[lines.length - 1], /^\d+ findings? \(/);
    assert.equal(escapeProperty('a:b,c%\n'), 'a%3Ab%2Cc%25%0A');
    assert.equal(escapeData('50% done\r\nnext'), '50%25 done%0D%0Anext');
  });

  test('text: a code frame with carets on a terminal, none when piped or with --no-code-frame', async () => {
    const root = tree({ '.github/workflows/ci.yml': UNPINNED });
    const tty = await cli(['--min-severity', 'high', '--no-color'], root, true);
    const lines = tty.stdout.split('\n');
    const at = lines.findIndex((line) => line.includes('unpinned-uses'));
    assert.equal(lines[at + 1], '9 |       - uses: actions/checkout@v4');
    assert.equal(lines[at + 2], '  |                                ^^');
    assert.doesNotMatch((await cli(['--min-severity', 'high'], root)).stdout, / \| /);
    assert.doesNotMatch((await cli(['--min-severity', 'high', '--no-code-frame'], root, true)).stdout, / \| /);
  });
});

describe('configuration from the command line', () => {
  test("ours is discovered; zizmor's where ours is absent; --no-config; --config FILE; flags win; config errors are findings", async () => {
    const ours = tree({
      '.git/HEAD': '',
      '.github/actions-warden.yml': 'rules:\n  unpinned-uses:\n    disable: true\n',
      '.github/workflows/ci.yml': UNPINNED,
    });
    assert.doesNotMatch((await cli([], ours)).stdout, /unpinned-uses/);
    assert.match((await cli(['--no-config'], ours)).stdout, /unpinned-uses/);
    const zizmor = tree({
      '.git/HEAD': '',
      'zizmor.yml': 'rules:\n  unpinned-uses:\n    ignore:\n      - ci.yml:9\n',
      '.github/workflows/ci.yml': UNPINNED,
    });
    assert.doesNotMatch((await cli([], zizmor)).stdout, /unpinned-uses/);
    const none = tree({ '.git/HEAD': '', '.github/workflows/ci.yml': UNPINNED });
    assert.match((await cli([], none)).stdout, /unpinned-uses/);
    writeFileSync(join(none, 'strict.yml'), 'min-severity: high\nrules:\n  unpinned-uses:\n    severity: low\n');
    const global = await cli(['--config', 'strict.yml'], none);
    assert.doesNotMatch(global.stdout, /unpinned-uses/, 'remapped below the threshold');
    assert.match(
      (await cli(['--config', 'strict.yml', '--min-severity', 'low'], none)).stdout,
      /low unpinned-uses/,
      'a flag wins over the file',
    );
    const missing = await cli(['--config', 'nope.yml'], none);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--config nope\.yml/);
    assert.equal((await cli(['--config', 'x', '--no-config'], none)).code, 2);
    const broken = tree({
      '.git/HEAD': '',
      '.github/actions-warden.yml': 'persona: everyone\n',
      '.github/workflows/ci.yml': 'on: push\npermissions: {}\njobs: {}\n',
    });
    const result = await cli([], broken);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^\.github\/actions-warden\.yml:1:10: medium config-error `persona` must be one of/m);
  });
});

describe('--fix and --dry-run', () => {
  // The unused-ignore removal is a safe preferred fix that only the pedantic persona sees.
  const STALE = UNPINNED.replace('    runs-on: ubuntu-latest', '    runs-on: ubuntu-latest # warden: ignore[unpinned-uses] stale');

  test('--fix writes the fix in place, reports what changed, exits on what is left; a second run changes nothing', async () => {
    const root = tree({ '.github/workflows/ci.yml': STALE });
    const path = join(root, '.github/workflows/ci.yml');
    const result = await cli(['--fix', '--persona', 'pedantic'], root);
    assert.equal(readFileSync(path, 'utf8'), UNPINNED);
    assert.match(result.stderr, /fixed \.github\/workflows\/ci\.yml: 1 finding \(unused-ignore\)/);
    assert.match(result.stderr, /fixed 1 file/);
    assert.doesNotMatch(result.stdout, /unused-ignore/);
    assert.equal(result.code, 1, 'unpinned-uses has no offline fix and remains');
    const again = await cli(['--fix', '--persona', 'pedantic'], root);
    assert.match(again.stderr, /nothing to fix/);
  });

  test('--dry-run prints a unified diff and writes nothing; exit 1 when something would change', async () => {
    const root = tree({ '.github/workflows/ci.yml': STALE.replace(/\n/g, '\r\n') });
    const path = join(root, '.github/workflows/ci.yml');
    const result = await cli(['--fix=safe', '--dry-run', '--persona', 'pedantic'], root);
    assert.equal(readFileSync(path, 'utf8'), STALE.replace(/\n/g, '\r\n'), 'unchanged');
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^--- a\/\.github\/workflows\/ci\.yml\n\+\+\+ b\/\.github\/workflows\/ci\.yml\n@@ -2,7 \+2,7 @@\n/);
    assert.match(
      result.stdout,
      /\n-    runs-on: ubuntu-latest # warden: ignore\[unpinned-uses\] stale\r\n\+    runs-on: ubuntu-latest\r\n/,
    );
    assert.match(result.stderr, /would fix 1 file/);
    assert.equal((await cli(['--dry-run'], root)).code, 2, '--dry-run needs --fix');
    assert.equal((await cli(['--fix=some'], root)).code, 2);
  });

  test('unified diff: context, several hunks, no newline at end of file', () => {
    const a = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const b = a.replace('line 2\n', 'line two\n').replace('line 18\n', '');
    const diff = unifiedDiff(a, b, 'a/x', 'b/x');
    assert.equal((diff.match(/^@@/gm) ?? []).length, 2);
    assert.match(diff, /@@ -1,5 \+1,5 @@\n line 1\n-line 2\n\+line two\n line 3\n/);
    assert.match(diff, /@@ -15,6 \+15,5 @@\n line 15\n line 16\n line 17\n-line 18\n line 19\n line 20\n$/);
    assert.match(unifiedDiff('a\nb', 'a\nc', 'x', 'y'), /-b\n\\ No newline at end of file\n\+c\n\\ No newline at end of file\n$/);
    assert.equal(unifiedDiff('same', 'same', 'x', 'y'), '');
  });
});

describe('arguments and exit codes', () => {
  test('new options parse; bad values are usage errors (exit 2)', async () => {
    const parsed = parseArgs([
      '--format=sarif',
      '--min-confidence',
      'high',
      '--online',
      '--github-api-url',
      'https://ghe.example.com/api/v3',
      '--fix=all',
    ]);
    assert.ok(parsed.ok);
    if (parsed.ok) {
      assert.equal(parsed.options.format, 'sarif');
      assert.equal(parsed.options.minConfidence, 'high');
      assert.equal(parsed.options.fix, 'all');
      assert.ok(parsed.options.explicit.includes('minConfidence') && !parsed.options.explicit.includes('persona'));
    }
    assert.ok(!parseArgs(['--github-server-url', 'ftp://x']).ok);
    assert.ok(!parseArgs(['--min-confidence', 'certain']).ok);
    const root = tree({ '.github/workflows/ci.yml': 'on: push\npermissions: {}\njobs: {}\n' });
    assert.equal((await cli([], root)).code, 0);
    assert.equal((await cli(['--format', 'xml'], root)).code, 2);
    assert.equal((await cli(['missing.yml'], root)).code, 2);
  });
});

describe('docs/ci.md', () => {
  test('the documented workflow passes our own audit, even for the auditor persona', async () => {
    const markdown = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'ci.md'), 'utf8');
    const yaml = [...markdown.matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((match) => match[1])
      .find((block) => block.includes('npm run build'));
    assert.ok(yaml, 'a yaml block');
    assert.match(yaml, /github\/codeql-action\/upload-sarif@[0-9a-f]{40} # v\d/);
    const root = tree({ '.github/workflows/actions-warden.yml': yaml });
    for (const persona of ['regular', 'auditor']) {
      const result = await cli(['--no-config', '--persona', persona], root);
      assert.equal(result.stdout, 'No findings in 1 file\n', persona);
      assert.equal(result.code, 0);
    }
  });
});
