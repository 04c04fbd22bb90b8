/**
 * File names from the network are untrusted (DESIGN.md "Where files go"). sanitizeFileName turns any
 * string into one plain file name that is safe to create on Linux, macOS and Windows.
 */

/** Longest name we create, in UTF-8 bytes (file systems allow 255; room is left for " (n)" and ".part"). */
export const MAX_FILE_NAME_BYTES = 200;
/** An extension longer than this is not worth keeping when a name must be shortened. */
const MAX_KEPT_EXTENSION_BYTES = 32;
const FALLBACK_NAME = 'file';

const LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// C0, DEL and C1 controls; bidi embeddings/overrides U+202A–U+202E, isolates U+2066–U+2069, the marks
// U+200E/U+200F and U+061C: they make "\u202Egnp.exe" display as "exe.png".
const INVISIBLE_RE = /[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;
// Characters Windows forbids in names (and ':' also means a stream or a drive).
const WINDOWS_FORBIDDEN_RE = /[<>:"|?*]/g;
const LEADING_RE = /^[.\s]+/;
const TRAILING_RE = /[.\s]+$/;
// Windows device names, with or without extension ("CON.txt", "nul.tar.gz", "COM¹"), case-insensitive.
const RESERVED_RE = /^(?:CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[1-9\u00B9\u00B2\u00B3]|LPT[1-9\u00B9\u00B2\u00B3])$/i;

/** UTF-8 length of text. */
export function utf8Length(text: string): number {
  // Counted by hand: shared/ has neither DOM nor Node types (no TextEncoder). A lone surrogate counts
  // 3, as the U+FFFD an encoder writes for it.
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** The longest prefix of text that fits in maxBytes of UTF-8, cut between code points. */
function truncateUtf8(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = utf8Length(char);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}

/** Splits "name.ext" into ["name", ".ext"]; no extension when there is no dot after the first char. */
export function splitExtension(name: string): [string, string] {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
}

/** Caps name at maxBytes, keeping a short extension, and trims what the cut leaves at the end. */
function capLength(name: string, maxBytes: number): string {
  if (utf8Length(name) <= maxBytes) return name;
  const [stem, extension] = splitExtension(name);
  const extensionBytes = utf8Length(extension);
  if (extension && extensionBytes <= MAX_KEPT_EXTENSION_BYTES) {
    const cutStem = truncateUtf8(stem, maxBytes - extensionBytes).replace(TRAILING_RE, '');
    if (cutStem) return cutStem + extension;
  }
  return truncateUtf8(name, maxBytes).replace(TRAILING_RE, '');
}

/** True for a Windows device name, whatever its extension. */
export function isWindowsReserved(name: string): boolean {
  const firstPart = name.split('.')[0].replace(/ +$/, '');
  return RESERVED_RE.test(firstPart);
}

/**
 * One safe file name from an untrusted one: the last path segment (after / or \), without control or
 * bidi characters, with Windows-forbidden characters as '_', without leading dots or spaces (no
 * hidden files, no '.' or '..') or trailing ones (Windows drops them), '_' before a Windows device
 * name, at most MAX_FILE_NAME_BYTES of UTF-8 (keeping the extension), 'file' when nothing is left.
 * Idempotent: sanitizing a sanitized name returns it unchanged.
 */
export function sanitizeFileName(untrusted: string): string {
  const wellFormed = untrusted.replace(LONE_SURROGATE_RE, '_');
  const segments = wellFormed.split(/[/\\]/);
  let name = segments[segments.length - 1];
  name = name.replace(INVISIBLE_RE, '').replace(WINDOWS_FORBIDDEN_RE, '_');
  name = name.replace(LEADING_RE, '').replace(TRAILING_RE, '');
  name = capLength(name, MAX_FILE_NAME_BYTES);
  if (isWindowsReserved(name)) name = capLength(`_${name}`, MAX_FILE_NAME_BYTES);
  return name === '' ? FALLBACK_NAME : name;
}

/**
 * The n-th alternative of a sanitized name, "name (n).ext", still within MAX_FILE_NAME_BYTES; n = 0
 * is the name itself.
 */
export function numberedFileName(safeName: string, n: number): string {
  if (n === 0) return safeName;
  const [stem, extension] = splitExtension(safeName);
  const suffix = ` (${n})`;
  const room = MAX_FILE_NAME_BYTES - utf8Length(suffix) - utf8Length(extension);
  const cutStem = room > 0 ? truncateUtf8(stem, room) : '';
  return `${cutStem || FALLBACK_NAME}${suffix}${room > 0 ? extension : ''}`;
}
