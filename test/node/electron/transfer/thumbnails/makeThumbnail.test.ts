import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThumbnailRefusal } from '../../../../../electron/transfer/thumbnails/fitThumbnail';
import { makeThumbnail } from '../../../../../electron/transfer/thumbnails/makeThumbnail';
import { MAX_BOB_SEND_BYTES } from '../../../../../electron/xmpp/xep/xep0231Bob';
import { MAX_KONTALK_THUMBNAIL_BYTES } from '../../../../../electron/xmpp/xep/kontalkUpload';
import { centrePixel, noise, pngBomb, solid, twoFrames } from '../../../../support/imageFixtures';

const dir = mkdtempSync(join(tmpdir(), 'ferry-thumbs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, bytes: Uint8Array | string) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

/** makeThumbnail with the reason kept, for asserting why it gave null. */
async function thumbnailOf(path: string, options: { maxBytes: number; maxEdge?: number } = { maxBytes: MAX_BOB_SEND_BYTES }) {
  const refusals: ThumbnailRefusal[] = [];
  const thumbnail = await makeThumbnail(path, { ...options, onRefused: (refusal) => refusals.push(refusal) });
  return { thumbnail, refusal: refusals[0] ?? null, refusals };
}

const paths: Record<string, string> = {};
beforeAll(async () => {
  paths.png = file('photo.png', await (await solid(4000, 3000, { r: 200, g: 30, b: 40 })).png().toBuffer());
  paths.jpeg = file('photo.jpg', await sharp(noise(4000 * 3000 * 3), { raw: { width: 4000, height: 3000, channels: 3 } }).jpeg({ quality: 90 }).toBuffer());
  paths.transparent = file('logo.png', await (await solid(600, 300, { r: 0, g: 128, b: 0, alpha: 0.5 }, 4)).png().toBuffer());
  paths.gif = file('anim.gif', await twoFrames('gif'));
  paths.webp = file('anim.webp', await twoFrames('webp'));
  // 300 wide, 100 high, tagged "rotate 90° clockwise to display" (EXIF Orientation 6): shown 100 × 300.
  paths.rotated = file('rotated.jpg', await (await solid(300, 100, { r: 10, g: 10, b: 200 })).jpeg().withMetadata({ orientation: 6 }).toBuffer());
  paths.icon = file('icon.png', await (await solid(16, 16, { r: 1, g: 2, b: 3 })).png().toBuffer());
}, 60_000);

describe('makeThumbnail: images that get a thumbnail', () => {
  it('shrinks a 4000×3000 PNG photo to a JPEG of 128×96 within the XEP-0231 send budget', async () => {
    const { thumbnail } = await thumbnailOf(paths.png);
    expect(thumbnail).toMatchObject({ mediaType: 'image/jpeg', width: 128, height: 96 });
    expect(thumbnail!.bytes.length).toBeLessThanOrEqual(MAX_BOB_SEND_BYTES);
    const metadata = await sharp(thumbnail!.bytes).metadata();
    expect(metadata).toMatchObject({ format: 'jpeg', width: 128, height: 96 });
  });

  it('honours maxBytes for a 4000×3000 JPEG of noise by stepping quality and edge down', async () => {
    for (const maxBytes of [MAX_KONTALK_THUMBNAIL_BYTES, MAX_BOB_SEND_BYTES, 3000]) {
      const { thumbnail } = await thumbnailOf(paths.jpeg, { maxBytes });
      expect(thumbnail, `maxBytes ${maxBytes}`).not.toBeNull();
      expect(thumbnail!.bytes.length).toBeLessThanOrEqual(maxBytes);
      expect(Math.max(thumbnail!.width, thumbnail!.height)).toBeLessThanOrEqual(128);
      expect(await sharp(thumbnail!.bytes).metadata()).toMatchObject({ format: 'jpeg', width: thumbnail!.width, height: thumbnail!.height });
    }
  });

  it('steps the edge down when quality alone does not fit (noise at thumbnail scale)', async () => {
    const noisy = file('noisy.png', await sharp(noise(128 * 96 * 3), { raw: { width: 128, height: 96, channels: 3 } }).png().toBuffer());
    const { thumbnail } = await thumbnailOf(noisy, { maxBytes: 3000 });
    expect(thumbnail!.bytes.length).toBeLessThanOrEqual(3000);
    expect(thumbnail!.width).toBeLessThan(128);
    expect(thumbnail!.width / thumbnail!.height).toBeCloseTo(4 / 3, 1);
  });

  it('gives null (too-large) when not even the smallest attempt fits', async () => {
    const { thumbnail, refusal } = await thumbnailOf(paths.jpeg, { maxBytes: 100 });
    expect(thumbnail).toBeNull();
    expect(refusal?.reason).toBe('too-large');
  });

  it('keeps transparency as a PNG', async () => {
    const { thumbnail } = await thumbnailOf(paths.transparent);
    expect(thumbnail).toMatchObject({ mediaType: 'image/png', width: 128, height: 64 });
    const metadata = await sharp(thumbnail!.bytes).metadata();
    expect(metadata).toMatchObject({ format: 'png', hasAlpha: true });
    expect((await centrePixel(thumbnail!.bytes))[3]).toBeGreaterThan(100);
    expect((await centrePixel(thumbnail!.bytes))[3]).toBeLessThan(150);
  });

  it.each(['gif', 'webp'])('takes the first frame of an animated %s', async (kind) => {
    const { thumbnail } = await thumbnailOf(paths[kind]);
    expect(thumbnail).toMatchObject({ mediaType: 'image/jpeg', width: 128, height: 64 });
    const metadata = await sharp(thumbnail!.bytes, { animated: true }).metadata();
    expect(metadata.pages ?? 1).toBe(1);
    const [r, g, b] = await centrePixel(thumbnail!.bytes);
    expect(r).toBeGreaterThan(200); // the red first frame, not the blue second one
    expect(b).toBeLessThan(60);
    expect(g).toBeLessThan(60);
  });

  it('applies the EXIF orientation and strips metadata', async () => {
    const { thumbnail } = await thumbnailOf(paths.rotated);
    expect(thumbnail).toMatchObject({ mediaType: 'image/jpeg', width: 43, height: 128 });
    const metadata = await sharp(thumbnail!.bytes).metadata();
    expect(metadata).toMatchObject({ width: 43, height: 128 });
    expect(metadata.orientation).toBeUndefined();
    expect(metadata.exif).toBeUndefined();
    expect(metadata.icc).toBeUndefined();
    expect(metadata.xmp).toBeUndefined();
  });

  it('does not enlarge a small image, and honours maxEdge', async () => {
    expect((await thumbnailOf(paths.icon)).thumbnail).toMatchObject({ width: 16, height: 16 });
    expect((await thumbnailOf(paths.png, { maxBytes: 8192, maxEdge: 40 })).thumbnail).toMatchObject({ width: 40, height: 30 });
  });
});

describe('makeThumbnail: files that get none (null, with the reason)', () => {
  it('refuses a file that is not an image', async () => {
    const { thumbnail, refusal } = await thumbnailOf(file('notes.txt', 'just some text\n'));
    expect(thumbnail).toBeNull();
    expect(refusal?.reason).toBe('not-an-image');
  });

  it('refuses an SVG, even one named .png (the type comes from the bytes)', async () => {
    const svg = '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>';
    for (const name of ['drawing.svg', 'drawing.png']) {
      const { thumbnail, refusal } = await thumbnailOf(file(name, svg));
      expect(thumbnail).toBeNull();
      expect(refusal?.reason).toBe('not-an-image');
    }
  });

  it('refuses an empty file, a missing file and a directory', async () => {
    mkdirSync(join(dir, 'folder.png'));
    expect((await thumbnailOf(file('empty.png', ''))).refusal?.reason).toBe('not-an-image');
    expect((await thumbnailOf(join(dir, 'missing.png'))).refusal?.reason).toBe('unreadable');
    expect((await thumbnailOf(join(dir, 'folder.png'))).refusal?.reason).toBe('unreadable');
  });

  it('refuses a truncated PNG', async () => {
    const png = await sharp(noise(300 * 300 * 3), { raw: { width: 300, height: 300, channels: 3 } }).png().toBuffer();
    const { thumbnail, refusal } = await thumbnailOf(file('truncated.png', png.subarray(0, Math.floor(png.length / 2))));
    expect(thumbnail).toBeNull();
    expect(refusal?.reason).toBe('undecodable');
  });

  it('refuses a decompression bomb (a 1 KB PNG declaring 100000×100000 pixels) from its header, fast', async () => {
    const started = Date.now();
    const { thumbnail, refusal } = await thumbnailOf(file('bomb.png', pngBomb(100_000, 100_000)));
    expect(thumbnail).toBeNull();
    expect(refusal?.reason).toBe('too-many-pixels');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses a header just over 50 megapixels (8000×6300)', async () => {
    expect((await thumbnailOf(file('big.png', pngBomb(8000, 6300)))).refusal?.reason).toBe('too-many-pixels');
  });

  it('throws a RangeError for bad options (a programming error, not a bad image)', async () => {
    await expect(makeThumbnail(paths.icon, { maxBytes: 0 })).rejects.toThrow(RangeError);
    await expect(makeThumbnail(paths.icon, { maxBytes: 100, maxEdge: 0 })).rejects.toThrow(RangeError);
    await expect(makeThumbnail(paths.icon, { maxBytes: 100, maxEdge: 5000 })).rejects.toThrow(RangeError);
  });
});
