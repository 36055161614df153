import { chooseCliHosts } from '../../server/src/cli/hosts';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { DEFAULT_SETTINGS } from '../../shared/src/settings';
import { parseArgs } from '../../server/src/cli/args';
import { discover } from '../../server/src/cli/discover';
import { cliOnlineSnapshot } from '../../server/src/cli/online';
import { hashDownload } from '../../server/src/resolve/download';
import { OnlineController } from '../../server/src/features/online';
import { parseFile } from '../../server/src/parse/document';
import { parseLsRefs } from '../../server/src/resolve/git-transport';
import type { HostStatusEvent } from '../../server/src/resolve/http';
import { encodeLine } from '../../server/src/resolve/pkt-line';
import { ConflictingRefError } from '../../server/src/resolve/ref-listing';
import { GitHubResolver, type ResolverOptions } from '../../server/src/resolve/resolver';
import { sha, standardFakeGitHub, type FakeGitHub } from '../support/fake-github';

const MiB = 1024 * 1024;

/** Waits (at most 3 s, polling) until the server side has seen what the client did: a loaded machine delays it. */
async function until(condition: () => boolean): Promise<void> {
  for (const started = Date.now(); !condition() && Date.now() - started < 3000; ) await new Promise((resolve) => setTimeout(resolve, 10));
}
const listing = (...lines: string[]) => new TextEncoder().encode(lines.map((line) => encodeLine(`${line}\n`)).join('') + '0000');

/** Samples `arrayBuffers` (where response bytes live) while `work` runs; returns the peak growth. */
async function peakBufferGrowth<T>(work: () => Promise<T>): Promise<{ value: T; growth: number }> {
  const start = process.memoryUsage().arrayBuffers;
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 2);
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage().arrayBuffers);
    return { value, growth: peak - start };
  } finally {
    clearInterval(timer);
  }
}

describe('response size limits and body deadlines', () => {
  let gh: FakeGitHub;
  let logs: string[];
  const make = (options: ResolverOptions = {}) =>
    new GitHubResolver({
      serverUrl: gh.serverUrl,
      apiUrl: gh.apiUrl,
      timeoutMs: 5000,
      maxBodyBytes: 1 * MiB,
      log: (m) => logs.push(m),
      ...options,
    });

  before(async () => {
    gh = await standardFakeGitHub().start();
  });
  after(() => gh.stop());
  beforeEach(() => {
    gh.reset();
    logs = [];
    gh.floods.length = 0;
    gh.closedByClient = 0;
    gh.setBehaviour('actions/checkout', 'ok');
  });

  test('a chunked ls-refs answer without Content-Length is aborted at the limit while streaming: bounded memory, "too large", no pin', async () => {
    gh.setBehaviour('actions/checkout', 'flood');
    const started = Date.now();
    const { value: result, growth } = await peakBufferGrowth(() => make().resolveRef('actions', 'checkout', 'v4'));
    assert.equal(result.ok, false, 'no pin');
    // The client stopped reading and closed the connection long before the 128 MiB the server had to send.
    await until(() => gh.floods.length === 1 && gh.floods[0].closedEarly);
    assert.equal(gh.floods.length, 1);
    assert.ok(gh.floods[0].closedEarly, 'the client closed the connection');
    assert.ok(gh.floods[0].written < 24 * MiB, `server wrote ${gh.floods[0].written} bytes before the client hung up`);
    assert.ok(growth < 48 * MiB, `buffers grew by ${growth} bytes`);
    assert.equal(!result.ok && result.error.kind, 'too-large');
    assert.match(!result.ok ? result.error.message : '', /too large.*aborted/);
    assert.ok(Date.now() - started < 4000, 'well before the timeout');
    assert.equal(gh.count('/api/'), 0, 'an oversized answer is not retried through the REST API');
    assert.ok(
      logs.some((line) => /too large/.test(line)),
      'said in the log',
    );
  });

  test('the REST API is limited the same way', async () => {
    gh.setBehaviour('actions/checkout', 'ok', 'flood');
    const result = await make().resolveRef('actions', 'checkout', sha('co-2').slice(0, 8));
    await until(() => gh.floods.length >= 1 && gh.floods[0].closedEarly);
    assert.ok(gh.floods[0].closedEarly && gh.floods[0].written < 24 * MiB, `server wrote ${gh.floods[0].written} bytes`);
    assert.equal(!result.ok && result.error.kind, 'too-large');
  });

  test('a Content-Length over the limit is refused before reading the body', async () => {
    gh.setBehaviour('actions/checkout', 'huge-length');
    gh.hugeLength = 8 * MiB;
    const started = Date.now();
    const result = await make({ timeoutMs: 3000 }).listRefs('actions', 'checkout');
    assert.equal(!result.ok && result.error.kind, 'too-large');
    assert.match(!result.ok ? result.error.message : '', /8388608 bytes announced/);
    assert.ok(Date.now() - started < 1500, 'refused on the headers, not after waiting for the body');
    await until(() => gh.closedByClient >= 1);
    assert.ok(gh.closedByClient >= 1, 'the connection was closed');
  });

  test('a body that trickles forever is cut off by the request timeout', async () => {
    gh.setBehaviour('actions/checkout', 'trickle');
    const started = Date.now();
    const result = await make({ timeoutMs: 400 }).listRefs('actions', 'checkout');
    assert.equal(!result.ok && result.error.kind, 'timeout');
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
    await until(() => gh.closedByClient >= 1);
    assert.ok(gh.closedByClient >= 1, 'the connection was closed');
  });
});

