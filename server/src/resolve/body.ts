/**
 * Reading a response body under a byte limit and a deadline, for every request the product makes: the
 * limit holds while streaming (a chunked answer without Content-Length is cut off at the limit, not
 * buffered first), an announced Content-Length over the limit is refused before a byte is read, and a
 * body that trickles is cut off when the request's signal aborts.
 */

export class BodyTooLargeError extends Error {
  constructor(
    readonly limit: number,
    /** The Content-Length the server announced, when that is what was refused. */
    readonly announced?: number,
  ) {
    super(
      announced !== undefined
        ? `response too large: ${announced} bytes announced, the limit is ${limit}`
        : `response too large: more than ${limit} bytes`,
    );
    this.name = 'BodyTooLargeError';
  }
}

/** The announced Content-Length when it is over `limit`, else undefined. */
export function announcedOverLimit(response: Response, limit: number): number | undefined {
  const header = response.headers.get('content-length');
  if (header === null || !/^\s*\d+\s*$/.test(header)) return undefined;
  const length = Number(header);
  return length > limit ? length : undefined;
}

/**
 * Streams the body of `response` into `onChunk`, counting bytes; throws BodyTooLargeError past `limit`
 * (after cancelling the stream) and the signal's reason when `signal` aborts during a read. The caller
 * aborts its request (the signal's controller) on any throw, so the connection is closed too.
 */
export async function streamBody(
  response: Response,
  limit: number,
  signal: AbortSignal,
  onChunk: (chunk: Uint8Array) => void,
): Promise<number> {
  const announced = announcedOverLimit(response, limit);
  if (announced !== undefined) {
    void cancelQuietly(response.body);
    throw new BodyTooLargeError(limit, announced);
  }
  if (!response.body) return 0;
  const reader = response.body.getReader();
  let onAbort: (() => void) | undefined;
  // Some fetch implementations do not error a body stream when their signal aborts: race every read.
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason ?? new Error('aborted'));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), aborted]);
      if (done) return bytes;
      bytes += value.byteLength;
      if (bytes > limit) throw new BodyTooLargeError(limit);
      onChunk(value);
    }
  } catch (error) {
    void reader.cancel().catch(() => undefined);
    throw error;
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

/** The whole body as one buffer, under the same limit (memory held: at most `limit` bytes). */
export async function readBodyLimited(response: Response, limit: number, signal: AbortSignal): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const total = await streamBody(response, limit, signal, (chunk) => void chunks.push(chunk));
  if (chunks.length === 1) return chunks[0];
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

async function cancelQuietly(body: ReadableStream<Uint8Array> | null): Promise<void> {
  try {
    await body?.cancel();
  } catch {
    // Already errored or closed: nothing to release.
  }
}
