import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contentLength, FrameValidator, MAX_BODY_BYTES, MAX_HEADER_BYTES } from '../../server/src/framing';

const frame = (body: string, header = `Content-Length: ${Buffer.byteLength(body)}\r\n`) => Buffer.from(`${header}\r\n${body}`);

/** A body with multi-byte characters and text that looks like a header. */
const TRICKY_BODY = '{"text":"é🚀 Content-Length: abc\\r\\n\\r\\n"}';

/** Feeds the chunks through a validator; what it passed on and the reason it gave up, if it did. */
async function run(chunks: Buffer[]): Promise<{ passed: string; invalid: string[] }> {
  const invalid: string[] = [];
  const validator = new FrameValidator((reason) => invalid.push(reason));
  const out: Buffer[] = [];
  validator.on('data', (chunk: Buffer) => out.push(chunk));
  for (const chunk of chunks) validator.write(chunk);
  validator.end();
  await new Promise<void>((resolve) => validator.once('end', resolve).resume());
  return { passed: Buffer.concat(out).toString('utf8'), invalid };
}

test('valid frames pass through unchanged, however they are split into chunks', async () => {
  const stream = Buffer.concat([
    frame('{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}'),
    frame(TRICKY_BODY, `Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(TRICKY_BODY)}\r\n`),
    frame(''),
    frame('{}', 'content-length:2\r\n'),
  ]);
  for (const size of [1, 2, 3, 7, 64, stream.length]) {
    const chunks: Buffer[] = [];
    for (let i = 0; i < stream.length; i += size) chunks.push(stream.subarray(i, i + size));
    const { passed, invalid } = await run(chunks);
    assert.deepEqual(invalid, [], `chunks of ${size}`);
    assert.equal(passed, stream.toString('utf8'), `chunks of ${size}`);
  }
});

test('a bad header stops the stream at that header and reports why; the frames before it pass', async () => {
  const good = frame('{"jsonrpc":"2.0","id":1,"method":"shutdown"}');
  const cases: [string, string, RegExp][] = [
    ['non-numeric length', 'Content-Length: abc\r\n\r\n{}', /not a non-negative integer: "abc"/],
    ['negative length', 'Content-Length: -5\r\n\r\n{}', /not a non-negative integer: "-5"/],
    ['missing length', 'Content-Type: application/json\r\n\r\n{}', /no Content-Length/],
    ['a line without a name', 'hello\r\n\r\n', /no name/],
    ['two lengths', 'Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}', /two Content-Length/],
    ['a length over the limit', `Content-Length: ${MAX_BODY_BYTES + 1}\r\n\r\n`, /over the limit/],
    ['a header that never ends', `X-Padding: ${'a'.repeat(MAX_HEADER_BYTES)}`, /longer than/],
  ];
  for (const [name, bad, reason] of cases) {
    const { passed, invalid } = await run([Buffer.concat([good, Buffer.from(bad), good])]);
    assert.equal(invalid.length, 1, name);
    assert.match(invalid[0], reason, name);
    assert.equal(passed, good.toString('utf8'), `${name}: only the frame before the bad header passes`);
  }
});

test('contentLength reads the header block case-insensitively and quotes what it rejects', () => {
  assert.equal(contentLength('Content-Length: 12\r\n\r\n'), 12);
  assert.equal(contentLength('CONTENT-LENGTH:0\r\n\r\n'), 0);
  const reason = contentLength('Content-Length: \u001b[31m1\r\n\r\n');
  assert.equal(typeof reason, 'string');
  assert.ok(!String(reason).includes('\u001b'), 'control characters are escaped in the reason');
});
