import type { Element } from '@xmpp/xml';
import { unlink } from 'node:fs/promises';
import { dstAddr } from '../../../transport/socks5/codec';
import { connectFirst, ConnectFirstError } from '../../../transport/socks5/connector';
import type { IbbStream } from '../../../transport/ibb/ibbStream';
import type { ByteStream } from '../../../transport/byteStream';
import { XmppStanzaError } from '../../../xmpp/stanzaErrors';
import { buildFileTransferAccept } from '../../../xmpp/xep/xep0096FileTransfer';
import { buildStreamhostUsed, NS_BYTESTREAMS, type StreamhostOffer } from '../../../xmpp/xep/xep0065Bytestreams';
import { NS_IBB, type IbbOpen } from '../../../xmpp/xep/xep0047Ibb';
import { declineError, noValidStreamsError } from '../../../xmpp/xep/xep0095Si';
import { stanzaError } from '../../../xmpp/xep/stanzaErrors';
import { FALLBACK_TO_IBB_DETAIL, type TransportKind } from '../../../../shared/model/transfer';
import type { TransferRecord } from '../../transferRecord';
import type { TransferTimings, TransferXmpp, TransportPreference } from '../../ports';
import { createIbbReceiver } from '../../streams/ibbSession';
import { isHashMismatch, receiveOver, type IncomingFile } from '../../streams/receiveStream';
import type { IncomingTransfer } from '../types';
import { buildFerryCancel } from './ferryCancel';
import { OneteamIncoming } from './oneteamIncoming';

/** How long a cancel waits after its ferry-cancel notice before closing the stream, so the notice wins the race. */
export const CANCEL_NOTICE_GRACE_MS = 250;

/** Sends the ferry-cancel notice (ferryCancel.ts) and resolves once it had time to arrive before the reset. */
export function tellPeerCancelled(xmpp: TransferXmpp, peer: string, sid: string): Promise<void> {
  return xmpp.send(buildFerryCancel(peer, sid)).then(() => true, () => false)
    .then((sent) => new Promise((resolve) => { setTimeout(resolve, sent ? CANCEL_NOTICE_GRACE_MS : 0); }));
}

/** Options of one incoming SI transfer. */
export interface IncomingSiOptions {
  xmpp: TransferXmpp;
  record: TransferRecord;
  sid: string;
  /** The sender's full JID, exactly as in the offer's `from`. */
  initiator: string;
  ownJid: string;
  offeredMethods: string[];
  preference: TransportPreference;
  timings: TransferTimings;
  /** Opens the .part; one kept from an interrupted transfer of the same file comes back with an offset > 0. */
  openFile(dir: string | null): Promise<IncomingFile>;
  /** Which streamhost JIDs are OneTeam HTTP proxies (seed 000); absent: none. */
  isOneteamProxy?(jid: string): Promise<boolean>;
  /** Registers with the IBB router that the initiator may open `sid` (returns dispose). */
  expectIbb(onOpen: (open: IbbOpen) => IbbStream): () => void;
}

/**
 * The receiving side of one XEP-0096 transfer: waits for the user's decision, answers the offer, then
 * takes the bytestream the sender opens on the sid — S5B (trying streamhosts happy-eyeballs style) or
 * IBB, including IBB after a failed S5B on the same sid (Spark, seed 001) — and writes the file.
 */
export class IncomingSiTransfer implements IncomingTransfer {
  private decide: ((decision: { dir: string | null } | null) => void) | null = null;
  private readonly decision: Promise<{ dir: string | null } | null>;
  private file: IncomingFile | null = null;
  private stream: ByteStream | null = null;
  private streamKind: TransportKind | null = null;
  private streamTimer: NodeJS.Timeout | null = null;
  private readonly abort = new AbortController();
  private readonly oneteam: OneteamIncoming;

  constructor(private readonly options: IncomingSiOptions) {
    this.oneteam = new OneteamIncoming({ ...options, signal: this.abort.signal });
    this.decision = new Promise((resolve) => { this.decide = resolve; });
    const unexpect = options.expectIbb((open) => this.acceptIbbOpen(open));
    const sub = this.record.onUpdated(() => { if (this.record.isEnded) { unexpect(); sub(); } });
  }

