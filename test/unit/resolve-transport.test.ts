import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { lsRefsRequestBody, parseLsRefs } from '../../server/src/resolve/git-transport';
import { checkBaseUrl } from '../../server/src/resolve/http';
import { dataLines, decodePackets, encodeLine } from '../../server/src/resolve/pkt-line';
import { GitHubResolver, type ResolverOptions } from '../../server/src/resolve/resolver';
import { sha, standardFakeGitHub, type FakeGitHub } from '../support/fake-github';

const TOKEN = 'ghp_SECRETtoken1234567890';

describe('pkt-line codec', () => {
  test('encodes lengths including the header and decodes flush/delim', () => {
    assert.equal(encodeLine('command=ls-refs\n'), '0014command=ls-refs\n');
    const packets = decodePackets(new TextEncoder().encode('0009peel\n00010000'));
    assert.deepEqual(
      packets.map((p) => p.type),
      ['data', 'delim', 'flush'],
    );
    assert.deepEqual(dataLines(packets), ['peel']);
  });
  test('rejects malformed and truncated input', () => {
    assert.throws(() => decodePackets(new TextEncoder().encode('00zzabc')));
    assert.throws(() => decodePackets(new TextEncoder().encode('0010abc')));
    assert.throws(() => decodePackets(new TextEncoder().encode('000')));
  });
  test('the ls-refs request asks for peeled tags, branches and HEAD', () => {
    const body = lsRefsRequestBody();
    assert.match(body, /^0014command=ls-refs\n/);
    for (const part of ['0009peel\n', 'ref-prefix refs/tags/\n', 'ref-prefix refs/heads/\n', 'symrefs\n'])
      assert.ok(body.includes(part), part);
    assert.ok(body.endsWith('0000'));
  });
  test('parses annotated tags to their peeled commit', () => {
    const a = 'a'.repeat(40);
    const b = 'b'.repeat(40);
    const text =
      encodeLine(`${a} HEAD symref-target:refs/heads/main\n`) +
      encodeLine(`${a} refs/heads/main\n`) +
      encodeLine(`${b} refs/tags/v1 peeled:${a}\n`) +
      '0000';
    const refs = parseLsRefs('O/R', new TextEncoder().encode(text), 1);
    assert.equal(refs.defaultBranch, 'main');
    assert.deepEqual(refs.tags, [{ name: 'v1', kind: 'tag', commit: a, tagObject: b }]);
    assert.throws(() => parseLsRefs('o/r', new TextEncoder().encode(encodeLine('nonsense refs/tags/x\n') + '0000'), 1));
  });
});

describe('base URLs', () => {
  test('https anywhere, http only on loopback, no credentials', () => {
    assert.ok(checkBaseUrl('https://ghes.example.com/api/v3', 'x').ok);
    assert.ok(checkBaseUrl('http://127.0.0.1:8080', 'x').ok);
    assert.ok(checkBaseUrl('http://localhost:8080', 'x').ok);
    const plain = checkBaseUrl('http://github.example.com', 'x');
    assert.equal(plain.ok, false);
    assert.equal(!plain.ok && plain.error.kind, 'host-not-allowed');
    assert.equal(checkBaseUrl('https://user:pw@github.com', 'x').ok, false);
    assert.equal(checkBaseUrl('ftp://github.com', 'x').ok, false);
  });
});

