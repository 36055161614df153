/**
 * A guard in front of the stdio transport's message reader. vscode-jsonrpc's StreamMessageReader reports a
 * frame header it cannot use (`Content-Length: abc`, no Content-Length, a negative length) as an error and
 * carries on reading from a byte stream it has lost its place in: every later header is read from the middle
 * of a body, so the server stays alive but never answers again. This stream checks each header before the
 * reader sees it and passes valid frames through unchanged; on the first invalid one it stops passing data
 * and calls `onInvalid` (main.ts logs to stderr and exits with code 1, so the client restarts the server).
 * Everything is a byte-by-byte state machine: no regular expression sees the client's bytes.
 */
import { Transform, type TransformCallback } from 'node:stream';

/** Headers are a few dozen bytes; anything longer is not a header. */
export const MAX_HEADER_BYTES = 8 * 1024;
/** The largest body accepted (documents over 4 MiB are not analysed anyway; JSON escaping may double them). */
export const MAX_BODY_BYTES = 256 * 1024 * 1024;

const CR = 0x0d;
const LF = 0x0a;

export class FrameValidator extends Transform {
  /** Bytes of the current header read so far (until the blank line). */
  private header: number[] = [];
  /** Body bytes still to pass through before the next header; -1 while reading a header. */
  private remaining = -1;
  private failed = false;

  constructor(private readonly onInvalid: (reason: string) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.failed) {
      callback();
      return;
    }
    let offset = 0;
    /** Where, in this chunk, the header being read started (0 when it started in an earlier chunk). */
    let headerStart = 0;
    while (offset < chunk.length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - offset);
        this.remaining -= take;
        offset += take;
        if (this.remaining === 0) this.remaining = -1;
        continue;
      }
      // Reading a header: up to and including the empty line that ends it.
      if (this.header.length === 0) headerStart = offset;
      const byte = chunk[offset++];
      this.header.push(byte);
      const n = this.header.length;
      let problem: string | null = null;
      if (n > MAX_HEADER_BYTES) problem = `a frame header is longer than ${MAX_HEADER_BYTES} bytes`;
      else if (byte === LF && n >= 4 && this.header[n - 2] === CR && this.header[n - 3] === LF && this.header[n - 4] === CR) {
        const length = contentLength(Buffer.from(this.header).toString('latin1'));
        this.header = [];
        if (typeof length === 'string') problem = length;
        else this.remaining = length === 0 ? -1 : length;
      }
      if (problem !== null) {
        // The frames before the bad header go on to the reader; the bad header and everything after it do not.
        this.failed = true;
        if (headerStart > 0) this.push(chunk.subarray(0, headerStart));
        callback();
        this.onInvalid(problem);
        return;
      }
    }
    this.push(chunk);
    callback();
  }
}

/**
 * The Content-Length of a complete header block (`Name: value` lines ending with an empty line), or why the
 * header is unusable.
 */
export function contentLength(header: string): number | string {
  const lines = header.split('\r\n');
  let length: number | null = null;
  for (const line of lines) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return `a frame header line has no name: ${JSON.stringify(line.slice(0, 80))}`;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (name !== 'content-length') continue;
    const value = line.slice(colon + 1).trim();
    if (value === '' || value.length > 10 || ![...value].every((c) => c >= '0' && c <= '9'))
      return `Content-Length is not a non-negative integer: ${JSON.stringify(value.slice(0, 80))}`;
    if (length !== null) return 'a frame header has two Content-Length fields';
    length = Number(value);
    if (length > MAX_BODY_BYTES) return `Content-Length ${length} is over the limit of ${MAX_BODY_BYTES} bytes`;
  }
  if (length === null) return 'a frame header has no Content-Length';
  return length;
}
