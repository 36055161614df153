/**
 * The server process against a misbehaving client: malformed message frames over stdio (the server exits
 * with code 1 and says why on stderr, so the client restarts it), requests with null or malformed params
 * (a JSON-RPC InvalidParams error, and the server keeps working), and the IPC transport the VS Code
 * extension uses (not framed by us: unaffected).
 */
import assert from 'node:assert/strict';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { test } from 'node:test';
import { SERVER_PATH } from '../support/lsp-client';

const frame = (message: unknown) => {
  const body = Buffer.from(JSON.stringify(message));
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]);
};
const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { processId: null, rootUri: null, capabilities: {}, initializationOptions: { settings: { offline: true } } },
};

/** Resolves with the exit code (or null when the process was still running after `ms`) and its stderr. */
function exitOf(child: ChildProcess, ms: number): Promise<{ code: number | null; stderr: string; stdout: string }> {
  let stderr = '';
  let stdout = '';
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  child.stdout?.on('data', (chunk) => (stdout += String(chunk)));
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill();
      resolve({ code: null, stderr, stdout });
    }, ms);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

test('a malformed frame header over stdio: the server logs why and exits with code 1 instead of going deaf', async () => {
  const cases: [string, string][] = [
    ['non-numeric Content-Length', 'Content-Length: abc\r\n\r\n{}'],
    ['negative Content-Length', 'Content-Length: -5\r\n\r\n{}'],
    ['missing Content-Length', 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}'],
    ['escape sequences in the header', 'Content-Length: \u001b]0;owned\u0007\u001b[2J\r\n\r\n{}'],
  ];
  await Promise.all(
    cases.map(async ([name, bad]) => {
      const child = spawn(process.execPath, [SERVER_PATH, '--stdio'], { stdio: 'pipe' });
      const exited = exitOf(child, 20_000);
      // The bad header, then a valid request: before, the reader read every later header from the middle
      // of a body, and the server neither answered nor exited.
      child.stdin.write(Buffer.concat([Buffer.from(bad), frame(INITIALIZE)]));
      const { code, stderr, stdout } = await exited;
      assert.equal(code, 1, `${name}: exit code (stderr: ${JSON.stringify(stderr)})`);
      assert.match(stderr, /invalid message frame on standard input/, name);
      assert.equal(stdout, '', `${name}: nothing was answered from a stream out of sync`);
      assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f]/.test(stderr), `${name}: the header is escaped in the log: ${JSON.stringify(stderr)}`);
    }),
  );
});

test('the IPC transport (VS Code) is not framed by us and still answers', async () => {
  const child = fork(SERVER_PATH, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  try {
    const answer = new Promise<{ id?: number; result?: { serverInfo?: { name?: string } } }>((resolve) =>
      child.on('message', (message: { id?: number }) => message.id === 1 && resolve(message)),
    );
    child.send(INITIALIZE);
    const result = await answer;
    assert.equal(result.result?.serverInfo?.name, 'actions-warden');
  } finally {
    child.kill();
  }
});

/** Sends raw JSON-RPC frames (params exactly as given) and collects the responses by id. */
class RawClient {
  readonly child = spawn(process.execPath, [SERVER_PATH, '--stdio'], { stdio: 'pipe' });
  private buffer = Buffer.alloc(0);
  private readonly responses = new Map<number, { result?: unknown; error?: { code: number; message: string } }>();
  private waiters: (() => void)[] = [];

  constructor() {
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (;;) {
        const end = this.buffer.indexOf('\r\n\r\n');
        if (end === -1) return;
        const length = Number(/Content-Length: (\d+)/.exec(this.buffer.subarray(0, end).toString('ascii'))?.[1]);
        if (this.buffer.length < end + 4 + length) return;
        const message = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString('utf8'));
        this.buffer = this.buffer.subarray(end + 4 + length);
        if (typeof message.id === 'number' && !message.method) this.responses.set(message.id, message);
        for (const wake of this.waiters.splice(0)) wake();
      }
    });
  }

  send(message: unknown): void {
    this.child.stdin.write(frame(message));
  }

  async response(id: number, ms = 15_000): Promise<{ result?: unknown; error?: { code: number; message: string } }> {
    const deadline = Date.now() + ms;
    while (!this.responses.has(id)) {
      if (Date.now() > deadline) throw new Error(`no response to request ${id}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
    return this.responses.get(id)!;
  }
}

test('requests with null or malformed params get InvalidParams (-32602), and the server keeps working', async () => {
  const client = new RawClient();
  try {
    client.send(INITIALIZE);
    await client.response(1);
    client.send({ jsonrpc: '2.0', method: 'initialized', params: {} });
    const uri = 'file:///repo/.github/workflows/ci.yml';
    const text = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n';
    client.send({
      jsonrpc: '2.0',
      method: 'textDocument/didOpen',
      params: { textDocument: { uri, languageId: 'yaml', version: 1, text } },
    });
    const bad: [string, unknown][] = [
      ['textDocument/hover', null],
      ['textDocument/codeAction', null],
      ['textDocument/documentLink', null],
      ['workspace/executeCommand', null],
      ['textDocument/hover', undefined],
      ['textDocument/hover', { textDocument: null, position: { line: 0, character: 0 } }],
      ['textDocument/hover', { textDocument: { uri }, position: { line: -1, character: 'x' } }],
      [
        'textDocument/codeAction',
        { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, context: null },
      ],
      [
        'textDocument/codeAction',
        {
          textDocument: { uri },
          range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } },
          context: { diagnostics: [null] },
        },
      ],
      ['textDocument/codeAction', { textDocument: { uri }, range: null, context: { diagnostics: [] } }],
      ['workspace/executeCommand', { command: 42 }],
    ];
    let id = 10;
    for (const [method, params] of bad) {
      const request = { jsonrpc: '2.0', id: ++id, method, ...(params === undefined ? {} : { params }) };
      client.send(request);
      const response = await client.response(id);
      assert.equal(response.error?.code, -32602, `${method} with ${JSON.stringify(params)}: ${JSON.stringify(response)}`);
    }
    // Still working: a valid hover on the unpinned action.
    client.send({
      jsonrpc: '2.0',
      id: 100,
      method: 'textDocument/hover',
      params: { textDocument: { uri }, position: { line: 5, character: 30 } },
    });
    const hover = await client.response(100);
    assert.equal(hover.error, undefined);
    assert.match(JSON.stringify(hover.result), /actions\/checkout/);
    assert.equal(client.child.exitCode, null);
  } finally {
    client.child.kill();
  }
});
