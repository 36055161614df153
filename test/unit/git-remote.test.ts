/**
 * The repository of a checkout, from its git configuration (nothing run): the INI scanner, the URL forms
 * of the configured host only, worktree `.git` files, and hostile input.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gitRemotes, remoteRepository, repositoryFromConfig, repositoryOfCheckout } from '../../server/src/workspace/git-remote';

describe('git remote of a checkout', () => {
  test('origin wins over an earlier remote; comments and quotes are handled', () => {
    const text = [
      '[core]',
      '\tbare = false',
      '[remote "upstream"]',
      '\turl = https://github.com/up/stream.git',
      '; a comment',
      '[remote "origin"]',
      '\tURL = "git@github.com:Acme/App.git" # trailing comment',
      '\tfetch = +refs/heads/*:refs/remotes/origin/*',
    ].join('\n');
    assert.deepEqual(gitRemotes(text), [
      { name: 'upstream', url: 'https://github.com/up/stream.git' },
      { name: 'origin', url: 'git@github.com:Acme/App.git' },
    ]);
    assert.deepEqual(repositoryFromConfig(text, 'github.com'), { kind: 'github', owner: 'Acme', repo: 'App', remote: 'origin' });
  });

  test('without origin the first remote is used', () => {
    const text = '[remote "fork"]\n  url = ssh://git@github.com:22/me/fork\n';
    assert.deepEqual(repositoryFromConfig(text, 'github.com'), { kind: 'github', owner: 'me', repo: 'fork', remote: 'fork' });
  });

  test('https, ssh and scp-like forms of the configured host; another host is "other-host", never a repository', () => {
    assert.deepEqual(remoteRepository('https://github.com/a/b', 'github.com'), { owner: 'a', repo: 'b' });
    assert.deepEqual(remoteRepository('https://token@github.com/a/b.git/', 'github.com'), { owner: 'a', repo: 'b' });
    assert.deepEqual(remoteRepository('github.com:a/b.git', 'github.com'), { owner: 'a', repo: 'b' });
    assert.deepEqual(remoteRepository('git@ghe.example.com:a/b.git', 'ghe.example.com'), { owner: 'a', repo: 'b' });
    assert.deepEqual(remoteRepository('https://evil.example/a/b.git', 'github.com'), { otherHost: 'evil.example' });
    assert.deepEqual(remoteRepository('https://github.com.evil.example/a/b', 'github.com'), { otherHost: 'github.com.evil.example' });
    assert.equal(remoteRepository('/srv/git/b.git', 'github.com'), null);
    assert.equal(remoteRepository('https://github.com/a/b/c', 'github.com'), null);
    assert.equal(remoteRepository('file:///tmp/x', 'github.com'), null);
    const other = repositoryFromConfig('[remote "origin"]\nurl = https://gitlab.com/a/b.git\n', 'github.com');
    assert.deepEqual(other, { kind: 'other-host', host: 'gitlab.com', remote: 'origin' });
  });

  test('the host ends where a URL parser ends it: at `?`, `#` or a backslash, never at a later `@`', () => {
    // A WHATWG parser (and a browser) reads these as evil.example; the text after `@` is query, fragment or path.
    for (const url of [
      'https://evil.example#@github.com/a/b',
      'https://evil.example?@github.com/a/b',
      'https://evil.example\\@github.com/a/b',
    ]) {
      assert.deepEqual(remoteRepository(url, 'github.com'), { otherHost: 'evil.example' }, url);
    }
    // userinfo before the last `@` is still skipped
    assert.deepEqual(remoteRepository('https://x:y@github.com/a/b', 'github.com'), { owner: 'a', repo: 'b' });
  });

  test('an https port other than the configured one (or the default) is another host; an ssh port is not', () => {
    assert.deepEqual(remoteRepository('https://github.com:8443/a/b', 'github.com'), { otherHost: 'github.com:8443' });
    assert.deepEqual(remoteRepository('https://github.com:443/a/b', 'github.com'), { owner: 'a', repo: 'b' });
    assert.deepEqual(remoteRepository('http://ghe.local:80/a/b', 'ghe.local'), { owner: 'a', repo: 'b' });
    assert.deepEqual(remoteRepository('https://ghe.local:8443/a/b', 'ghe.local:8443'), { owner: 'a', repo: 'b' });
    assert.deepEqual(remoteRepository('ssh://git@github.com:2222/a/b', 'github.com'), { owner: 'a', repo: 'b' });
    // A server on a web port is the same machine over ssh.
    assert.deepEqual(remoteRepository('git@ghe.local:a/b.git', 'ghe.local:8443'), { owner: 'a', repo: 'b' });
    assert.deepEqual(remoteRepository('git@ghe.local.evil:a/b.git', 'ghe.local:8443'), { otherHost: 'ghe.local.evil' });
  });

  test('no remote, hostile input: "none", quickly', () => {
    assert.equal(repositoryFromConfig('[core]\nbare = false\n', 'github.com').kind, 'none');
    assert.equal(repositoryFromConfig('', 'github.com').kind, 'none');
    const started = Date.now();
    const huge = `[remote "origin"\n${'url = '.repeat(200_000)}\n${'['.repeat(100_000)}\n${'"'.repeat(100_000)}`;
    assert.equal(repositoryFromConfig(huge, 'github.com').kind, 'none');
    assert.equal(repositoryFromConfig(`[remote "origin"]\nurl = ${'a'.repeat(500_000)}`, 'github.com').kind, 'none');
    assert.ok(Date.now() - started < 2000);
  });

  test('a checkout directory, a worktree `.git` file with commondir, and no git at all', () => {
    const root = mkdtempSync(join(tmpdir(), 'warden-git-'));
    try {
      const main = join(root, 'main');
      mkdirSync(join(main, '.git', 'worktrees', 'wt'), { recursive: true });
      writeFileSync(join(main, '.git', 'config'), '[remote "origin"]\n\turl = https://github.com/acme/app.git\n');
      writeFileSync(join(main, '.git', 'worktrees', 'wt', 'commondir'), '../..\n');
      const worktree = join(root, 'wt');
      mkdirSync(worktree);
      writeFileSync(join(worktree, '.git'), `gitdir: ${join(main, '.git', 'worktrees', 'wt')}\n`);
      assert.deepEqual(repositoryOfCheckout(main, 'github.com'), { kind: 'github', owner: 'acme', repo: 'app', remote: 'origin' });
      assert.deepEqual(repositoryOfCheckout(worktree, 'github.com'), { kind: 'github', owner: 'acme', repo: 'app', remote: 'origin' });
      assert.equal(repositoryOfCheckout(join(root, 'nothing'), 'github.com').kind, 'none');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('a hostile checkout: gitdir to a device, a FIFO as config, a link loop, a huge config: "none" or a bounded read, never a hang', () => {
    const root = mkdtempSync(join(tmpdir(), 'warden-git-hostile-'));
    try {
      const started = Date.now();
      const device = join(root, 'device');
      mkdirSync(device);
      writeFileSync(join(device, '.git'), 'gitdir: /dev/zero\r\n');
      assert.equal(repositoryOfCheckout(device, 'github.com').kind, 'none');
      const fifo = join(root, 'fifo');
      mkdirSync(join(fifo, '.git'), { recursive: true });
      execFileSync('mkfifo', [join(fifo, '.git', 'config')]);
      assert.equal(repositoryOfCheckout(fifo, 'github.com').kind, 'none');
      const loop = join(root, 'loop');
      mkdirSync(loop);
      symlinkSync(join(loop, '.git'), join(loop, '.git'));
      assert.equal(repositoryOfCheckout(loop, 'github.com').kind, 'none');
      const commonLoop = join(root, 'common');
      mkdirSync(join(commonLoop, '.git'), { recursive: true });
      writeFileSync(join(commonLoop, '.git', 'commondir'), '.\n');
      assert.equal(repositoryOfCheckout(commonLoop, 'github.com').kind, 'none');
      // A remote past the first 64 KiB is not read: the read is bounded, whatever the file's size.
      const huge = join(root, 'huge');
      mkdirSync(join(huge, '.git'), { recursive: true });
      writeFileSync(join(huge, '.git', 'config'), `${'#'.repeat(8 * 1024 * 1024)}\n[remote "origin"]\nurl = https://github.com/a/b\n`);
      assert.equal(repositoryOfCheckout(huge, 'github.com').kind, 'none');
      assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
