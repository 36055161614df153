import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { HttpClient, type HostStatusEvent } from '../../server/src/resolve/http';

/**
 * A loopback server that resets the connection of the first `resets` requests (an RST, as a proxy or a
 * server that dropped a kept-alive connection sends) and answers the others.
 */
describe('a connection reset is retried once on a new connection before it counts as an outage', () => {
  let server: Server;
  let base: string;
  let resets = 0;
  let requests: { method: string; socket: Socket }[] = [];
  const sockets = new Set<Socket>();
  before(async () => {
    server = createServer((request, response) => {
      requests.push({ method: request.method ?? '', socket: request.socket });
      if (resets > 0) {
        resets--;
        request.socket.resetAndDestroy();
        return;
      }
      request.resume();
      response.writeHead(200, { 'Content-Type': 'text/plain' });
      response.end('answer');
    });
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    requests = [];
    resets = 0;
  });

  function client(events: HostStatusEvent[], logs: string[] = []): HttpClient {
    const created = HttpClient.create({
      serverUrl: base,
      apiUrl: base,
      timeoutMs: 3000,
      hostCooldownMs: 30_000,
      onHostStatus: (event) => events.push(event),
      log: (line) => logs.push(line),
    });
    assert.ok(created.ok);
    return created.value;
  }

  test('a GET whose connection is reset once is answered by the retry: no outage', async () => {
    const events: HostStatusEvent[] = [];
    const logs: string[] = [];
    const http = client(events, logs);
    resets = 1;
    const result = await http.request('api', '/repos/octo/tools', { auth: 'none' });
    assert.ok(result.ok, !result.ok ? result.error.message : '');
    assert.equal(new TextDecoder().decode(result.value.body), 'answer');
    assert.equal(requests.length, 2, 'the request and one retry');
    assert.notEqual(requests[0].socket, requests[1].socket, 'the retry went out on another connection');
    assert.deepEqual(events, [], 'no outage was declared');
    assert.ok(
      logs.some((line) => /reset the connection \((ECONNRESET|UND_ERR_SOCKET)\).*retrying once/.test(line)),
      logs.join('\n'),
    );
    // The host stays usable at once.
    const next = await http.request('api', '/repos/octo/other', { auth: 'none' });
    assert.ok(next.ok);
  });

  test("git's ls-refs POST (marked idempotent) is retried too", async () => {
    const events: HostStatusEvent[] = [];
    const http = client(events);
    resets = 1;
    const result = await http.request('server', '/octo/tools.git/git-upload-pack', {
      method: 'POST',
      idempotent: true,
      auth: 'basic',
      body: '0014command=ls-refs\n0000',
    });
    assert.ok(result.ok, !result.ok ? result.error.message : '');
    assert.deepEqual(
      requests.map((r) => r.method),
      ['POST', 'POST'],
    );
    assert.deepEqual(events, []);
  });

  test('a POST not marked idempotent is not sent twice: the reset counts at once', async () => {
    const events: HostStatusEvent[] = [];
    const http = client(events);
    resets = 1;
    const result = await http.request('api', '/graphql', { method: 'POST', auth: 'none', body: '{}' });
    assert.equal(!result.ok && result.error.kind, 'network');
    assert.equal(requests.length, 1, 'sent once');
    assert.deepEqual(
      events.map((event) => event.state),
      ['down'],
    );
  });

  test('one retry only: a host that resets every connection opens the breaker after two attempts', async () => {
    const events: HostStatusEvent[] = [];
    const http = client(events);
    resets = 5;
    const result = await http.request('api', '/repos/octo/tools', { auth: 'none' });
    assert.equal(!result.ok && result.error.kind, 'network');
    assert.equal(requests.length, 2, 'the request and exactly one retry');
    assert.deepEqual(
      events.map((event) => event.state),
      ['down'],
    );
    const during = await http.request('api', '/repos/octo/tools', { auth: 'none' });
    assert.equal(!during.ok && during.error.kind, 'host-down');
    assert.equal(requests.length, 2, 'nothing sent during the cool-down');
  });
});
