import type { Writable } from 'node:stream';
import xml, { type Element } from '@xmpp/xml';
import { dstAddr } from '../../transport/socks5/codec';
import { connectFirst, ConnectFirstError } from '../../transport/socks5/connector';
import { createIbbStream, type IbbStream } from '../../transport/ibb/ibbStream';
import { unlink } from 'node:fs/promises';
import { watchStall, type ByteStream } from '../../transport/byteStream';
import { XmppStanzaError } from '../../xmpp/stanzaErrors';
import { buildFileTransferAccept, type ByteRange } from '../../xmpp/xep/xep0096FileTransfer';
import { buildStreamhostUsed, NS_BYTESTREAMS, type StreamhostOffer } from '../../xmpp/xep/xep0065Bytestreams';
import { buildClose, NS_IBB, type IbbOpen } from '../../xmpp/xep/xep0047Ibb';
import { declineError, noValidStreamsError } from '../../xmpp/xep/xep0095Si';
import { stanzaError } from '../../xmpp/xep/stanzaErrors';
import type { TransportKind } from '../../../shared/model/transfer';
import type { TransferRecord } from '../transferRecord';
import type { TransferTimings, TransferXmpp, TransportPreference } from '../ports';
import { receiveInto, tooManyBytes } from './receiveInto';

/** How long a receiver waits for the sender's IBB `<close/>` after the last byte. */
const IBB_CLOSE_WAIT_MS = 10_000;

/** How long a receiver waits for its own FIN to go out after the last S5B byte. */
const SOCKET_END_WAIT_MS = 5_000;

/**
 * After the last S5B byte and our FIN: how long to wait for the sender's FIN, so that bytes past the
 * announced size (issue 7 item 2) are seen before the file is accepted. A Ferry sender closes at once;
 * a peer that keeps the socket open costs this much.
 */
const PEER_FIN_WAIT_MS = 2_000;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => { setTimeout(resolve, ms).unref(); });
}

/** Resolves when the stream is closed or failed, or after ms. */
function settledWithin(stream: ByteStream, ms: number): Promise<void> {
  if (stream.state === 'closed' || stream.state === 'failed') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    const sub = stream.onStateChange((state) => { if (state === 'closed' || state === 'failed') done(); });
    function done(): void { clearTimeout(timer); sub.dispose(); resolve(); }
  });
}

/** The file being written: the file store's .part sink. */
export interface IncomingFile {
  writable: Writable;
  /** Verifies (size, and md5 when expectedMd5 is given) before the file gets its name; rejects and deletes otherwise. */
  commit(expectedMd5: string | null): Promise<{ path: string; sha256: string; md5: string | null }>;
  abort(): Promise<void>;
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
  openFile(dir: string | null): Promise<IncomingFile>;
}

/**
 * The receiving side of one XEP-0096 transfer: waits for the user's decision, answers the offer, then
 * takes the bytestream the sender opens on the sid — S5B (trying streamhosts happy-eyeballs style) or
 * IBB, including IBB after a failed S5B on the same sid (Spark, seed 001) — and writes the file.
 */
export class IncomingSiTransfer {
  private decide: ((decision: { dir: string | null } | null) => void) | null = null;
  private readonly decision: Promise<{ dir: string | null } | null>;
  private file: IncomingFile | null = null;
  private stream: ByteStream | null = null;
  private ibb: IbbStream | null = null;
  private streamTimer: NodeJS.Timeout | null = null;
  private readonly abort = new AbortController();

  constructor(private readonly options: IncomingSiOptions) {
    this.decision = new Promise((resolve) => { this.decide = resolve; });
  }

  get record(): TransferRecord { return this.options.record; }
  get sid(): string { return this.options.sid; }
  get ibbStream(): IbbStream | null { return this.ibb; }

  accept(dir: string | null): void { this.decide?.({ dir }); }
  decline(): void { this.decide?.(null); }

  /** Cancels at any stage; the peer sees the stream close (or a decline when still offered). */
  cancel(reason = 'cancelled'): void {
    if (this.record.state === 'offered') { this.decide?.(null); return; }
    if (!this.record.end(reason === 'cancelled' ? 'cancelled' : 'failed', { reason })) return;
    this.teardown(reason);
  }

