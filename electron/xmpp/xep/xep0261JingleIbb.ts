/**
 * XEP-0261: Jingle In-Band Bytestreams Transport Method, version 1.0 (2011-09-23)
 * https://xmpp.org/extensions/xep-0261.html
 *
 * The `<transport block-size sid stanza?/>` payload. The bytestream itself is XEP-0047 (xep0047Ibb):
 * §2.2 "the initiator now MUST also send the <open/> element, with the same 'block-size' and 'sid'
 * values as for the Jingle <transport/> element it negotiated", so the value read here is an IbbOpen.
 */
import xml, { type Element } from '@xmpp/xml';
import { readAttr, readUint } from './attributes';
import { invalid, parsed, type ParseResult } from './stanzaErrors';
import { MAX_BLOCK_SIZE_BYTES, isNmtoken, type IbbOpen } from './xep0047Ibb';

export const NS_JINGLE_IBB = 'urn:xmpp:jingle:transports:ibb:1';

/**
 * Reads a Jingle IBB transport. The §8 schema marks 'block-size' and 'sid' required. It types block-size
 * as xs:short (at most 32767), but XEP-0047 §2.1, whose sessions these are, allows up to 65535 and Spark
 * uses 61440 (DESIGN.md): the XEP-0047 bound applies. A received sid, as in xep0047Ibb, need only be
 * non-empty and free of whitespace.
 */
export function parseIbbTransport(transport: Element): ParseResult<IbbOpen> {
  if (!transport.is('transport', NS_JINGLE_IBB)) return invalid('not a Jingle IBB transport');
  const sid = readAttr(transport, 'sid');
  if (!sid || /\s/.test(sid)) return invalid('missing or malformed sid');
  const blockSize = readUint(transport, 'block-size', MAX_BLOCK_SIZE_BYTES);
  if (!blockSize) return invalid(`block-size must be 1..${MAX_BLOCK_SIZE_BYTES}`);
  // §2.2: "The default value of the 'stanza' attribute is "iq""
  const stanza = readAttr(transport, 'stanza') ?? 'iq';
  if (stanza !== 'iq' && stanza !== 'message') return invalid(`unknown stanza kind ${stanza}`);
  return parsed({ sid, blockSize, stanza });
}

/** `<transport xmlns='urn:xmpp:jingle:transports:ibb:1' block-size sid stanza?/>`; stanza is left out when iq (the default). */
export function buildIbbTransport(transport: IbbOpen): Element {
  if (!isNmtoken(transport.sid)) throw new RangeError(`IBB sid must be an NMTOKEN: ${JSON.stringify(transport.sid)}`);
  const { blockSize } = transport;
  if (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > MAX_BLOCK_SIZE_BYTES) throw new RangeError(`block-size must be 1..${MAX_BLOCK_SIZE_BYTES}`);
  return xml('transport', {
    xmlns: NS_JINGLE_IBB, 'block-size': blockSize, sid: transport.sid, stanza: transport.stanza === 'iq' ? undefined : transport.stanza,
  });
}

/**
 * The block size to use once the peer answered an offer. §2.2: "If the responder wishes to use a smaller
 * block-size, the responder can specify that in the session-accept by returning a different value"
 * (XEP-0260 §3 likewise for transport-accept), and "the initiator MUST use the negotiated values". An
 * answer larger than the offer is no agreement to more: the offer stays the bound.
 */
export function negotiatedBlockSize(offeredBytes: number, answeredBytes: number): number {
  return Math.min(offeredBytes, answeredBytes);
}
