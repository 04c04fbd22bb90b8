import xml, { type Element } from '@xmpp/xml';

/**
 * Ferry's own "this transfer was cancelled" notice. XEP-0095/0096 have no way to retract an offer or say why a
 * bytestream ended, so a cancel reaches the peer only as a stream reset or, before an answer, not at all (the
 * peer's late accept would time out as a failure). Before closing, Ferry sends
 *   <message to=peer><ferry-cancel xmlns='urn:ferry:transfer:cancel:0' sid='…'/></message>
 * A Ferry peer maps it to "cancelled by <sender of the message>"; any other client ignores an unknown message
 * payload (RFC 6121 §8.4) and just sees the stream end, as it would without it. The sid is the SI id, which is
 * also the bytestream sid, and the notice is only honoured from the transfer's own peer (matched by full JID).
 */
export const NS_FERRY_CANCEL = 'urn:ferry:transfer:cancel:0';

export function buildFerryCancel(to: string, sid: string): Element {
  return xml('message', { to }, xml('ferry-cancel', { xmlns: NS_FERRY_CANCEL, sid }));
}

/** The sid of a ferry-cancel notice in a message, or null. */
export function parseFerryCancel(message: Element): string | null {
  if (message.attrs.type === 'error') return null;
  const sid = message.getChild('ferry-cancel', NS_FERRY_CANCEL)?.attrs.sid;
  return typeof sid === 'string' && sid.length > 0 && sid.length <= 128 ? sid : null;
}