describe('ls-refs listing one ref twice', () => {
  const a = 'a'.repeat(40);
  const b = 'b'.repeat(40);
  const c = 'c'.repeat(40);

  test('two commits, two peeled commits, annotated and not, two HEAD targets: refused', () => {
    for (const lines of [
      [`${a} refs/tags/v1`, `${b} refs/tags/v1`],
      [`${c} refs/tags/v1 peeled:${a}`, `${c} refs/tags/v1 peeled:${b}`],
      [`${c} refs/tags/v1 peeled:${a}`, `${c} refs/tags/v1`],
      [`${a} refs/heads/main`, `${b} refs/heads/main`],
      [`${a} HEAD symref-target:refs/heads/main`, `${a} HEAD symref-target:refs/heads/evil`],
    ]) {
      assert.throws(() => parseLsRefs('o/r', listing(...lines), 1), ConflictingRefError, lines.join(' | '));
    }
  });

  test('the same ref with the same commit twice is tolerated and listed once; a branch and a tag may share a name', () => {
    const refs = parseLsRefs('o/r', listing(`${c} refs/tags/v1 peeled:${a}`, `${c} refs/tags/v1 peeled:${a}`, `${b} refs/heads/v1`), 1);
    assert.deepEqual(refs.tags, [{ name: 'v1', kind: 'tag', commit: a, tagObject: c }]);
    assert.deepEqual(refs.branches, [{ name: 'v1', kind: 'branch', commit: b }]);
  });

  describe('through the resolver', () => {
    let gh: FakeGitHub;
    before(async () => {
      gh = await standardFakeGitHub()
        .repo('evil/dup', {
          history: ['d-1', 'd-2'],
          branches: { main: 'd-2' },
          tags: { v1: { commit: 'd-1' } },
          // A second line for v1, naming another commit: "first wins" would pin d-1, "last wins" d-2.
          extraLsRefsLines: [`${sha('d-2')} refs/tags/v1`],
        })
        .repo('evil/dup-peeled', {
          history: ['p-1', 'p-2'],
          branches: { main: 'p-2' },
          tags: { v1: { commit: 'p-1', annotated: true } },
          extraLsRefsLines: [`${sha('tag-object:evil/dup-peeled:v1')} refs/tags/v1 peeled:${sha('p-2')}`],
        })
        .repo('ok/dup-same', {
          history: ['s-1'],
          branches: { main: 's-1' },
          tags: { v1: { commit: 's-1' } },
          extraLsRefsLines: [`${sha('s-1')} refs/tags/v1`],
        })
        .repo('evil/dup-rest', {
          history: ['r-1', 'r-2'],
          branches: { main: 'r-2' },
          tags: { v1: { commit: 'r-1' } },
          behaviour: 'no-upload-pack',
          restBehaviour: 'ok',
          extraMatchingRefs: { tags: [{ ref: 'refs/tags/v1', object: { type: 'commit', sha: sha('r-2') } }] },
        })
        .start();
    });
    after(() => gh.stop());
    const make = () => new GitHubResolver({ serverUrl: gh.serverUrl, apiUrl: gh.apiUrl, timeoutMs: 3000 });

    test('a ref listed with two commits gives no pin and a clear reason, without falling back to REST', async () => {
      for (const repo of ['dup', 'dup-peeled']) {
        gh.reset();
        const result = await make().resolveRef('evil', repo, 'v1');
        assert.equal(result.ok, false, `${repo}: no pin`);
        assert.equal(!result.ok && result.error.kind, 'inconsistent');
        assert.match(
          !result.ok ? result.error.message : '',
          /contradictory ref listing.*"refs\/tags\/v1" is listed twice with different values.*no pin/,
        );
        assert.equal(gh.count('/api/'), 0, 'the REST API is not asked to settle it');
      }
    });

    test('the same line twice still resolves', async () => {
      const result = await make().resolveRef('ok', 'dup-same', 'v1');
      assert.ok(result.ok && result.value.commit === sha('s-1'));
    });

    test('the REST listing is held to the same rule', async () => {
      const result = await make().resolveRef('evil', 'dup-rest', 'v1');
      assert.equal(!result.ok && result.error.kind, 'inconsistent');
    });
  });
});