  get record(): TransferRecord { return this.options.record; }
  get sid(): string { return this.options.sid; }
  /** The OneTeam proxy's SIDHASH of this transfer, by which its pushes find it. */
  get oneteamSidHash(): string { return this.oneteam.sidHash; }

  /** A OneTeam proxy's push for this transfer (II.2, III); false when it is not ours. */
  onOneteamPush(from: string, element: Element): boolean { return this.oneteam.onPush(from, element); }

  accept(dir: string | null): void { this.decide?.({ dir }); }
  decline(): void { this.decide?.(null); }

  /** Cancels at any stage; the peer sees the stream close (or a decline when still offered). */
  cancel(reason = 'cancelled'): void {
    if (this.record.state === 'offered') { this.decide?.(null); return; }
    if (!this.record.end(reason === 'cancelled' ? 'cancelled' : 'failed', { reason })) return;
    this.teardown(reason);
  }

  /**
   * Cancels by the user: the record ends now, the stream closes once a Ferry peer has been told
   * (ferryCancel.ts), so it reads "cancelled by us" rather than a reset.
   */
  cancelByUser(): void {
    this.endTellingPeer('cancelled', 'cancelled');
  }

  /** Logging out: like cancelByUser (the ferry-cancel notice first), but the record fails, so the .part is kept. */
  stopForLogout(reason: string): void {
    this.endTellingPeer('failed', reason);
  }

  /** Still offered: declined. Else the record ends as `state` now, and the stream closes once a Ferry peer was told. */
  private endTellingPeer(state: 'cancelled' | 'failed', reason: string): void {
    if (this.record.state === 'offered') { this.decide?.(null); return; }
    if (!this.record.end(state, { reason })) return;
    this.cleanup(); // the .part goes now, or is kept for a failed one; only the stream's close waits for the notice
    void tellPeerCancelled(this.options.xmpp, this.options.initiator, this.options.sid).finally(() => this.teardown(reason));
  }

  private teardown(reason: string): void {
    this.abort.abort();
    this.stream?.fail(reason);
    this.cleanup();
  }

  /** The sender said it cancelled (ferryCancel.ts): before an answer the offer is withdrawn, later the stream ends. */
  peerCancelled(by: string): void {
    const reason = `cancelled by ${by}`;
    if (!this.record.end('cancelled', { reason })) return;
    this.decide?.(null);
    this.teardown(reason);
  }

  /** Answers the SI offer IQ: the accept element, or throws the stanza error to reply with. */
  async answerOffer(): Promise<Element> {
    const method = this.chooseMethod();
    if (!method) {
      this.endAfterReply('failed', 'the sender offered no stream method Ferry speaks');
      throw new XmppStanzaError(noValidStreamsError());
    }
    const decision = await this.decisionWithin(this.options.timings.offerTimeoutMs);
    if (!decision) {
      this.endAfterReply('declined', 'declined');
      throw new XmppStanzaError(declineError());
    }
    try {
      this.file = await this.options.openFile(decision.dir);
    } catch (error) {
      this.record.end('failed', { reason: `cannot write the file: ${(error as Error).message}` });
      throw new XmppStanzaError(stanzaError('internal-server-error', { text: 'cannot write the file' }));
    }
    this.record.setState('connecting');
    this.armStreamTimer();
    // XEP-0096 §3: a <range offset/> asks for the file from there to the end; openFile resumes only when
    // the offer announced range support ("signifies that the sender can do ranged transfers").
    const offset = this.file.offset;
    return buildFileTransferAccept({ method, range: offset > 0 ? { offset, length: null } : null });
  }

  /**
   * Ends the record once the error reply to the offer has been written (one turn later): whoever acts on
   * the end (`ferry receive --count` logs out) must not close the stream before the sender got the
   * refusal, or the sender only sees us go offline instead of a decline.
   */
  private endAfterReply(state: 'failed' | 'declined', reason: string): void {
    setImmediate(() => this.record.end(state, { reason }));
  }

