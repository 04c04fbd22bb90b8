/**
 * Strict base64 (RFC 4648 §4) for IBB data, as XEP-0047 2.0.1 §6 (Security Considerations) demands:
 * https://xmpp.org/extensions/xep-0047.html#sec
 */

// "An implementation MUST reject (not ignore) any characters that are not explicitly allowed by the
// Base64 alphabet" and "MUST reject any sequence of Base64 characters containing the pad ('=')
// character if that character is included as something other than the last character of the data".
// XEP-0047 §2.2: "Each block MUST be a valid base64 block with padding at the end if needed."
// So: whole quanta of four characters, padding only at the very end, no whitespace or line breaks.
const STRICT_BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

// RFC 4648 §3.5 (canonical encoding): the pad bits of the last quantum must be zero. With '==' the
// second character carries 4 pad bits, with '=' the third carries 2; only these characters leave them 0.
const CANONICAL_BEFORE_TWO_PADS = 'AQgw';
const CANONICAL_BEFORE_ONE_PAD = 'AEIMQUYcgkosw048';

/** Largest decoded size of a base64 text of this length. */
export function decodedLengthUpperBound(base64Length: number): number {
  return Math.floor(base64Length / 4) * 3;
}

/** Base64 text of at most maxBytes decoded bytes is at most this long. */
export function encodedLength(byteLength: number): number {
  return Math.ceil(byteLength / 3) * 4;
}

/** True when text is canonical, padded base64 with nothing but alphabet characters. */
export function isStrictBase64(text: string): boolean {
  if (!STRICT_BASE64_RE.test(text)) return false;
  if (text.endsWith('==')) return CANONICAL_BEFORE_TWO_PADS.includes(text[text.length - 3]);
  if (text.endsWith('=')) return CANONICAL_BEFORE_ONE_PAD.includes(text[text.length - 2]);
  return true;
}

/** Decodes strict base64, or returns null for anything isStrictBase64 rejects. */
export function decodeStrictBase64(text: string): Uint8Array | null {
  if (!isStrictBase64(text)) return null;
  const buffer = Buffer.from(text, 'base64');
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Encodes bytes as padded base64 without copying them first. */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
