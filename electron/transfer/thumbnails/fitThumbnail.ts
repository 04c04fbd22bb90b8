/**
 * The part both thumbnail paths share: decode an image once, within pixel and time bounds, into small sRGB
 * pixels, then encode those pixels again and again (smaller, lossier) until the result fits a byte budget.
 * Decoding from the pixels, not the file, keeps every retry cheap and keeps anything of the input but its
 * pixels (EXIF, XMP, ICC, comments, extra frames, trailing bytes) out of what is sent or shown.
 */
import type { RasterImageType } from '../../xmpp/xep/inlineBinary';
import type { Sharp } from './loadSharp';

/** Media types of the thumbnails Ferry produces. */
export type ThumbnailMediaType = 'image/png' | 'image/jpeg';

/** An encoded thumbnail; width and height are its real pixels. */
export interface EncodedThumbnail<T extends ThumbnailMediaType = ThumbnailMediaType> {
  mediaType: T;
  bytes: Uint8Array;
  width: number;
  height: number;
}

/** Why no thumbnail came out (what a caller logs). */
export type ThumbnailRefusalReason =
  | 'unavailable' // sharp could not be loaded
  | 'unreadable' // the file could not be opened or read
  | 'not-an-image' // no PNG, JPEG, GIF or WebP signature: SVG, HTML, text, anything else
  | 'too-large-input' // received bytes beyond the byte budget
  | 'format-mismatch' // the decoder saw another format than the signature announced
  | 'too-many-pixels' // the header declares more pixels than allowed (a decompression bomb, say)
  | 'undecodable' // corrupt, truncated, or past the decode time bound
  | 'too-large'; // no attempt fitted the byte budget

/** A refusal, with a human-readable detail. */
export interface ThumbnailRefusal {
  reason: ThumbnailRefusalReason;
  detail: string;
}

type Fitted<T extends ThumbnailMediaType> = { ok: true; thumbnail: EncodedThumbnail<T> } | { ok: false; refusal: ThumbnailRefusal };

/** Longest edge a caller may ask for. */
const MAX_THUMBNAIL_EDGE = 1024;
/** Default longest edge of a thumbnail. */
const DEFAULT_THUMBNAIL_EDGE = 128;
/** The smallest edge worth stepping down to. */
const MIN_EDGE = 16;
/** Edge steps, as fractions of the requested edge. */
const EDGE_STEPS = [1, 0.75, 0.5, 0.375, 0.25];
/** A decode (open, shrink-on-load, resize) longer than this is abandoned (sharp's timeout, seconds). */
const DECODE_TIMEOUT_SECONDS = 10;

const FORMAT_OF: Readonly<Record<RasterImageType, string>> = {
  'image/png': 'png', 'image/jpeg': 'jpeg', 'image/gif': 'gif', 'image/webp': 'webp',
};

/** Small decoded pixels: 8-bit sRGB, 3 channels, or 4 when some pixel is not opaque. */
interface Pixels {
  data: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
}

/** How strictly and how far a decode goes. */
export interface DecodeLimits {
  expected: RasterImageType;
  maxPixels: number;
  maxEdge: number;
  /** sharp's failOn: 'warning' for bytes from the network, 'error' for the user's own files. */
  failOn: 'error' | 'warning';
}

const refuse = <T extends ThumbnailMediaType>(reason: ThumbnailRefusalReason, detail: string): Fitted<T> => ({ ok: false, refusal: { reason, detail } });
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Checks caller options; a bad option is a programming error (RangeError), never a bad image. */
export function checkOptions(options: { maxBytes: number; maxEdge?: number }): { maxBytes: number; maxEdge: number } {
  const maxEdge = options.maxEdge ?? DEFAULT_THUMBNAIL_EDGE;
  if (!Number.isSafeInteger(options.maxBytes) || options.maxBytes < 1) throw new RangeError(`maxBytes must be a positive integer, not ${options.maxBytes}`);
  if (!Number.isInteger(maxEdge) || maxEdge < 1 || maxEdge > MAX_THUMBNAIL_EDGE) throw new RangeError(`maxEdge must be 1..${MAX_THUMBNAIL_EDGE}, not ${maxEdge}`);
  return { maxBytes: options.maxBytes, maxEdge };
}

/**
 * Decodes the first frame of input (a path or bytes) into pixels at most maxEdge on a side, EXIF rotation
 * applied. sharp's limitInputPixels refuses a header that declares more than maxPixels before any pixel is
 * decoded ("Assumes image dimensions contained in the input metadata can be trusted": they are what a bomb
 * lies about, and the check is on what it declares).
 */
