/**
 * The OneTeam HTTP bytestream proxy of seed 000 (/work/shared/seeds/000_2c13721ed8d70a96.txt) for tests,
 * as an external component of the test Prosody: "an extension to xep-65 proxy". No public server runs one.
 *
 * - disco#info: identity proxy/bytestreams, features `http://jabber.org/protocol/bytestreams` and
 *   `http://oneteam.im/bs-proxy` ("It must publish <feature var='http://oneteam.im/bs-proxy'/>");
 * - I.1 the streamhost query is answered with its own SOCKS5 relay (socks5Relay.ts), and a plain XEP-0065
 *   activation (no `<x/>`) relays through it, so a SOCKS5 transfer through this proxy works as fallback;
 * - II.1 the receiver's `<connect sid jid>` is answered `<connected jid/>`;
 * - I.2 the sender's activation with `<x xmlns='http://oneteam.im/bs-proxy'/>` is answered
 *   `<activated url/>` (where to POST), or with the seed's errors; II.2 the receiver is then pushed
 *   `<activated sidhash url='…/{UUID}'/>`; III `<progress sidhash total sent/>` is pushed while the upload
 *   runs ("each 5 second": progressIntervalMs), and once more when it is complete (sent = total);
 * - I.3/II.3 the multipart POST and the GET: oneteamHttp.ts.
 * SIDHASH = SHA(SID + sender_jid + receiver_jid), lower-case hex, full JIDs as the IQs carry them.
 *
 * The XML is written here from the seed's text, not with electron/xmpp/xep/oneteamBsProxy.ts, so that a
 * misreading of the seed there is not repeated here.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Element } from '@xmpp/xml';
import { notify, serveOneteamHttp, UPLOAD_PATH, type OneteamHttpEvent, type OneteamHttpFaults, type OneteamTransfer } from './oneteamHttp';
import { startSocks5Relay } from './socks5Relay';
import { startTestHttpServer } from './testHttpServer';
import { componentError, componentXml as xml, connectTestComponent, discoInfoQuery, NS_DISCO_INFO, type ComponentConnectOptions, type ComponentError, type TestComponent } from './xmppComponent';

export const NS_BYTESTREAMS = 'http://jabber.org/protocol/bytestreams';
export const NS_BS_PROXY = 'http://oneteam.im/bs-proxy';
/** III: "which should be send each 5 second". */
const SEED_PROGRESS_INTERVAL_MS = 5000;

/** I.2 "If something goes wrong, the proxy will respond with the following error codes". */
export type OneteamSeedError = 'item-not-found' | 'conflict' | 'resource-constraint' | 'internal-server-error';
const SEED_ERRORS: Record<OneteamSeedError, ComponentError> = {
  'item-not-found': { type: 'cancel', condition: 'item-not-found', code: 404, text: 'no connexion has been already initiated for those JID/SID' },
  conflict: { type: 'cancel', condition: 'conflict', code: 409, text: 'a file transfer with these JID/SID has already been activated' },
  'resource-constraint': { type: 'wait', condition: 'resource-constraint', code: 500, text: 'the number of concurrent file transfers limit has been reached' },
  'internal-server-error': { type: 'cancel', condition: 'internal-server-error', code: 500, text: 'a problem occured on the proxy' },
};

/** Ways to misbehave, for tests of Ferry's error paths (HTTP ones: OneteamHttpFaults). */
export interface OneteamProxyFaults extends OneteamHttpFaults {
  /** Every HTTP activation (I.2) is answered with this seed error. */
  activationError?: OneteamSeedError;
  /** At most this many transfers activated and not yet uploaded; one more gets 500 resource-constraint. */
  maxActiveTransfers?: number;
  /** Every `<connect/>` (II.1) is answered with this error. */
  connectError?: ComponentError;
  /** No II.2 `<activated/>` push to the receiver. */
  isActivatedPushSkipped?: boolean;
  /** III's interval (default the seed's 5000 ms). */
  progressIntervalMs?: number;
}

export interface OneteamProxyOptions extends ComponentConnectOptions, OneteamProxyFaults {}

export interface Streamhost {
  jid: string;
  host: string;
  port: string;
}

