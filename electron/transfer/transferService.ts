import { randomUUID } from 'node:crypto';
import { FerryError } from '../../shared/ipc/wireError';
import type { FileMeta, TransferId, TransferSummary } from '../../shared/model/transfer';
import { openOutgoingFile } from './fileStore';
import { openIncomingPart } from './incomingPart';
import { mediaTypeFor } from './mediaType';
import { sanitizeFileName } from './safeName';
import { DEFAULT_TIMINGS, type TransferTimings, type TransportPreference } from './ports';
import { md5BeforeOffer } from './offerHash';
import { TransferRecord } from './transferRecord';
import { previewFile } from './thumbnails/filePreview';
import type { Element } from '@xmpp/xml';
import { RECOMMENDED_BLOCK_SIZE_BYTES } from '../xmpp/xep/xep0047Ibb';
import { isFullJid, toBareJid } from '../../shared/model/jid';
import { registerIbbRouter, type IbbRegistry } from './streams/ibbRouter';
import { planSend, type PlanStep, type SendChoice, type ServerOption } from './methods/sendPlan';
import { runPlan, type PlanHandle } from './methods/planRunner';
import { IncomingLinkTransfer } from './methods/links/incomingLink';
import { retryAttempt, SentFiles } from './retrySend';
import { endTransfersOfPeer } from './peerGone';
import { checkOfferLimits, endedBeyondLimit } from './offerLimits';
import type { SendOptions, SendOrigin, TransferServiceOptions } from './serviceOptions';
import type { FileRequested, IncomingDeps, IncomingOffer, IncomingTransfer, OutgoingHandle } from './methods/types';
import { ExpectedOffers, type ExpectedFile } from './expectedOffers';
import { requestAgain, type RequestAgainOutcome } from './requestAgain';

export { OFFER_LIMITS } from './offerLimits';

/** How long dispose() waits for interrupted .part files to be kept (their sidecar written) or deleted. */
const SETTLE_WAIT_MS = 5_000;

function isServerChoice(choice: SendChoice): boolean {
  return choice === 'http-upload' || choice === 'kontalk';
}

export type { AcceptDecision, OfferForPolicy, SendOptions, SendOrigin, TransferServiceOptions } from './serviceOptions';

/** How long a logout waits for the cancel notices of running transfers to leave before the stream closes. */
const LOGOUT_NOTICE_GRACE_MS = 300;

/** Why a transfer stopped by a logout ended: its card then reads Interrupted, with Resume (its .part kept) or Resend. */
export const LOGOUT_REASON = 'You logged out while this transfer was running';

interface Outgoing { record: TransferRecord; abort: AbortController; handle: PlanHandle }

/**
 * Offers, accept/decline, cancel and the list of transfers, whatever the method: picks the method for each
 * file from the method table by the peer's features, hands incoming offers of every method the same
 * policy and bounds, and keeps every attempt in the transfer's log.
 */
export class TransferService {
  private readonly records = new Map<TransferId, TransferRecord>();
  private readonly outgoing = new Map<TransferId, Outgoing>();
  private readonly incoming = new Map<TransferId, IncomingTransfer>();
  private readonly timings: TransferTimings;
  private readonly ibb: IbbRegistry;
  private readonly disposers: (() => void)[];
  private readonly settlingFiles = new Set<Promise<void>>();
  private readonly sentFiles = new SentFiles();
  private readonly expected = new ExpectedOffers();

  constructor(private readonly options: TransferServiceOptions) {
    this.timings = { ...DEFAULT_TIMINGS, ...options.timings };
    const ibb = registerIbbRouter(options.xmpp);
    this.ibb = ibb.registry;
    const host = { offer: this.onOffer.bind(this), fileRequested: this.onFileRequested.bind(this) };
    const env = { xmpp: options.xmpp, ibb: ibb.registry, sources: options.sources, host };
    this.disposers = [
      ibb.dispose,
      ...options.methods.map((method) => method.register(env)),
      ...(options.receivers ?? []).map((register) => register(env)),
      options.xmpp.onPresence((stanza) => {
        // One turn later: a stanza that arrived just before the presence (the peer's decline, its last
        // answer) is still being handled in promise callbacks, and its verdict must win over "went offline".
        const from = stanza.attrs.from;
        if (stanza.attrs.type === 'unavailable' && typeof from === 'string') setImmediate(() => this.onPeerUnavailable(from));
      }),
    ];
  }

