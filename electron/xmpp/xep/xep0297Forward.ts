/**
 * XEP-0297: Stanza Forwarding, version 1.0 (2013-10-02)
 * https://xmpp.org/extensions/xep-0297.html
 *
 * Read only: the message inside a `<forwarded/>` (carbons XEP-0280, archive results XEP-0313) and the
 * time of its optional `<delay/>`.
 */
import type { Element } from '@xmpp/xml';
import { invalid, parsed, type ParseResult } from './stanzaErrors';
import { readDelayStamp } from './xep0203Delay';

export const NS_FORWARD = 'urn:xmpp:forward:0';

/** A forwarded message and the time the forwarder says it was first seen (null without a usable delay). */
export interface Forwarded {
  message: Element;
  stamp: number | null;
}

/**
 * Reads `<forwarded xmlns='urn:xmpp:forward:0'><delay/>?<message/></forwarded>`. §3: the forwarded
 * element holds the one forwarded stanza and, optionally, a delay element with the forwarder's time; only a `<message/>` in the client namespace is taken here.
 */
export function readForwarded(forwarded: Element | undefined): ParseResult<Forwarded> {
  if (!forwarded?.is('forwarded', NS_FORWARD)) return invalid('no forwarded element');
  const stanzas = forwarded.getChildElements().filter((child) => child.name !== 'delay');
  if (stanzas.length !== 1) return invalid('a forwarded element must hold exactly one stanza');
  const message = stanzas[0];
  const ns = message.attrs.xmlns;
  if (message.name !== 'message' || (ns !== undefined && ns !== 'jabber:client')) return invalid('the forwarded stanza is not a client message');
  return parsed({ message, stamp: readDelayStamp(forwarded) ?? readDelayStamp(message) });
}
