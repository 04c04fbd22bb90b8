/**
 * The OneTeam HTTP bytestream proxy, seed 000 (/work/shared/seeds/000_2c13721ed8d70a96.txt; namespace
 * `http://oneteam.im/bs-proxy`, no version, never a XEP): "an extension to xep-65 proxy".
 *
 * Sender: the XEP-0065 activation with an `<x/>` marker, answered by `<activated url/>` (where to POST).
 * Receiver: `<connect sid jid><streamhost/></connect>`, answered by `<connected jid/>`, then pushed
 * `<activated sidhash url/>` (where to GET) and `<progress sidhash total sent/>`. The multipart POST and
 * the GET are transport/ (fields ONETEAM_FORM_FIELDS).
 */
import { createHash } from 'node:crypto';
import xml, { type Element } from '@xmpp/xml';
import { parseJid } from '../../../shared/model/jid';
import { readAttr, readUint } from './attributes';
import { readHttpUrl } from './httpUrls';
import { invalid, parsed, parseStanzaError, stanzaError, type ParseResult, type StanzaError } from './stanzaErrors';
import type { DiscoInfo } from './xep0030Disco';
import { buildActivate, MAX_STREAMHOSTS, parseActivate, type Streamhost } from './xep0065Bytestreams';

export const NS_ONETEAM_BS_PROXY = 'http://oneteam.im/bs-proxy';
/** I.3: "multipart/form-data with two fields, SIDHASH and FILE". */
export const ONETEAM_FORM_FIELDS = { sidHash: 'SIDHASH', file: 'FILE' } as const;
const SIDHASH_RE = /^[0-9a-fA-F]{40}$/;
const MAX_PORT = 65535;

/** `<activated/>`: the URL to POST to (sender, I.2) or to GET from (receiver, II.2, with the sidhash). */
export interface OneteamActivated {
  url: string;
  sidHash: string | null;
}

/** II.1: the receiver asks the proxy to connect for the sender's sid and streamhosts. */
export interface OneteamConnect {
  sid: string;
  /** The sender's full JID (the `jid` attribute). */
  senderJid: string;
  streamhosts: Streamhost[];
}

/** III: how much of the file the proxy has received. */
export interface OneteamProgress {
  sidHash: string;
  total: number;
  sent: number;
}

/** Why a proxy refused an activation (I.2, "If something goes wrong"). */
export type OneteamActivationFailure = 'not-connected' | 'already-activated' | 'too-many-transfers' | 'proxy-failure';

/** "It must publish <feature var='http://oneteam.im/bs-proxy'/> in disco#info." */
export function hasOneteamProxy(info: Pick<DiscoInfo, 'features'>): boolean {
  return info.features.includes(NS_ONETEAM_BS_PROXY);
}

/** "SIDHASH = SHA(SID + sender_jid + receiver_jid)": SHA-1, lower-case hex, as XEP-0065's DST.ADDR. */
export function oneteamSidHash(options: { sid: string; senderJid: string; receiverJid: string }): string {
  return createHash('sha1').update(`${options.sid}${options.senderJid}${options.receiverJid}`, 'utf8').digest('hex');
}

/** I.2: the XEP-0065 `<query sid><activate>target</activate></query>` with `<x xmlns='http://oneteam.im/bs-proxy'/>`. */
export function buildOneteamActivate(options: { sid: string; targetJid: string }): Element {
  const query = buildActivate(options);
  query.append(xml('x', { xmlns: NS_ONETEAM_BS_PROXY }));
  return query;
}

/** Reads an HTTP activation, as the proxy does (test fakes); without the `<x/>` it is a plain XEP-0065 one. */
export function parseOneteamActivate(query: Element): ParseResult<{ sid: string; targetJid: string }> {
  const activate = parseActivate(query);
  if (!activate.ok) return activate;
  return query.getChild('x', NS_ONETEAM_BS_PROXY) ? activate : invalid('not an HTTP proxy activation (no bs-proxy <x/>)');
}

function readSidHash(element: Element): string | null {
  const sidHash = readAttr(element, 'sidhash');
  return sidHash !== null && SIDHASH_RE.test(sidHash) ? sidHash.toLowerCase() : null;
}

function checkSidHash(sidHash: string): void {
  if (!SIDHASH_RE.test(sidHash)) throw new RangeError(`sidhash must be 40 hex digits: ${sidHash}`);
}

/** `<activated xmlns url sidhash?/>` (I.2 result, II.2 push). */
export function buildOneteamActivated(activated: OneteamActivated): Element {
  if (readHttpUrl(activated.url, 'web') !== activated.url) throw new RangeError(`unusable proxy url ${activated.url}`);
  if (activated.sidHash !== null) checkSidHash(activated.sidHash);
  return xml('activated', { xmlns: NS_ONETEAM_BS_PROXY, sidhash: activated.sidHash ?? undefined, url: activated.url });
}

/**
 * Reads `<activated/>`. The url must be http(s) (the seed shows plain http; its literal `:port` is a
 * placeholder, not a URL). A sidhash, when present, must be a SHA-1 hex (read in lower case).
 */
export function parseOneteamActivated(activated: Element): ParseResult<OneteamActivated> {
  if (!activated.is('activated', NS_ONETEAM_BS_PROXY)) return invalid('not a bs-proxy activated');
  const url = readHttpUrl(readAttr(activated, 'url'), 'web');
  if (!url) return invalid('activated without an http(s) url');
  const hasSidHash = readAttr(activated, 'sidhash') !== null;
  const sidHash = readSidHash(activated);
  if (hasSidHash && sidHash === null) return invalid('sidhash is not a SHA-1 hex hash');
  return parsed({ url, sidHash });
}

