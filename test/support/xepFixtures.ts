/** Helpers for the XEP parser tests: spec-example XML in, Elements out, and random trees for fast-check. */
import fc from 'fast-check';
import { parse } from 'ltx';
import xml, { type Element } from '@xmpp/xml';

/** Parses an XML string (a spec example) into an Element. */
export function el(text: string): Element {
  return parse(text.trim()) as unknown as Element;
}

/** Serialises and parses again, so that a built Element is read the way one off the wire would be. */
export function reparse(element: Element): Element {
  return el(element.toString());
}

/** The first child element of a stanza (the payload an iq handler receives). */
export function payload(stanza: string): Element {
  return el(stanza).getChildElements()[0];
}

const NAMES = ['query', 'streamhost', 'streamhost-used', 'activate', 'open', 'data', 'close', 'si', 'file', 'desc',
  'range', 'feature', 'x', 'field', 'option', 'value', 'error', 'text', 'bad-request', 'no-valid-streams'];
const NAMESPACES = ['http://jabber.org/protocol/bytestreams', 'http://jabber.org/protocol/ibb', 'http://jabber.org/protocol/si',
  'http://jabber.org/protocol/si/profile/file-transfer', 'http://jabber.org/protocol/feature-neg', 'jabber:x:data',
  'urn:ietf:params:xml:ns:xmpp-stanzas', 'urn:other'];
const ATTRS = ['xmlns', 'sid', 'jid', 'host', 'port', 'mode', 'dstaddr', 'block-size', 'seq', 'stanza', 'id', 'profile',
  'mime-type', 'name', 'size', 'date', 'hash', 'offset', 'length', 'type', 'var'];

/** The names, namespaces, attributes and attribute values random trees are drawn from. */
export interface ElementVocabulary {
  names: readonly string[];
  namespaces: readonly string[];
  attrs: readonly string[];
  /** Extra attribute values, besides the namespaces, short strings and integers. */
  values: readonly string[];
}

/**
 * Random Element trees (up to four levels) over a vocabulary, to feed parsers garbage that looks close to
 * right. Built from XML strings' shape, then reparsed so namespaces resolve as on the wire.
 */
export function arbitraryElementOver(vocabulary: ElementVocabulary): fc.Arbitrary<Element> {
  const value = fc.oneof(
    fc.constantFrom(...vocabulary.namespaces), fc.string({ maxLength: 12 }), fc.nat().map(String), fc.integer().map(String),
    fc.constantFrom(...vocabulary.values),
  );
  const elementWith = (children: fc.Arbitrary<Element[]>): fc.Arbitrary<Element> => fc.record({
    name: fc.constantFrom(...vocabulary.names),
    attrs: fc.dictionary(fc.constantFrom(...vocabulary.attrs), value, { maxKeys: 5 }),
    text: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
    children,
  }).map(({ name, attrs, text, children: kids }) => xml(name, attrs, ...(text === undefined ? [] : [text]), ...kids));
  const leaf = elementWith(fc.constant([]));
  const level1 = elementWith(fc.array(leaf, { maxLength: 3 }));
  const level2 = elementWith(fc.array(fc.oneof(leaf, level1), { maxLength: 3 }));
  return elementWith(fc.array(fc.oneof(leaf, level1, level2), { maxLength: 3 })).map((element) => reparse(element));
}

/** Random trees over the vocabulary of the SI, S5B and IBB XEPs (see arbitraryElementOver). */
export const arbitraryElement: fc.Arbitrary<Element> = arbitraryElementOver({
  names: NAMES, namespaces: NAMESPACES, attrs: ATTRS,
  values: ['tcp', 'udp', 'iq', 'message', 'form', 'submit', '65535', '65536', '-1', '1e3', '0x10', ' 7'],
});
