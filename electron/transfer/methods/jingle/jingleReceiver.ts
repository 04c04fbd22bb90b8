import { randomBytes } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import type { Element } from '@xmpp/xml';
import { FALLBACK_TO_IBB_DETAIL, type TransportKind } from '../../../../shared/model/transfer';
import type { ByteStream } from '../../../transport/byteStream';
import type { IbbStream } from '../../../transport/ibb/ibbStream';
import { XmppStanzaError } from '../../../xmpp/stanzaErrors';
import { stanzaError } from '../../../xmpp/xep/stanzaErrors';
import type { JingleContent } from '../../../xmpp/xep/xep0166Jingle';
import { buildFileDescription, parseChecksum, type FileRange, type JingleFile, type JingleFtVersion } from '../../../xmpp/xep/xep0234JingleFt';
import { NS_JINGLE_S5B, parseS5bTransport } from '../../../xmpp/xep/xep0260JingleS5b';
import { buildIbbTransport, NS_JINGLE_IBB, parseIbbTransport } from '../../../xmpp/xep/xep0261JingleIbb';
import { base64ToHex, strongestVerifiableHash } from '../../../xmpp/xep/xep0300Hashes';
import type { IbbOpen } from '../../../xmpp/xep/xep0047Ibb';
import { createIbbReceiver } from '../../streams/ibbSession';
import type { IbbRegistry } from '../../streams/ibbRouter';
import { isHashMismatch, receiveOver, type IncomingFile } from '../../streams/receiveStream';
import type { StreamhostSources, TransferXmpp } from '../../ports';
import type { TransferRecord } from '../../transferRecord';
import type { IncomingDeps, IncomingTransfer } from '../types';
import { answerBlockSize, IBB_MAX_BLOCK_SIZE, openMatchesNegotiated } from './ibbNegotiation';
import { JingleS5b } from './jingleS5b';
import { JingleSession } from './jingleSession';
import type { JingleTimings, JingleTransport } from './sessionTypes';

/** After the last byte, how long to wait for a checksum the offer announced (XEP-0234 §8.2) before keeping the file unverified. */
const CHECKSUM_WAIT_MS = 5_000;

/** One received session-initiate with a file offer. */
export interface JingleOffer {
  sid: string;
  from: string;
  content: JingleContent;
  file: JingleFile;
  /** The file-transfer namespace version of the offer (:5, :4 or :3). */
  version: JingleFtVersion;
}

/** What an incoming Jingle transfer needs besides the service's deps. */
export interface IncomingJingleOptions {
  xmpp: TransferXmpp;
  ibb: IbbRegistry;
  sources: StreamhostSources;
  deps: IncomingDeps;
  offer: JingleOffer;
  jingleTimings: JingleTimings;
}

/**
 * The responder side of one XEP-0234 file offer: acknowledges it at once, waits for the user, answers
 * session-accept with our own S5B candidates (or the IBB block-size we take), takes the stream the
 * nomination or a transport-replace gives, verifies the sha-256 from the offer or from a checksum that may
 * come after the data, and ends the session with the verdict (success, or media-error for a damaged file).
 *
 * Resuming (XEP-0234 §7 "Ranged transfers"): when the offer's file carries `<range/>` and a kept .part of
 * the same file exists, the session-accept's file asks for `<range offset=N/>` and the stream carries the
 * rest. The hash rule is then: only a whole-file hash counts — the offer's sha-256, or a checksum without a
 * range (or with one covering the whole file). A checksum of the range alone (what a Ferry sender sends
 * when it resumes without a hash in the offer) says nothing about the bytes already on disk, so it is not
 * taken as the file's: such a file is kept with hash 'none' rather than called verified.
 */
export class IncomingJingleTransfer implements IncomingTransfer {
  readonly session: JingleSession;
  private file: IncomingFile | null = null;
  private stream: ByteStream | null = null;
  private s5b: JingleS5b | null = null;
  private ibbParams: { sid: string; blockSize: number } | null = null;
  private unexpectIbb: (() => void) | null = null;
  private ourTransport: Element | null = null;
  private checksum: string | null = null;
  private readonly offerSha256: string | null;
  private onChecksum: (() => void) | null = null;
  private isChecksumReceived = false;
  /** Bytes of a kept .part this transfer continues (0: from the start). */
  private resumedFrom = 0;
  private readonly abort = new AbortController();

