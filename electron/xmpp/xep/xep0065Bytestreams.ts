/**
 * XEP-0065: SOCKS5 Bytestreams, version 1.8.2 (2021-03-04; seed 004 is 1.8rc3)
 * https://xmpp.org/extensions/xep-0065.html
 *
 * The `<query/>` payloads only: offer (streamhosts), streamhost-used, activate, and the proxy address
 * query/result. The SOCKS5 bytes themselves live in transport/socks5/codec.ts.
 */
import xml, { type Element } from '@xmpp/xml';
import { parseJid } from '../../../shared/model/jid';
import { readAttr, readUint } from './attributes';
import { invalid, parsed, type ParseResult } from './stanzaErrors';

export const NS_BYTESTREAMS = 'http://jabber.org/protocol/bytestreams';
/** Disco feature for the optional UDP mode (§8.1); Ferry does not advertise it. */
export const NS_BYTESTREAMS_UDP = 'http://jabber.org/protocol/bytestreams#udp';
const MAX_PORT = 65535;
const DSTADDR_RE = /^[0-9a-fA-F]{40}$/;
/**
 * Streamhosts of one offer that are kept (in document order); the rest are ignored. XEP-0065 sets no
 * limit, but every one costs the target a TCP connect: a hostile offer of thousands would make it dial
 * anywhere the peer likes. Real clients offer a handful (direct addresses + a proxy or two).
 */
export const MAX_STREAMHOSTS = 16;

/** A `<streamhost/>`: where to connect and the JID that hosts it. */
export interface Streamhost {
  jid: string;
  host: string;
  port: number;
}

/** The Requester's initiation (§5.3.1 / §6.3.1). */
export interface StreamhostOffer {
  sid: string;
  mode: 'tcp' | 'udp';
  /** The Requester's precomputed DST.ADDR (§7, MUC), when it sent one. */
  dstAddr: string | null;
  streamhosts: Streamhost[];
  /** Usable streamhosts beyond MAX_STREAMHOSTS that were left out (present only when some were). */
  ignoredStreamhosts?: number;
}

function buildStreamhost(host: Streamhost): Element {
  return xml('streamhost', { jid: host.jid, host: host.host, port: host.port });
}

/**
 * `<query sid mode='tcp' dstaddr?><streamhost …/>+</query>`. §5.3.1: "The &QUERY; element MUST contain
 * one or more <streamhost/> elements, each of which MUST possess the 'host', 'jid', and 'port'
 * attributes. The &QUERY; element MUST possess a 'sid' attribute".
 */
export function buildStreamhostOffer(offer: StreamhostOffer): Element {
  if (offer.streamhosts.length === 0) throw new RangeError('an S5B offer needs at least one streamhost');
  if (offer.sid === '') throw new RangeError('an S5B offer needs a sid');
  return xml(
    'query',
    { xmlns: NS_BYTESTREAMS, sid: offer.sid, mode: offer.mode, dstaddr: offer.dstAddr },
    ...offer.streamhosts.map(buildStreamhost),
  );
}

/**
 * Reads the streamhosts of a query in document order (§5.3.2: "the Target SHOULD try to connect to
 * them in the order of the <streamhost/> children"). A streamhost without a valid jid, host or port
 * is skipped rather than failing the whole offer: the others may still work. At most `limit` are kept;
 * `ignored` counts the usable ones after them.
 */
function readStreamhosts(query: Element, limit: number): { hosts: Streamhost[]; ignored: number } {
  const hosts: Streamhost[] = [];
  let ignored = 0;
  for (const child of query.getChildren('streamhost', NS_BYTESTREAMS)) {
    const jid = readAttr(child, 'jid');
    const host = readAttr(child, 'host');
    const port = readUint(child, 'port', MAX_PORT);
    if (!(jid && parseJid(jid) && host && host.trim() === host && port)) continue;
    if (hosts.length < limit) hosts.push({ jid, host, port });
    else ignored += 1;
  }
  return { hosts, ignored };
}

/**
 * Parses an initiation on the Target side. §5.3.1: "If the request is malformed (e.g., the &QUERY;
 * element does not include the 'sid' attribute), the Target MUST return an error of &badrequest;."
 * Refusing a well-formed offer (e.g. mode udp) with not-acceptable is the caller's choice.
 */
