/** Images for the thumbnail tests, made with sharp (and one PNG built by hand) at test time. */
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** One PNG chunk: length, type, data, CRC-32 over type and data (PNG §5.3). */
function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData) >>> 0);
  return Buffer.concat([length, typeAndData, crc]);
}

/**
 * A decompression bomb: a ~1 KB PNG whose IHDR declares width × height 8-bit greyscale pixels, with one
 * IDAT of deflated zeros (a well-formed start of an enormous image).
 */
export function pngBomb(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // colour type 0 = greyscale; compression, filter, interlace 0
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(Buffer.alloc(1 << 20))), pngChunk('IEND', Buffer.alloc(0))]);
}

/** A PNG with a tEXt chunk (keyword, NUL, text) inserted after IHDR. */
export function withTextChunk(png: Buffer, keyword: string, text: string): Buffer {
  const afterIhdr = 8 + 12 + 13;
  return Buffer.concat([png.subarray(0, afterIhdr), pngChunk('tEXt', Buffer.from(`${keyword}\0${text}`, 'latin1')), png.subarray(afterIhdr)]);
}

/** Deterministic noise (xorshift32): pixels no encoder can squeeze much. */
export function noise(length: number, seed = 0x2545f491): Buffer {
  const bytes = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i += 1) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

/** A solid image of one colour. */
export async function solid(width: number, height: number, background: { r: number; g: number; b: number; alpha?: number }, channels: 3 | 4 = 3) {
  return sharp({ create: { width, height, channels, background } });
}

/** An animated image whose first frame is red and second blue, as GIF or WebP. */
export async function twoFrames(format: 'gif' | 'webp', width = 200, height = 100): Promise<Buffer> {
  const red = await sharp({ create: { width, height, channels: 3, background: { r: 255, g: 0, b: 0 } } }).png().toBuffer();
  const blue = await sharp({ create: { width, height, channels: 3, background: { r: 0, g: 0, b: 255 } } }).png().toBuffer();
  const joined = sharp([red, blue], { join: { animated: true } });
  return format === 'gif' ? await joined.gif().toBuffer() : await joined.webp().toBuffer();
}

/** The RGB(A) of the pixel at the centre of an encoded image. */
export async function centrePixel(bytes: Uint8Array): Promise<number[]> {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  const offset = (Math.floor(info.height / 2) * info.width + Math.floor(info.width / 2)) * info.channels;
  return [...data.subarray(offset, offset + info.channels)];
}
