/**
 * XEP-0231 Bits of Binary at run time (https://xmpp.org/extensions/xep-0231.html, version 1.1): the data
 * Ferry advertised by cid (a XEP-0264 thumbnail in an offer, say), answered only to the JIDs it was offered
 * to, and the data Ferry asks a peer for. The pure element code is xep/xep0231Bob.ts.
 */
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { parseJid } from '../../shared/model/jid';
import type { IqRequest, XmppSession } from './session';
import { XmppStanzaError } from './stanzaErrors';
import {
  buildBobData, buildBobRequest, MAX_BOB_READ_BYTES, NS_BOB, parseBobData, parseBobRequest,
} from './xep/xep0231Bob';

/** What the service needs of the session (a Pick, so tests can hand a fake). */
export type BobXmpp = Pick<XmppSession, 'request' | 'handleIq'>;

/** Bounds and hooks; all optional. */
export interface BobServiceOptions {
  /** Most items kept at once; the oldest goes first. Default 32. */
  maxItems?: number;
  /** Most bytes kept at once, over all items. Default 256 KiB. */
  maxTotalBytes?: number;
  log?: (line: string) => void;
  /** Clock for expiry (ms); tests move it. */
  now?: () => number;
}

/** Bytes to advertise, and their RFC 2045 media type (the `type` of §2.5, REQUIRED with data). */
export interface BobPayload {
  mediaType: string;
  bytes: Uint8Array;
}

/** Who may fetch an offer, and for how long. */
export interface BobOfferOptions {
  /** Full JIDs (that resource only) or bare JIDs (any of its resources). */
  to: string | readonly string[];
  /** How long the data is answered, 1..86400 s; also the `max-age` caching hint sent with it (§2.4). */
  maxAgeSeconds: number;
}

/** Bounds of one fetch. */
export interface BobFetchOptions {
  /** Most bytes accepted, 1..MAX_BOB_READ_BYTES. */
  maxBytes: number;
  timeoutMs: number;
}

/** Data fetched from a peer. isVerified: the cid names a hash (sha1, sha-256 …) and the bytes have it. */
export interface FetchedBob {
  mediaType: string;
  bytes: Uint8Array;
  maxAge: number | null;
  isVerified: boolean;
}

interface Offered extends BobPayload {
  maxAgeSeconds: number;
  expiresAt: number;
  /** Normalised JIDs: 'local@domain' (any resource) or 'local@domain/resource'. */
  recipients: Set<string>;
}

const MAX_AGE_SECONDS = 86_400;

/**
 * Keeps the bits Ferry offered (bounded in count and bytes, each until its maxAgeSeconds pass) and answers
 * §2.3 requests for them; fetches bits from peers. Register `features` with DiscoService.addFeature where
 * the service is wired (§3: "If an entity supports the protocol specified herein, it MUST advertise that
 * fact by returning a feature of "urn:xmpp:bob" in response to XEP-0030 information requests").
 */
export class BobService {
  /** Disco features to advertise while the service runs. */
  readonly features: readonly string[] = [NS_BOB];
  private readonly offered = new Map<string, Offered>();
  private readonly disposers: (() => void)[] = [];
  private readonly maxItems: number;
  private readonly maxTotalBytes: number;
  private readonly log: (line: string) => void;
  private readonly now: () => number;

  constructor(private readonly xmpp: BobXmpp, options: BobServiceOptions = {}) {
    this.maxItems = options.maxItems ?? 32;
    this.maxTotalBytes = options.maxTotalBytes ?? 256 * 1024;
    this.log = options.log ?? (() => {});
    this.now = options.now ?? Date.now;
    this.disposers.push(xmpp.handleIq('get', NS_BOB, 'data', (request) => this.answer(request)));
  }

  /**
   * Advertises data under cid to the JIDs in `to` for maxAgeSeconds. Offering a cid again (same bytes) adds
   * recipients and extends the time. Returns a function that withdraws the recipients this call added (idempotent). Throws
   * a RangeError for a cid that does not name these bytes, more than MAX_BOB_SEND_BYTES (§2.1 "SHOULD NOT be
   * more than 8 kilobytes"), a bad media type, JID or age.
   */
  offer(cid: string, data: BobPayload, options: BobOfferOptions): () => void {
    if (!Number.isInteger(options.maxAgeSeconds) || options.maxAgeSeconds < 1 || options.maxAgeSeconds > MAX_AGE_SECONDS) {
      throw new RangeError(`maxAgeSeconds must be 1..${MAX_AGE_SECONDS}, not ${options.maxAgeSeconds}`);
    }
    buildBobData({ cid, mediaType: data.mediaType, maxAge: options.maxAgeSeconds, bytes: data.bytes }); // validates
    const jids = typeof options.to === 'string' ? [options.to] : options.to;
    if (jids.length === 0) throw new RangeError('an offer needs at least one recipient');
    const added = jids.map((jid) => {
      const key = recipientKey(jid);
      if (key === null) throw new RangeError(`not a JID: ${jid}`);
      return key;
    });
    this.purgeExpired();
    const existing = this.offered.get(cid);
    if (existing && !sameBytes(existing.bytes, data.bytes)) throw new RangeError(`cid ${cid} is already offered with other bytes`);
    const entry: Offered = existing
      ?? { mediaType: data.mediaType, bytes: Uint8Array.from(data.bytes), maxAgeSeconds: 0, expiresAt: 0, recipients: new Set() };
    entry.maxAgeSeconds = Math.max(entry.maxAgeSeconds, options.maxAgeSeconds);
    entry.expiresAt = Math.max(entry.expiresAt, this.now() + options.maxAgeSeconds * 1000);
    this.offered.delete(cid); // re-inserted last: the most recently offered is evicted last
    this.makeRoom(entry.bytes.length);
    for (const key of added) entry.recipients.add(key);
    this.offered.set(cid, entry);
    let isWithdrawn = false;
    return () => {
      if (isWithdrawn) return;
      isWithdrawn = true;
      const current = this.offered.get(cid);
      if (current !== entry) return;
      for (const key of added) entry.recipients.delete(key);
      if (entry.recipients.size === 0) this.offered.delete(cid);
    };
  }