  list(): TransferSummary[] {
    return [...this.records.values()].map((r) => r.snapshot());
  }

  /**
   * One transfer per file, all in one batch; resolves once every one has been started. Each file gets its
   * plan (methods/sendPlan.ts): peer-to-peer when the peer can take it, the server's upload services after
   * (or instead, for a peer that is offline or the file's size), each a fallback for the one before.
   * `origin.retryOf` (retry()) makes the attempt log's first line name the transfer sent again; `origin.requestedBy`
   * names the peer that asked for the file (a XEP-0234 request).
   */
  async send(args: SendOptions, origin: SendOrigin = {}): Promise<TransferSummary[]> {
    const { retryOf, requestedBy } = origin;
    const ownJid = this.ownJid();
    // The OneTeam HTTP proxy (seed 000) is an SI transport only: asking for it asks for SI.
    const choice = (args.method ?? (args.transport === 'oneteam' ? 'si' : 'auto')) as SendChoice;
    const bareJid = toBareJid(args.to);
    const files = await Promise.all(args.paths.map(async (path) => {
      try { return await openOutgoingFile(path); } catch (error) {
        throw new FerryError('bad-request', `cannot read ${path}: ${(error as Error).message}`);
      }
    }));
    const [candidates, serverOptions] = await Promise.all([
      this.options.peerCandidates(args.to).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))),
      this.serverOptions(choice),
    ]);
    const order = this.options.methodOrder?.();
    const plans = files.map((file) => planSend({
      peerMethods: this.options.methods, serverOptions, candidates, bareJid, isExplicitResource: isFullJid(args.to), choice, fileSize: file.size, order,
    }));
    const batchId = files.length > 1 ? randomUUID() : null;
    // XEP-0096's md5 is SI's; Jingle hashes (sha-256) before its own offer, so the file is read once, not twice.
    const md5s = await Promise.all(files.map((file, index) => {
      const first = plans[index]!.steps[0]!;
      return first.kind === 'peer' && first.method.name === 'si' ? md5BeforeOffer(file.path, file.size) : null;
    }));
    const thumbnails = await Promise.all(files.map((file, index) => {
      const first = plans[index]!.steps[0]!;
      if (first.kind !== 'peer' || args.thumbnail === 'none' || !this.options.thumbnails) return null;
      return this.options.thumbnails.forOffer(file.path, file.mediaType, first.target).catch(() => null);
    }));
    return files.map((file, index) => {
      const { steps, notes } = plans[index]!;
      const first = steps[0]!;
      const record = this.track(new TransferRecord({
        id: randomUUID() as TransferId, direction: 'outgoing', peer: first.kind === 'peer' ? first.target : first.to, batchId, path: file.path,
        file: { name: file.name, size: file.size, mediaType: file.mediaType, date: file.mtime, description: '', md5: md5s[index] },
      }));
      this.sentFiles.remember(record, args, file.path);
      if (retryOf) record.log(retryAttempt(retryOf, first.method.name));
      if (requestedBy) {
        const from = requestedBy.offset > 0 ? ` (from byte ${requestedBy.offset})` : '';
        record.log({ method: first.method.name, transport: null, outcome: 'started', reason: '', detail: `${toBareJid(requestedBy.jid)} asked for it again${from}` });
      }
      if (notes.length > 0 && choice === 'auto') first.why = `${first.why} (${notes.join('; ')})`;
      const abort = new AbortController();
      const handle = runPlan(record, steps, (step, stepRecord, signal) => this.startStep(step, stepRecord, signal, { ownJid, args, path: file.path, thumbnail: thumbnails[index] ?? null }), abort.signal, {
        failureHint: isServerChoice(choice) && !(candidates instanceof Error) && candidates.length > 0
          ? `${bareJid} is online: sending peer-to-peer may work (method auto)` : undefined,
      });
      this.outgoing.set(record.id, { record, abort, handle });
      void handle.done.finally(() => this.outgoing.delete(record.id));
      return record.snapshot();
    });
  }

  /** Offers an ended outgoing file again: same peer, same method choice, a new transfer (retrySend.ts). */
  async retry(id: TransferId): Promise<TransferSummary[]> {
    return await this.send(await this.sentFiles.argsForRetry(this.records.get(id)), { retryOf: id });
  }

  /**
   * Asks the sender of an interrupted incoming file for it again from `offset` (XEP-0234 §6.2, requestAgain.ts);
   * its new offer of the file is then accepted into `file.dir` without a prompt.
   */
  async requestAgain(file: ExpectedFile, offset: number): Promise<RequestAgainOutcome> {
    const { methods, peerCandidates, xmpp } = this.options;
    return await requestAgain({ methods, peerCandidates: (to) => peerCandidates(to), xmpp, ownJid: this.ownJid(), expected: this.expected }, file, offset);
  }

  /** A peer's request (XEP-0234 §6.2): a file offered to it before is offered anew, by Jingle, to the requester. */
  private async onFileRequested(request: FileRequested): Promise<{ path: string } | null> {
    const path = this.options.findRequestedFile?.(request) ?? null;
    if (!path) return null;
    // Asked again while that offer still runs: the running one is the answer (a peer cannot make Ferry send a file twice at once).
    const isRunning = [...this.outgoing.values()].some(({ record }) => !record.isEnded && record.peer === request.from && record.snapshot().path === path);
    if (isRunning) return { path };
    await this.send({ to: request.from, paths: [path], method: 'jingle' }, { requestedBy: { jid: request.from, offset: request.offset } });
    return { path };
  }

  /** The server methods with their services, unless a peer-to-peer method was asked for. */
  private async serverOptions(choice: SendChoice): Promise<ServerOption[]> {
    if (choice === 'si' || choice === 'jingle') return [];
    return await Promise.all((this.options.serverMethods ?? []).map(async (method) => ({
      method, service: await method.service().catch(() => null),
    })));
  }

  private startStep(step: PlanStep, record: TransferRecord, signal: AbortSignal, file: { ownJid: string; args: SendOptions; path: string; thumbnail: Element | null }): OutgoingHandle {
    const { args, ownJid, path } = file;
    if (step.kind === 'server') {
      return step.method.send({
        xmpp: this.options.xmpp, record, ownJid, to: step.to, path, service: step.service, timings: this.timings, signal, thumbnail: args.thumbnail !== 'none',
      });
    }
    return step.method.send({
      xmpp: this.options.xmpp, ibb: this.ibb, record, ownJid, target: step.target, path,
      preference: (args.transport ?? 'auto') as TransportPreference, ibbStanza: args.ibbStanza ?? 'iq',
      blockSize: args.blockSize ?? RECOMMENDED_BLOCK_SIZE_BYTES, sources: this.options.sources, timings: this.timings, signal,
      thumbnail: file.thumbnail,
    });
  }

  accept(id: TransferId, dir?: string): void {
    const transfer = this.incomingOffer(id);
    transfer.accept(dir ?? null);
  }

  /**
   * Fetches a link again (a stored interrupted download, issue #10): a new offer of method `oob`, accepted into
   * `dir`, where the kept `.part` of the same URL is continued with a Range (methods/links/incomingLink.ts).
   */
  resumeLink(link: { from: string; url: string; file: FileMeta }, dir: string): TransferSummary {
    const transfer = this.onOffer({ method: 'oob', from: link.from, url: link.url, file: { ...link.file, size: 0 } },
      (deps) => new IncomingLinkTransfer(deps, { url: link.url, fromBare: toBareJid(link.from) }));
    if (transfer.record.state === 'offered') transfer.accept(dir);
    return transfer.record.snapshot();
  }

  decline(id: TransferId): void {
    this.incomingOffer(id).decline();
  }

  /**
   * Logging out (issue #10): every live transfer is ended towards its peer in its method's way (Jingle
   * session-terminate, SI ferry-cancel), so the peer reads who ended it. Offers not yet answered are cancelled
   * (declined) as before. An incoming file that has bytes ends `failed` with LOGOUT_REASON instead of
   * cancelled, so its resumable .part is kept (onPartKept then fires, as for a network loss); a running
   * outgoing one is cancelled towards the peer and returned, for the history to store as interrupted.
   * Resolves once the notices had a moment to leave and the kept files settled (bounded), before the stream
   * closes; at once when nothing is running.
   */
  async stopAllForLogout(): Promise<TransferSummary[]> {
    const live = [...this.records.values()].filter((r) => !r.isEnded);
    if (live.length === 0) return [];
    const stopped: TransferRecord[] = [];
    for (const record of live) {
      const incoming = this.incoming.get(record.id);
      // Not yet accepted: an incoming offer, or an outgoing one still negotiating (the peer has not answered).
      const isAccepted = record.state !== 'offered' && record.state !== 'negotiating';
      if (isAccepted && this.outgoing.has(record.id)) stopped.push(record);
      if (incoming && isAccepted && record.bytes > 0) incoming.stopForLogout(LOGOUT_REASON);
      else this.cancel(record.id);
    }
    const grace = new Promise((resolve) => { setTimeout(resolve, LOGOUT_NOTICE_GRACE_MS).unref(); });
    await Promise.all([grace, this.settled()]);
    return stopped.map((record) => record.snapshot());
  }

  /** Forgets an ended transfer; a running one must be cancelled first. */
  remove(id: TransferId): void {
    const record = this.records.get(id);
    if (!record) throw new FerryError('not-found', 'That transfer is no longer in the list (no such transfer).');
    if (!record.isEnded) throw new FerryError('bad-request', 'Cancel the transfer before removing it from the list.');
    this.records.delete(id);
    this.outgoing.delete(id);
    this.incoming.delete(id);
  }

  /** Cancels from this side at any stage; each method tells the peer in its own way. */
  cancel(id: TransferId): void {
    const record = this.records.get(id);
    if (!record) throw new FerryError('not-found', 'no such transfer');
    if (record.isEnded) return;
    const outgoing = this.outgoing.get(id);
    if (outgoing) outgoing.handle.cancelByUser();
    else this.incoming.get(id)?.cancelByUser();
  }

  /**
   * Stops every transfer; resolves once the .part files of the interrupted incoming ones are kept or
   * deleted (bounded by SETTLE_WAIT_MS), so a host that exits right after leaves each in a known state.
   */
  async dispose(): Promise<void> {
    for (const dispose of this.disposers) dispose();
    for (const { abort } of this.outgoing.values()) abort.abort();
    for (const transfer of this.incoming.values()) transfer.cancel('Ferry is shutting down');
    await this.settled();
  }

  /** Resolves once every .part being kept or deleted now is, or after SETTLE_WAIT_MS. */
  private async settled(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => { timer = setTimeout(resolve, SETTLE_WAIT_MS); });
    await Promise.race([Promise.allSettled([...this.settlingFiles]), deadline]);
    clearTimeout(timer);
  }

  /** Tracks a .part being kept or deleted until it is, for dispose(). */
  private settling(release: Promise<void>): Promise<void> {
    this.settlingFiles.add(release);
    const done = (): void => { this.settlingFiles.delete(release); };
    release.then(done, done);
    return release;
  }

  /** A method's router got a new offer: limits, the record, then the method's transfer and the accept policy. */
  private onOffer<T extends IncomingTransfer>(offer: IncomingOffer, build: (deps: IncomingDeps) => T): T {
    const { from } = offer;
    checkOfferLimits(from, this.records.values());
    const record = new TransferRecord({
      id: randomUUID() as TransferId, direction: 'incoming', peer: from, url: offer.url ?? null, thumbnail: offer.thumbnail ?? null,
      // The sender's mime-type claim is not trusted: the type follows the name the file is saved as.
      file: { ...offer.file, mediaType: mediaTypeFor(sanitizeFileName(offer.file.name)) },
    });
    // A XEP-0264 thumbnail in the offer's <file/> is fetched by BoB (bounded) and checked before the offer is
    // shown or the accept policy applies, so the offer carries it from its first appearance (a CLI offer line too).
    const thumbnails = this.options.thumbnails;
    const hold = offer.fileElement && thumbnails?.hasThumbnail(offer.fileElement)
      ? thumbnails.fromOffer(offer.fileElement, from).then((shown) => { if (shown) record.setThumbnail(shown); }, () => undefined)
      : undefined;
    this.track(record, hold);
    record.setMethod(offer.method, null);
    const downloadDir = this.options.currentDownloadDir?.() ?? this.options.downloadDir;
    const transfer = build({
      record, downloadDir, ownJid: this.ownJid(), preference: this.options.receivePreference ?? 'auto', timings: this.timings,
      openFile: async (dir, fileOffer) => {
        const file = await openIncomingPart({
          dir: dir ?? downloadDir, record, method: offer.method, from, file: { ...offer.file, size: record.file.size }, ...fileOffer,
        });
        // Settled once the file is committed, kept or deleted: dispose() waits for it, also when the receiver
        // only gets to abort() a few turns after its cancel (a link's GET ends through its abort signal).
        let release = (): void => {};
        void this.settling(new Promise<void>((resolve) => { release = resolve; }));
        const settle = <T>(done: Promise<T>): Promise<T> => done.finally(release);
        const abort = async (): Promise<boolean> => {
          const isKept = await settle(file.abort());
          if (isKept) this.options.onPartKept?.(record.snapshot());
          return isKept;
        };
        return { ...file, abort, commit: (expected) => settle(file.commit(expected)), discard: () => settle(file.discard()) };
      },
    });
    this.incoming.set(record.id, transfer);
    const decide = (): void => {
      if (record.state !== 'offered') return;
      const note = (detail: string): void => record.log({ method: offer.method, transport: null, outcome: 'started', reason: '', detail });
      // The user asked this sender for this file (Resume): no prompt, and into the kept part's folder.
      const asked = this.expected.claim({ from, name: offer.file.name, size: offer.file.size, sha256: offer.sha256 ?? null, md5: offer.file.md5 }, record.id);
      if (asked) {
        note(`asked ${toBareJid(from)} for it again (Resume): accepted without asking`);
        transfer.accept(asked.dir);
        return;
      }
      const decision = this.options.acceptPolicy?.({ from, name: offer.file.name, size: offer.file.size, mediaType: record.file.mediaType, note }) ?? 'ask';
      if (decision === 'accept') transfer.accept(null);
      if (decision === 'decline') transfer.decline();
    };
    if (hold) void hold.then(decide);
    else decide();
    return transfer;
  }

  /** Forgets the oldest ended transfers beyond OFFER_LIMITS.keepEnded (Map order is insertion order). */
  private pruneEnded(): void {
    for (const record of endedBeyondLimit(this.records.values())) {
      this.records.delete(record.id);
      this.incoming.delete(record.id);
      this.outgoing.delete(record.id);
    }
  }

  /** What a peer's unavailable presence ends (peerGone.ts). */
  private onPeerUnavailable(jid: string): void {
    const outgoing = [...this.outgoing.values()].map((o) => o.handle);
    endTransfersOfPeer(jid, { incoming: this.incoming.values(), outgoing }, this.timings.offlineGraceMs);
  }

  private incomingOffer(id: TransferId): IncomingTransfer {
    const transfer = this.incoming.get(id);
    if (!transfer) throw new FerryError('not-found', 'no such incoming transfer');
    if (transfer.record.state !== 'offered') throw new FerryError('bad-request', `the transfer is already ${transfer.record.state}`);
    return transfer;
  }

  /** Tracks a record; with `hold`, its updates reach the listeners only once hold settles (the latest state then). */
  private track(record: TransferRecord, hold?: Promise<void>): TransferRecord {
    this.records.set(record.id, record);
    let isPreviewAsked = false;
    let isHeld = hold !== undefined;
    record.onUpdated((summary) => {
      if (!isHeld) this.options.onUpdated(summary);
      if (!record.isEnded) return;
      this.pruneEnded();
      if (summary.state === 'done' && !isPreviewAsked) { isPreviewAsked = true; void previewFile(record, summary); }
    });
    if (hold) void hold.then(() => { isHeld = false; this.options.onUpdated(record.snapshot()); });
    else this.options.onUpdated(record.snapshot());
    return record;
  }

  private ownJid(): string {
    const jid = this.options.xmpp.jid;
    if (!jid) throw new FerryError('not-connected', 'not connected to the server');
    return jid;
  }
}