  constructor(private readonly options: IncomingJingleOptions) {
    const { offer } = options;
    const ns = String(offer.content.transport?.attrs.xmlns ?? '');
    const offered = offer.content.transport && ns === NS_JINGLE_IBB ? parseIbbTransport(offer.content.transport) : null;
    if (offered?.ok) this.ibbParams = { sid: offered.value.sid, blockSize: answerBlockSize({ offered: offered.value.blockSize, localMax: IBB_MAX_BLOCK_SIZE }) };
    const hash = strongestVerifiableHash(offer.file.hashes);
    this.checksum = hash ? base64ToHex(hash.base64) : null;
    this.offerSha256 = this.checksum;
    this.session = new JingleSession({
      xmpp: options.xmpp, role: 'responder', sid: offer.sid, ownJid: options.deps.ownJid, peer: offer.from,
      transport: ns === NS_JINGLE_IBB ? 'ibb' : 's5b', timings: options.jingleTimings,
      hooks: {
        content: (action, transport) => ({
          creator: offer.content.creator, name: offer.content.name, senders: offer.content.senders,
          description: action === 'session-accept' ? this.acceptDescription() : null,
          transport: this.transportFor(transport),
        }),
        onInfo: (action, element) => this.onInfo(action, element),
        decideReplace: (transport, content) => this.decideReplace(transport, content),
        // Once IBB is agreed, a SOCKS5 connection that completes late must not take the file (the sender uses IBB).
        onSwitch: (transport) => { if (transport === 'ibb') { this.s5b?.dispose(); this.expectIbb(); } },
        onAccepted: () => undefined,
        onEnd: (end) => {
          if (!this.record.end(end.state, { reason: end.reason })) return;
          this.teardown(end.reason);
        },
      },
    });
    const sub = this.record.onUpdated(() => { if (this.record.isEnded) { this.unexpectIbb?.(); this.s5b?.dispose(); sub(); } });
  }

  get record(): TransferRecord { return this.options.deps.record; }

  accept(dir: string | null): void { void this.start(dir); }
  decline(): void { this.session.terminate('decline'); }

  cancel(reason = 'cancelled'): void {
    if (!this.record.end(reason === 'cancelled' ? 'cancelled' : 'failed', { reason })) return;
    this.session.close();
    this.teardown(reason);
  }

  cancelByUser(): void {
    this.endTellingPeer('cancelled', 'cancelled');
  }

  /** Logging out: session-terminate <cancel/> as cancelByUser sends, but the record fails, so the .part is kept. */
  stopForLogout(reason: string): void {
    this.endTellingPeer('failed', reason);
  }

  /** Still offered: declined. Else the record ends as `state`, and the peer reads <cancel/> (who ended it). */
  private endTellingPeer(state: 'cancelled' | 'failed', reason: string): void {
    if (this.record.state === 'offered') { this.decline(); return; }
    if (!this.record.end(state, { reason })) return;
    this.session.terminate('cancel');
    this.teardown(reason);
  }

  private async start(dir: string | null): Promise<void> {
    if (this.record.state !== 'offered') return;
    try {
      // §7: "the inclusion of the <range/> element indicates support of ranged transfers" (in the offer).
      const { file, version } = this.options.offer;
      this.file = await this.options.deps.openFile(dir, { sha256: this.offerSha256, isRangeSupported: file.range !== null && version === 5 });
      this.resumedFrom = this.file.offset;
    } catch (error) {
      const reason = `cannot write the file: ${(error as Error).message}`;
      if (this.record.end('failed', { reason })) this.session.terminate('general-error', { text: 'the receiver cannot write the file' });
      return;
    }
    this.record.setState('connecting');
    const transport = this.options.offer.content.transport;
    if (this.session.transport === 's5b' && transport) {
      const theirs = parseS5bTransport(transport);
      const candidates = theirs.ok && theirs.value.kind === 'candidates' ? theirs.value : null;
      this.s5b = this.newS5b();
      // prepare() fails when the listener went away under it (a logout or a quit while this offer is taken).
      const ours = await this.s5b.prepare(candidates?.candidates ?? []).catch((error: unknown) => {
        this.fail(`cannot offer SOCKS5 candidates: ${error instanceof Error ? error.message : String(error)}`, 'failed-transport');
        return null;
      });
      if (!ours) return;
      this.ourTransport = ours;
      this.session.dispatch({ kind: 'accept' });
      this.s5b.connect(candidates ?? { kind: 'candidates', sid: '', dstAddr: null, mode: 'tcp', candidates: [] });
      void this.s5b.result.then((opened) => {
        // Null: S5B failed on both sides; the initiator replaces the transport (XEP-0260 §3), or our deadline does.
        if (opened) this.attach(opened.stream, opened.transport, opened.detail);
      });
      return;
    }
    this.session.dispatch({ kind: 'accept' });
    this.expectIbb();
  }