export function parseStreamhostOffer(query: Element): ParseResult<StreamhostOffer> {
  if (!query.is('query', NS_BYTESTREAMS)) return invalid('not a bytestreams query');
  const sid = readAttr(query, 'sid');
  if (!sid) return invalid('missing sid');
  // §9.1: "If this attribute is not included, the default value of "tcp" MUST be assumed."
  const modeAttr = readAttr(query, 'mode') ?? 'tcp';
  if (modeAttr !== 'tcp' && modeAttr !== 'udp') return invalid(`unknown mode ${modeAttr}`);
  const dstAddr = readAttr(query, 'dstaddr');
  if (dstAddr !== null && !DSTADDR_RE.test(dstAddr)) return invalid('dstaddr is not a SHA-1 hex hash');
  const { hosts: streamhosts, ignored } = readStreamhosts(query, MAX_STREAMHOSTS);
  // §9.1: "At least one instance MUST be present in the initial IQ-set from the Requester to the Target."
  if (streamhosts.length === 0) return invalid('no usable streamhost');
  return parsed({ sid, mode: modeAttr, dstAddr, streamhosts, ...(ignored > 0 ? { ignoredStreamhosts: ignored } : {}) });
}

/** The Target's answer (§5.3.3): `<query sid><streamhost-used jid/></query>`. */
export function buildStreamhostUsed(options: { sid: string; jid: string }): Element {
  return xml('query', { xmlns: NS_BYTESTREAMS, sid: options.sid }, xml('streamhost-used', { jid: options.jid }));
}

/**
 * Reads the Target's answer on the Requester side. §9.3: the "jid" attribute "MUST be present". The
 * sid is optional in results (revision 1.2 removed it; the 1.8 examples still carry it).
 */
export function parseStreamhostUsed(query: Element): ParseResult<{ sid: string | null; jid: string }> {
  if (!query.is('query', NS_BYTESTREAMS)) return invalid('not a bytestreams query');
  const used = query.getChildren('streamhost-used', NS_BYTESTREAMS);
  // §9.1: "there MUST be only one instance."
  if (used.length !== 1) return invalid(`expected one streamhost-used, got ${used.length}`);
  const jid = readAttr(used[0], 'jid');
  if (!jid || !parseJid(jid)) return invalid('streamhost-used without a valid jid');
  return parsed({ sid: readAttr(query, 'sid'), jid });
}

/**
 * Activation request to a Proxy (§6.3.5): "an <activate/> element whose XML character data specifies
 * the full or bare JID of the Target."
 */
export function buildActivate(options: { sid: string; targetJid: string }): Element {
  return xml('query', { xmlns: NS_BYTESTREAMS, sid: options.sid }, xml('activate', {}, options.targetJid));
}

/** Reads an activation request (what a Proxy receives; used by test fakes). */
export function parseActivate(query: Element): ParseResult<{ sid: string; targetJid: string }> {
  if (!query.is('query', NS_BYTESTREAMS)) return invalid('not a bytestreams query');
  const sid = readAttr(query, 'sid');
  if (!sid) return invalid('missing sid');
  const targetJid = query.getChildText('activate', NS_BYTESTREAMS)?.trim() ?? '';
  if (!parseJid(targetJid)) return invalid('activate without a valid target JID');
  return parsed({ sid, targetJid });
}

/**
 * Network address query to a Proxy (§4): an IQ-get with an empty query. "Before version 1.8 ... the
 * &QUERY; element in this use case possessed a 'sid' attribute; however, it is unnecessary".
 */
export function buildAddressQuery(): Element {
  return xml('query', { xmlns: NS_BYTESTREAMS });
}

/** A Proxy's address result (§4): `<query><streamhost host jid port/></query>`. */
export function buildAddressResult(streamhosts: readonly Streamhost[]): Element {
  return xml('query', { xmlns: NS_BYTESTREAMS }, ...streamhosts.map(buildStreamhost));
}

/**
 * Reads a Proxy's address result. §4: "the <streamhost/> element MUST possess the following
 * attributes: host ... jid ... port"; streamhosts lacking one are skipped, and none left is an error.
 */
export function parseAddressResult(query: Element): ParseResult<Streamhost[]> {
  if (!query.is('query', NS_BYTESTREAMS)) return invalid('not a bytestreams query');
  const { hosts: streamhosts } = readStreamhosts(query, MAX_STREAMHOSTS);
  return streamhosts.length > 0 ? parsed(streamhosts) : invalid('proxy announced no usable streamhost');
}