  /** XEP-0065 target (seed 004 §5.3): connect to the streamhosts in order, report the one used. */
  async answerStreamhosts(offer: StreamhostOffer): Promise<Element> {
    this.dropIdleOneteam('the sender offered streamhosts again');
    if (!this.file || this.stream) throw new XmppStanzaError(stanzaError('not-acceptable'));
    // The form carries the whole file, so a resumed one (offset > 0) never goes over HTTP.
    if (['auto', 'oneteam'].includes(this.options.preference) && this.file.offset === 0) {
      const proxyJid = await this.oneteam.connect(offer.streamhosts);
      if (proxyJid) {
        void this.receiveOverOneteam(proxyJid);
        return buildStreamhostUsed({ sid: this.options.sid, jid: proxyJid });
      }
    }
    const hash = offer.dstAddr ?? dstAddr(this.options.sid, this.options.initiator, this.options.ownJid);
    const candidates = offer.streamhosts.map((h) => ({ ...h, dstAddr: hash }));
    if (offer.ignoredStreamhosts) {
      this.record.log({ method: 'si', transport: null, detail: `S5B: ${offer.ignoredStreamhosts} more streamhosts offered`, outcome: 'failed', reason: `ignored: at most ${candidates.length} are tried` });
    }
    try {
      const won = await connectFirst(candidates, {
        headStartMs: this.options.timings.s5bHeadStartMs, timeoutMs: this.options.timings.s5bConnectTimeoutMs, signal: this.abort.signal,
      });
      for (const f of won.failures) this.logFailure(f.candidate.jid === this.options.initiator ? 's5b-direct' : 's5b-proxy', f);
      const kind: TransportKind = won.candidate.jid === this.options.initiator ? 's5b-direct' : 's5b-proxy';
      this.record.log({ method: 'si', transport: kind, detail: `${won.candidate.jid} ${won.candidate.host}:${won.candidate.port}`, outcome: 'succeeded', reason: '' });
      this.attach(won.stream, kind);
      return buildStreamhostUsed({ sid: this.options.sid, jid: won.candidate.jid });
    } catch (error) {
      const failures = error instanceof ConnectFirstError ? error.failures : [];
      for (const f of failures) this.logFailure(f.candidate.jid === this.options.initiator ? 's5b-direct' : 's5b-proxy', f);
      if (failures.length === 0) this.record.log({ method: 'si', transport: null, detail: 'S5B', outcome: 'failed', reason: (error as Error).message });
      // Seed 004 §5.3.3: no streamhost reachable → item-not-found; the sender may then open IBB.
      throw new XmppStanzaError(stanzaError('item-not-found', { text: 'could not connect to any streamhost' }));
    }
  }

  /** XEP-0047 open on our sid (also after a failed S5B, Spark-style); the IBB router calls this. */
  private acceptIbbOpen(open: IbbOpen): IbbStream {
    if (!this.file) throw new XmppStanzaError(stanzaError('not-acceptable', { text: 'no accepted transfer for this sid' }));
    this.dropIdleOneteam('the sender opened IBB');
    if (this.stream && this.stream.state !== 'failed') throw new XmppStanzaError(stanzaError('not-acceptable', { text: 'a bytestream is already open' }));
    const { xmpp, initiator, sid, timings } = this.options;
    const ibb = createIbbReceiver({ xmpp, sid, initiator, blockSize: open.blockSize, ackTimeoutMs: timings.ibbAckTimeoutMs });
    if (this.record.snapshot().attempts.some((a) => a.outcome === 'failed' && a.transport !== 'ibb')) {
      this.record.log({ method: 'si', transport: 'ibb', detail: `${FALLBACK_TO_IBB_DETAIL} (the sender opened IBB on the same sid)`, outcome: 'started', reason: '' });
    }
    this.record.log({ method: 'si', transport: 'ibb', detail: `IBB in <${open.stanza}/>, block-size ${open.blockSize}`, outcome: 'succeeded', reason: '' });
    this.attach(ibb, 'ibb');
    return ibb;
  }

  /** II.2–3 after streamhost-used; a failure before any byte leaves the transfer to the sender's next transport. */
  private async receiveOverOneteam(proxyJid: string): Promise<void> {
    let stream: ByteStream;
    try {
      stream = await this.oneteam.download(proxyJid);
    } catch (error) {
      const reason = this.abort.signal.aborted ? 'cancelled' : (error as Error).message;
      this.record.log({ method: 'si', transport: 'oneteam', detail: `OneTeam proxy ${proxyJid}`, outcome: 'failed', reason });
      return;
    }
    if (this.stream || this.record.isEnded) { stream.dispose(); return; }
    this.record.log({ method: 'si', transport: 'oneteam', detail: `HTTP GET from OneTeam proxy ${proxyJid}`, outcome: 'succeeded', reason: '' });
    this.attach(stream, 'oneteam');
  }

