/**
 * The pre-commit hook (.pre-commit-hooks.yaml): its `files` pattern selects exactly the files the CLI audits
 * (and actions.lock), in linear time; and the command pre-commit builds from it (entry, args, then the file
 * names) audits every file, even one whose name starts with `-`.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { runCli, tree } from '../support/cli';

function findRepoRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'server', 'src', 'cli.ts'))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

interface Hook {
  id: string;
  entry: string;
  args?: string[];
  language: string;
  files: string;
  pass_filenames?: boolean;
}

const ROOT = findRepoRoot();
const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
const hook = hooks.find((candidate) => candidate.id === 'actions-warden');

const ACTION = 'name: x\ndescription: y\nruns:\n  using: composite\n  steps:\n    - uses: actions/checkout@v4\n';

describe('.pre-commit-hooks.yaml', () => {
  test('one node hook running the package bin, file names after `--`', () => {
    assert.equal(hooks.length, 1);
    assert.ok(hook);
    assert.equal(hook.language, 'node');
    assert.equal(hook.entry, 'actions-warden');
    assert.notEqual(hook.pass_filenames, false);
    assert.equal(hook.args?.at(-1), '--');
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    assert.ok(manifest.bin[hook.entry], 'entry is a bin of the package pre-commit installs');
  });

  test('files matches workflows, action metadata, Dependabot files and actions.lock, and nothing else', () => {
    // pre-commit uses Python's re.search; this pattern means the same in JavaScript.
    const files = new RegExp(hook!.files);
    const selected = [
      '.github/workflows/ci.yml',
      '.github/workflows/release.yaml',
      'sub/project/.github/workflows/ci.yml',
      'action.yml',
      'action.yaml',
      'actions/setup/action.yml',
      '.github/dependabot.yml',
      '.github/dependabot.yaml',
      'actions.lock',
      '.github/actions.lock',
      '-odd/action.yml',
    ];
    const ignored = [
      '.github/workflows/README.md',
      '.github/workflows/nested/ci.yml',
      '.github/workflows/ci.yml.bak',
      '.github/workflows/ci.json',
      'github/workflows/ci.yml',
      'x.github/workflows/ci.yml',
      'myaction.yml',
      'action.yml.orig',
      'action.yml/README.md',
      'dependabot.yml',
      '.github/dependabot.json',
      'my-actions.lock',
      'actions.lock.bak',
      'package-lock.json',
      'src/action.ts',
    ];
    for (const path of selected) assert.ok(files.test(path), `selects ${path}`);
    for (const path of ignored) assert.ok(!files.test(path), `ignores ${path}`);
  });

  test('files runs in linear time: no quantified group, and long adversarial names are decided at once', () => {
    const source = hook!.files;
    assert.doesNotMatch(source, /\)[*+?{]/, 'no quantifier on a group');
    assert.ok((source.match(/[*+]/g) ?? []).length <= 1, 'at most one unbounded quantifier');
    const files = new RegExp(source);
    const adversarial = [
      '.github/workflows/' + 'a.y'.repeat(100_000),
      '.github/workflows/' + '.yam'.repeat(100_000) + '/x',
      '/.github/workflows/x'.repeat(50_000),
      'action.ym'.repeat(100_000),
      '/'.repeat(300_000),
    ];
    const started = process.hrtime.bigint();
    for (const path of adversarial) assert.equal(files.test(path), false);
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    assert.ok(elapsedMs < 500, `took ${elapsedMs} ms`);
  });

  test('the hook command audits a file whose name looks like an option instead of obeying it', async () => {
    // Without the `--`, the name below is `--config` pointing at a configuration that disables the rule, and the
    // file itself is never audited.
    const root = tree({
      '--config=quiet/action.yml': ACTION,
      'quiet/action.yml': 'rules:\n  unpinned-uses:\n    disable: true\n',
      '-vendored/action.yml': ACTION,
    });
    const staged = ['--config=quiet/action.yml', '-vendored/action.yml'];
    const result = await runCli([...(hook!.args ?? []), ...staged], { cwd: root });
    assert.equal(result.code, 1, result.stderr);
    const flagged = result.stdout.split('\n').filter((line) => line.includes(' unpinned-uses '));
    assert.deepEqual(
      flagged.map((line) => line.slice(0, line.indexOf(':'))),
      ['--config=quiet/action.yml', '-vendored/action.yml'],
    );
  });
});
