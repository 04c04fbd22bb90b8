/** fast-check material for the Jingle parser tests (XEP-0166, -0234, -0260, -0261, -0300). */
import fc from 'fast-check';
import type { Element } from '@xmpp/xml';
import { expect } from 'vitest';
import type { ParseResult, StanzaErrorCondition } from '../../electron/xmpp/xep/stanzaErrors';
import { arbitraryElementOver, el, reparse } from './xepFixtures';

const NAMESPACES = [
  'urn:xmpp:jingle:1', 'urn:xmpp:jingle:errors:1', 'urn:xmpp:jingle:apps:file-transfer:5', 'urn:xmpp:jingle:apps:file-transfer:4',
  'urn:xmpp:jingle:apps:file-transfer:3', 'urn:xmpp:jingle:apps:file-transfer:errors:0', 'urn:xmpp:jingle:transports:s5b:1',
  'urn:xmpp:jingle:transports:ibb:1', 'urn:xmpp:hashes:2', 'urn:xmpp:hashes:1', 'urn:other',
];

/** Attribute and text values that have broken parsers before: signs, exponents, overflow, bidi, paths, sheer size. */
const HOSTILE_VALUES = [
  '', ' ', '-1', '0', '1', '65535', '65536', '4294967296', '9007199254740993', '1e3', '0x10', ' 7', '7 ', 'a b',
  'initiator', 'responder', 'both', 'none', 'session', 'early-session', 'session-initiate', 'session-info', 'session-accept',
  'transport-info', 'content-modify', 'sha-256', 'sha-1', 'SHA-256', 'md5', 'tcp', 'udp', 'iq', 'message', 'direct', 'proxy',
  'romeo@montague.lit/orchard', 'streamer.shakespeare.lit', '192.168.4.1', '2001:638:708:30c9::1', '1969-07-21T02:56:15Z',
  'w0mcJylzCn+AfvuGdqkty2+KP48=', '2XarmwTlNxDAMkvymloX3S5+VbylNrJt/l5QyPa+YoU=', '2XarmwTlNxDAMkvymloX3S5+VbylNrJt/l5QyPa+YoV=',
  '552da749930852c69ae5d2141d3766b1', 'not base64!', '====', '\u202eexe.txt', '../../etc/passwd', 'x'.repeat(5000),
];

/** Random trees over the Jingle vocabulary (see arbitraryElementOver). */
export const arbitraryJingleElement: fc.Arbitrary<Element> = arbitraryElementOver({
  names: ['jingle', 'content', 'description', 'transport', 'reason', 'text', 'sid', 'success', 'decline', 'alternative-session',
    'file', 'offer', 'name', 'size', 'date', 'desc', 'media-type', 'range', 'hash', 'hash-used', 'checksum', 'received',
    'candidate', 'candidate-used', 'candidate-error', 'activated', 'proxy-error', 'security'],
  namespaces: NAMESPACES,
  attrs: ['xmlns', 'action', 'sid', 'initiator', 'responder', 'creator', 'name', 'senders', 'disposition', 'algo', 'offset',
    'length', 'cid', 'host', 'jid', 'port', 'priority', 'type', 'mode', 'dstaddr', 'block-size', 'stanza', 'xml:lang'],
  values: HOSTILE_VALUES.filter((value) => value.length < 100),
});

type Operation = 'set-attr' | 'drop-attr' | 'drop-child' | 'duplicate-child' | 'set-text' | 'rename';
interface Mutation {
  at: number;
  operation: Operation;
  attr: string;
  value: string;
}

function allElements(root: Element): Element[] {
  return [root, ...root.getChildElements().flatMap(allElements)];
}

function applyMutation(root: Element, mutation: Mutation): void {
  const elements = allElements(root);
  const target = elements[mutation.at % elements.length];
  const children = target.getChildElements();
  const child = children.length > 0 ? children[mutation.at % children.length] : undefined;
  const keys = Object.keys(target.attrs);
  switch (mutation.operation) {
    case 'set-attr': target.attrs[mutation.attr] = mutation.value; break;
    case 'drop-attr': if (keys.length > 0) delete target.attrs[keys[mutation.at % keys.length]]; break;
    case 'drop-child': if (child) target.children = target.children.filter((node) => node !== child); break;
    case 'duplicate-child': if (child) target.cnode(reparse(child)); break;
    case 'set-text': target.children = [...children, mutation.value]; break;
    case 'rename': target.name = mutation.value.length > 0 && /^[a-z-]+$/.test(mutation.value) ? mutation.value : mutation.attr; break;
  }
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  operation: fc.constantFrom<Operation>('set-attr', 'drop-attr', 'drop-child', 'duplicate-child', 'set-text', 'rename'),
  attr: fc.constantFrom('action', 'sid', 'creator', 'name', 'senders', 'disposition', 'algo', 'offset', 'length', 'cid', 'host',
    'jid', 'port', 'priority', 'type', 'mode', 'dstaddr', 'block-size', 'stanza', 'xmlns'),
  value: fc.oneof(fc.constantFrom(...HOSTILE_VALUES, ...NAMESPACES), fc.string({ maxLength: 24 })),
});

/**
 * Spec examples (XML strings) with up to eight random mutations each (attributes set or dropped, children
 * dropped or duplicated, text replaced, elements renamed), then serialised and parsed again as off the wire.
 * Near-misses reach far deeper into a parser than random trees do.
 */
export function mutatedFixture(fixtures: readonly string[]): fc.Arbitrary<Element> {
  return fc.record({ fixture: fc.constantFrom(...fixtures), mutations: fc.array(mutation, { maxLength: 8 }) }).map(({ fixture, mutations }) => {
    const root = el(fixture);
    for (const step of mutations) applyMutation(root, step);
    return reparse(root);
  });
}

/** Asserts a parser's answer is a value or a stanza error with one of the given conditions. */
export function expectOkOrStanzaError<T>(result: ParseResult<T>, conditions: readonly StanzaErrorCondition[] = ['bad-request']): void {
  if (result.ok) return;
  expect(conditions).toContain(result.error.condition);
  expect(typeof result.error.text).toBe('string');
}

/** A plain, comparable picture of an Element: name, attributes and children, whitespace-only text dropped. */
export interface ElementShape {
  name: string;
  attrs: Record<string, unknown>;
  children: (ElementShape | string)[];
}

/** The shape of an element, for structural comparison (Elements carry parent links that toEqual should not follow). */
export function shape(element: Element): ElementShape {
  return {
    name: element.name,
    attrs: { ...element.attrs },
    children: element.children
      .filter((child) => typeof child !== 'string' || child.trim() !== '')
      .map((child) => (typeof child === 'string' ? child : shape(child as Element))),
  };
}
