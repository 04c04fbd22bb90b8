import type { Element } from '@xmpp/xml';
import type { Attempt, TransportKind } from '../../../../shared/model/transfer';
import type { ByteStream } from '../../../transport/byteStream';
import { connectFirst, ConnectFirstError } from '../../../transport/socks5/connector';
import type { Expectation } from '../../../transport/socks5/listener';
import {
  buildActivated, buildCandidateError, buildCandidateUsed, buildProxyError, buildS5bCandidates, jingleDstAddr,
  sortCandidatesByPriority, type S5bCandidate, type S5bTransport,
} from '../../../xmpp/xep/xep0260JingleS5b';
import type { StreamhostSources, TransferTimings, TransferXmpp, TransportPreference } from '../../ports';
import type { OpenedTransport } from '../../streams/openedTransport';
import { connectAndActivateProxy } from '../../streams/s5bProxy';
import { localCandidates, nominate, type CandidateReport } from './s5bNegotiation';
import type { JingleRole } from './sessionTypes';

/** Everything one XEP-0260 negotiation needs. */
export interface JingleS5bOptions {
  xmpp: TransferXmpp;
  role: JingleRole;
  /** This side receives the file (its candidates rank lower: s5bNegotiation.ts localCandidates). */
  receivesFile: boolean;
  /** The transport's sid (not the session's). */
  sid: string;
  ownJid: string;
  peerJid: string;
  sources: StreamhostSources;
  preference: TransportPreference;
  timings: TransferTimings;
  signal: AbortSignal;
  log(entry: Omit<Attempt, 'at' | 'method'>): void;
  /** Sends a transport-info carrying this `<transport/>`. */
  sendInfo(transport: Element): void;
}

/**
 * XEP-0260 on the wire, for either role: offers our candidates (a direct one on each local address, loopback
 * last, and the proxies, with their listener expectation), connects to the peer's with the same raced connects
 * as SI (a dead candidate costs seconds), reports candidate-used / candidate-error, and once both reports are in
 * applies the nomination rule of s5bNegotiation.ts, activating a proxy we offered. `result` resolves with the
 * nominated, ready stream, or null when S5B failed on both sides and the session must fall back.
 */
