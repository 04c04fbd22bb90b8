/**
 * XEP-0359: Unique and Stable Stanza IDs, version 0.7.0 (2023-02-20)
 * https://xmpp.org/extensions/xep-0359.html
 *
 * Read only, for dropping duplicates in the history store: the `<stanza-id/>` our own server stamped and
 * the sender's `<origin-id/>`. Ferry does not add `<origin-id/>` to what it sends yet (issue #10).
 */
import type { Element } from '@xmpp/xml';

export const NS_SID = 'urn:xmpp:sid:0';

/** Longest id kept; longer ones are ignored rather than stored (ids are UUIDs in practice). */
const MAX_ID_LENGTH = 256;

/** The ids a message carries, each null when absent or not trusted. */
export interface StanzaIds {
  /** The id assigned by `trustedBy` (our own account's server archive). */
  stanzaId: string | null;
  originId: string | null;
}

function readId(element: Element | undefined): string | null {
  const id = element?.attrs.id;
  return typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH ? id : null;
}

/**
 * Reads the ids of a message. §3: "the IDs defined in this extension MUST be unique and stable within the
 * scope of the generating XMPP entity", so a stanza-id means something only together with its 'by'; and
 * "Stanzas MUST possess, in the direct child level of the stanza, at most one <stanza-id/> extension element
 * with the same XMPP address as value of the 'by' attribute". Only the one whose 'by' is `trustedBy` (the
 * account's bare JID, whose server assigns it) is taken: anyone else's could be forged by the sender (§5, Security Considerations).
 */
export function readStanzaIds(message: Element, trustedBy: string): StanzaIds {
  const own = message.getChildren('stanza-id', NS_SID).filter((child) => String(child.attrs.by ?? '').toLowerCase() === trustedBy.toLowerCase());
  return { stanzaId: own.length === 1 ? readId(own[0]) : null, originId: readId(message.getChild('origin-id', NS_SID)) };
}
