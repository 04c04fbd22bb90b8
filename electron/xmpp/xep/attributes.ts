/** Typed reads of untrusted attributes, shared by the pure XEP parsers of this folder. */
import type { Element } from '@xmpp/xml';

/** The attribute as a string, or null when absent (or, after a parse, not a string at all). */
export function readAttr(element: Element, name: string): string | null {
  const value: unknown = element.attrs[name];
  return typeof value === 'string' ? value : null;
}

/**
 * A non-negative decimal integer (XML Schema xs:integer / xs:unsignedShort lexical form without sign),
 * at most `max`; null for anything else, including '', '+1', '1.0', ' 1' and values past 2^53.
 */
export function readUint(element: Element, name: string, max: number = Number.MAX_SAFE_INTEGER): number | null {
  const text = readAttr(element, name);
  if (text === null || !/^[0-9]{1,16}$/.test(text)) return null;
  const value = Number(text);
  return Number.isSafeInteger(value) && value <= max ? value : null;
}


/** Longest media type read from a peer; a longer one reads as absent. */
export const MAX_MEDIA_TYPE_ATTR_LENGTH = 255;
// RFC 2045 §5.1: type "/" subtype *(";" parameter), each a token (no SPACE, CTLs or tspecials) and a
// parameter value a token or a quoted-string.
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const MEDIA_TYPE_RE = new RegExp(`^${TOKEN}/${TOKEN}(?:\\s*;\\s*${TOKEN}=(?:${TOKEN}|"[^"\\\\\\p{Cc}]*"))*$`, 'u');

/** True when text is a media type in RFC 2045 syntax of at most MAX_MEDIA_TYPE_ATTR_LENGTH characters. */
export function isMediaType(text: string): boolean {
  return text.length <= MAX_MEDIA_TYPE_ATTR_LENGTH && MEDIA_TYPE_RE.test(text);
}

/** A media type attribute (see isMediaType), trimmed; null when absent, malformed or too long. */
export function readMediaType(element: Element, name: string): string | null {
  const text = readAttr(element, name)?.trim() ?? '';
  return isMediaType(text) ? text : null;
}
