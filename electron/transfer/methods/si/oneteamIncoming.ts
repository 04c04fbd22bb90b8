import xml, { type Element } from '@xmpp/xml';
import { openDownload } from '../../../transport/http/httpDownload';
import type { ByteStream } from '../../../transport/byteStream';
import {
  buildOneteamConnect, NS_ONETEAM_BS_PROXY, oneteamSidHash, parseOneteamActivated, parseOneteamConnected, parseOneteamProgress,
} from '../../../xmpp/xep/oneteamBsProxy';
import type { Streamhost } from '../../../xmpp/xep/xep0065Bytestreams';
import type { TransferRecord } from '../../transferRecord';
import type { TransferTimings, TransferXmpp } from '../../ports';
import { abortable } from '../../streams/abortable';
import { buildOneteamReceipt } from './oneteamReceipt';

/** Options of a receiver's OneTeam leg; the JIDs are exactly those of the SI offer. */
export interface OneteamIncomingOptions {
  xmpp: TransferXmpp;
  record: TransferRecord;
  sid: string;
  /** The sender's full JID. */
  initiator: string;
  ownJid: string;
  timings: TransferTimings;
  /** Aborted when the transfer ends. */
  signal: AbortSignal;
  isOneteamProxy?(jid: string): Promise<boolean>;
}

/**
 * The OneTeam HTTP bytestream proxy as the receiver (seed 000 II): for a streamhost whose JID advertises
 * `http://oneteam.im/bs-proxy`, `<connect sid jid><streamhost/></connect>` (II.1); once `<connected/>` came the
 * receiver answers streamhost-used, waits for the pushed `<activated sidhash url/>` (II.2) and GETs the file
 * (II.3), which may start before the upload ends. `<progress/>` pushes (III) move the progress bar until the
 * downloaded bytes catch up. Each proxy is tried over HTTP once per transfer: a second offer of it (the
 * sender's fallback) is plain SOCKS5.
 */
export class OneteamIncoming {
  readonly sidHash: string;
  private readonly tried = new Set<string>();
  private pending: { proxyJid: string; resolve(url: string): void; reject(error: Error): void } | null = null;
  private active: string | null = null;
  private pushedSent = 0;
  private hasBytes = false;

  constructor(private readonly options: OneteamIncomingOptions) {
    this.sidHash = oneteamSidHash({ sid: options.sid, senderJid: options.initiator, receiverJid: options.ownJid });
  }

  /** II.1 with the first OneTeam streamhost not tried yet (failures logged); the JID that connected, or null. */
  async connect(streamhosts: readonly Streamhost[]): Promise<string | null> {
    const { xmpp, sid, initiator, timings, signal, record } = this.options;
    for (const host of streamhosts) {
      if (host.jid === initiator || this.tried.has(host.jid) || !(await this.isOneteam(host.jid))) continue;
      this.tried.add(host.jid);
      try {
        const iq = xml('iq', { type: 'set', to: host.jid }, buildOneteamConnect({ sid, senderJid: initiator, streamhosts: [host] }));
        const result = await abortable(xmpp.request(iq, timings.s5bResultTimeoutMs), signal);
        const connected = result.getChild('connected', NS_ONETEAM_BS_PROXY);
        const parsed = connected ? parseOneteamConnected(connected) : null;
        if (!parsed?.ok) throw new Error('the proxy answered without <connected/>');
        record.log({ method: 'si', transport: 'oneteam', detail: `OneTeam proxy ${host.jid}: connected, waiting for the activation`, outcome: 'started', reason: '' });
        this.active = host.jid;
        return host.jid;
      } catch (error) {
        record.log({ method: 'si', transport: 'oneteam', detail: `connect to OneTeam proxy ${host.jid}`, outcome: 'failed', reason: (error as Error).message });
      }
    }
    return null;
  }

  /** After streamhost-used: the pushed URL (bounded wait), then the GET's body as a stream; a failed GET is told to the sender. */
  async download(proxyJid: string): Promise<ByteStream> {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no <activated/> from ${proxyJid} within ${this.options.timings.s5bResultTimeoutMs / 1000} s`)),
        this.options.timings.s5bResultTimeoutMs);
      const settle = (): void => { clearTimeout(timer); this.pending = null; };
      this.pending = { proxyJid, resolve: (u) => { settle(); resolve(u); }, reject: (e) => { settle(); reject(e); } };
    });
    const download = await openDownload({ url, offset: 0, signal: this.options.signal })
      .catch((error: unknown) => {
        const reason = `the GET from OneTeam proxy ${proxyJid} failed: ${(error as Error).message}`;
        this.tell('failed', reason);
        throw new Error(reason, { cause: error });
      });
    return download.stream;
  }

  /** The sender moved on (another offer, IBB): stop waiting for an activation. */
  supersede(reason: string): void {
    this.pending?.reject(new Error(reason));
  }

  /** A II.2 or III push for our sidhash: false when it is not from the proxy in use. */
  onPush(from: string, element: Element): boolean {
    if (from !== this.active) return false;
    if (element.is('activated', NS_ONETEAM_BS_PROXY)) {
      const parsed = parseOneteamActivated(element);
      if (!parsed.ok || !this.pending) return false;
      this.pending.resolve(parsed.value.url);
      return true;
    }
    const progress = parseOneteamProgress(element);
    if (!progress.ok) return false;
    if (!this.hasBytes && progress.value.sent > this.pushedSent) {
      this.pushedSent = progress.value.sent;
      this.options.record.progress(progress.value.sent);
    }
    return true;
  }

  /** Downloaded bytes take over the progress bar once they caught up with the proxy's last count (monotonic). */
  received(bytes: number): void {
    if (bytes < this.pushedSent && !this.hasBytes) return;
    this.hasBytes = true;
    this.options.record.progress(bytes);
  }

  /** Tells a Ferry sender how the download went (oneteamReceipt.ts). */
  tell(outcome: 'done' | 'failed', reason: string): void {
    void this.options.xmpp.send(buildOneteamReceipt(this.options.initiator, { sid: this.options.sid, outcome, reason })).catch(() => undefined);
  }

  private async isOneteam(jid: string): Promise<boolean> {
    return (await this.options.isOneteamProxy?.(jid).catch(() => false)) ?? false;
  }
}