/** What the proxy saw and did, in order. `outcome` is 'connected'/'activated'/'result' or an error condition. */
export type OneteamProxyEvent =
  | { type: 'connect'; sid: string; senderJid: string; receiverJid: string; sidHash: string; streamhosts: Streamhost[]; outcome: string }
  | { type: 'activate'; mode: 'http' | 'socks5'; sid: string; requesterJid: string; targetJid: string; hash: string; outcome: string }
  | { type: 'push'; what: 'activated' | 'progress'; to: string; sidHash: string; url?: string; total?: number; sent?: number; outcome: string }
  | OneteamHttpEvent;

export interface OneteamProxy {
  readonly jid: string;
  readonly socksPort: number;
  readonly httpPort: number;
  readonly events: readonly OneteamProxyEvent[];
  /** Disconnects, closes the SOCKS5 relay and the HTTP server, deletes the temp files. Idempotent. */
  stop(): Promise<void>;
}

/** "SIDHASH = SHA(SID + sender_jid + receiver_jid)" (also XEP-0065's DST.ADDR): SHA-1, lower-case hex. */
export function sidHashOf(sid: string, senderJid: string, receiverJid: string): string {
  return createHash('sha1').update(sid + senderJid + receiverJid, 'utf8').digest('hex');
}

/** Starts the proxy (the test Prosody must list `{ jid, secret }` in its components). */
export async function startOneteamProxy(options: OneteamProxyOptions): Promise<OneteamProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-oneteam-'));
  const events: OneteamProxyEvent[] = [];
  const transfers = new Map<string, OneteamTransfer>();
  const timers = new Map<string, NodeJS.Timeout>();
  let entity: TestComponent | null = null;
  const push = (to: string, child: Element, event: Extract<OneteamProxyEvent, { type: 'push' }>): void => {
    void (entity?.push(to, child) ?? Promise.reject(new Error('offline'))).then(
      () => events.push({ ...event, outcome: 'result' }),
      (error: { condition?: string }) => events.push({ ...event, outcome: error.condition ?? String(error) }));
  };
  const pushProgress = (transfer: OneteamTransfer, isFinal: boolean): void => {
    const total = isFinal ? transfer.written : transfer.total;
    if (total === null) return;
    const sent = Math.min(transfer.written, total);
    // RECV <= <progress xmlns='http://oneteam.im/bs-proxy' sidhash='SIDHASH' total='100' sent='30'/>
    push(transfer.receiverJid, xml('progress', { xmlns: NS_BS_PROXY, sidhash: transfer.sidHash, total: String(total), sent: String(sent) }),
      { type: 'push', what: 'progress', to: transfer.receiverJid, sidHash: transfer.sidHash, total, sent, outcome: '' });
  };
  const relay = await startSocks5Relay();
  const http = await startTestHttpServer((req, res) => serveOneteamHttp({
    transfers, faults: options, record: (event) => events.push(event),
    onUploadStart: (transfer) => {
      timers.set(transfer.sidHash, setInterval(() => pushProgress(transfer, false), options.progressIntervalMs ?? SEED_PROGRESS_INTERVAL_MS));
    },
    onUploadEnd: (transfer) => {
      clearInterval(timers.get(transfer.sidHash));
      timers.delete(transfer.sidHash);
      if (transfer.state === 'uploaded') pushProgress(transfer, true);
    },
  }, req, res));
  const stopAll = async (): Promise<void> => {
    for (const timer of timers.values()) clearInterval(timer);
    for (const transfer of transfers.values()) {
      if (transfer.state !== 'uploaded') transfer.state = 'failed';
      notify(transfer);
    }
    await Promise.all([entity?.stop(), relay.stop(), http.stop()]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    entity = await connectTestComponent(options);
  } catch (error) {
    await stopAll();
    throw error;
  }
  const component = entity;

  component.get(NS_DISCO_INFO, 'query', ({ element }) => {
    if (element.attrs.node !== undefined) return componentError({ type: 'cancel', condition: 'item-not-found' });
    return discoInfoQuery({ category: 'proxy', type: 'bytestreams', name: 'OneTeam bs-proxy' }, [NS_BYTESTREAMS, NS_BS_PROXY]);
  });
  // I.1: <streamhost jid='proxy.host' host='1.1.1.1' port='1111'/>
  component.get(NS_BYTESTREAMS, 'query', () =>
    xml('query', { xmlns: NS_BYTESTREAMS }, xml('streamhost', { jid: options.jid, host: '127.0.0.1', port: String(relay.port) })));

  component.set(NS_BYTESTREAMS, 'query', ({ element, from }) => {
    const sid = element.attrs.sid;
    const targetJid = element.getChildText('activate')?.trim();
    if (typeof sid !== 'string' || sid === '' || !targetJid) return componentError({ type: 'modify', condition: 'bad-request', text: 'activation needs a sid and <activate/>' });
    const requesterJid = String(from);
    const hash = sidHashOf(sid, requesterJid, targetJid);
    const mode = element.getChild('x', NS_BS_PROXY) ? 'http' : 'socks5';
    const reply = mode === 'http' ? activateHttp(sid, requesterJid, targetJid) : relay.activate(hash);
    const outcome = typeof reply === 'string' ? reply : reply.is('error') ? reply.getChildElements()[0].name : 'activated';
    events.push({ type: 'activate', mode, sid, requesterJid, targetJid, hash, outcome });
    if (reply === 'activated') return true; // XEP-0065: "it MUST respond to the Requester with an IQ-result"
    return typeof reply === 'string' ? componentError({ type: 'cancel', condition: reply }) : reply;
  });

  /** I.2, then II.2's push to the receiver. */
  function activateHttp(sid: string, senderJid: string, receiverJid: string): Element {
    const sidHash = sidHashOf(sid, senderJid, receiverJid);
    const transfer = transfers.get(sidHash);
    const active = [...transfers.values()].filter((t) => t.state === 'activated' || t.state === 'uploading').length;
    const failure: OneteamSeedError | null = options.activationError ?? (!transfer ? 'item-not-found'
      : transfer.state !== 'connected' ? 'conflict'
        : options.maxActiveTransfers !== undefined && active >= options.maxActiveTransfers ? 'resource-constraint' : null);
    if (failure || !transfer) return componentError(SEED_ERRORS[failure ?? 'item-not-found']);
    transfer.state = 'activated';
    transfer.downloadId = randomUUID();
    const url = http.url(`/${transfer.downloadId}`);
    if (!options.isActivatedPushSkipped) {
      // RECV <= <activated xmlns='http://oneteam.im/bs-proxy' sidhash="SIDHASH" url='http://proxy.host:port/{UUID}'/>
      setImmediate(() => push(receiverJid, xml('activated', { xmlns: NS_BS_PROXY, sidhash: sidHash, url }),
        { type: 'push', what: 'activated', to: receiverJid, sidHash, url, outcome: '' }));
    }
    // RECV <= <activated xmlns='http://oneteam.im/bs-proxy' url='http://proxy.host:port/upload'/>
    return xml('activated', { xmlns: NS_BS_PROXY, url: http.url(UPLOAD_PATH) });
  }

  // II.1: <connect xmlns='http://oneteam.im/bs-proxy' sid='SID' jid='jerome@localhost/Gajim'><streamhost …/></connect>
  component.set(NS_BS_PROXY, 'connect', ({ element, from }) => {
    const sid = element.attrs.sid;
    const senderJid = element.attrs.jid;
    const receiverJid = String(from);
    if (typeof sid !== 'string' || sid === '' || typeof senderJid !== 'string' || senderJid === '') {
      return componentError({ type: 'modify', condition: 'bad-request', text: 'connect needs sid and jid' });
    }
    const sidHash = sidHashOf(sid, senderJid, receiverJid);
    const streamhosts = element.getChildren('streamhost').map((s) => ({ jid: String(s.attrs.jid), host: String(s.attrs.host), port: String(s.attrs.port) }));
    const existing = transfers.get(sidHash);
    const error = options.connectError ?? (existing && existing.state !== 'connected' ? SEED_ERRORS.conflict : null);
    events.push({ type: 'connect', sid, senderJid, receiverJid, sidHash, streamhosts, outcome: error?.condition ?? 'connected' });
    if (error) return componentError(error);
    if (!existing) {
      transfers.set(sidHash, {
        sid, senderJid, receiverJid, sidHash, state: 'connected', downloadId: null, path: join(dir, sidHash),
        written: 0, total: null, isDownloading: false, listeners: new Set(),
      });
    }
    // RECV <= <connected xmlns='http://oneteam.im/bs-proxy' jid='proxy.host'/>
    return xml('connected', { xmlns: NS_BS_PROXY, jid: options.jid });
  });

  let stopping: Promise<void> | null = null;
  return {
    jid: options.jid,
    socksPort: relay.port,
    httpPort: http.port,
    events,
    stop() {
      stopping ??= stopAll();
      return stopping;
    },
  };
}
