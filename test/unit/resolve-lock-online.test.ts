import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { isAncestor, reachableFromBranches } from '../../server/src/resolve/ancestry';
import { HttpClient } from '../../server/src/resolve/http';
import { computeClosure, computeLockEntry, pinKeyOfUses, remoteUsesIn } from '../../server/src/resolve/lock-entry';
import { verifyLockEntries, type LockedEntry } from '../../server/src/resolve/lock-verify';
import { RepoData, type RepoDataOptions } from '../../server/src/resolve/repo-data';
import { readFileAtCommit, repoPathProblem } from '../../server/src/resolve/repo-files';
import { repositoryIds } from '../../server/src/resolve/repo-ids';
import { GitHubResolver, type ResolverOptions } from '../../server/src/resolve/resolver';
import { FakeGitHub, sha } from '../support/fake-github';

const TOKEN = 'ghp_LOCKtoken0123456789';

const COMPOSITE = `name: composite
runs:
  using: composite
  steps:
    - uses: actions/checkout@v4
    - uses: Octo/Leaf/sub@v2
    - uses: ./local-action
    - uses: docker://alpine:3
    - uses: octo/leaf@\${{ inputs.ref }}
    - run: echo hi
      shell: bash
    - uses: octo/leaf/other@v2
`;

function fixture(): FakeGitHub {
  return new FakeGitHub()
    .repo('actions/checkout', {
      history: ['co-1', 'co-2'],
      branches: { main: 'co-2' },
      tags: { v4: { commit: 'co-2' } },
      files: { 'co-2': { 'action.yml': 'runs:\n  using: node20\n  main: dist/index.js\n' } },
    })
    .repo('octo/composite', {
      history: ['c-1', 'c-2', 'c-3'],
      branches: { main: 'c-3', side: 's-1' },
      sideCommits: { 's-1': 'c-1' },
      forkCommits: { 'f-1': 'c-1' },
      defaultBranch: 'main',
      tags: { 'v1.0.0': { commit: 'c-2', annotated: true }, v1: { commit: 'c-2', annotated: true } },
      files: { 'c-2': { 'action.yml': COMPOSITE }, 'f-1': { 'action.yml': COMPOSITE } },
      ids: { repoId: 1001, ownerId: 501 },
    })
    .repo('octo/leaf', {
      history: ['l-1', 'l-2'],
      branches: { main: 'l-2' },
      tags: { v2: { commit: 'l-2' } },
      files: {
        'l-2': {
          'action.yaml': 'runs:\n  using: docker\n  image: docker://alpine:3\n',
          'sub/action.yml': 'runs:\n  using: composite\n  steps:\n    - uses: octo/cycle-a@v1\n',
          'other/action.yml': 'runs:\n  using: composite\n  steps:\n    - uses: actions/checkout@v4\n',
        },
      },
    })
    .repo('octo/cycle-a', {
      history: ['a-1'],
      branches: { main: 'a-1' },
      tags: { v1: { commit: 'a-1' } },
      files: { 'a-1': { 'action.yml': 'runs:\n  using: composite\n  steps:\n    - uses: octo/cycle-b@v1\n' } },
    })
    .repo('octo/cycle-b', {
      history: ['b-1'],
      branches: { main: 'b-1' },
      tags: { v1: { commit: 'b-1' } },
      files: { 'b-1': { 'action.yml': 'runs:\n  using: composite\n  steps:\n    - uses: octo/cycle-a@v1\n' } },
    })
    .repo('octo/workflows', {
      history: ['w-1'],
      branches: { main: 'w-1' },
      tags: { v3: { commit: 'w-1' } },
      files: {
        'w-1': {
          '.github/workflows/build.yml':
            'on: workflow_call\njobs:\n  call:\n    uses: octo/composite/.github/workflows/x.yml@v1\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: ./.github/actions/local\n',
        },
      },
    })
    .repo('octo/private', {
      history: ['p-1'],
      branches: { main: 'p-1' },
      private: true,
      files: { 'p-1': { 'action.yml': 'runs:\n  using: node20\n  main: x.js\n' } },
    });
}

function chain(gh: FakeGitHub, length: number): void {
  for (let index = 1; index <= length; index++) {
    const next = index < length ? `    - uses: octo/deep${index + 1}@v1\n` : '';
    gh.repo(`octo/deep${index}`, {
      history: [`d${index}`],
      branches: { main: `d${index}` },
      tags: { v1: { commit: `d${index}` } },
      files: { [`d${index}`]: { 'action.yml': `runs:\n  using: composite\n  steps:\n${next || '    - run: true\n      shell: bash\n'}` } },
    });
  }
}

