/**
 * `.gitignore` matching for `--collect default`: checked against `git check-ignore` on a temporary
 * repository (git is installed wherever the tests run), against adversarial patterns for time, and
 * through the CLI (collection, `--collect all`, files named explicitly, links out of the root).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { discover } from '../../server/src/cli/discover';
import { isIgnoredPath, parseGitignore, patternMatches, type GitignoreFile } from '../../server/src/cli/gitignore';
import { runCli, tempDir, tree, writeTree } from '../support/cli';

const hasGit = spawnSync('git', ['--version']).status === 0;

const WORKFLOW = `on: push
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
`;

/** Root and nested `.gitignore` files exercising every feature of the syntax. */
const GITIGNORES: Record<string, string> = {
  '.gitignore': [
    '# a comment',
    '',
    '*.log',
    '!keep.log',
    'build/',
    '/anchored.yml',
    'docs/**/gen.yml',
    '**/cache/*.yml',
    'vendor/**',
    '!vendor/keep/',
    'tmp?.yml',
    'x[0-9].yml',
    'y[!a-c].yml',
    'z[[:digit:]].yml',
    '\\#hash.yml',
    '\\!bang.yml',
    'trail.yml   ',
    'escaped\\ .yml\\ ',
    'a/**/b/c.yml',
    '**/deep',
    'only-dir/',
    'mid/name.yml',
    'star*star.yml',
    '**.tmp',
    'back\\slash[.]yml',
    'unterminated[.yml',
    'crlf.yml\r',
  ].join('\n'),
  'sub/.gitignore': ['local.yml', '!/anchored.yml', '/rooted.yml', 'inner/', '!important.log'].join('\n'),
  'sub/deeper/.gitignore': '!local.yml\n*.yml\n!keep-*.yml\n',
};

/** Paths (files; those ending in `/` are folders) to ask about. */
const PATHS = [
  'a.log',
  'keep.log',
  'sub/b.log',
  'sub/important.log',
  'build',
  'build/x.yml',
  'sub/build/y.yml',
  'anchored.yml',
  'sub/anchored.yml',
  'other/anchored.yml',
  'docs/gen.yml',
  'docs/a/gen.yml',
  'docs/a/b/gen.yml',
  'gen.yml',
  'cache/a.yml',
  'p/cache/a.yml',
  'p/q/cache/a.yml',
  'p/cache/d/a.yml',
  'vendor',
  'vendor/a.yml',
  'vendor/keep/a.yml',
  'vendor/x/y.yml',
  'tmp1.yml',
  'tmp12.yml',
  'tmp/.yml',
  'x5.yml',
  'xa.yml',
  'yd.yml',
  'ya.yml',
  'z7.yml',
  'za.yml',
  '#hash.yml',
  '!bang.yml',
  'trail.yml',
  'escaped .yml ',
  'escaped .yml',
  'a/b/c.yml',
  'a/x/y/b/c.yml',
  'a/c.yml',
  'a/b/d.yml',
  'deep',
  'q/deep',
  'q/deep/file.yml',
  'deep.yml',
  'only-dir',
  'f/only-dir',
  'mid/name.yml',
  'x/mid/name.yml',
  'starXYZstar.yml',
  'starstar.yml',
  'e/star-a/star.yml',
  'x.tmp',
  'q/y.tmp',
  'back\\slash.yml',
  'backslash.yml',
  'unterminated[.yml',
  'unterminated.yml',
  'crlf.yml',
  'sub/local.yml',
  'local.yml',
  'sub/rooted.yml',
  'rooted.yml',
  'sub/x/rooted.yml',
  'sub/inner',
  'sub/inner/a.yml',
  'inner/a.yml',
  'sub/deeper/local.yml',
  'sub/deeper/other.yml',
  'sub/deeper/keep-1.yml',
  'sub/deeper/z/a.yml',
  'sub/deeper/z/keep-2.yml',
  'plain.yml',
  'sub/plain.yml',
];
/** Paths that are folders (created as such). */
const FOLDERS = new Set(['build', 'vendor', 'deep', 'q/deep', 'only-dir', 'f/only-dir', 'sub/inner', 'tmp']);

function gitignoreFiles(): GitignoreFile[] {
  return Object.entries(GITIGNORES).map(([path, text]) => ({
    folder: dirname(path) === '.' ? '' : dirname(path),
    patterns: parseGitignore(text),
  }));
}

