/**
 * XEP-0260: Jingle SOCKS5 Bytestreams Transport Method, version 1.0.3 (2018-05-15)
 * https://xmpp.org/extensions/xep-0260.html
 *
 * The `<transport/>` payloads: candidates (session-initiate, session-accept, transport-info),
 * candidate-used, candidate-error, activated and proxy-error (transport-info). Connecting, nominating
 * and activating are done above this folder; the SOCKS5 bytes live in transport/socks5/codec.ts.
 */
import { createHash } from 'node:crypto';
import xml, { type Element } from '@xmpp/xml';
import { parseJid } from '../../../shared/model/jid';
import { readAttr, readUint } from './attributes';
import { invalid, parsed, type ParseResult } from './stanzaErrors';
import { isNmtoken } from './xep0047Ibb';
import { MAX_STREAMHOSTS } from './xep0065Bytestreams';

export const NS_JINGLE_S5B = 'urn:xmpp:jingle:transports:s5b:1';

/** §2.2 "Defined Types". */
export type CandidateType = 'assisted' | 'direct' | 'proxy' | 'tunnel';

/** §2.2: "The following types and their suggested preference values are defined." */
export const TYPE_PREFERENCES: Readonly<Record<CandidateType, number>> = { direct: 126, assisted: 120, tunnel: 110, proxy: 10 };

/** A `<candidate/>`: an XEP-0065 streamhost with an id, a priority and a type. */
export interface S5bCandidate {
  cid: string;
  host: string;
  jid: string;
  port: number;
  priority: number;
  type: CandidateType;
}

/** One `<transport/>`: the §9 schema makes its children a choice, hence one kind per element. */
export type S5bTransport =
  | {
    kind: 'candidates';
    sid: string;
    /** The offerer's DST.ADDR for its proxy candidates (§2.2), or null. */
    dstAddr: string | null;
    mode: 'tcp' | 'udp';
    /** In document order; may be empty (§2.2: a session-accept transport "MAY instead be empty"). */
    candidates: S5bCandidate[];
    /** Usable candidates beyond MAX_CANDIDATES that were left out (present only when some were). */
    ignoredCandidates?: number;
  }
  | { kind: 'candidate-used'; sid: string; cid: string }
  | { kind: 'candidate-error'; sid: string }
  | { kind: 'activated'; sid: string; cid: string }
  | { kind: 'proxy-error'; sid: string };

/** Candidates of one transport that are kept, as XEP-0065 offers keep streamhosts (each costs a connect). */
export const MAX_CANDIDATES = MAX_STREAMHOSTS;
/** XEP-0260 leaves 'port' optional; RFC 1928 §3: "The SOCKS service is conventionally located on TCP port 1080." */
export const DEFAULT_PORT = 1080;
const MAX_PORT = 65535;
const MAX_PRIORITY = 0xffffffff;
const MAX_LOCAL_PREFERENCE = 65535;
const MAX_ID_LENGTH = 128;
const DSTADDR_RE = /^[0-9a-fA-F]{40}$/;
// A DNS name or an IPv4/IPv6 literal (with an optional %zone), as ASCII; RFC 1928 §5 bounds names at 255.
const HOST_RE = /^[A-Za-z0-9._:%-]{1,255}$/;
const KINDS = ['candidate-used', 'candidate-error', 'activated', 'proxy-error', 'candidate'] as const;

/**
 * §2.2: "priority = (2^16)*(type preference) + (local preference)", where "The value of the local
 * preference SHOULD be between 0 and 65535".
 */
export function candidatePriority(type: CandidateType, localPreference: number): number {
  if (!Number.isInteger(localPreference) || localPreference < 0 || localPreference > MAX_LOCAL_PREFERENCE) {
    throw new RangeError(`local preference must be 0..${MAX_LOCAL_PREFERENCE}`);
  }
  return 2 ** 16 * TYPE_PREFERENCES[type] + localPreference;
}