  /**
   * Cancels by the user after `beforeClose` (the ferry-cancel notice) settled: the record ends now, the
   * stream closes once the peer has been told, so it reads "cancelled by us" rather than a reset.
   */
  cancelAfter(beforeClose: Promise<unknown>): void {
    if (this.record.state === 'offered') { this.decide?.(null); return; }
    if (!this.record.end('cancelled', { reason: 'cancelled' })) return;
    this.cleanup(); // the .part goes now; only the stream's close waits for the notice
    void beforeClose.finally(() => this.teardown('cancelled'));
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
    return buildFileTransferAccept({ method, range: null as ByteRange | null });
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
    if (!this.file || this.stream) throw new XmppStanzaError(stanzaError('not-acceptable'));
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

  /** XEP-0047 open on our sid (also after a failed S5B, Spark-style). */
  acceptIbbOpen(open: IbbOpen): void {
    if (!this.file) throw new XmppStanzaError(stanzaError('not-acceptable', { text: 'no accepted transfer for this sid' }));
    if (this.stream && this.stream.state !== 'failed') throw new XmppStanzaError(stanzaError('not-acceptable', { text: 'a bytestream is already open' }));
    const { xmpp, initiator, sid, timings } = this.options;
    this.ibb = createIbbStream({
      blockSize: open.blockSize,
      sendBlock: () => Promise.reject(new Error('the receiver sends no data')),
      sendClose: async () => { await xmpp.request(xml('iq', { type: 'set', to: initiator }, buildClose({ sid })), timings.ibbAckTimeoutMs); },
    });
    this.record.log({ method: 'si', transport: 'ibb', detail: `IBB in <${open.stanza}/>, block-size ${open.blockSize}`, outcome: 'succeeded', reason: '' });
    this.attach(this.ibb, 'ibb');
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
    this.record.setMethod('si', kind);
    this.record.setState('transferring');
    const progress = stream.onProgress((p) => this.record.progress(p.received));
    // The stream decides the end from here (all bytes, an error, or this watchdog), not the peer's presence.
    const stall = watchStall(stream, this.options.timings.stallTimeoutMs, (reason) => this.fail(reason));
    receiveInto(stream, this.file!, this.record.file.size)
      // IBB: the sender closes after our last ack; waiting for its <close/> (bounded) before declaring
      // the file done keeps both sides in step and avoids racing it with our own close (XEP-0047 §2.3).
      .then(async () => {
        stall.dispose();
        if (kind === 'ibb') await settledWithin(stream, IBB_CLOSE_WAIT_MS);
        else {
          // S5B: every byte is in, so close our half with a FIN before dispose(), which resets (RST) a
          // socket whose sending side is still open; a sender that reads until EOF (slixmpp) saw that RST
          // as ECONNRESET and failed a file that had arrived.
          await Promise.race([stream.end().catch(() => undefined), delay(SOCKET_END_WAIT_MS)]);
          await settledWithin(stream, PEER_FIN_WAIT_MS);
        }
        // Bytes past the announced size fail the stream even after the last expected one (receiveInto). Any
        // other end after the last byte (a reset from a sender that just exits) does not spoil the file.
        const excess = tooManyBytes(this.record.file.size);
        if (stream.state === 'failed' && stream.failureReason === excess) throw new Error(excess);
      })
      .then(() => this.complete())
      .catch((error: Error) => this.fail(this.abort.signal.aborted ? 'cancelled' : error.message))
      .finally(() => { stall.dispose(); progress.dispose(); stream.dispose(); });
  }

  private async complete(): Promise<void> {
    this.record.setState('verifying');
    // The md5 of the offer is checked before the .part gets its final name: a damaged file never appears.
    const result = await this.file!.commit(this.record.file.md5);
    this.file = null;
    // Cancelled while verifying (the commit cannot be stopped half way): the cancel wins, so the file it
    // published goes too; a cancelled card never leaves a file behind.
    if (!this.record.end('done', { path: result.path, sha256: result.sha256 })) await unlink(result.path).catch(() => undefined);
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
