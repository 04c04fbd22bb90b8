/**
 * Small binary payloads carried as base64 character data inside stanzas (XEP-0231 `<data/>`, the Kontalk
 * thumbnail of seed 002), shared by the pure parsers of this folder.
 *
 * transport/ibb/strictBase64.ts does the same check for IBB blocks, but the layer rules (STYLE.md, rule 4
 * and the eslint zone of xep/) keep xep/ from importing transport/, so the few lines live here too.
 */

/** Base64 text of at most this many decoded bytes is at most this long (padded, no whitespace). */
function encodedLength(byteLength: number): number {
  return Math.ceil(byteLength / 3) * 4;
}

/** Decoded inline data, or why there is none. */
export type InlineBytes = { ok: true; bytes: Uint8Array } | { ok: false; reason: 'too-large' | 'malformed' };

/**
 * Decodes base64 character data of at most maxBytes decoded bytes. XML whitespace (space, tab, CR, LF)
 * is removed first: XEP-0231 §2.5 says "the Base64 output MUST NOT include whitespace", yet its own
 * example breaks lines ("line endings are provided for readability only"), and the seed 002 thumbnail is
 * line-broken too. What remains must be canonical RFC 4648 §4 base64: alphabet characters only, padding
 * only at the end, pad bits zero (re-encoding gives back the same text). The length is checked before
 * anything is decoded, so an oversized payload costs no allocation.
 */
export function decodeInlineBase64(text: string, maxBytes: number): InlineBytes {
  const compact = text.replace(/[ \t\r\n]+/g, '');
  if (compact.length > encodedLength(maxBytes)) return { ok: false, reason: 'too-large' };
  const buffer = Buffer.from(compact, 'base64');
  if (compact === '' || buffer.toString('base64') !== compact) return { ok: false, reason: 'malformed' };
  if (buffer.byteLength > maxBytes) return { ok: false, reason: 'too-large' };
  return { ok: true, bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength) };
}

/** Padded base64 of bytes, without whitespace. */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Raster image types a thumbnail may have (SVG is left out on purpose: it is a document that can script). */
export type RasterImageType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0): boolean =>
  bytes.length >= at + prefix.length && prefix.every((byte, index) => bytes[at + index] === byte);

/**
 * The raster image type the bytes announce by their signature, or null. Used to decide what a thumbnail
 * is from its content rather than from a label a peer or server wrote next to it.
 */
export function sniffRasterImageType(bytes: Uint8Array): RasterImageType | null {
  // 89 50 4E 47 0D 0A 1A 0A = PNG signature (PNG §5.2)
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  // FF D8 FF = JPEG SOI marker followed by the next marker's FF
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  // 47 49 46 38 = "GIF8" (GIF87a / GIF89a)
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return 'image/gif';
  // 52 49 46 46 = "RIFF", then a 4-byte size, then 57 45 42 50 = "WEBP"
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  return null;
}
