// Draws the extension's icon (images/icon.png, 128×128): a shield with a check mark, written as a PNG with
// Node's zlib, no external assets. Run `node scripts/make-icon.mjs` to regenerate it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SAMPLES = 4; // Per axis, for smooth edges.

/** Inside the shield: flat top with rounded corners, straight sides, then curving to a point at the bottom. */
function inShield(x, y) {
  const cx = 64;
  const top = 14;
  const bottom = 118;
  const half = 46;
  if (y < top || y > bottom) return false;
  const dx = Math.abs(x - cx);
  if (y < top + 8) {
    // Rounded top corners.
    const r = 8;
    if (dx > half - r) return (dx - (half - r)) ** 2 + (y - (top + r)) ** 2 <= r * r;
    return true;
  }
  if (y < 62) return dx <= half;
  const t = (y - 62) / (bottom - 62);
  return dx <= half * Math.sqrt(Math.max(0, 1 - t * t));
}

/** On the check mark: two thick segments. */
function onCheck(x, y) {
  const segment = (ax, ay, bx, by, width) => {
    const vx = bx - ax;
    const vy = by - ay;
    const t = Math.max(0, Math.min(1, ((x - ax) * vx + (y - ay) * vy) / (vx * vx + vy * vy)));
    return (x - (ax + t * vx)) ** 2 + (y - (ay + t * vy)) ** 2 <= (width / 2) ** 2;
  };
  return segment(40, 64, 57, 81, 13) || segment(57, 81, 90, 45, 13);
}

const SHIELD_TOP = [36, 99, 235];
const SHIELD_BOTTOM = [30, 64, 175];
const CHECK = [255, 255, 255];

const rows = [];
for (let py = 0; py < SIZE; py++) {
  const row = Buffer.alloc(1 + SIZE * 4);
  row[0] = 0; // Filter: none.
  for (let px = 0; px < SIZE; px++) {
    let shield = 0;
    let check = 0;
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const x = px + (sx + 0.5) / SAMPLES;
        const y = py + (sy + 0.5) / SAMPLES;
        if (inShield(x, y)) {
          shield++;
          if (onCheck(x, y)) check++;
        }
      }
    }
    const total = SAMPLES * SAMPLES;
    const t = py / SIZE;
    const base = SHIELD_TOP.map((c, i) => Math.round(c + (SHIELD_BOTTOM[i] - c) * t));
    const mix = shield === 0 ? 0 : check / shield;
    const color = base.map((c, i) => Math.round(c + (CHECK[i] - c) * mix));
    for (let i = 0; i < 3; i++) row[1 + px * 4 + i] = color[i];
    row[1 + px * 4 + 3] = Math.round((255 * shield) / total);
  }
  rows.push(row);
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buffer) => {
  let c = 0xffffffff;
  for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // Bit depth.
header[9] = 6; // RGBA.
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
mkdirSync('images', { recursive: true });
writeFileSync('images/icon.png', png);
console.log(`images/icon.png: ${png.length} bytes`);
