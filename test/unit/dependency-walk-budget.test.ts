/**
 * A hostile dependency chain against the walk's budgets (fake GitHub on loopback): a fetched file too
 * large to be an action is not parsed, the bytes parsed per walk are bounded, and the walk lets other work
 * run between the files it parses.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MAX_DEPENDENCY_FILE_CHARS, walkDependencies } from '../../server/src/dependencies/walk';
import { RepoData } from '../../server/src/resolve/repo-data';
import { GitHubResolver } from '../../server/src/resolve/resolver';
import { FakeGitHub, sha } from '../support/fake-github';

/** A composite action of about `size` characters whose steps use `next` (when given). */
function padded(size: number, next?: string): string {
  const head = `runs:\n  using: composite\n  steps:\n${next ? `    - uses: ${next}\n` : ''}    - run: echo hi\n      shell: bash\n`;
  return `${head}${'#'.repeat(Math.max(0, size - head.length - 1))}\n`;
}

describe('dependency walk budgets', () => {
  let gh: FakeGitHub;
  const dirs: string[] = [];
  before(async () => {
    gh = new FakeGitHub().repo('big/one', {
      history: ['b-1'],
      branches: { main: 'b-1' },
      tags: { v1: { commit: 'b-1' } },
      files: { 'b-1': { 'action.yml': padded(MAX_DEPENDENCY_FILE_CHARS + 10) } },
    });
    for (let i = 0; i < 6; i++) {
      gh.repo(`chain/c${i}`, {
        history: [`c${i}`],
        branches: { main: `c${i}` },
        tags: { v1: { commit: `c${i}` } },
        files: { [`c${i}`]: { 'action.yml': padded(100_000, i < 5 ? `chain/c${i + 1}@v1` : undefined) } },
      });
    }
    gh = await gh.start();
  });
  after(async () => {
    await gh.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const data = () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'warden-walk-budget-'));
    dirs.push(cacheDir);
    return new RepoData(new GitHubResolver({ serverUrl: gh.serverUrl, apiUrl: gh.apiUrl, timeoutMs: 1500, cacheDir }), { cacheDir });
  };

  test('a fetched file larger than any action is not parsed, and the reason is kept', async () => {
    const graph = await walkDependencies(data(), ['big/one@v1']);
    const found = graph.action('big', 'one', '', sha('b-1'));
    assert.equal(found.available, false);
    assert.match(found.available ? '' : (found.detail ?? ''), /too large to follow/);
  });

  test('the characters parsed per walk are bounded, and the walk says where it stopped', async () => {
    const graph = await walkDependencies(data(), ['chain/c0@v1'], { maxChars: 250_000 });
    assert.ok(graph.action('chain', 'c0', '', sha('c0')).available);
    assert.ok(graph.action('chain', 'c1', '', sha('c1')).available);
    assert.equal(graph.action('chain', 'c3', '', sha('c3')).available, false);
    assert.match(graph.stopped.join('\n'), /more than 250000 characters of dependency files/);
  });

  test('other work runs between the files the walk parses, even when they all come from the cache', async () => {
    const shared = data();
    await walkDependencies(shared, ['chain/c0@v1']);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      const graph = await walkDependencies(shared, ['chain/c0@v1']);
      assert.ok(graph.action('chain', 'c4', '', sha('c4')).available);
    } finally {
      clearInterval(timer);
    }
    assert.ok(ticks >= 3, `${ticks} timer callbacks ran during the walk`);
  });
});