describe('.gitignore matching', () => {
  test('agrees with git check-ignore on root and nested files, negation, dir/, /anchored, **, sets and escapes', {
    skip: hasGit ? false : 'git is not installed',
  }, () => {
    const root = tempDir('warden-gitignore-');
    assert.equal(spawnSync('git', ['init', '-q', root]).status, 0);
    writeTree(root, GITIGNORES);
    for (const path of PATHS) {
      const full = join(root, path);
      if (FOLDERS.has(path)) mkdirSync(full, { recursive: true });
      else {
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, '');
      }
    }
    const git = spawnSync('git', ['-c', 'core.quotePath=false', 'check-ignore', '--stdin', '-z', '-v', '-n', '--no-index'], {
      cwd: root,
      input: PATHS.join('\0') + '\0',
      encoding: 'utf8',
    });
    assert.ok(git.status === 0 || git.status === 1, git.stderr);
    // -z -v -n: source NUL line NUL pattern NUL path NUL, per path.
    const fields = git.stdout.split('\0');
    const expected = new Map<string, boolean>();
    for (let i = 0; i + 3 < fields.length; i += 4) expected.set(fields[i + 3], fields[i] !== '' && !fields[i + 2].startsWith('!'));
    assert.equal(expected.size, PATHS.length);
    const files = gitignoreFiles();
    const disagreements = PATHS.filter((path) => isIgnoredPath(files, path, FOLDERS.has(path)) !== expected.get(path)).map(
      (path) => `${path}: git says ${expected.get(path) ? 'ignored' : 'not ignored'}`,
    );
    assert.deepEqual(disagreements, []);
    // Both answers occur plenty, so the comparison means something.
    const ignored = [...expected.values()].filter(Boolean).length;
    assert.ok(ignored > 20 && PATHS.length - ignored > 20, `${ignored} of ${PATHS.length} ignored`);
  });

  test('adversarial patterns and names take linear-ish time (no backtracking blow-up)', () => {
    const stars = parseGitignore(`${'*a'.repeat(2000)}*b\n${'**/'.repeat(2000)}x\n${'a*'.repeat(3000)}\n[${'a-'.repeat(5000)}\n`);
    const name = 'a'.repeat(4000);
    const path = Array.from({ length: 300 }, () => 'a').join('/');
    const started = performance.now();
    for (const pattern of stars) {
      patternMatches(pattern, name, false);
      patternMatches(pattern, path, false);
    }
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 2000, `took ${elapsed.toFixed(0)} ms`);
  });
});

describe('--collect', () => {
  const repo = () => {
    const root = tempDir('warden-collect-');
    writeTree(root, {
      '.gitignore': 'vendor/\n*.generated.yml\n',
      '.github/workflows/ci.yml': WORKFLOW,
      '.github/workflows/out.generated.yml': WORKFLOW,
      'vendor/dep/action.yml': 'name: x\ndescription: y\nruns:\n  using: composite\n  steps:\n    - uses: actions/setup-node@v4\n',
      'tools/.gitignore': '*\n!.gitignore\n',
      'tools/action.yml': 'name: x\ndescription: y\nruns:\n  using: composite\n  steps:\n    - uses: actions/setup-node@v4\n',
    });
    return root;
  };

  test('default respects the .gitignore files; all analyses every file; a file named explicitly is always analysed', async () => {
    const root = repo();
    const paths = (collect?: 'default' | 'all') =>
      discover(['.'], root, collect ? { collect } : {}).targets.map((target) => target.displayPath);
    assert.deepEqual(paths(), ['.github/workflows/ci.yml']);
    assert.deepEqual(paths('default'), ['.github/workflows/ci.yml']);
    assert.deepEqual(paths('all'), [
      '.github/workflows/ci.yml',
      '.github/workflows/out.generated.yml',
      'tools/action.yml',
      'vendor/dep/action.yml',
    ]);
    const explicit = await runCli(['--format', 'json', '--no-config', 'vendor/dep/action.yml'], { cwd: root });
    assert.deepEqual(
      (JSON.parse(explicit.stdout) as { files: { path: string }[] }).files.map((file) => file.path),
      ['vendor/dep/action.yml'],
    );
    const all = await runCli(['--format', 'json', '--no-config', '--collect=all', '.'], { cwd: root });
    assert.equal((JSON.parse(all.stdout) as { files: unknown[] }).files.length, 4);
    // When a .gitignore leaves out everything, the note says so and how to include it.
    const hiding = tree({ '.gitignore': '.github/\n', '.github/workflows/ci.yml': WORKFLOW });
    const hidden = await runCli(['--no-config'], { cwd: hiding });
    assert.equal(hidden.code, 0);
    assert.match(
      hidden.stderr,
      /no workflow, action or Dependabot files found in the current folder \(1 entry left out by \.gitignore files; --collect all includes them\)/,
    );
    const bad = await runCli(['--collect', 'everything'], { cwd: root });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /expected one of default, all/);
  });

  test('a .gitignore that is a link to outside the scanned folder is not read', async () => {
    const outside = tempDir('warden-collect-outside-');
    writeFileSync(join(outside, 'ignore-everything'), '*\n');
    const root = tempDir('warden-collect-');
    writeTree(root, { '.github/workflows/ci.yml': WORKFLOW });
    symlinkSync(join(outside, 'ignore-everything'), join(root, '.gitignore'));
    assert.equal(readFileSync(join(root, '.gitignore'), 'utf8'), '*\n');
    assert.deepEqual(
      discover(['.'], root).targets.map((target) => target.displayPath),
      ['.github/workflows/ci.yml'],
    );
  });
});
