// Draws the app's icons (three rising bars on the accent blue) as PNG files in client/public/icons.
// Run once after changing the design: `node scripts/make-icons.mjs`; the PNGs are committed.
// Hand-written because the shape is three rectangles: an image library would be a dependency for nothing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const ACCENT = [0x25, 0x57, 0xd6];
const WHITE = [0xff, 0xff, 0xff];

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) raw.set(pixel(x + 0.5, y + 0.5), y * (size * 4 + 1) + 1 + x * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * One icon in unit coordinates: `inset` is the share of each side left empty around the bars (the
 * maskable safe zone needs 10% at least), `corner` the background's corner radius (0 = full bleed).
 */
function icon(size, { inset, corner }) {
  const bars = [[0.0, 0.55], [0.36, 0.8], [0.72, 1.0]]; // x start, height (as a share of the drawing box)
  const box = 1 - 2 * inset;
  return png(size, (px, py) => {
    const x = px / size;
    const y = py / size;
    if (corner > 0) {
      const cx = Math.min(Math.max(x, corner), 1 - corner);
      const cy = Math.min(Math.max(y, corner), 1 - corner);
      if ((x - cx) ** 2 + (y - cy) ** 2 > corner ** 2) return [0, 0, 0, 0];
    }
    const bx = (x - inset) / box;
    const by = (y - inset) / box;
    const onBar = bars.some(([start, height]) => bx >= start && bx <= start + 0.28 && by <= 1 && by >= 1 - height);
    return [...(onBar ? WHITE : ACCENT), 255];
  });
}

const dir = new URL('../client/public/icons/', import.meta.url);
mkdirSync(dir, { recursive: true });
const files = {
  'icon-192.png': icon(192, { inset: 0.22, corner: 0.18 }),
  'icon-512.png': icon(512, { inset: 0.22, corner: 0.18 }),
  'maskable-512.png': icon(512, { inset: 0.3, corner: 0 }),
  'apple-touch-icon.png': icon(180, { inset: 0.24, corner: 0 }),
  'favicon-32.png': icon(32, { inset: 0.16, corner: 0.18 }),
};
for (const [name, bytes] of Object.entries(files)) {
  writeFileSync(new URL(name, dir), bytes);
  console.log(`client/public/icons/${name}: ${bytes.length} bytes`);
}
