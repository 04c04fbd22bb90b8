/**
 * Thumbnails from the network (Kontalk's IBB-style data, XEP-0231 data behind a XEP-0264 `cid:` URI, a
 * fetched URL). Issue: "only image types, size-limited, never script-capable (no SVG)". Whatever the
 * sender crafted is decoded and a fresh PNG is encoded from the pixels, so nothing of its bytes (chunks,
 * metadata, a polyglot's second meaning) reaches the renderer.
 */
import { sniffRasterImageType } from '../../xmpp/xep/inlineBinary';
import {
  checkOptions, decodeSmall, fitUnder, PNG_LADDER, type EncodedThumbnail, type ThumbnailRefusal,
} from './fitThumbnail';
import { loadSharp } from './loadSharp';

/**
 * Received thumbnails declaring more pixels than this (4096 × 4096) are refused before decoding. XEP-0264
 * §5: "A client MUST NOT rely on the values specified for the width and height of a thumbnail to allocate a
 * bitmap data buffer": the decoder's own header check is what bounds memory here.
 */
export const MAX_RECEIVED_THUMBNAIL_PIXELS = 4096 * 4096;

/** Options of checkReceivedThumbnail. */
export interface ReceivedThumbnailOptions {
  /**
   * Byte budget, for the received bytes and for the PNG made from them (e.g. MAX_BOB_READ_BYTES or
   * MAX_KONTALK_THUMBNAIL_BYTES).
   */
  maxBytes: number;
  /** Longest edge of the PNG, 1..1024; default 128. */
  maxEdge?: number;
  /** Told why, when the result is null. */
  onRefused?: (refusal: ThumbnailRefusal) => void;
}

/**
 * A PNG re-encoded from received thumbnail bytes, at most maxEdge on its longest side and maxBytes long, or
 * null (reason to onRefused): more than maxBytes received, no PNG/JPEG/GIF/WebP signature (SVG, HTML, text,
 * garbage), a decoder that disagrees with the signature, a header over MAX_RECEIVED_THUMBNAIL_PIXELS, any
 * decode warning (truncated data included: sharp's failOn 'warning', its advice for untrusted input).
 * First frame only; EXIF orientation applied. Never rejects for bad bytes; bad options throw a RangeError.
 */
export async function checkReceivedThumbnail(bytes: Uint8Array, options: ReceivedThumbnailOptions): Promise<EncodedThumbnail<'image/png'> | null> {
  const limits = checkOptions(options);
  const refused = (refusal: ThumbnailRefusal): null => {
    options.onRefused?.(refusal);
    return null;
  };
  if (bytes.length > limits.maxBytes) return refused({ reason: 'too-large-input', detail: `${bytes.length} bytes received, at most ${limits.maxBytes} accepted` });
  const expected = sniffRasterImageType(bytes);
  if (!expected) return refused({ reason: 'not-an-image', detail: 'no PNG, JPEG, GIF or WebP signature' });
  const loaded = await loadSharp();
  if (!loaded.ok) return refused({ reason: 'unavailable', detail: loaded.reason });
  try {
    const decoded = await decodeSmall(loaded.sharp, bytes, { expected, maxPixels: MAX_RECEIVED_THUMBNAIL_PIXELS, maxEdge: limits.maxEdge, failOn: 'warning' });
    if (!decoded.ok) return refused(decoded.refusal);
    const fitted = await fitUnder(loaded.sharp, decoded.pixels, PNG_LADDER, limits);
    return fitted.ok ? fitted.thumbnail : refused(fitted.refusal);
  } catch (error) {
    return refused({ reason: 'undecodable', detail: error instanceof Error ? error.message : String(error) });
  }
}
