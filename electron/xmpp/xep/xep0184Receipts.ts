/**
 * XEP-0184: Message Delivery Receipts, version 1.4.0 (2018-08-02)
 * https://xmpp.org/extensions/xep-0184.html
 *
 * Pure: the request child Ferry adds to what it sends, the answer to a peer's request, and reading an
 * incoming receipt. Which receipts are believed (only from the bare JID the id was sent to) is decided by
 * `acceptReceipt`; the session wiring is xmpp/receipts.ts (issue #10).
 */
import xml, { type Element } from '@xmpp/xml';

export const NS_RECEIPTS = 'urn:xmpp:receipts';

/** Longest id accepted in a receipt; longer ones are ignored. */
const MAX_ID_LENGTH = 256;

/** The `<request/>` child of a content message. */
export function receiptRequest(): Element {
  return xml('request', { xmlns: NS_RECEIPTS });
}

function bareOf(jid: string): string {
  const slash = jid.indexOf('/');
  return (slash === -1 ? jid : jid.slice(0, slash)).toLowerCase();
}

/**
 * The receipt to send for an incoming message, or null when none is due. A receipt is generated
 * only for a message that asked for one and has an id; §5.3 (Groupchat): not for groupchat; never for an error, and
 * a message that is itself a receipt is never answered (§5.4, Ack Messages: no loops). Ferry answers only content messages
 * (a body) of type chat or normal from a full JID.
 */
export function receiptFor(message: Element): Element | null {
  if (message.name !== 'message' || !message.getChild('request', NS_RECEIPTS)) return null;
  if (message.getChild('received', NS_RECEIPTS)) return null;
  const type = message.attrs.type ?? 'normal';
  if (type !== 'chat' && type !== 'normal') return null;
  const id = message.attrs.id;
  const from = message.attrs.from;
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) return null;
  if (typeof from !== 'string' || !from.includes('/')) return null;
  if (typeof message.getChildText('body') !== 'string') return null;
  return xml('message', { to: from, id: `receipt-${id}` }, xml('received', { xmlns: NS_RECEIPTS, id }));
}

/** The id a `<received/>` acknowledges, or null when the message carries no usable receipt. */
export function readReceipt(message: Element): { id: string; from: string } | null {
  if (message.attrs.type === 'error' || message.attrs.type === 'groupchat') return null;
  const received = message.getChild('received', NS_RECEIPTS);
  const id = received?.attrs.id;
  const from = message.attrs.from;
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) return null;
  if (typeof from !== 'string' || from.length === 0) return null;
  return { id, from };
}

/**
 * Whether a receipt marks the message `id` delivered: only when we sent that id (`sentTo` maps our ids to
 * the JID they were sent to) and the receipt comes from the same bare JID (§8, Security Considerations: another entity must not be
 * able to mark it).
 */
export function acceptReceipt(receipt: { id: string; from: string }, sentTo: ReadonlyMap<string, string>): boolean {
  const to = sentTo.get(receipt.id);
  return to !== undefined && bareOf(to) === bareOf(receipt.from);
}