describe('lockfile online data against the fake GitHub', () => {
  let gh: FakeGitHub;
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-lock-'));
    dirs.push(dir);
    return dir;
  };
  const make = (options: ResolverOptions & RepoDataOptions = {}) => {
    const cacheDir = options.cacheDir === undefined ? tempDir() : options.cacheDir;
    const resolver = new GitHubResolver({
      serverUrl: gh.serverUrl,
      apiUrl: gh.apiUrl,
      rawUrl: gh.rawUrl,
      timeoutMs: 1500,
      ...options,
      cacheDir,
    });
    return new RepoData(resolver, { ...options, cacheDir });
  };
  const apiRequests = (fragment: string) =>
    gh.requests.filter((r) => r.listener !== 'raw' && r.path.startsWith('/api/') && r.path.includes(fragment)).length;

  before(async () => {
    gh = fixture();
    chain(gh, 7);
    await gh.start();
    await gh.startRaw();
  });
  after(async () => {
    await gh.stopRaw();
    await gh.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    gh.reset();
    gh.rawBehaviour = 'ok';
    gh.hostBehaviour = null;
  });

  describe('cache-only views (fix-all on save)', () => {
    test('a cold cache answers at once with `offline` and sends nothing; once warm, the same entry comes from the cache alone', async () => {
      const data = make();
      const cold = await computeLockEntry(data.cacheOnly(), 'octo', 'composite', 'v1');
      assert.equal(!cold.ok && cold.error.kind, 'offline');
      assert.match(!cold.ok ? cold.error.message : '', /not known yet for octo\/composite/);
      assert.equal(gh.requests.length, 0, 'nothing sent');
      const closure = await computeClosure(data.cacheOnly(), ['octo/composite@v1']);
      assert.deepEqual(closure.keys, ['octo/composite@v1']);
      assert.deepEqual(
        closure.problems.map((problem) => problem.error.kind),
        ['offline'],
      );
      assert.equal(gh.requests.length, 0);
      // Warmed by a real computation, the cache-only view computes the same entry with no request.
      const warm = await computeLockEntry(data, 'octo', 'composite', 'v1');
      assert.ok(warm.ok);
      const sent = gh.requests.length;
      const cached = await computeLockEntry(data.cacheOnly(), 'octo', 'composite', 'v1');
      assert.deepEqual(cached, warm);
      assert.equal(gh.requests.length, sent, 'answered from the cache');
      // The view is a view: the data and its resolver still fetch.
      assert.equal(data.cacheOnly().resolver === data.resolver, false);
      assert.ok((await data.resolver.listRefs('octo', 'leaf')).ok);
      assert.ok(gh.requests.length > sent);
    });
  });

  describe('files at a commit', () => {
    test('one raw request per (repository, commit, path), none when warm; the token never goes to the raw host', async () => {
      const dir = tempDir();
      const data = make({ cacheDir: dir, token: TOKEN });
      const reads = await Promise.all([1, 2, 3].map(() => readFileAtCommit(data, 'octo', 'composite', sha('c-2'), 'action.yml')));
      for (const read of reads) {
        assert.ok(read.ok);
        assert.equal(read.value.text, COMPOSITE);
        assert.equal(read.value.via, 'raw');
      }
      assert.ok((await readFileAtCommit(data, 'Octo', 'Composite', sha('c-2').toUpperCase(), 'action.yml')).ok);
      assert.equal(gh.rawCount(`/${sha('c-2')}/action.yml`), 1);
      assert.equal(gh.requests.length, 1, 'nothing else was asked');
      assert.equal(gh.requests[0].authorization, undefined, 'no token on the raw host');
      gh.reset();
      const warm = make({ cacheDir: dir, token: TOKEN });
      const again = await readFileAtCommit(warm, 'octo', 'composite', sha('c-2'), 'action.yml');
      assert.ok(again.ok);
      assert.equal(again.value.text, COMPOSITE);
      assert.equal(gh.requests.length, 0, 'a second instance over the same cache folder asks nothing');
    });

    test('a 404 is cached briefly; without a token the raw 404 is final (no contents API request)', async () => {
      let now = 1_000_000;
      const data = make({ now: () => now, missingTtlMs: 60_000 });
      const missing = await readFileAtCommit(data, 'octo', 'composite', sha('c-2'), 'nope.yml');
      assert.equal(!missing.ok && missing.error.kind, 'not-found');
      assert.equal(gh.requests.length, 1);
      now += 30_000;
      assert.equal((await readFileAtCommit(data, 'octo', 'composite', sha('c-2'), 'nope.yml')).ok, false);
      assert.equal(gh.requests.length, 1, 'remembered within the TTL');
      now += 31_000;
      assert.equal((await readFileAtCommit(data, 'octo', 'composite', sha('c-2'), 'nope.yml')).ok, false);
      assert.equal(gh.requests.length, 2, 'asked again after it');
      assert.equal(apiRequests('/contents/'), 0);
    });

    test('with a token a raw 404 falls back to the contents API (a private repository), token sent there only', async () => {
      const data = make({ token: TOKEN });
      const read = await readFileAtCommit(data, 'octo', 'private', sha('p-1'), 'action.yml');
      assert.ok(read.ok, JSON.stringify(read));
      assert.equal(read.value.via, 'contents');
      assert.equal(gh.rawCount(), 1);
      assert.equal(apiRequests(`/contents/action.yml`), 1);
      const contents = gh.requests.find((r) => r.path.includes('/contents/'))!;
      assert.equal(contents.authorization, `Bearer ${TOKEN}`);
      assert.equal(contents.query, `?ref=${sha('p-1')}`);
      assert.ok(gh.requests.filter((r) => r.listener === 'raw').every((r) => r.authorization === undefined));
    });

    test('the contents API is used when the raw host fails or does not answer', async () => {
      gh.rawBehaviour = 'error-500';
      const data = make();
      const read = await readFileAtCommit(data, 'octo', 'leaf', sha('l-2'), 'action.yaml');
      assert.ok(read.ok);
      assert.equal(read.value.via, 'contents');
      gh.reset();
      gh.rawBehaviour = 'hang';
      const slow = make({ timeoutMs: 300 });
      const first = await readFileAtCommit(slow, 'octo', 'leaf', sha('l-2'), 'sub/action.yml');
      assert.ok(first.ok);
      assert.equal(first.value.via, 'contents');
      // The raw host is now in its cool-down: the next read goes straight to the API.
      const second = await readFileAtCommit(slow, 'octo', 'leaf', sha('l-2'), 'other/action.yml');
      assert.ok(second.ok);
      assert.equal(gh.rawCount(), 1, 'the hanging raw host was asked once');
      assert.equal(apiRequests('/contents/'), 2);
    });

    test('paths that could leave the repository and refs that are not full SHAs are refused before any request', async () => {
      const data = make({ token: TOKEN });
      for (const path of ['../x', 'a/../../b', '/etc/passwd', 'a\\b', '..\\x', 'a//b', './action.yml', '', 'a\u0000b', 'x\n']) {
        const read = await readFileAtCommit(data, 'octo', 'composite', sha('c-2'), path);
        assert.equal(!read.ok && read.error.kind, 'invalid', JSON.stringify(path));
        assert.notEqual(repoPathProblem(path), null);
      }
      for (const commit of ['v1', sha('c-2').slice(0, 12), `${sha('c-2')}0`, 'main']) {
        const read = await readFileAtCommit(data, 'octo', 'composite', commit, 'action.yml');
        assert.equal(!read.ok && read.error.kind, 'invalid', commit);
      }
      assert.equal((await readFileAtCommit(data, 'evil/../x', 'composite', sha('c-2'), 'action.yml')).ok, false);
      assert.equal(gh.requests.length, 0);
      assert.equal(repoPathProblem('.github/workflows/ci.yml'), null);
    });

    test('files over 1 MiB are refused', async () => {
      gh.setFile('octo/leaf', 'l-1', 'big.yml', 'x'.repeat(1024 * 1024 + 1));
      const read = await readFileAtCommit(make(), 'octo', 'leaf', sha('l-1'), 'big.yml');
      assert.equal(!read.ok && read.error.kind, 'too-large');
    });

    test('on GitHub Enterprise Server the file comes from <server>/<owner>/<repo>/raw/<sha>/<path>', async () => {
      const resolver = new GitHubResolver({ serverUrl: gh.serverUrl, apiUrl: gh.apiUrl, token: TOKEN, timeoutMs: 1500 });
      assert.equal(resolver.http!.raw, null, 'no raw host for a server other than github.com');
      const read = await readFileAtCommit(new RepoData(resolver), 'octo', 'leaf', sha('l-2'), 'sub/action.yml');
      assert.ok(read.ok);
      assert.deepEqual(
        gh.requests.map((r) => r.path),
        [`/octo/leaf/raw/${sha('l-2')}/sub/action.yml`],
      );
    });

    test('a redirect from the API to the raw host does not carry the token there', async () => {
      const client = HttpClient.create({ serverUrl: gh.serverUrl, apiUrl: gh.apiUrl, rawUrl: gh.rawUrl, token: TOKEN });
      assert.ok(client.ok);
      gh.redirects.set('/api/hop', `${gh.rawUrl}/octo/leaf/${sha('l-2')}/action.yaml`);
      const response = await client.value.request('api', '/hop', { auth: 'bearer' });
      gh.redirects.clear();
      assert.ok(response.ok);
      assert.equal(gh.requests.length, 2);
      assert.equal(gh.requests[0].authorization, `Bearer ${TOKEN}`, 'the API host gets the token');
      assert.equal(gh.requests[1].listener, 'raw');
      assert.equal(gh.requests[1].authorization, undefined, 'the raw host never does');
    });

    test('github.com gets raw.githubusercontent.com as its raw host; other servers none', () => {
      const publicClient = HttpClient.create({ serverUrl: 'https://github.com', apiUrl: 'https://api.github.com' });
      assert.ok(publicClient.ok);
      assert.equal(publicClient.value.raw?.origin, 'https://raw.githubusercontent.com');
      const enterprise = HttpClient.create({ serverUrl: 'https://ghes.example.com', apiUrl: 'https://ghes.example.com/api/v3' });
      assert.ok(enterprise.ok);
      assert.equal(enterprise.value.raw, null);
    });

    test('offline: nothing is read', async () => {
      const read = await readFileAtCommit(make({ offline: true }), 'octo', 'leaf', sha('l-2'), 'action.yaml');
      assert.equal(!read.ok && read.error.kind, 'offline');
      assert.equal(gh.requests.length, 0);
    });
  });

  describe('repository ids', () => {
    test('ids, name, default branch; cached for the TTL; a changed id is seen after it', async () => {
      let now = 5_000_000;
      const dir = tempDir();
      const data = make({ cacheDir: dir, now: () => now, idsTtlMs: 60_000 });
      const ids = await repositoryIds(data, 'Octo', 'Composite');
      assert.deepEqual(ids, {
        ok: true,
        value: { repoId: 1001, ownerId: 501, fullName: 'octo/composite', defaultBranch: 'main', archived: false, renamed: false },
      });
      assert.ok((await repositoryIds(make({ cacheDir: dir, now: () => now, idsTtlMs: 60_000 }), 'octo', 'composite')).ok);
      assert.equal(gh.requests.length, 1);
      gh.setIds('octo/composite', { repoId: 9999 });
      now += 61_000;
      const later = await repositoryIds(data, 'octo', 'composite');
      assert.equal(later.ok && later.value.repoId, 9999);
      gh.setIds('octo/composite', { repoId: 1001 });
    });

    test('a renamed repository is reported as renamed, with the ids behind the redirect', async () => {
      gh.repo('octo/old-name', { history: ['o-1'], branches: { main: 'o-1' }, ids: { repoId: 77, ownerId: 501 } });
      gh.renameRepo('octo/old-name', 'octo/new-name');
      const ids = await repositoryIds(make(), 'octo', 'old-name');
      assert.ok(ids.ok);
      assert.equal(ids.value.renamed, true);
      assert.equal(ids.value.fullName, 'octo/new-name');
      assert.equal(ids.value.repoId, 77);
    });
  });

  describe('ancestry', () => {
    test('ancestor, identical, not an ancestor, missing; cached for good between SHAs', async () => {
      const dir = tempDir();
      const data = make({ cacheDir: dir });
      assert.deepEqual(await isAncestor(data, 'octo', 'composite', sha('c-1'), sha('c-3')), { status: 'ancestor', identical: false });
      assert.deepEqual(await isAncestor(data, 'octo', 'composite', sha('c-3'), sha('c-1')), { status: 'not-ancestor' });
      assert.deepEqual(await isAncestor(data, 'octo', 'composite', sha('s-1'), sha('c-3')), { status: 'not-ancestor' });
      assert.deepEqual(await isAncestor(data, 'octo', 'composite', sha('c-2'), sha('c-2')), { status: 'ancestor', identical: true });
      assert.equal((await isAncestor(data, 'octo', 'composite', sha('nowhere'), sha('c-3'))).status, 'missing');
      assert.equal(apiRequests('/compare/'), 4, 'identical SHAs need no request');
      gh.reset();
      const warm = make({ cacheDir: dir });
      assert.deepEqual(await isAncestor(warm, 'octo', 'composite', sha('c-1'), sha('c-3')), { status: 'ancestor', identical: false });
      assert.equal(gh.requests.length, 0);
      // A ref as the descendant is resolved first (ls-refs), then compared.
      assert.deepEqual(await isAncestor(warm, 'octo', 'composite', sha('c-1'), 'v1'), { status: 'ancestor', identical: false });
    });

    test('reachable from a branch (default first), unreachable for a fork commit, bounded, inconclusive on a rate limit', async () => {
      const data = make();
      assert.deepEqual(await reachableFromBranches(data, 'octo', 'composite', sha('c-1')), { status: 'reachable', branch: 'main' });
      assert.deepEqual(await reachableFromBranches(data, 'octo', 'composite', sha('s-1')), { status: 'reachable', branch: 'side' });
      assert.equal(apiRequests('/compare/'), 1, 'a branch tip needs no comparison; main was compared first');
      assert.deepEqual(await reachableFromBranches(data, 'octo', 'composite', sha('f-1')), { status: 'unreachable', checked: 2 });
      const bounded = await reachableFromBranches(make({ maxBranches: 1 }), 'octo', 'composite', sha('f-1'));
      assert.equal(bounded.status, 'inconclusive');
      gh.setBehaviour('octo/composite', 'ok', 'rate-limit-429');
      try {
        const limited = await reachableFromBranches(make(), 'octo', 'composite', sha('c-1'));
        assert.equal(limited.status, 'inconclusive');
        assert.match(limited.status === 'inconclusive' ? limited.reason : '', /rate limit/);
      } finally {
        gh.setBehaviour('octo/composite', 'ok');
      }
    });
  });

  describe('computing lock entries', () => {
    test('a composite action at an annotated tag: peeled commit, ids, direct remote uses as pin keys', async () => {
      const entry = await computeLockEntry(make(), 'Octo', 'Composite', 'v1');
      assert.deepEqual(entry, {
        ok: true,
        value: {
          key: 'octo/composite@v1',
          owner: 'octo',
          repo: 'composite',
          ref: 'v1',
          commit: `sha1-${sha('c-2')}`,
          ownerId: 501,
          repoId: 1001,
          uses: ['actions/checkout@v4', 'octo/leaf@v2'],
        },
      });
      assert.notEqual(sha('c-2'), gh.tagObject('octo/composite', 'v1'));
    });

    test('action.yaml when there is no action.yml; a Docker action has no uses; a sub-path action reads its folder', async () => {
      const data = make();
      const docker = await computeLockEntry(data, 'octo', 'leaf', 'v2');
      assert.ok(docker.ok);
      assert.equal(docker.value.uses, undefined);
      assert.equal(gh.rawCount('/action.yml'), 1);
      assert.equal(gh.rawCount('/action.yaml'), 1);
      const sub = await computeLockEntry(data, 'octo', 'leaf', 'v2', 'sub');
      assert.ok(sub.ok);
      assert.deepEqual(sub.value.uses, ['octo/cycle-a@v1']);
      assert.equal(sub.value.key, 'octo/leaf@v2');
    });

    test('a reusable workflow: its jobs’ uses and its steps’ uses', async () => {
      const entry = await computeLockEntry(make(), 'octo', 'workflows', 'v3', '.github/workflows/build.yml');
      assert.ok(entry.ok);
      assert.deepEqual(entry.value.uses, ['octo/composite@v1', 'actions/checkout@v4']);
    });

    test('a full SHA is locked with the tag that names it; a fork commit is refused; a renamed repository is refused', async () => {
      const data = make();
      const pinned = await computeLockEntry(data, 'octo', 'composite', sha('c-2'));
      assert.ok(pinned.ok);
      assert.equal(pinned.value.key, `octo/composite@${sha('c-2')}`);
      assert.equal(pinned.value.ref, 'v1.0.0', 'the most precise version tag');
      const onBranch = await computeLockEntry(data, 'octo', 'composite', sha('c-1'));
      assert.equal(onBranch.ok, false, 'c-1 has no action.yml, but it was found on a branch first');
      assert.match(!onBranch.ok ? onBranch.error.message : '', /no action\.yml or action\.yaml/);
      const fork = await computeLockEntry(data, 'octo', 'composite', sha('f-1'));
      assert.equal(fork.ok, false);
      assert.match(!fork.ok ? fork.error.message : '', /not on any branch or tag/);
      gh.repo('octo/was', { history: ['r-1'], branches: { main: 'r-1' }, tags: { v1: { commit: 'r-1' } } });
      gh.renameRepo('octo/was', 'octo/is');
      const renamed = await computeLockEntry(data, 'octo', 'was', 'v1');
      assert.equal(renamed.ok, false);
      assert.match(!renamed.ok ? renamed.error.message : '', /is now octo\/is/);
    });

    test('pin keys and the uses found in metadata', () => {
      assert.equal(pinKeyOfUses('Actions/Cache/save@V4'), 'actions/cache@V4');
      assert.equal(pinKeyOfUses('./local'), null);
      assert.equal(pinKeyOfUses('$/.github/actions/x'), null);
      assert.equal(pinKeyOfUses('docker://alpine'), null);
      assert.equal(pinKeyOfUses('octo/x@${{ inputs.v }}'), null);
      assert.equal(pinKeyOfUses('octo/x'), null);
      assert.deepEqual(remoteUsesIn('runs:\n  using: node20\n', 'action'), []);
      assert.deepEqual(remoteUsesIn(': : not yaml [', 'action'), []);
      assert.deepEqual(remoteUsesIn('runs:\n  using: Composite\n  steps: [{uses: a/b@v1}, 3, {uses: [x]}]\n', 'action'), ['a/b@v1']);
    });

    test('the closure: transitive, cycle-safe, sub-paths of one key merged, each file read once', async () => {
      const data = make();
      const closure = await computeClosure(data, ['octo/composite@v1', 'actions/checkout@v4', './local', 'octo/composite@v1']);
      assert.deepEqual(closure.problems, []);
      assert.deepEqual(closure.keys, ['octo/composite@v1', 'actions/checkout@v4', 'octo/leaf@v2', 'octo/cycle-a@v1', 'octo/cycle-b@v1']);
      assert.deepEqual(closure.entries['octo/leaf@v2'].uses, ['octo/cycle-a@v1', 'actions/checkout@v4'], 'sub and other, merged');
      assert.deepEqual(closure.entries['octo/cycle-b@v1'].uses, ['octo/cycle-a@v1']);
      const raw = gh.requests.filter((r) => r.listener === 'raw').map((r) => r.path);
      assert.equal(new Set(raw).size, raw.length, `each file once: ${raw.join(', ')}`);
      assert.equal(gh.count('.git/git-upload-pack'), 5, 'one ref listing per repository');
      assert.equal(apiRequests('/repos/'), 5, 'one id lookup per repository');
    });

    test('the closure stops after 5 levels and says where', async () => {
      const closure = await computeClosure(make(), ['octo/deep1@v1']);
      assert.deepEqual(Object.keys(closure.entries), ['octo/deep1@v1', 'octo/deep2@v1', 'octo/deep3@v1', 'octo/deep4@v1', 'octo/deep5@v1']);
      assert.equal(closure.problems.length, 1);
      assert.equal(closure.problems[0].key, 'octo/deep6@v1');
      assert.match(closure.problems[0].error.message, /deeper than 5 levels/);
    });
  });

  describe('verifying lock entries', () => {
    const entry = (overrides: Partial<LockedEntry> = {}): LockedEntry => ({
      key: 'octo/composite@v1',
      owner: 'octo',
      repo: 'composite',
      ref: 'v1',
      commit: `sha1-${sha('c-2')}`,
      ownerId: 501,
      repoId: 1001,
      ...overrides,
    });

    test('ok, moved (descendant), moved (re-pointed), unreachable, and the request count', async () => {
      const [same] = await verifyLockEntries(make(), [entry()]);
      assert.equal(same.status, 'ok');
      gh.reset();
      const results = await verifyLockEntries(make(), [
        entry({ key: 'octo/composite@main', ref: 'main' }),
        entry({ key: 'octo/composite@side', ref: 'side', commit: `sha1-${sha('c-2')}` }),
        entry({ key: 'octo/composite@v1.0.0', ref: 'v1.0.0', commit: `sha1-${sha('f-1')}` }),
        entry({ key: 'octo/composite@gone', ref: 'gone', commit: `sha1-${sha('c-1')}` }),
      ]);
      const [moved, repointed, unreachable, gone] = results;
      assert.equal(moved.status, 'moved');
      assert.ok(moved.status === 'moved' && moved.descendant && moved.current === sha('c-3'));
      assert.match(moved.message, /ref moved; re-lock to update/);
      assert.equal(repointed.status, 'moved');
      assert.ok(repointed.status === 'moved' && !repointed.descendant);
      assert.match(repointed.message, /does not contain the locked commit .* still on branch main/);
      assert.equal(unreachable.status, 'unreachable');
      assert.match(
        unreachable.message,
        /^the pin is unreachable: .*history was rewritten, the entry was tampered with, or it is an impostor commit$/,
      );
      assert.equal(gone.status, 'moved');
      assert.ok(gone.status === 'moved' && gone.current === null);
      assert.equal(gh.count('.git/git-upload-pack'), 1, 'one ref listing');
      assert.equal(apiRequests('/repos/octo/composite'), apiRequests('/compare/') + 1, 'one id lookup, the rest comparisons');
    });

    test('a SHA key: ok while its ref or a branch contains it, unreachable otherwise', async () => {
      const [onTag, fork] = await verifyLockEntries(make(), [
        entry({ key: `octo/composite@${sha('c-2')}`, ref: 'v1' }),
        entry({ key: `octo/composite@${sha('f-1')}`, ref: 'v1', commit: `sha1-${sha('f-1')}` }),
      ]);
      assert.equal(onTag.status, 'ok');
      assert.equal(fork.status, 'unreachable');
    });

    test('identity mismatches: another repository id, another owner id, renamed, gone', async () => {
      gh.repo('octo/moved-away', {
        history: ['m-1'],
        branches: { main: 'm-1' },
        tags: { v1: { commit: 'm-1' } },
        ids: { repoId: 5, ownerId: 501 },
      });
      gh.renameRepo('octo/moved-away', 'octo/moved-here');
      const results = await verifyLockEntries(make(), [
        entry({ repoId: 1000 }),
        entry({ ownerId: 500 }),
        entry({ key: 'octo/moved-away@v1', repo: 'moved-away', repoId: 5, commit: `sha1-${sha('m-1')}` }),
        entry({ key: 'octo/deleted@v1', repo: 'deleted' }),
      ]);
      assert.deepEqual(
        results.map((r) => (r.status === 'identity-mismatch' ? r.reason : r.status)),
        ['repo-id', 'owner-id', 'renamed', 'missing'],
      );
      assert.match(results[0].message, /repository id is 1001, not 1000 .*repo-jacking/);
      assert.match(results[2].message, /renamed to octo\/moved-here/);
    });

    test('rate limits, a host that does not answer and unsupported digests are inconclusive, never ok', async () => {
      gh.setBehaviour('octo/composite', 'ok', 'rate-limit-403');
      try {
        const [limited] = await verifyLockEntries(make(), [entry()]);
        assert.equal(limited.status, 'inconclusive');
        assert.match(limited.message, /rate limit/);
      } finally {
        gh.setBehaviour('octo/composite', 'ok');
      }
      // Ids answer, the comparison is rate-limited.
      const data = make();
      assert.ok((await repositoryIds(data, 'octo', 'composite')).ok);
      gh.setBehaviour('octo/composite', 'ok', 'rate-limit-429');
      try {
        const [moved] = await verifyLockEntries(data, [entry({ key: 'octo/composite@main', ref: 'main' })]);
        assert.equal(moved.status, 'inconclusive');
      } finally {
        gh.setBehaviour('octo/composite', 'ok');
      }
      gh.hostBehaviour = 'hang';
      const [down] = await verifyLockEntries(make({ timeoutMs: 300 }), [entry()]);
      gh.hostBehaviour = null;
      assert.equal(down.status, 'inconclusive');
      const [digest] = await verifyLockEntries(make(), [entry({ commit: `sha256-${'a'.repeat(64)}` })]);
      assert.equal(digest.status, 'inconclusive');
      const [offline] = await verifyLockEntries(make({ offline: true }), [entry()]);
      assert.equal(offline.status, 'inconclusive');
    });
  });
});
