/**
 * The scanned tree is untrusted: links out of it are neither read nor written, fixes keep every byte they
 * do not change (or refuse), the configuration search stays in the repository, standard input that is a
 * folder is an error, and the workspace walk behind "Pin all" is the CLI's walker (loops end, nothing
 * outside) and does not run offline.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, linkSync, lstatSync, openSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import { discover } from '../../server/src/cli/discover';
import { findConfig } from '../../server/src/config/find-config';
import { pinAllCommand, workspaceFiles } from '../../server/src/features/pin-all';
import { defaultCliCacheDir } from '../../server/src/resolve/cache';
import { homedir } from 'node:os';
import { runCli, tempDir, tree, writeTree } from '../support/cli';

/** One high finding (unpinned-uses, no offline fix). */
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
/** UNPINNED plus a stale ignore: the pedantic persona's safe fix (unused-ignore) removes the comment. */
const STALE = UNPINNED.replace('    runs-on: ubuntu-latest', '    runs-on: ubuntu-latest # warden: ignore[unpinned-uses] stale');
/** A file outside the scanned root whose text must never appear in our output. */
const SECRET = STALE.replace('actions/checkout@v4', 'actions/checkout@v4 # SECRET_MARKER_7f3a');
const CLEAN_ACTION = 'name: x\ndescription: y\nruns:\n  using: node20\n  main: index.js\n';

const pedanticFix = ['--fix', '--persona', 'pedantic'];

describe('symbolic links out of the scanned root', () => {
  test('a linked file in a walked folder is skipped and reported, never shown, never fixed', async () => {
    const outside = tree({ 'secret.yml': SECRET });
    const secretPath = join(outside, 'secret.yml');
    const root = tree({ '.github/workflows/ci.yml': STALE });
    symlinkSync(secretPath, join(root, '.github/workflows/evil.yml'));
    const before = readFileSync(secretPath);

    const scan = await runCli(['--persona', 'pedantic', '--no-color', '.'], { cwd: root, tty: true });
    assert.match(scan.stderr, /note: skipped \.github\/workflows\/evil\.yml: symbolic link to outside the scanned folder/);
    assert.doesNotMatch(scan.stdout, /evil\.yml/);
    assert.doesNotMatch(scan.stdout + scan.stderr, /SECRET_MARKER/, 'no code frame or message from the outside file');
    assert.match(scan.stdout, /ci\.yml:9:\d+: high unpinned-uses/, 'the files inside are still analysed (with code frames)');
    assert.equal(scan.code, 1);

    const fixed = await runCli([...pedanticFix, '.'], { cwd: root });
    assert.deepEqual(readFileSync(secretPath), before, 'the outside file is untouched');
    assert.equal(readFileSync(join(root, '.github/workflows/ci.yml'), 'utf8'), UNPINNED, 'the file inside is fixed');
    assert.match(fixed.stderr, /fixed 1 file/);
  });

  test('a linked folder leading out is skipped and reported; one staying inside is followed', async () => {
    const outside = tree({ '.github/workflows/x.yml': SECRET });
    const root = tree({ 'shared/ci.yml': STALE });
    symlinkSync(outside, join(root, 'vendor'), 'dir');
    writeTree(root, { '.github/workflows/.keep': '' });
    symlinkSync(join(root, 'shared', 'ci.yml'), join(root, '.github/workflows/alias.yml'));
    const result = await runCli([...pedanticFix, '--no-color', '.'], { cwd: root });
    assert.match(result.stderr, /note: skipped vendor: symbolic link to outside the scanned folder/);
    assert.doesNotMatch(result.stdout + result.stderr, /SECRET_MARKER|x\.yml/);
    assert.equal(readFileSync(join(outside, '.github/workflows/x.yml'), 'utf8'), SECRET);
    // The link inside the root is analysed under its own path and the fix lands in the real file.
    assert.match(result.stderr, /fixed \.github\/workflows\/alias\.yml: 1 finding \(unused-ignore\)/);
    assert.equal(readFileSync(join(root, 'shared/ci.yml'), 'utf8'), UNPINNED);
    assert.ok(lstatSync(join(root, '.github/workflows/alias.yml')).isSymbolicLink(), 'the link stays a link');
  });

  test('a file named on the command line that links out of its repository is refused (exit 2)', async () => {
    const outside = tree({ 'secret.yml': SECRET });
    const root = tree({ '.github/workflows/ci.yml': UNPINNED });
    symlinkSync(join(outside, 'secret.yml'), join(root, '.github/workflows/evil.yml'));
    const result = await runCli([...pedanticFix, '--no-color', '.github/workflows/evil.yml', '.github/workflows/ci.yml'], {
      cwd: root,
      tty: true,
    });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /error: \.github\/workflows\/evil\.yml: not read: symbolic link to outside the scanned folder/);
    assert.doesNotMatch(result.stdout + result.stderr, /SECRET_MARKER/);
    assert.equal(readFileSync(join(outside, 'secret.yml'), 'utf8'), SECRET);
    assert.match(result.stdout, /ci\.yml:9:\d+: high unpinned-uses/);
  });

  test('--fix replaces the file instead of writing through a hard link to a file outside the root', async () => {
    const outside = tree({ 'other.yml': STALE });
    const root = tempDir();
    writeTree(root, { '.github/workflows/.keep': '' });
    const inside = join(root, '.github/workflows/ci.yml');
    linkSync(join(outside, 'other.yml'), inside);
    const result = await runCli([...pedanticFix, '.'], { cwd: root });
    assert.match(result.stderr, /fixed 1 file/);
    assert.equal(readFileSync(inside, 'utf8'), UNPINNED);
    assert.equal(readFileSync(join(outside, 'other.yml'), 'utf8'), STALE, 'the other name of the file keeps its bytes');
    assert.deepEqual(readdirSync(join(root, '.github/workflows')).sort(), ['.keep', 'ci.yml'], 'no temporary file left behind');
  });
});