export async function decodeSmall(sharp: Sharp, input: string | Uint8Array, limits: DecodeLimits): Promise<{ ok: true; pixels: Pixels } | { ok: false; refusal: ThumbnailRefusal }> {
  const image = sharp(input, {
    limitInputPixels: limits.maxPixels, failOn: limits.failOn, pages: 1, page: 0, animated: false, autoOrient: true, sequentialRead: true,
  }).timeout({ seconds: DECODE_TIMEOUT_SECONDS });
  let format: string;
  try {
    format = (await image.metadata()).format;
  } catch (error) {
    const detail = messageOf(error);
    return { ok: false, refusal: { reason: /pixel limit/i.test(detail) ? 'too-many-pixels' : 'undecodable', detail } };
  }
  if (format !== FORMAT_OF[limits.expected]) {
    return { ok: false, refusal: { reason: 'format-mismatch', detail: `signature says ${limits.expected}, decoder says ${format}` } };
  }
  try {
    const { data, info } = await image
      .resize({ width: limits.maxEdge, height: limits.maxEdge, fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3 && info.channels !== 4) return { ok: false, refusal: { reason: 'undecodable', detail: `${info.channels} channels after sRGB conversion` } };
    const pixels: Pixels = { data, width: info.width, height: info.height, channels: info.channels };
    return { ok: true, pixels: await dropOpaqueAlpha(sharp, pixels) };
  } catch (error) {
    const detail = messageOf(error);
    return { ok: false, refusal: { reason: /pixel limit/i.test(detail) ? 'too-many-pixels' : 'undecodable', detail } };
  }
}

/** An alpha channel that is opaque everywhere is dropped, so such an image may become a JPEG. */
async function dropOpaqueAlpha(sharp: Sharp, pixels: Pixels): Promise<Pixels> {
  if (pixels.channels === 3) return pixels;
  const raw = { width: pixels.width, height: pixels.height, channels: pixels.channels };
  if (!(await sharp(pixels.data, { raw }).stats()).isOpaque) return pixels;
  const { data } = await sharp(pixels.data, { raw }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { ...pixels, data, channels: 3 };
}

/** One encoding tried at each edge: what it produces and how. */
interface Encoding<T extends ThumbnailMediaType> {
  mediaType: T;
  apply(image: ReturnType<Sharp>): ReturnType<Sharp>;
}

const PNG_TRUECOLOR: Encoding<'image/png'> = { mediaType: 'image/png', apply: (i) => i.png({ compressionLevel: 9, adaptiveFiltering: true }) };
const pngPalette = (colours: number): Encoding<'image/png'> => ({
  mediaType: 'image/png', apply: (i) => i.png({ palette: true, colours, compressionLevel: 9, effort: 10 }),
});
const jpeg = (quality: number): Encoding<'image/jpeg'> => ({
  mediaType: 'image/jpeg', apply: (i) => i.flatten({ background: '#ffffff' }).jpeg({ quality, mozjpeg: true }),
});

/** PNG only (received thumbnails): lossless first, then palettes. */
export const PNG_LADDER: readonly Encoding<'image/png'>[] = [PNG_TRUECOLOR, pngPalette(256), pngPalette(64)];
/** Opaque pictures: JPEG of falling quality. */
const JPEG_LADDER: readonly Encoding<'image/jpeg'>[] = [jpeg(80), jpeg(60), jpeg(40)];
/** Pictures with transparency: PNG that keeps it, and JPEG on white as the last resort at each edge. */
const ALPHA_LADDER: readonly Encoding<ThumbnailMediaType>[] = [PNG_TRUECOLOR, pngPalette(256), pngPalette(64), jpeg(60)];

/** The ladder for pixels that may become PNG or JPEG (send side). */
export function ladderFor(pixels: Pixels): readonly Encoding<ThumbnailMediaType>[] {
  return pixels.channels === 4 ? ALPHA_LADDER : JPEG_LADDER;
}

/** Edges to try, largest first: fixed fractions of maxEdge, none below MIN_EDGE (unless maxEdge is). */
function edgesFor(maxEdge: number, pixels: Pixels): number[] {
  const longest = Math.min(maxEdge, Math.max(pixels.width, pixels.height));
  const edges = EDGE_STEPS.map((step) => Math.round(longest * step)).filter((edge) => edge >= Math.min(MIN_EDGE, longest));
  return [...new Set(edges)];
}

/**
 * Encodes pixels with each encoding at each edge, largest edge first, until one result is at most
 * maxBytes. At most EDGE_STEPS × ladder attempts, each on pixels already no larger than maxEdge.
 */
export async function fitUnder<T extends ThumbnailMediaType>(
  sharp: Sharp, pixels: Pixels, ladder: readonly Encoding<T>[], limits: { maxBytes: number; maxEdge: number },
): Promise<Fitted<T>> {
  let smallest = Infinity;
  for (const edge of edgesFor(limits.maxEdge, pixels)) {
    for (const encoding of ladder) {
      const image = sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: pixels.channels } })
        .resize({ width: edge, height: edge, fit: 'inside', withoutEnlargement: true });
      const { data, info } = await encoding.apply(image).toBuffer({ resolveWithObject: true });
      if (data.length <= limits.maxBytes) {
        return { ok: true, thumbnail: { mediaType: encoding.mediaType, bytes: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height } };
      }
      smallest = Math.min(smallest, data.length);
    }
  }
  return refuse('too-large', `the smallest attempt was ${smallest} bytes, over the ${limits.maxBytes}-byte budget`);
}