  private newS5b(): JingleS5b {
    const { xmpp, sources, deps, offer } = this.options;
    return new JingleS5b({
      xmpp, role: 'responder', receivesFile: true, sid: s5bSid(offer.content.transport) ?? randomBytes(9).toString('hex'),
      ownJid: deps.ownJid, peerJid: offer.from, sources, preference: deps.preference, timings: deps.timings, signal: this.abort.signal,
      log: (entry) => this.record.log({ method: 'jingle', ...entry }),
      sendInfo: (t) => this.session.sendInfo('transport-info', t),
    });
  }

  /**
   * The session-accept's description: the offer's own, or, resuming, its file with `<range offset=N/>`
   * asking for the rest (§7: the responder "includes a <range/> element ... with an 'offset' attribute").
   */
  private acceptDescription(): Element | null {
    const { offer } = this.options;
    if (this.resumedFrom === 0) return offer.content.description;
    const range: FileRange = { offset: this.resumedFrom, length: null, hashes: [] };
    return buildFileDescription({ ...offer.file, range });
  }

  private transportFor(transport: JingleTransport): Element | null {
    if (transport === 's5b') return this.ourTransport;
    const params = this.ibbParams;
    return params ? buildIbbTransport({ sid: params.sid, blockSize: params.blockSize, stanza: 'iq' }) : null;
  }

  private onInfo(action: 'session-info' | 'transport-info', element: Element): void {
    if (action === 'transport-info') {
      if (String(element.attrs.xmlns ?? '') !== NS_JINGLE_S5B) return;
      const info = parseS5bTransport(element);
      if (info.ok) this.s5b?.onInfo(info.value);
      return;
    }
    if (element.name !== 'checksum') return;
    const checksum = parseChecksum(element);
    if (!checksum.ok) return;
    const hash = strongestVerifiableHash(checksum.value.file.hashes);
    // Only a hash of the whole file is one (see the class comment); a range checksum still ends the wait.
    if (hash && coversWholeFile(checksum.value.file.range, this.record.file.size)) this.checksum = base64ToHex(hash.base64);
    this.isChecksumReceived = true;
    this.onChecksum?.();
  }

  /** A replace to IBB from the initiator is taken, with our block-size answer (XEP-0261 §2.2: never larger). */
  private decideReplace(transport: JingleTransport, content: JingleContent | null): boolean {
    const offered = content?.transport ? parseIbbTransport(content.transport) : null;
    if (transport !== 'ibb' || !offered?.ok || this.stream) return false;
    this.ibbParams = { sid: offered.value.sid, blockSize: answerBlockSize({ offered: offered.value.blockSize, localMax: IBB_MAX_BLOCK_SIZE }) };
    this.record.log({ method: 'jingle', transport: 'ibb', detail: `${FALLBACK_TO_IBB_DETAIL} (the sender replaced the transport)`, outcome: 'started', reason: '' });
    return true;
  }

  private expectIbb(): void {
    const params = this.ibbParams;
    if (!params || this.unexpectIbb) return;
    this.unexpectIbb = this.options.ibb.expect(params.sid, this.options.offer.from, (open) => this.acceptIbbOpen(open));
  }