describe('--fix keeps the bytes it does not change', () => {
  test('a file that is not valid UTF-8 is refused for fixing with a message (exit 2); its findings are still reported', async () => {
    const bytes = Buffer.from(STALE.replace('on: push', 'on: push # caf\u00e9 (Latin-1)'), 'latin1');
    const root = tree({ '.github/workflows/ci.yml': bytes });
    const path = join(root, '.github/workflows/ci.yml');
    for (const args of [pedanticFix, [...pedanticFix, '--dry-run']]) {
      const result = await runCli(args, { cwd: root });
      assert.deepEqual(readFileSync(path), bytes, 'every byte kept');
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, /error: \.github\/workflows\/ci\.yml: not fixed: the file is not valid UTF-8/);
      assert.match(result.stderr, /nothing to fix/);
      assert.doesNotMatch(result.stdout, /^[-+]{3} /m, 'no diff');
    }
    const scan = await runCli(['--persona', 'pedantic'], { cwd: root });
    assert.match(scan.stdout, /ci\.yml:9:\d+: high unpinned-uses/);
    assert.match(scan.stdout, /unused-ignore/);
  });

  test('a BOM, CRLF line ends and the non-ASCII text of other lines are kept byte for byte', async () => {
    const crlf = STALE.replace('on: push', 'on: push # d\u00e9j\u00e0 vu \u{1F600}').replace(/\n/g, '\r\n');
    const root = tree({ '.github/workflows/ci.yml': '\ufeff' + crlf });
    const path = join(root, '.github/workflows/ci.yml');
    const result = await runCli(pedanticFix, { cwd: root });
    assert.match(result.stderr, /fixed 1 file/);
    const expected = '\ufeff' + crlf.replace(' # warden: ignore[unpinned-uses] stale', '');
    assert.deepEqual(readFileSync(path), Buffer.from(expected, 'utf8'));
  });
});

describe('configuration search boundary', () => {
  const BROKEN = 'persona: everyone\n';

  test('a configuration file above the repository root (.git) is not used', async () => {
    const parent = tree({ '.github/actions-warden.yml': BROKEN, 'repo/.git/HEAD': '', 'repo/.github/workflows/ci.yml': UNPINNED });
    const result = await runCli(['.'], { cwd: join(parent, 'repo') });
    assert.doesNotMatch(result.stdout, /config-error|actions-warden\.yml/);
    assert.equal(findConfig(join(parent, 'repo/.github/workflows')), null);
  });

  test('outside any repository the search stops at the scanned folder', async () => {
    const parent = tree({ 'actions-warden.yml': BROKEN, '.github/zizmor.yml': 'rules: 3\n', 'action-repo/action.yml': CLEAN_ACTION });
    const result = await runCli(['.'], { cwd: join(parent, 'action-repo') });
    assert.doesNotMatch(result.stdout, /config-error|actions-warden\.yml|zizmor/);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const named = await runCli(['action-repo/action.yml'], { cwd: parent });
    assert.doesNotMatch(named.stdout, /config-error/, 'the root of a named file is its folder here');
    assert.equal(findConfig(join(parent, 'action-repo')), null);
  });

  test('scanning a folder inside a repository still finds the configuration at the repository root', async () => {
    const repo = tree({ '.git/HEAD': '', '.github/actions-warden.yml': BROKEN, 'sub/action.yml': CLEAN_ACTION });
    const result = await runCli(['sub'], { cwd: repo });
    assert.match(result.stdout, /\.github\/actions-warden\.yml:1:10: medium config-error/);
  });

  test('a configuration file that links out of the repository is not read', async () => {
    const outside = tree({ 'secret.yml': 'persona: SECRET_MARKER_7f3a\n' });
    const repo = tree({ '.git/HEAD': '', '.github/workflows/ci.yml': UNPINNED });
    symlinkSync(join(outside, 'secret.yml'), join(repo, '.github/actions-warden.yml'));
    const result = await runCli(['--no-color', '.'], { cwd: repo, tty: true });
    assert.match(
      result.stdout,
      /actions-warden\.yml:1:1: \w+ config-error The configuration file is a symbolic link to outside the repository; it was not read/,
    );
    assert.doesNotMatch(result.stdout + result.stderr, /SECRET_MARKER/);
  });
});