describe('a host that does not answer: circuit breaker', () => {
  let blackhole: TcpServer;
  let blackholeUrl: string;
  /** The request lines (`POST /octo/repo-3.git/git-upload-pack HTTP/1.1`) that reached the host. */
  const received = new Set<string>();
  const sockets = new Set<Socket>();
  before(async () => {
    // Accepts TCP connections, reads what is sent, and never sends a byte.
    blackhole = createTcpServer((socket) => {
      sockets.add(socket);
      let head = '';
      socket.on('data', (data) => {
        if (head.includes('\r\n')) return;
        head += data.toString('latin1');
        if (head.includes('\r\n')) received.add(head.slice(0, head.indexOf('\r\n')));
      });
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', resolve));
    blackholeUrl = `http://127.0.0.1:${(blackhole.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => blackhole.close(() => resolve()));
  });
  beforeEach(() => {
    received.clear();
  });

  const REPOS = Array.from({ length: 20 }, (_, index) => `repo-${index}`);

  test('20 repositories on a blackhole host cost about one timeout, one message, at most one wave of connections', async () => {
    const logs: string[] = [];
    const events: HostStatusEvent[] = [];
    const resolver = new GitHubResolver({
      serverUrl: blackholeUrl,
      apiUrl: `${blackholeUrl}/api`,
      timeoutMs: 500,
      log: (m) => logs.push(m),
      onHostStatus: (e) => events.push(e),
    });
    const started = Date.now();
    const results = await Promise.all(REPOS.map((repo) => resolver.resolveRef('octo', repo, 'v1')));
    const elapsed = Date.now() - started;
    assert.ok(
      results.every((result) => !result.ok),
      'no pin',
    );
    assert.ok(elapsed >= 480 && elapsed < 1500, `took ${elapsed} ms (20 timeouts in waves of 4 would take 2500)`);
    assert.ok(
      received.size <= 4,
      `${received.size} distinct requests reached the host (the concurrency limit is 4): ${[...received].join(', ')}`,
    );
    const kinds = results.map((result) => (!result.ok ? result.error.kind : 'ok'));
    assert.ok(kinds.filter((kind) => kind === 'host-down').length >= 16, kinds.join());
    assert.equal(logs.filter((line) => /not answering/.test(line)).length, 1, logs.join('\n'));
    assert.equal(logs.filter((line) => /timed out|did not answer/.test(line)).length, 0, 'no line per repository');
    assert.deepEqual(
      events.map((e) => e.state),
      ['down'],
    );
    assert.match(
      events[0].message,
      /^127\.0\.0\.1:\d+ is not answering \(no answer within 500 ms\): requests to it fail at once until .*, then one is tried again$/,
    );
  });

  test('the CLI says it once on stderr, plus one summary line', async () => {
    const root = mkdtempSync(join(tmpdir(), 'warden-blackhole-'));
    try {
      mkdirSync(join(root, '.github', 'workflows'), { recursive: true });
      const steps = REPOS.map((repo) => `      - uses: octo/${repo}@v1\n`).join('');
      writeFileSync(join(root, '.github', 'workflows', 'ci.yml'), `on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n${steps}`);
      const parsed = parseArgs(['--github-server-url', blackholeUrl, '--github-api-url', `${blackholeUrl}/api`, root]);
      assert.ok(parsed.ok);
      const { targets } = discover([root], root);
      const notes: string[] = [];
      const started = Date.now();
      const snapshot = await cliOnlineSnapshot(
        chooseCliHosts(parsed.options, {}, null, () => {}),
        { XDG_CACHE_HOME: join(root, 'cache') },
        targets,
        (m) => notes.push(m),
        { timeoutMs: 300 },
      );
      const elapsed = Date.now() - started;
      assert.ok(elapsed < 1500, `took ${elapsed} ms (about one 300 ms timeout, not five waves of them)`);
      assert.equal(snapshot!.repos.size, 20);
      assert.ok([...snapshot!.repos.values()].every((result) => !result.ok));
      const outage = notes.filter((note) => /is not answering \(/.test(note));
      assert.equal(outage.length, 1, notes.join('\n'));
      assert.match(outage[0], /^127\.0\.0\.1:\d+ is not answering \(no answer within 300 ms\): requests to it fail at once until /);
      const summaries = notes.filter((note) => /^could not resolve/.test(note));
      assert.equal(summaries.length, 1, notes.join('\n'));
      assert.match(
        summaries[0],
        /^could not resolve 20 repositories \(.*; 1\d not asked because the host was not answering\); no pin or online check for them$/,
      );
      assert.equal(notes.length, 3, `the outage, the summary and the advisory note, nothing per repository:\n${notes.join('\n')}`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('the language server says it once in its log and in the online status', async () => {
    const logs: string[] = [];
    const statuses: { online: boolean; message?: string }[] = [];
    const controller = new OnlineController({ log: (m) => logs.push(m), notify: () => undefined, status: (s) => statuses.push(s) }, null, {
      timeoutMs: 300,
    });
    controller.configure({ ...DEFAULT_SETTINGS, github: { serverUrl: blackholeUrl, apiUrl: `${blackholeUrl}/api`, token: '' } });
    const steps = REPOS.map((repo) => `      - uses: octo/${repo}@v1\n`).join('');
    const file = parseFile('/w/.github/workflows/ci.yml', 'workflow', `on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n${steps}`);
    const snapshot = await controller.collect([file]);
    assert.ok([...snapshot.repos.values()].every((result) => !result.ok));
    assert.equal(logs.filter((line) => /not answering/.test(line)).length, 1, logs.join('\n'));
    const last = statuses[statuses.length - 1];
    assert.equal(last.online, true);
    assert.match(last.message ?? '', /is not answering.*online checks for it are paused/);
  });
});

describe('circuit breaker cool-down and probe', () => {
  let gh: FakeGitHub;
  let now: number;
  let logs: string[];
  let events: HostStatusEvent[];
  before(async () => {
    gh = await standardFakeGitHub().start();
  });
  after(() => gh.stop());
  afterEach(() => {
    gh.hostBehaviour = null;
  });

  test('fails fast during the cool-down, then lets one probe through; a failed probe says nothing new; an answer ends the outage', async () => {
    now = 1_000_000;
    logs = [];
    events = [];
    const resolver = new GitHubResolver({
      serverUrl: gh.serverUrl,
      apiUrl: gh.apiUrl,
      timeoutMs: 300,
      hostCooldownMs: 10_000,
      negativeTtlMs: 1000,
      now: () => now,
      log: (m) => logs.push(m),
      onHostStatus: (e) => events.push(e),
    });
    gh.hostBehaviour = 'hang';
    gh.reset();
    const first = await resolver.listRefs('actions', 'checkout');
    assert.equal(!first.ok && first.error.kind, 'timeout');
    assert.equal(gh.count(), 1);

    // During the cool-down: no request at all, even once the host is back.
    gh.hostBehaviour = null;
    now += 5_000;
    const during = await resolver.listRefs('actions', 'setup-node');
    assert.equal(!during.ok && during.error.kind, 'host-down');
    assert.match(!during.ok ? during.error.message : '', /not sent: 127\.0\.0\.1:\d+ is not answering/);
    assert.equal(gh.count(), 1, 'nothing sent during the cool-down');

    // After the cool-down, the host still hangs: one probe (the others fail at once), no second message.
    gh.hostBehaviour = 'hang';
    now += 5_001;
    const probing = await Promise.all([
      resolver.listRefs('octo', 'tools'),
      resolver.listRefs('octo', 'reusable'),
      resolver.listRefs('actions', 'setup-node'),
    ]);
    assert.deepEqual(
      probing.map((r) => (!r.ok ? r.error.kind : 'ok')),
      ['timeout', 'host-down', 'host-down'],
    );
    assert.equal(gh.count(), 2, 'exactly one probe was sent');
    assert.equal(logs.filter((line) => /not answering/.test(line)).length, 1, 'one message per outage');

    // After the next cool-down, the host answers: the probe resolves and the outage is over.
    gh.hostBehaviour = null;
    now += 10_001;
    const probe = await resolver.resolveRef('actions', 'setup-node', 'v4');
    assert.ok(probe.ok && probe.value.commit === sha('sn-2'), 'the probe went through and resolved');
    assert.equal(gh.count(), 3);
    const afterwards = await resolver.resolveRef('octo', 'reusable', 'v2');
    assert.ok(afterwards.ok, 'requests flow again');
    assert.deepEqual(
      events.map((e) => e.state),
      ['down', 'up'],
    );
    assert.ok(logs.some((line) => /answers again/.test(line)));
  });
});

describe('record-checksum downloads', () => {
  let server: HttpServer;
  let base: string;
  let written = 0;
  let closedEarly = false;
  before(async () => {
    server = createHttpServer((_request, response) => {
      written = 0;
      closedEarly = false;
      let closed = false;
      response.on('close', () => {
        closed = true;
        closedEarly = !response.writableFinished;
      });
      // Chunked, no Content-Length, 256 MiB unless the client hangs up.
      response.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = () => {
        while (!closed && written < 256 * MiB) {
          written += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
        if (!closed) response.end();
      };
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  test('a download streaming past the limit is aborted: the connection is closed, not drained', async () => {
    const result = await hashDownload(`${base}/tool.tgz`, { maxBytes: 1 * MiB, timeoutMs: 20_000 });
    assert.ok(!result.ok && /larger than the 1048576-byte limit: it was aborted/.test(result.message), result.ok ? '' : result.message);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(closedEarly, 'the client closed the connection');
    assert.ok(written < 24 * MiB, `server wrote ${written} bytes`);
  });
});
