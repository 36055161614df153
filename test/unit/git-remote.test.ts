/**
 * The repository of a checkout, from its git configuration (nothing run): the INI scanner, the URL forms
 * of the configured host only, worktree `.git` files, and hostile input.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
});