/**
 * DST.ADDR for candidates: hex SHA1(sid + the candidate owner's full JID + the other party's full JID).
 * §2.2 note: "for proxy candidates sent from the initiator/requester to the responder/target the DST.ADDR
 * is calculated as SHA1(SID + Initiator JID + Responder JID)" and "for proxy candidates sent from the
 * responder/target to the initiator/requester is SHA1(SID + Responder JID + Initiator JID)". The same
 * formula as transport/socks5/codec.ts dstAddr, which this folder may not import (STYLE.md rule 4).
 */
export function jingleDstAddr(sid: string, ownerJid: string, otherJid: string): string {
  return createHash('sha1').update(`${sid}${ownerJid}${otherJid}`, 'utf8').digest('hex');
}

/** A copy, highest priority first (stable). §2.2: "A client SHOULD check the offered candidates in order of their priority, starting with the highest value." */
export function sortCandidatesByPriority(candidates: readonly S5bCandidate[]): S5bCandidate[] {
  return [...candidates].sort((a, b) => b.priority - a.priority);
}

function isUsableId(id: string | null): id is string {
  return id !== null && id !== '' && id.length <= MAX_ID_LENGTH && !/\s/.test(id);
}

function isCandidateType(value: string): value is CandidateType {
  return Object.hasOwn(TYPE_PREFERENCES, value);
}

/** A candidate, or null when cid, host, jid, port, priority or type is missing or malformed. */
function readCandidate(element: Element): S5bCandidate | null {
  const cid = readAttr(element, 'cid');
  const host = readAttr(element, 'host');
  const jid = readAttr(element, 'jid');
  const port = readAttr(element, 'port') === null ? DEFAULT_PORT : readUint(element, 'port', MAX_PORT);
  const priority = readUint(element, 'priority', MAX_PRIORITY);
  const type = readAttr(element, 'type') ?? 'direct';
  if (!isUsableId(cid) || host === null || !HOST_RE.test(host) || !jid || !parseJid(jid)) return null;
  if (!port || priority === null || !isCandidateType(type)) return null;
  return { cid, host, jid, port, priority, type };
}

function readCandidates(transport: Element, sid: string): ParseResult<S5bTransport> {
  // §2.2: mode is "TCP (a value of "tcp", which is the default) or UDP (a value of "udp" ...)".
  const mode = readAttr(transport, 'mode') ?? 'tcp';
  if (mode !== 'tcp' && mode !== 'udp') return invalid(`unknown mode ${mode}`);
  const dstAddr = readAttr(transport, 'dstaddr');
  if (dstAddr !== null && !DSTADDR_RE.test(dstAddr)) return invalid('dstaddr is not a SHA-1 hex hash');
  const candidates: S5bCandidate[] = [];
  let ignored = 0;
  // A malformed candidate is skipped, not fatal: the others may still connect.
  for (const element of transport.getChildren('candidate', NS_JINGLE_S5B)) {
    const candidate = readCandidate(element);
    if (!candidate) continue;
    if (candidates.length < MAX_CANDIDATES) candidates.push(candidate);
    else ignored += 1;
  }
  return parsed({ kind: 'candidates', sid, dstAddr: dstAddr?.toLowerCase() ?? null, mode, candidates, ...(ignored > 0 ? { ignoredCandidates: ignored } : {}) });
}

/** candidate-used and activated: "there MUST be only one" (§9 schema maxOccurs 1) with its required cid. */
function readCidChild(transport: Element, kind: 'candidate-used' | 'activated', sid: string): ParseResult<S5bTransport> {
  const children = transport.getChildren(kind, NS_JINGLE_S5B);
  if (children.length !== 1) return invalid(`expected one ${kind}, got ${children.length}`);
  const cid = readAttr(children[0], 'cid');
  return isUsableId(cid) ? parsed({ kind, sid, cid }) : invalid(`${kind} without a usable cid`);
}

/**
 * Reads a `<transport xmlns='urn:xmpp:jingle:transports:s5b:1'/>`. §2.2: "The 'sid' attribute MUST be
 * included"; the children are one of the §9 schema's choice (mixing kinds is bad-request); no child at
 * all is an empty candidate list.
 */
