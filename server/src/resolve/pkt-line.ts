/**
 * Git's pkt-line framing (gitprotocol-common): each packet is a 4-hex-digit length (including the
 * four digits) followed by the payload; `0000` flush, `0001` delimiter, `0002` response end.
 */

export type Packet = { type: 'data'; data: Uint8Array } | { type: 'flush' } | { type: 'delim' } | { type: 'response-end' };

const MAX_PACKET = 65520;
const encoder = new TextEncoder();

export function encodeLine(line: string): string {
  const length = encoder.encode(line).length + 4;
  if (length > MAX_PACKET) throw new RangeError('pkt-line too long');
  return length.toString(16).padStart(4, '0') + line;
}

export const FLUSH = '0000';
export const DELIM = '0001';

/** Decodes a buffer of packets; throws on any malformed length or truncated packet. */
export function decodePackets(buffer: Uint8Array): Packet[] {
  const packets: Packet[] = [];
  let offset = 0;
  const ascii = new TextDecoder('ascii');
  while (offset < buffer.length) {
    if (offset + 4 > buffer.length) throw new Error('truncated pkt-line header');
    const header = ascii.decode(buffer.subarray(offset, offset + 4));
    if (!/^[0-9a-f]{4}$/i.test(header)) throw new Error(`invalid pkt-line length ${JSON.stringify(header)}`);
    const length = parseInt(header, 16);
    if (length === 0) packets.push({ type: 'flush' });
    else if (length === 1) packets.push({ type: 'delim' });
    else if (length === 2) packets.push({ type: 'response-end' });
    else if (length < 4 || length > MAX_PACKET) throw new Error(`invalid pkt-line length ${length}`);
    else {
      if (offset + length > buffer.length) throw new Error('truncated pkt-line');
      packets.push({ type: 'data', data: buffer.subarray(offset + 4, offset + length) });
    }
    offset += length < 4 ? 4 : length;
  }
  return packets;
}

/** The text lines of the data packets, without their trailing newline. */
export function dataLines(packets: readonly Packet[]): string[] {
  const decoder = new TextDecoder();
  return packets
    .filter((p): p is { type: 'data'; data: Uint8Array } => p.type === 'data')
    .map((p) => decoder.decode(p.data).replace(/\n$/, ''));
}