describe('resolver against the fake GitHub', () => {
  let gh: FakeGitHub;
  let logs: string[];
  let fetched: string[];
  const dirs: string[] = [];
  const recordingFetch: typeof fetch = (input, init) => {
    fetched.push(String(input instanceof Request ? input.url : input));
    return fetch(input, init);
  };
  const make = (options: ResolverOptions = {}) =>
    new GitHubResolver({
      serverUrl: gh.serverUrl,
      apiUrl: gh.apiUrl,
      timeoutMs: 1500,
      log: (m) => logs.push(m),
      fetch: recordingFetch,
      ...options,
    });
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-cache-'));
    dirs.push(dir);
    return dir;
  };

  before(async () => {
    gh = await standardFakeGitHub().start();
  });
  after(async () => {
    await gh.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    gh.reset();
    logs = [];
    fetched = [];
    gh.setBehaviour('actions/checkout', 'ok');
  });

  test('lists refs with one ls-refs request; annotated tags and tags of tags are peeled to commits', async () => {
    const resolver = make();
    const refs = await resolver.listRefs('actions', 'checkout');
    assert.ok(refs.ok);
    const v422 = refs.value.tags.find((t) => t.name === 'v4.2.2')!;
    assert.equal(v422.commit, sha('co-4'));
    assert.equal(v422.tagObject, gh.tagObject('actions/checkout', 'v4.2.2'));
    assert.equal(refs.value.defaultBranch, 'main');
    assert.equal(gh.count(), 1);
    assert.equal(gh.requests[0].gitProtocol, 'version=2');
    const node = await resolver.resolveRef('actions', 'setup-node', 'v4');
    assert.ok(node.ok);
    assert.equal(node.value.commit, sha('sn-2'), 'tag → tag → tag → commit');
  });

  test('concurrent lookups of one repository coalesce into one request', async () => {
    const resolver = make();
    const results = await Promise.all([
      resolver.resolveRef('actions', 'checkout', 'v4'),
      resolver.resolveRef('actions', 'checkout', 'v5'),
      resolver.listRefs('Actions', 'Checkout'),
      resolver.resolveRef('actions', 'checkout', 'main'),
    ]);
    assert.ok(results.every((r) => r.ok));
    assert.equal(gh.count('/actions/checkout.git/git-upload-pack'), 1);
    assert.equal(gh.count(), 1);
  });

  test('a warm disk cache makes no request; a moved tag is seen after the TTL', async () => {
    const dir = tempDir();
    let now = 1_000_000;
    const first = make({ cacheDir: dir, now: () => now, ttlMs: 60_000 });
    assert.ok((await first.resolveRef('actions', 'checkout', 'v4')).ok);
    assert.equal(gh.count(), 1);
    assert.ok(readdirSync(dir).length > 0);
    gh.reset();
    const second = make({ cacheDir: dir, now: () => now, ttlMs: 60_000 });
    const warm = await second.resolveRef('actions', 'checkout', 'v4');
    assert.ok(warm.ok);
    assert.equal(warm.value.commit, sha('co-4'));
    assert.equal(gh.count(), 0, 'warm cache: zero requests');
    gh.moveTag('actions/checkout', 'v4', 'co-5');
    now += 61_000;
    const third = make({ cacheDir: dir, now: () => now, ttlMs: 60_000 });
    const moved = await third.resolveRef('actions', 'checkout', 'v4');
    assert.ok(moved.ok);
    assert.equal(moved.value.commit, sha('co-5'));
    gh.moveTag('actions/checkout', 'v4', 'co-4');
  });

  test('the token goes to the configured hosts only (basic for git, bearer for REST) and never into logs or cache files', async () => {
    const dir = tempDir();
    const resolver = make({ token: TOKEN, cacheDir: dir });
    await resolver.listRefs('actions', 'checkout');
    await resolver.resolveRef('actions', 'checkout', 'abcdef1');
    await resolver.commitMembership('actions', 'checkout', sha('co-evil'));
    const git = gh.requests.find((r) => r.path.endsWith('git-upload-pack'))!;
    assert.equal(git.authorization, `Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`);
    const rest = gh.requests.filter((r) => r.path.startsWith('/api/'));
    assert.ok(rest.length > 0);
    assert.ok(rest.every((r) => r.authorization === `Bearer ${TOKEN}`));
    assert.ok(logs.length > 0);
    for (const line of logs)
      assert.ok(!line.includes(TOKEN) && !line.includes(Buffer.from(`x-access-token:${TOKEN}`).toString('base64')), line);
    for (const file of readdirSync(dir)) assert.ok(!readFileSync(join(dir, file), 'utf8').includes(TOKEN));
    assert.ok(
      fetched.every((url) => url.startsWith(gh.serverUrl)),
      'no other host contacted',
    );
  });

  test('without a token no Authorization header is sent', async () => {
    await make().listRefs('actions', 'checkout');
    assert.equal(gh.requests[0].authorization, undefined);
  });

  test('a redirect to another host is refused and nothing is sent there', async () => {
    const resolver = make({
      token: TOKEN,
      fetch: async (input) => {
        fetched.push(String(input));
        return new Response(null, { status: 301, headers: { location: 'https://evil.example/steal' } });
      },
    });
    const result = await resolver.listRefs('actions', 'checkout');
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.kind, 'host-not-allowed');
    assert.deepEqual(
      fetched.map((u) => new URL(u).origin),
      [gh.serverUrl],
    );
  });

  test('a non-loopback http:// server is refused before any request', async () => {
    const resolver = make({ serverUrl: 'http://github.example.com' });
    const result = await resolver.listRefs('actions', 'checkout');
    assert.equal(!result.ok && result.error.kind, 'host-not-allowed');
    assert.equal(fetched.length, 0);
  });

  test('offline mode makes no request at all', async () => {
    const resolver = make({ offline: true });
    const result = await resolver.resolveRef('actions', 'checkout', 'v4');
    assert.equal(!result.ok && result.error.kind, 'offline');
    assert.equal((await resolver.commitMembership('actions', 'checkout', sha('co-1'))).status, 'unknown');
    assert.equal(fetched.length, 0);
    assert.equal(gh.count(), 0);
  });

  for (const [behaviour, kind] of [
    ['rate-limit-403', 'rate-limited'],
    ['rate-limit-429', 'rate-limited'],
    ['error-500', 'http'],
    ['slow', 'timeout'],
    ['malformed', 'malformed'],
    ['not-found', 'not-found'],
  ] as const) {
    test(`${behaviour} → ${kind}, cached briefly, never a commit`, async () => {
      gh.setBehaviour('actions/checkout', behaviour);
      const resolver = make();
      const result = await resolver.resolveRef('actions', 'checkout', 'v4');
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.error.kind, kind);
      const requests = gh.count();
      const again = await resolver.resolveRef('actions', 'checkout', 'v4');
      assert.equal(again.ok, false);
      assert.equal(gh.count(), requests, 'negative cache: no second request');
      if (kind === 'rate-limited') {
        assert.ok(!result.ok && result.error.retryAt! > Date.now() + 20_000, 'honours the reset time');
        assert.match(!result.ok ? result.error.message : '', /rate limit.*backing off until/);
        assert.ok(
          logs.some((line) => /rate limit/.test(line)),
          'says so in the log',
        );
      }
    });
  }

  test('git upload-pack refused → the REST API lists and peels the tags', async () => {
    gh.setBehaviour('actions/checkout', 'no-upload-pack', 'ok');
    const resolver = make();
    const refs = await resolver.listRefs('actions', 'checkout');
    assert.ok(refs.ok);
    assert.equal(refs.value.tags.find((t) => t.name === 'v4.2.2')!.commit, sha('co-4'));
    assert.ok(gh.count('/git/tags/') >= 1, 'peeled through git/tags');
    const node = await make().listRefs('actions', 'setup-node');
    assert.ok(node.ok);
  });

  test('REST tag-of-tag peeling loop', async () => {
    gh.setBehaviour('actions/setup-node', 'no-upload-pack', 'ok');
    const refs = await make().listRefs('actions', 'setup-node');
    assert.ok(refs.ok);
    assert.equal(refs.value.tags.find((t) => t.name === 'v4')!.commit, sha('sn-2'));
    gh.setBehaviour('actions/setup-node', 'ok');
  });

  test('abbreviated SHAs are expanded with the sha media type', async () => {
    const resolver = make();
    const full = await resolver.resolveRef('actions', 'checkout', sha('co-2').slice(0, 8));
    assert.ok(full.ok);
    assert.equal(full.value.commit, sha('co-2'));
    assert.equal(gh.count('/api/repos/actions/checkout/commits/'), 1);
  });

  test('commit membership: tips need no comparison, ancestors are reachable, fork commits are impostors', async () => {
    const resolver = make();
    assert.deepEqual(await resolver.commitMembership('actions', 'checkout', sha('co-4')), {
      status: 'reachable',
      via: 'branch releases/v4',
    });
    assert.equal(gh.count('/compare/'), 0);
    const old = await resolver.commitMembership('actions', 'checkout', sha('co-1'));
    assert.equal(old.status, 'reachable');
    const evil = await resolver.commitMembership('actions', 'checkout', sha('co-evil'));
    assert.equal(evil.status, 'impostor');
    const missing = await resolver.commitMembership('actions', 'checkout', sha('nowhere'));
    assert.equal(missing.status, 'missing');
    const before = gh.count();
    await resolver.commitMembership('actions', 'checkout', sha('co-evil'));
    assert.equal(gh.count(), before, 'memoised');
  });

  test('a failed comparison proves nothing', async () => {
    gh.setBehaviour('actions/checkout', 'ok', 'error-500');
    const membership = await make().commitMembership('actions', 'checkout', sha('co-evil'));
    assert.equal(membership.status, 'unknown');
  });

  test('a comparison budget too small to check every ref proves nothing', async () => {
    const membership = await make({ maxComparisons: 1 }).commitMembership('actions', 'checkout', sha('co-evil'));
    assert.equal(membership.status, 'unknown');
  });

  test('invalid repository names are refused without a request', async () => {
    const result = await make().listRefs('../etc', 'passwd');
    assert.equal(!result.ok && result.error.kind, 'invalid');
    assert.equal(fetched.length, 0);
  });
});
