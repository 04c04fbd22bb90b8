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