  private acceptIbbOpen(open: IbbOpen): IbbStream {
    const params = this.ibbParams!;
    if (!this.file || this.stream) throw new XmppStanzaError(stanzaError('not-acceptable', { text: 'no accepted transfer for this sid' }));
    // XEP-0261 §2.2: a block-size other than the negotiated one "SHOULD return a <resource-constraint/> error".
    if (!openMatchesNegotiated({ negotiated: params.blockSize, opened: open.blockSize })) {
      throw new XmppStanzaError(stanzaError('resource-constraint', { text: `block-size ${params.blockSize} was negotiated` }));
    }
    const { xmpp, offer, deps } = this.options;
    const ibb = createIbbReceiver({ xmpp, sid: params.sid, initiator: offer.from, blockSize: open.blockSize, ackTimeoutMs: deps.timings.ibbAckTimeoutMs });
    this.attach(ibb, 'ibb', `IBB (XEP-0261) in <${open.stanza}/>, block-size ${open.blockSize}`);
    return ibb;
  }

  private attach(stream: ByteStream, kind: TransportKind, detail: string): void {
    if (this.record.isEnded || this.stream) { stream.dispose(); return; }
    this.stream = stream;
    this.record.log({ method: 'jingle', transport: kind, detail, outcome: 'succeeded', reason: '' });
    this.record.setMethod('jingle', kind);
    this.record.setState('transferring');
    this.session.dispatch({ kind: 'transport-open' });
    let isFirst = true;
    receiveOver({
      stream, kind, file: this.file!, size: this.record.file.size, offset: this.resumedFrom, stallTimeoutMs: this.options.deps.timings.stallTimeoutMs,
      onProgress: (bytes) => {
        if (isFirst) { isFirst = false; this.session.dispatch({ kind: 'first-byte' }); }
        this.record.progress(bytes);
      },
      onStall: (reason) => this.fail(reason, 'connectivity-error'),
    })
      .then(() => this.complete())
      .catch((error: Error) => this.fail(this.abort.signal.aborted ? 'cancelled' : error.message, 'connectivity-error'));
  }

  private async complete(): Promise<void> {
    this.record.setState('verifying');
    let result;
    try {
      result = await this.file!.commit({ sha256: () => this.expectedSha256() });
    } catch (error) {
      if (isHashMismatch(error)) {
        this.record.end('failed', { reason: (error as Error).message, hash: 'mismatch' });
        this.session.terminate('media-error', { text: 'the file arrived damaged: its sha-256 does not match the sender\'s' });
        this.teardown('damaged');
        return;
      }
      throw error;
    }
    this.file = null;
    const hash = this.checksum ? 'verified' : 'none';
    if (!this.record.end('done', { path: result.path, sha256: result.sha256, hash })) {
      await unlink(result.path).catch(() => undefined);
      return;
    }
    this.session.terminate('success', { isHashVerified: hash === 'verified' });
  }

  /** The offer's hash, or a checksum that arrives within CHECKSUM_WAIT_MS of the last byte, or none. */
  private async expectedSha256(): Promise<string | null> {
    if (this.checksum || this.isChecksumReceived) return this.checksum;
    // A sender that announced the algorithm (hash-used) will send it; one that said nothing gets a short wait.
    const waitMs = this.options.offer.file.hashesUsed.length > 0 ? CHECKSUM_WAIT_MS : CHECKSUM_WAIT_MS / 5;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, waitMs);
      timer.unref();
      this.onChecksum = () => { clearTimeout(timer); resolve(); };
    });
    return this.checksum;
  }

  private fail(reason: string, condition: 'connectivity-error' | 'failed-transport'): void {
    if (!this.record.end('failed', { reason })) return;
    this.session.terminate(condition, { text: reason });
    this.teardown(reason);
  }

  private teardown(reason: string): void {
    this.abort.abort();
    this.s5b?.dispose();
    this.unexpectIbb?.();
    this.stream?.fail(reason);
    const file = this.file;
    this.file = null;
    void file?.abort().catch(() => undefined);
  }
}

/** A checksum's range covers the whole file when it has none, or starts at 0 and runs to the end. */
function coversWholeFile(range: FileRange | null, size: number): boolean {
  return range === null || (range.offset === 0 && (range.length === null || range.length === size));
}

function s5bSid(transport: Element | null): string | null {
  if (!transport || String(transport.attrs.xmlns ?? '') !== NS_JINGLE_S5B) return null;
  const sid = transport.attrs.sid;
  return typeof sid === 'string' && sid ? sid : null;
}