export class JingleS5b {
  readonly result: Promise<OpenedTransport | null>;
  private resolve: (value: OpenedTransport | null) => void = () => undefined;
  private local: S5bCandidate[] = [];
  private remote: S5bCandidate[] = [];
  private localReport: CandidateReport | null = null;
  private remoteReport: CandidateReport | null = null;
  private expectation: Expectation | null = null;
  private ownStream: ByteStream | null = null;
  private activated: ((cid: string) => void) | null = null;
  private isSettled = false;
  private remoteTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: JingleS5bOptions) {
    this.result = new Promise((resolve) => { this.resolve = resolve; });
    options.signal.addEventListener('abort', () => this.settle(null), { once: true });
  }

  /** Our `<transport/>` for session-initiate / session-accept, candidates best first; `taken` are the peer's (§2.2 MUST NOT repeat). */
  async prepare(taken: readonly S5bCandidate[] = []): Promise<Element> {
    const { sources, preference, ownJid, peerJid, sid } = this.options;
    const ourDstAddr = jingleDstAddr(sid, ownJid, peerJid);
    const addresses = preference === 's5b-proxy' || preference === 'ibb' ? [] : sources.directAddresses();
    if (addresses.length > 0) {
      this.expectation = await sources.listener.expect(ourDstAddr, {
        timeoutMs: this.options.timings.s5bResultTimeoutMs * 3, signal: this.options.signal,
      });
    }
    const proxies = preference === 's5b-direct' || preference === 'ibb' ? [] : await sources.proxies().catch(() => []);
    this.local = localCandidates({
      directAddresses: addresses, port: this.expectation?.port ?? 0, proxies, ownJid, peerCandidates: taken,
      receivesFile: this.options.receivesFile,
    });
    this.options.log({
      transport: null, outcome: 'started', reason: '',
      detail: `offered ${this.local.length} SOCKS5 candidate(s)${this.local.length ? `: ${this.local.map((c) => `${c.type} ${c.host}:${c.port}`).join(', ')}` : ''}`,
    });
    return buildS5bCandidates({ sid, dstAddr: proxies.length > 0 ? ourDstAddr : null, candidates: this.local });
  }

  /** The peer's candidates (from its session-initiate or session-accept): try them, then report. */
  connect(transport: Extract<S5bTransport, { kind: 'candidates' }>): void {
    this.remote = transport.candidates;
    if (transport.ignoredCandidates) {
      this.options.log({ transport: null, detail: `${transport.ignoredCandidates} more SOCKS5 candidates offered`, outcome: 'failed', reason: `ignored: at most ${transport.candidates.length} are tried` });
    }
    // The peer's report on our candidates is bounded too, or a silent peer would hold the session.
    this.remoteTimer = setTimeout(() => { this.remoteReport ??= { kind: 'candidate-error' }; this.evaluate(); }, this.options.timings.s5bResultTimeoutMs);
    this.remoteTimer.unref();
    void this.tryRemote(transport.dstAddr);
  }

  /** A transport-info of this transport from the peer. */
  onInfo(info: S5bTransport): void {
    if (info.kind === 'candidate-used') this.remoteReport = { kind: 'candidate-used', cid: info.cid };
    else if (info.kind === 'candidate-error') this.remoteReport = { kind: 'candidate-error' };
    else if (info.kind === 'activated') { this.activated?.(info.cid); return; }
    else if (info.kind === 'proxy-error') { this.fallBack('the peer could not reach the nominated proxy'); return; }
    else return;
    this.evaluate();
  }

  dispose(): void {
    this.settle(null);
  }

  private async tryRemote(peerDstAddr: string | null): Promise<void> {
    const { sid, ownJid, peerJid, timings, preference } = this.options;
    const usable = preference === 'ibb' ? [] : sortCandidatesByPriority(this.remote).filter((c) =>
      (preference !== 's5b-direct' || c.type !== 'proxy') && (preference !== 's5b-proxy' || c.type === 'proxy'));
    const direct = jingleDstAddr(sid, peerJid, ownJid);
    const targets = usable.map((c) => ({ ...c, dstAddr: c.type === 'proxy' && peerDstAddr ? peerDstAddr : direct }));
    try {
      if (targets.length === 0) throw new ConnectFirstError([]);
      const won = await connectFirst(targets, { headStartMs: timings.s5bHeadStartMs, timeoutMs: timings.s5bConnectTimeoutMs, signal: this.options.signal });
      for (const f of won.failures) this.logCandidate(f.candidate, 'failed', f.reason);
      this.ownStream = won.stream;
      this.localReport = { kind: 'candidate-used', cid: won.candidate.cid };
      this.logCandidate(won.candidate, 'succeeded', '');
      this.options.sendInfo(buildCandidateUsed({ sid, cid: won.candidate.cid }));
    } catch (error) {
      const failures = error instanceof ConnectFirstError ? error.failures : [];
      for (const f of failures) this.logCandidate(f.candidate, 'failed', f.reason);
      if (failures.length === 0 && targets.length > 0) this.options.log({ transport: null, detail: 'SOCKS5', outcome: 'failed', reason: (error as Error).message });
      this.localReport = { kind: 'candidate-error' };
      this.options.sendInfo(buildCandidateError({ sid }));
    }
    this.evaluate();
  }

  private evaluate(): void {
    if (this.isSettled) return;
    const nomination = nominate({
      role: this.options.role, local: this.local, remote: this.remote, localReport: this.localReport, remoteReport: this.remoteReport,
    });
    if (nomination.kind === 'pending') return;
    if (this.remoteTimer) clearTimeout(this.remoteTimer);
    if (nomination.kind === 'fallback') { this.fallBack(FALLBACK_WHY[nomination.cause]); return; }
    const { candidate, owner, proxy } = nomination;
    const kind: TransportKind = candidate.type === 'proxy' ? 's5b-proxy' : 's5b-direct';
    const detail = `${owner === 'local' ? 'our' : "the peer's"} ${candidate.type} candidate ${candidate.jid} ${candidate.host}:${candidate.port}`;
    void this.streamFor(candidate, owner, proxy).then(
      (stream) => this.settle({ stream, transport: kind, detail }),
      (error: Error) => this.fallBack(`nominated ${detail}: ${error.message}`),
    );
  }

  private async streamFor(candidate: S5bCandidate, owner: 'local' | 'remote', proxy: 'none' | 'activate' | 'await-activated'): Promise<ByteStream> {
    if (owner === 'remote') {
      if (proxy === 'await-activated') await this.waitActivated(candidate.cid);
      return this.ownStream!;
    }
    this.ownStream?.dispose();
    if (proxy === 'none') return await this.expectation!.stream;
    const { xmpp, sid, ownJid, peerJid, timings, signal } = this.options;
    try {
      const stream = await connectAndActivateProxy({
        xmpp, proxy: candidate, sid, dstAddr: jingleDstAddr(sid, ownJid, peerJid), target: peerJid, signal,
        connectTimeoutMs: timings.s5bConnectTimeoutMs * 2, resultTimeoutMs: timings.s5bResultTimeoutMs,
      });
      this.options.sendInfo(buildActivated({ sid, cid: candidate.cid }));
      return stream;
    } catch (error) {
      this.options.sendInfo(buildProxyError({ sid }));
      throw error;
    }
  }

  private waitActivated(cid: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the peer did not activate its proxy in time')), this.options.timings.s5bResultTimeoutMs);
      this.activated = (got) => {
        clearTimeout(timer);
        if (got === cid) resolve(); else reject(new Error(`the peer activated ${got}, not the nominated ${cid}`));
      };
    });
  }

  private fallBack(reason: string): void {
    this.options.log({ transport: null, detail: 'SOCKS5', outcome: 'failed', reason });
    this.settle(null);
  }

  private settle(value: OpenedTransport | null): void {
    if (this.isSettled) { value?.stream.dispose(); return; }
    this.isSettled = true;
    if (this.remoteTimer) clearTimeout(this.remoteTimer);
    // A peer connection to our listener that is not the one used is closed, whenever it completes.
    const expectation = this.expectation;
    expectation?.dispose();
    void expectation?.stream.then((stream) => { if (stream !== value?.stream) stream.dispose(); }, () => undefined);
    if (value === null) this.ownStream?.dispose();
    else if (value.stream !== this.ownStream) this.ownStream?.dispose();
    this.resolve(value);
  }

  private logCandidate(candidate: S5bCandidate, outcome: 'succeeded' | 'failed', reason: string): void {
    this.options.log({
      transport: candidate.type === 'proxy' ? 's5b-proxy' : 's5b-direct', outcome, reason,
      detail: `${candidate.jid} ${candidate.host}:${candidate.port} (${candidate.type}, priority ${candidate.priority})`,
    });
  }
}

const FALLBACK_WHY: Record<'both-candidate-error' | 'unknown-cid' | 'proxy-error', string> = {
  'both-candidate-error': 'neither side could connect to a candidate of the other',
  'unknown-cid': 'the peer reported a candidate that was never offered',
  'proxy-error': 'the nominated proxy could not be reached',
};
