/**
 * Thumbnails of files Ferry sends (issue: "On send, images (PNG, JPEG, WebP, GIF) get a small thumbnail
 * (bounded pixels and bytes)"). The type comes from the file's first bytes, never its name, so an SVG or
 * an HTML file named photo.png gets none.
 */
import { open } from 'node:fs/promises';
import { sniffRasterImageType } from '../../xmpp/xep/inlineBinary';
import {
  checkOptions, decodeSmall, fitUnder, ladderFor, type EncodedThumbnail, type ThumbnailRefusal,
} from './fitThumbnail';
import { loadSharp } from './loadSharp';

/** Headers declaring more pixels than this (50 megapixels) are refused before decoding. */
export const MAX_SOURCE_PIXELS = 50_000_000;
/** Enough leading bytes for every signature sniffRasterImageType knows (WebP's is at 8..11). */
const SNIFF_BYTES = 16;

/** Options of makeThumbnail. */
export interface MakeThumbnailOptions {
  /** The thumbnail's byte budget (e.g. MAX_BOB_SEND_BYTES for XEP-0231, MAX_KONTALK_THUMBNAIL_BYTES). */
  maxBytes: number;
  /** Longest edge in pixels, 1..1024; default 128. */
  maxEdge?: number;
  /** Told why, when the result is null (for the attempt log). */
  onRefused?: (refusal: ThumbnailRefusal) => void;
}

/**
 * A PNG (when the picture has transparency) or JPEG thumbnail of the image file at path, at most maxEdge
 * pixels on its longest side and at most maxBytes long: first frame only (GIF, WebP), EXIF orientation
 * applied, no metadata. Null (with the reason given to onRefused) for anything that is not a PNG, JPEG, GIF
 * or WebP by its signature, a header declaring more than MAX_SOURCE_PIXELS, an undecodable or truncated
 * file, or when even the smallest attempt is over maxBytes. Never rejects for a bad or missing file; bad
 * options throw a RangeError.
 */
export async function makeThumbnail(path: string, options: MakeThumbnailOptions): Promise<EncodedThumbnail | null> {
  const limits = checkOptions(options);
  const refused = (refusal: ThumbnailRefusal): null => {
    options.onRefused?.(refusal);
    return null;
  };
  const head = await readHead(path);
  if (!head.ok) return refused({ reason: 'unreadable', detail: head.detail });
  const expected = sniffRasterImageType(head.bytes);
  if (!expected) return refused({ reason: 'not-an-image', detail: 'no PNG, JPEG, GIF or WebP signature' });
  const loaded = await loadSharp();
  if (!loaded.ok) return refused({ reason: 'unavailable', detail: loaded.reason });
  try {
    const decoded = await decodeSmall(loaded.sharp, path, { expected, maxPixels: MAX_SOURCE_PIXELS, maxEdge: limits.maxEdge, failOn: 'error' });
    if (!decoded.ok) return refused(decoded.refusal);
    const fitted = await fitUnder(loaded.sharp, decoded.pixels, ladderFor(decoded.pixels), limits);
    return fitted.ok ? fitted.thumbnail : refused(fitted.refusal);
  } catch (error) {
    return refused({ reason: 'undecodable', detail: error instanceof Error ? error.message : String(error) });
  }
}

/** The first SNIFF_BYTES of a regular file. */
async function readHead(path: string): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; detail: string }> {
  let handle;
  try {
    handle = await open(path, 'r');
    if (!(await handle.stat()).isFile()) return { ok: false, detail: `${path} is not a regular file` };
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return { ok: true, bytes: buffer.subarray(0, bytesRead) };
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  } finally {
    await handle?.close().catch(() => {});
  }
}
