import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ThumbnailRefusal } from '../../../../../electron/transfer/thumbnails/fitThumbnail';
import { checkReceivedThumbnail } from '../../../../../electron/transfer/thumbnails/receivedThumbnail';
import { MAX_KONTALK_THUMBNAIL_BYTES } from '../../../../../electron/xmpp/xep/kontalkUpload';
import { MAX_BOB_READ_BYTES } from '../../../../../electron/xmpp/xep/xep0231Bob';
import { centrePixel, noise, pngBomb, solid, twoFrames, withTextChunk } from '../../../../support/imageFixtures';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

async function check(bytes: Uint8Array, options: { maxBytes: number; maxEdge?: number } = { maxBytes: MAX_BOB_READ_BYTES }) {
  const refusals: ThumbnailRefusal[] = [];
  const thumbnail = await checkReceivedThumbnail(bytes, { ...options, onRefused: (refusal) => refusals.push(refusal) });
  return { thumbnail, refusal: refusals[0] ?? null };
}

const inputs: Record<string, Buffer> = {};
beforeAll(async () => {
  const photo = sharp(noise(160 * 120 * 3), { raw: { width: 160, height: 120, channels: 3 } });
  inputs.png = await (await solid(200, 100, { r: 255, g: 0, b: 0 })).png().toBuffer();
  inputs.jpeg = await photo.clone().jpeg({ quality: 70 }).toBuffer();
  inputs.gif = await twoFrames('gif');
  inputs.webp = await twoFrames('webp');
});

describe('checkReceivedThumbnail: raster thumbnails are re-encoded as PNG', () => {
  it.each(['png', 'jpeg', 'gif', 'webp'])('accepts a %s and gives a PNG that decodes, at most maxEdge on a side', async (kind) => {
    const { thumbnail, refusal } = await check(inputs[kind]);
    expect(refusal).toBeNull();
    expect(thumbnail!.mediaType).toBe('image/png');
    expect([...thumbnail!.bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(Math.max(thumbnail!.width, thumbnail!.height)).toBeLessThanOrEqual(128);
    expect(await sharp(thumbnail!.bytes).metadata()).toMatchObject({ format: 'png', width: thumbnail!.width, height: thumbnail!.height });
    expect(thumbnail!.bytes.length).toBeLessThanOrEqual(MAX_BOB_READ_BYTES);
  });

  it('takes the first frame of an animation (the red one)', async () => {
    const { thumbnail } = await check(inputs.gif);
    expect((await centrePixel(thumbnail!.bytes)).slice(0, 3)).toEqual([255, 0, 0]);
  });

  it('never passes the sender\'s bytes through: a small PNG with a tEXt chunk and trailing HTML comes out without either', async () => {
    const crafted = Buffer.concat([withTextChunk(inputs.png, 'Comment', '<script>alert(1)</script>'), Buffer.from('<html><script>alert(2)</script></html>')]);
    const { thumbnail } = await check(crafted, { maxBytes: MAX_KONTALK_THUMBNAIL_BYTES, maxEdge: 200 });
    expect(thumbnail).toMatchObject({ mediaType: 'image/png', width: 200, height: 100 });
    const text = Buffer.from(thumbnail!.bytes).toString('latin1');
    expect(text).not.toContain('script');
    expect(text).not.toContain('tEXt');
    expect((await sharp(thumbnail!.bytes).metadata()).comments ?? []).toEqual([]);
  });

  it('fits the PNG under maxBytes by palette and edge, or gives null', async () => {
    const { thumbnail } = await check(inputs.jpeg, { maxBytes: 20_000 });
    expect(thumbnail!.bytes.length).toBeLessThanOrEqual(20_000);
    // About 480 bytes of JPEG (noise at quality 1) whose PNG, palette and all, is larger at every edge.
    const tiny = await sharp(noise(128 * 96 * 3), { raw: { width: 128, height: 96, channels: 3 } }).jpeg({ quality: 1 }).toBuffer();
    expect(tiny.length).toBeLessThan(600);
    expect((await check(tiny, { maxBytes: 600 })).refusal?.reason).toBe('too-large');
  });
});

describe('checkReceivedThumbnail: everything else is refused (null, with the reason)', () => {
  const refusedAs = async (bytes: Uint8Array, reason: string, maxBytes = MAX_BOB_READ_BYTES) => {
    const { thumbnail, refusal } = await check(bytes, { maxBytes });
    expect(thumbnail).toBeNull();
    expect(refusal?.reason).toBe(reason);
  };

  it('refuses SVG (script-capable), with or without an XML prolog or leading whitespace', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>';
    for (const text of [svg, `<?xml version="1.0"?>${svg}`, `\n  ${svg}`, `\ufeff${svg}`]) await refusedAs(Buffer.from(text), 'not-an-image');
  });

  it('refuses HTML, text, random bytes and nothing at all', async () => {
    await refusedAs(Buffer.from('<!doctype html><img src=x onerror=alert(1)>'), 'not-an-image');
    await refusedAs(Buffer.from('hello'), 'not-an-image');
    await refusedAs(noise(4096, 7), 'not-an-image');
    await refusedAs(new Uint8Array(0), 'not-an-image');
  });

  it('refuses a signature followed by garbage, and truncated PNG and JPEG', async () => {
    await refusedAs(Buffer.concat([Buffer.from(PNG_SIGNATURE), noise(2000, 3)]), 'undecodable');
    await refusedAs(inputs.png.subarray(0, inputs.png.length - 20), 'undecodable');
    await refusedAs(inputs.jpeg.subarray(0, Math.floor(inputs.jpeg.length / 2)), 'undecodable');
  });

  it('refuses more bytes than maxBytes before looking at them', async () => {
    await refusedAs(inputs.jpeg, 'too-large-input', inputs.jpeg.length - 1);
  });

  it('refuses a decompression bomb from its header (XEP-0264 §5: the declared size is not trusted)', async () => {
    const started = Date.now();
    await refusedAs(pngBomb(100_000, 100_000), 'too-many-pixels');
    await refusedAs(pngBomb(5000, 5000), 'too-many-pixels'); // over 4096 × 4096
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