describe('the cache folder', () => {
  test('comes from the environment only; a relative XDG_CACHE_HOME (which would land in the scanned folder) is ignored', () => {
    const absolute = tempDir();
    assert.equal(defaultCliCacheDir({ XDG_CACHE_HOME: absolute }), join(absolute, 'actions-warden'));
    const fallback = defaultCliCacheDir({});
    assert.equal(defaultCliCacheDir({ XDG_CACHE_HOME: 'cache' }), fallback);
    assert.equal(defaultCliCacheDir({ XDG_CACHE_HOME: './.github' }), fallback);
    if (process.platform !== 'win32') assert.equal(fallback, join(homedir(), '.cache', 'actions-warden'));
  });
});

describe('standard input', () => {
  test('`- < folder` is an I/O error (exit 2), not an empty workflow', {
    skip: !existsSync(builtCli()) && 'run `npm run build` first',
  }, () => {
    const folder = tempDir();
    const fd = openSync(folder, 'r');
    try {
      const result = spawnSync(process.execPath, [builtCli(), '-'], { cwd: folder, encoding: 'utf8', stdio: [fd, 'pipe', 'pipe'] });
      assert.equal(result.status, 2, result.stdout + result.stderr);
      assert.match(result.stderr, /cannot read standard input: is a folder/);
    } finally {
      closeSync(fd);
    }
  });
});

describe('the shared walker', () => {
  /** A tree with two files and four links back into it, at several depths. */
  function loopTree(): string {
    const root = tree({ '.github/workflows/a.yml': UNPINNED, 'action.yml': CLEAN_ACTION });
    symlinkSync('.', join(root, 'l1'), 'dir');
    symlinkSync(root, join(root, 'l2'), 'dir');
    symlinkSync('..', join(root, '.github/l3'), 'dir');
    symlinkSync('../..', join(root, '.github/workflows/l4'), 'dir');
    return root;
  }

  test('folder loops end at once and each file is found once (workspace walk and CLI discovery)', { timeout: 20_000 }, () => {
    const root = loopTree();
    const started = Date.now();
    const files = workspaceFiles([pathToFileURL(root).href]);
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
    assert.deepEqual(files.sort(), [
      pathToFileURL(join(root, '.github/workflows/a.yml')).href,
      pathToFileURL(join(root, 'action.yml')).href,
    ]);
    const { targets, errors } = discover(['.'], root);
    assert.deepEqual(errors, []);
    assert.deepEqual(
      targets.map((target) => target.displayPath),
      ['.github/workflows/a.yml', 'action.yml'],
    );
  });

  test('the workspace walk follows no link out of the workspace folder and skips node_modules', () => {
    const outside = tree({ '.github/workflows/x.yml': SECRET, 'action.yml': CLEAN_ACTION });
    const root = tree({ '.github/workflows/a.yml': UNPINNED, 'node_modules/m/action.yml': CLEAN_ACTION });
    symlinkSync(outside, join(root, 'vendor'), 'dir');
    symlinkSync(join(outside, 'action.yml'), join(root, 'action.yml'));
    assert.deepEqual(workspaceFiles([pathToFileURL(root).href]), [pathToFileURL(join(root, '.github/workflows/a.yml')).href]);
  });

  test('"Pin all actions in the workspace" does not walk (or read) anything when offline', async () => {
    let walked = 0;
    let collected = 0;
    const notices: string[] = [];
    const summary = await pinAllCommand(
      () => {
        walked++;
        return [];
      },
      { isOffline: true, collect: async () => (collected++, Promise.reject(new Error('no request when offline'))) },
      { applyEdit: async () => true, notify: (message) => void notices.push(message) },
    );
    assert.equal(walked, 0);
    assert.equal(collected, 0);
    assert.equal(summary.offline, true);
    assert.match(notices.join('\n'), /offline/);
  });
});

function builtCli(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'server', 'src', 'cli.ts'))) return join(dir, 'dist', 'cli.js');
    if (dirname(dir) === dir) return join(process.cwd(), 'dist', 'cli.js');
  }
}