  /**
   * Asks jid for the data of cid (§2.3) and returns it, or null (logged why) when the peer answers with an
   * error or not in time, sends no data, data under another cid, more than maxBytes, or data that does not
   * hash to its cid (§2.5: "the "hash" is the hex output of the algorithm applied to the binary data
   * itself"). Throws a RangeError only for bad options.
   */
  async fetch(jid: string, cid: string, options: BobFetchOptions): Promise<FetchedBob | null> {
    if (!Number.isSafeInteger(options.maxBytes) || options.maxBytes < 1 || options.maxBytes > MAX_BOB_READ_BYTES) {
      throw new RangeError(`maxBytes must be 1..${MAX_BOB_READ_BYTES}, not ${options.maxBytes}`);
    }
    const refused = (why: string): null => {
      this.log(`BoB ${cid} from ${jid}: ${why}`);
      return null;
    };
    let request: Element;
    try {
      request = xml('iq', { type: 'get', to: jid }, buildBobRequest(cid));
    } catch (error) {
      return refused(error instanceof Error ? error.message : String(error));
    }
    let reply: Element;
    try {
      reply = await this.xmpp.request(request, options.timeoutMs);
    } catch (error) {
      return refused(error instanceof Error ? error.message : String(error));
    }
    const element = reply.getChild('data', NS_BOB);
    if (!element) return refused('the result carries no <data/>');
    const data = parseBobData(element);
    if (!data.ok) return refused(data.error.text ?? data.error.condition);
    if (data.value.cid !== cid) return refused(`the data came under another cid (${data.value.cid})`);
    if (data.value.bytes.length > options.maxBytes) return refused(`${data.value.bytes.length} bytes, more than the ${options.maxBytes} accepted`);
    const { mediaType, bytes, maxAge, isVerified } = data.value;
    return { mediaType, bytes, maxAge, isVerified };
  }

  /** Stops answering and forgets every offer; idempotent. */
  dispose(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
    this.offered.clear();
  }

  /**
   * §2.3: "The recipient then would either return an error (e.g., <item-not-found/> if it does not have data
   * matching the Content-ID) or return the data." A requester the data was not offered to gets the same
   * item-not-found, so it learns nothing about what Ferry holds.
   */
  private answer({ element, from }: IqRequest): Element {
    const request = parseBobRequest(element);
    if (!request.ok) throw new XmppStanzaError(request.error);
    const { cid } = request.value;
    this.purgeExpired();
    const entry = this.offered.get(cid);
    if (!entry || !isRecipient(entry.recipients, from)) {
      this.log(`BoB ${cid} asked by ${from || '(no from)'}: ${entry ? 'not offered to it' : 'not held'}`);
      throw new XmppStanzaError('item-not-found');
    }
    return buildBobData({ cid, mediaType: entry.mediaType, maxAge: entry.maxAgeSeconds, bytes: entry.bytes });
  }

  private purgeExpired(): void {
    const now = this.now();
    for (const [cid, entry] of this.offered) if (entry.expiresAt <= now) this.offered.delete(cid);
  }

  /** Evicts the oldest offers until one more of `bytes` fits both bounds. */
  private makeRoom(bytes: number): void {
    let total = [...this.offered.values()].reduce((sum, entry) => sum + entry.bytes.length, 0);
    for (const [cid, entry] of this.offered) {
      if (this.offered.size < this.maxItems && total + bytes <= this.maxTotalBytes) return;
      this.offered.delete(cid);
      total -= entry.bytes.length;
      this.log(`BoB ${cid} dropped to make room`);
    }
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}

/** 'local@domain' or 'local@domain/resource', local part and domain lower-cased; null for a non-JID. */
function recipientKey(jid: string): string | null {
  const parts = parseJid(jid);
  if (!parts) return null;
  const bare = parts.local ? `${parts.local.toLowerCase()}@${parts.domain}` : parts.domain;
  return parts.resource ? `${bare}/${parts.resource}` : bare;
}

/** Whether from is a full JID offered to, or a resource of a bare JID offered to. */
function isRecipient(recipients: ReadonlySet<string>, from: string): boolean {
  const key = from ? recipientKey(from) : null;
  if (key === null) return false;
  return recipients.has(key) || (key.includes('/') && recipients.has(key.slice(0, key.indexOf('/'))));
}