  /**
   * The sender moved on (a new streamhost offer, an IBB open): its OneTeam attempt failed on its side (a refused
   * activation or POST), so a GET still waiting for its first byte is dropped rather than the transfer failed.
   */
  private dropIdleOneteam(reason: string): void {
    this.oneteam.supersede(reason);
    const stream = this.stream;
    if (this.streamKind !== 'oneteam' || !stream || stream.progress.received > 0) return;
    this.stream = null;
    this.streamKind = null;
    this.record.log({ method: 'si', transport: 'oneteam', detail: 'HTTP GET dropped before any byte came', outcome: 'failed', reason });
    stream.fail(reason);
  }

  private chooseMethod(): string | null {
    const offered = this.options.offeredMethods;
    const wantsIbb = this.options.preference === 'ibb';
    const order = wantsIbb ? [NS_IBB, NS_BYTESTREAMS] : [NS_BYTESTREAMS, NS_IBB];
    return order.find((m) => offered.includes(m)) ?? null;
  }

  private async decisionWithin(timeoutMs: number): Promise<{ dir: string | null } | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), timeoutMs); });
    try {
      return await Promise.race([this.decision, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private armStreamTimer(): void {
    this.streamTimer = setTimeout(() => {
      if (!this.stream) this.fail(`the sender opened no bytestream within ${Math.round(this.options.timings.streamWaitMs / 1000)} s`);
    }, this.options.timings.streamWaitMs);
  }

  private attach(stream: ByteStream, kind: TransportKind): void {
    if (this.streamTimer) clearTimeout(this.streamTimer);
    this.stream = stream;
    this.streamKind = kind;
    this.record.setMethod('si', kind);
    this.record.setState('transferring');
    receiveOver({
      stream, kind, file: this.file!, size: this.record.file.size, offset: this.file!.offset, stallTimeoutMs: this.options.timings.stallTimeoutMs,
      onProgress: (bytes) => (kind === 'oneteam' ? this.oneteam.received(bytes) : this.record.progress(bytes)), onStall: (reason) => this.fail(reason),
    })
      .then(() => this.complete())
      .then(() => { if (kind === 'oneteam') this.oneteam.tell('done', ''); })
      .catch((error: Error) => {
        if (this.stream !== stream && !this.record.isEnded) return; // dropped for the sender's next transport
        const reason = this.abort.signal.aborted ? 'cancelled' : error.message;
        if (kind === 'oneteam') this.oneteam.tell('failed', reason);
        this.fail(reason);
      });
  }

  private async complete(): Promise<void> {
    this.record.setState('verifying');
    // The md5 of the offer is checked before the .part gets its final name: a damaged file never appears.
    // It is the whole file's, and so is the digest (a resumed .part was hashed from its first byte).
    let result;
    try {
      result = await this.file!.commit({ md5: this.record.file.md5 });
    } catch (error) {
      if (isHashMismatch(error)) this.record.end('failed', { reason: (error as Error).message, hash: 'mismatch' });
      throw error;
    }
    this.file = null;
    // Cancelled while verifying (the commit cannot be stopped half way): the cancel wins, so the file it
    // published goes too; a cancelled card never leaves a file behind.
    const hash = this.record.file.md5 ? 'verified' : 'none';
    if (!this.record.end('done', { path: result.path, sha256: result.sha256, hash })) await unlink(result.path).catch(() => undefined);
  }

  private logFailure(kind: TransportKind, f: { candidate: { jid: string; host: string; port: number }; reason: string }): void {
    this.record.log({ method: 'si', transport: kind, detail: `${f.candidate.jid} ${f.candidate.host}:${f.candidate.port}`, outcome: 'failed', reason: f.reason });
  }

  private fail(reason: string): void {
    if (!this.record.end('failed', { reason })) return;
    this.abort.abort(); // connect attempts must not outlive the transfer
    this.stream?.fail(reason);
    this.cleanup();
  }

  private cleanup(): void {
    if (this.streamTimer) clearTimeout(this.streamTimer);
    const file = this.file;
    this.file = null;
    void file?.abort().catch(() => undefined);
  }
}