/** `<connect xmlns sid jid><streamhost jid host port/>+</connect>` (II.1). */
export function buildOneteamConnect(connect: OneteamConnect): Element {
  if (connect.sid === '' || connect.streamhosts.length === 0) throw new RangeError('a connect needs a sid and a streamhost');
  return xml('connect', { xmlns: NS_ONETEAM_BS_PROXY, sid: connect.sid, jid: connect.senderJid },
    ...connect.streamhosts.map((host) => xml('streamhost', { jid: host.jid, host: host.host, port: host.port })));
}

/** The usable `<streamhost/>` children (the checks of XEP-0065 §4), at most MAX_STREAMHOSTS. */
function readStreamhosts(connect: Element): Streamhost[] {
  const hosts: Streamhost[] = [];
  for (const child of connect.getChildren('streamhost', NS_ONETEAM_BS_PROXY)) {
    const jid = readAttr(child, 'jid');
    const host = readAttr(child, 'host');
    const port = readUint(child, 'port', MAX_PORT);
    if (jid && parseJid(jid) && host && !/\s/.test(host) && port) hosts.push({ jid, host, port });
    if (hosts.length === MAX_STREAMHOSTS) break;
  }
  return hosts;
}

/** Reads a `<connect/>`, as the proxy does (test fakes): sid, the sender's JID and a usable streamhost. */
export function parseOneteamConnect(connect: Element): ParseResult<OneteamConnect> {
  if (!connect.is('connect', NS_ONETEAM_BS_PROXY)) return invalid('not a bs-proxy connect');
  const sid = readAttr(connect, 'sid');
  const senderJid = readAttr(connect, 'jid');
  if (!sid || !senderJid || !parseJid(senderJid)) return invalid('connect needs a sid and the sender jid');
  const streamhosts = readStreamhosts(connect);
  return streamhosts.length > 0 ? parsed({ sid, senderJid, streamhosts }) : invalid('connect without a usable streamhost');
}

/** `<connected xmlns jid/>` (II.1 result): the proxy that took the connection. */
export function buildOneteamConnected(options: { jid: string }): Element {
  return xml('connected', { xmlns: NS_ONETEAM_BS_PROXY, jid: options.jid });
}

/** Reads `<connected/>`; the jid names the proxy and must be a JID. */
export function parseOneteamConnected(connected: Element): ParseResult<{ jid: string }> {
  if (!connected.is('connected', NS_ONETEAM_BS_PROXY)) return invalid('not a bs-proxy connected');
  const jid = readAttr(connected, 'jid');
  return jid && parseJid(jid) ? parsed({ jid }) : invalid('connected without a valid jid');
}

/** `<progress xmlns sidhash total sent/>` (III). */
export function buildOneteamProgress(progress: OneteamProgress): Element {
  checkSidHash(progress.sidHash);
  const isCount = (value: number) => Number.isSafeInteger(value) && value >= 0;
  if (!isCount(progress.total) || !isCount(progress.sent) || progress.sent > progress.total) throw new RangeError('bad progress');
  return xml('progress', { xmlns: NS_ONETEAM_BS_PROXY, sidhash: progress.sidHash, total: progress.total, sent: progress.sent });
}

/** Reads `<progress/>`: all three attributes, and no more sent than total. */
export function parseOneteamProgress(progress: Element): ParseResult<OneteamProgress> {
  if (!progress.is('progress', NS_ONETEAM_BS_PROXY)) return invalid('not a bs-proxy progress');
  const sidHash = readSidHash(progress);
  const total = readUint(progress, 'total');
  const sent = readUint(progress, 'sent');
  if (sidHash === null || total === null || sent === null) return invalid('progress needs sidhash, total and sent');
  return sent <= total ? parsed({ sidHash, total, sent }) : invalid(`progress sent ${sent} past total ${total}`);
}

/**
 * The errors of I.2, as a proxy answers them (test fakes): "404, "item-not-found": no connexion has been
 * already initiated for those JID/SID"; "409, "conflict": a file transfer with these JOD/SID has already
 * been activated"; "500, "resource-constraint": the number of concurrent file transfers limit has been
 * reached"; "500, "internal-server-error": a problem occured on the proxy".
 */
export const ONETEAM_ACTIVATION_ERRORS = {
  'not-connected': stanzaError('item-not-found'),
  'already-activated': stanzaError('conflict'),
  'too-many-transfers': stanzaError('resource-constraint'),
  'proxy-failure': stanzaError('internal-server-error'),
} as const satisfies Record<OneteamActivationFailure, StanzaError>;

const FAILURES_BY_CONDITION: Readonly<Record<string, OneteamActivationFailure>> = {
  'item-not-found': 'not-connected', conflict: 'already-activated', 'resource-constraint': 'too-many-transfers', 'internal-server-error': 'proxy-failure',
};
// The seed gives legacy codes too; 500 is two conditions, read as the proxy's own failure.
const FAILURES_BY_CODE: Readonly<Record<string, OneteamActivationFailure>> = { 404: 'not-connected', 409: 'already-activated', 500: 'proxy-failure' };

/**
 * Why an activation failed (an `<iq type='error'/>` or its `<error/>`), or null when the error is none
 * of the seed's. A proxy that sends only the legacy `code` is read by it.
 */
export function readOneteamActivationFailure(stanza: Element): OneteamActivationFailure | null {
  const element = stanza.getName() === 'error' ? stanza : stanza.getChild('error');
  const error = element ? parseStanzaError(element) : null;
  if (!element || !error) return null;
  const code = readAttr(element, 'code');
  return FAILURES_BY_CONDITION[error.condition] ?? (code !== null && Object.hasOwn(FAILURES_BY_CODE, code) ? FAILURES_BY_CODE[code] : null);
}