export function parseS5bTransport(transport: Element): ParseResult<S5bTransport> {
  if (!transport.is('transport', NS_JINGLE_S5B)) return invalid('not a Jingle S5B transport');
  const sid = readAttr(transport, 'sid');
  if (!isUsableId(sid)) return invalid('missing or malformed sid');
  const names = new Set(transport.getChildElements().filter((child) => child.getNS() === NS_JINGLE_S5B).map((child) => child.getName()));
  const kinds = KINDS.filter((kind) => names.has(kind));
  if (kinds.length > 1) return invalid(`transport mixes ${kinds.join(' and ')}`);
  const kind = kinds[0] ?? 'candidate';
  if (kind === 'candidate-used' || kind === 'activated') return readCidChild(transport, kind, sid);
  if (kind === 'candidate-error' || kind === 'proxy-error') {
    if (transport.getChildren(kind, NS_JINGLE_S5B).length > 1) return invalid(`more than one ${kind}`);
    return parsed({ kind, sid });
  }
  return readCandidates(transport, sid);
}

function checkOwnId(id: string, what: string): void {
  if (!isNmtoken(id) || id.length > MAX_ID_LENGTH) throw new RangeError(`${what} must be an NMTOKEN: ${JSON.stringify(id)}`);
}

function buildCandidate(candidate: S5bCandidate): Element {
  checkOwnId(candidate.cid, 'cid');
  const { host, jid, port, priority } = candidate;
  if (!HOST_RE.test(host) || !parseJid(jid) || !Number.isInteger(port) || port < 1 || port > MAX_PORT
    || !Number.isInteger(priority) || priority < 0 || priority > MAX_PRIORITY) {
    throw new RangeError(`bad candidate ${candidate.cid}`);
  }
  return xml('candidate', { cid: candidate.cid, host, jid, port, priority, type: candidate.type });
}

function transportElement(sid: string, attrs: Record<string, string | undefined>, ...children: Element[]): Element {
  checkOwnId(sid, 'S5B sid');
  return xml('transport', { xmlns: NS_JINGLE_S5B, ...attrs, sid }, ...children);
}

/**
 * A transport with candidates (possibly none). §2.2: "The 'dstaddr' attribute SHOULD be included if the
 * initiator includes at least one candidate of the "proxy" type"; for the responder "The 'mode'
 * attribute MUST NOT be included": leave mode out there.
 */
export function buildS5bCandidates(options: { sid: string; dstAddr?: string | null; mode?: 'tcp' | 'udp'; candidates: readonly S5bCandidate[] }): Element {
  if (options.dstAddr && !DSTADDR_RE.test(options.dstAddr)) throw new RangeError('dstaddr must be a SHA-1 hex hash');
  return transportElement(options.sid, { dstaddr: options.dstAddr ?? undefined, mode: options.mode }, ...options.candidates.map(buildCandidate));
}

/** §2.3: "it sends the <candidate-used/> element to the peer inside a Jingle transport-info message." */
export function buildCandidateUsed(options: { sid: string; cid: string }): Element {
  checkOwnId(options.cid, 'cid');
  return transportElement(options.sid, {}, xml('candidate-used', { cid: options.cid }));
}

/** §2.3: "If a client is unable to connect to any candidate sent by its peer ... it sends a candidate-error". */
export function buildCandidateError(options: { sid: string }): Element {
  return transportElement(options.sid, {}, xml('candidate-error'));
}

/** §2.4: the party that offered a nominated proxy candidate "sends an activated notification to the peer". */
export function buildActivated(options: { sid: string; cid: string }): Element {
  checkOwnId(options.cid, 'cid');
  return transportElement(options.sid, {}, xml('activated', { cid: options.cid }));
}

/** §2.4: "the failing party shall send a transport-info message containing an <proxy-error/> element." */
export function buildProxyError(options: { sid: string }): Element {
  return transportElement(options.sid, {}, xml('proxy-error'));
}
