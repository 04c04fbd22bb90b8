/**
 * XEP-0280: Message Carbons, version 1.0.1 (2022-09-28)
 * https://xmpp.org/extensions/xep-0280.html
 *
 * Enabling carbons and reading `<received/>` / `<sent/>` copies. The outer `from` is checked here
 * (CVE-2017-5589: clients that did not were fooled by carbons forged by any contact).
 */
import xml, { type Element } from '@xmpp/xml';
import { toBareJid } from '../../../shared/model/jid';
import { invalid, parsed, type ParseResult } from './stanzaErrors';
import { readForwarded } from './xep0297Forward';

export const NS_CARBONS = 'urn:xmpp:carbons:2';

/** Which copy: a message another resource of the account received, or one it sent. */
export type CarbonDirection = 'received' | 'sent';

export interface Carbon {
  direction: CarbonDirection;
  /** The forwarded original message. */
  message: Element;
  stamp: number | null;
}

/** §4 Example 4: `<iq type='set'><enable xmlns='urn:xmpp:carbons:2'/></iq>` (to the server: no `to`). */
export function buildEnableCarbons(): Element {
  return xml('iq', { type: 'set' }, xml('enable', { xmlns: NS_CARBONS }));
}

/** True when a message is a carbon wrapper (a `<received/>` or `<sent/>` child in the carbons namespace). */
export function isCarbon(message: Element): boolean {
  return Boolean(message.getChild('received', NS_CARBONS) ?? message.getChild('sent', NS_CARBONS));
}

function sameBare(a: unknown, b: string): boolean {
  return typeof a === 'string' && a !== '' && toBareJid(a).toLowerCase() === b.toLowerCase();
}

/**
 * Reads a carbon copy addressed to the account `ownBare`. §11: "Any forwarded copies received by a Carbons-
 * enabled client MUST be from that user's bare JID; any copies that do not meet this requirement MUST be
 * ignored." Also refused: a `<sent/>` whose original is not from the account, a `<received/>` whose
 * original is not to it, and a wrapper with both or neither child.
 */
export function readCarbon(message: Element, ownBare: string): ParseResult<Carbon> {
  const received = message.getChildren('received', NS_CARBONS);
  const sent = message.getChildren('sent', NS_CARBONS);
  if (received.length + sent.length !== 1) return invalid('a carbon holds exactly one received or sent element');
  const from = message.attrs.from;
  if (typeof from !== 'string' || from.toLowerCase() !== ownBare.toLowerCase()) {
    return invalid(`a carbon not from the account's bare JID (from ${String(from)}) is ignored (§11)`, 'forbidden');
  }
  const direction: CarbonDirection = sent.length === 1 ? 'sent' : 'received';
  const forwarded = readForwarded((sent[0] ?? received[0]).getChild('forwarded'));
  if (!forwarded.ok) return forwarded;
  const inner = forwarded.value.message;
  if (direction === 'sent' && !sameBare(inner.attrs.from, ownBare)) return invalid('a sent carbon of a message not from the account', 'forbidden');
  if (direction === 'received' && !sameBare(inner.attrs.to, ownBare)) return invalid('a received carbon of a message not to the account', 'forbidden');
  return parsed({ direction, message: inner, stamp: forwarded.value.stamp });
}
