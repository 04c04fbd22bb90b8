// Draws Ferry's mark (a white arrow over a wave on a teal rounded square) and writes the packaging icons
// to build/icons: icon.png (512x512), icon.ico (PNG entries 16..256) and icon.icns (ic07 128, ic08 256,
// ic09 512, all PNG). Only node:zlib, node:fs and node:path; run with `node scripts/makeIcons.mjs`.
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'build', 'icons');
const SUPERSAMPLE = 4; // 4x4 samples per pixel for smooth edges

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Encodes RGBA pixels (size*size*4 bytes) as a PNG: 8-bit RGBA, no interlace, filter 0 on every row. */
function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type 6 = RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y += 1) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/** Which part of the mark a point of the 512-unit design square falls in: 'white', 'teal' or null. */
function shapeAt(x, y) {
  const inset = 24;
  const radius = 104;
  const cx = Math.min(Math.max(x, inset + radius), 512 - inset - radius);
  const cy = Math.min(Math.max(y, inset + radius), 512 - inset - radius);
  if ((x - cx) ** 2 + (y - cy) ** 2 > radius ** 2) return null;
  const isShaft = x >= 112 && x <= 300 && y >= 186 && y <= 250;
  const isHead = x >= 290 && x <= 412 && Math.abs(y - 218) <= (412 - x) * (104 / 122);
  const wave = 350 + 16 * Math.sin((x - 96) / 32);
  const isWave = x >= 100 && x <= 412 && Math.abs(y - wave) <= 13;
  return isShaft || isHead || isWave ? 'white' : 'teal';
}

function colourAt(kind, y) {
  if (kind === 'white') return [255, 255, 255];
  const t = y / 512; // teal gradient from #14b8a6 at the top to #0f766e at the bottom
  return [Math.round(20 + (15 - 20) * t), Math.round(184 + (118 - 184) * t), Math.round(166 + (110 - 166) * t)];
}

/** Renders the mark at size x size pixels: straight RGBA, edge coverage in alpha. */
function render(size) {
  const rgba = Buffer.alloc(size * size * 4);
  const scale = 512 / size;
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      const sum = [0, 0, 0];
      let covered = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy += 1) {
        for (let sx = 0; sx < SUPERSAMPLE; sx += 1) {
          const x = (px + (sx + 0.5) / SUPERSAMPLE) * scale;
          const y = (py + (sy + 0.5) / SUPERSAMPLE) * scale;
          const kind = shapeAt(x, y);
          if (!kind) continue;
          covered += 1;
          colourAt(kind, y).forEach((value, i) => { sum[i] += value; });
        }
      }
      const offset = (py * size + px) * 4;
      if (covered === 0) continue;
      for (let i = 0; i < 3; i += 1) rgba[offset + i] = Math.round(sum[i] / covered);
      rgba[offset + 3] = Math.round((255 * covered) / SUPERSAMPLE ** 2);
    }
  }
  return encodePng(size, rgba);
}

/** ICO with PNG-compressed entries (Windows Vista and later read these). */
function encodeIco(images) {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type 1 = icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, i) => {
    const entry = 6 + 16 * i;
    header[entry] = size >= 256 ? 0 : size; // 0 means 256
    header[entry + 1] = size >= 256 ? 0 : size;
    header.writeUInt16LE(1, entry + 4); // colour planes
    header.writeUInt16LE(32, entry + 6); // bits per pixel
    header.writeUInt32LE(png.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((image) => image.png)]);
}

/** ICNS: 'icns' + total length, then (type, length including its 8-byte header, PNG data) per entry. */
function encodeIcns(entries) {
  const parts = entries.map(({ type, png }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + parts.reduce((sum, part) => sum + part.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

const pngs = new Map([16, 32, 48, 128, 256, 512].map((size) => [size, render(size)]));
mkdirSync(OUT_DIR, { recursive: true });
writeFileSync(join(OUT_DIR, 'icon.png'), pngs.get(512));
writeFileSync(join(OUT_DIR, 'icon.ico'), encodeIco([16, 32, 48, 256].map((size) => ({ size, png: pngs.get(size) }))));
writeFileSync(join(OUT_DIR, 'icon.icns'), encodeIcns([
  { type: 'ic07', png: pngs.get(128) }, { type: 'ic08', png: pngs.get(256) }, { type: 'ic09', png: pngs.get(512) },
]));
console.log(`wrote icon.png, icon.ico and icon.icns to ${OUT_DIR}`);
