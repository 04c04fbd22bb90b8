import type {
  Attempt, FileMeta, HashState, ThumbnailInfo, TransferDirection, TransferId, TransferMethod, TransferState, TransferSummary, TransportKind,
} from '../../shared/model/transfer';
import { isTerminal } from '../../shared/model/transfer';
import { ProgressMeter } from './progressMeter';

export interface TransferRecordInit {
  id: TransferId;
  direction: TransferDirection;
  peer: string;
  file: FileMeta;
  batchId?: string | null;
  path?: string | null;
  url?: string | null;
  thumbnail?: ThumbnailInfo | null;
  now?: () => number;
}

/**
 * One transfer's state, attempt log and progress. Every change goes through here so that a terminal
 * state is final, each failure carries a reason, and listeners get a fresh summary.
 */
export class TransferRecord {
  private summary: TransferSummary;
  private meter: ProgressMeter;
  private readonly listeners = new Set<(summary: TransferSummary) => void>();
  private readonly now: () => number;

  constructor(init: TransferRecordInit) {
    this.now = init.now ?? Date.now;
    this.meter = new ProgressMeter(this.now);
    this.summary = {
      id: init.id, batchId: init.batchId ?? null, direction: init.direction, peer: init.peer, file: init.file,
      state: init.direction === 'incoming' ? 'offered' : 'negotiating', bytes: 0, rate: 0, etaSeconds: null,
      method: null, transport: null, path: init.path ?? null, sha256: null, hash: 'none', url: init.url ?? null, thumbnail: init.thumbnail ?? null, resumedFrom: null, reason: null, attempts: [],
      startedAt: this.now(), endedAt: null,
    };
  }

  get id(): TransferId { return this.summary.id; }
  get state(): TransferState { return this.summary.state; }
  get isEnded(): boolean { return isTerminal(this.summary.state); }
  get file(): FileMeta { return this.summary.file; }
  get peer(): string { return this.summary.peer; }
  get direction(): TransferDirection { return this.summary.direction; }
  get bytes(): number { return this.summary.bytes; }

  /** A copy safe to send over IPC. */
  snapshot(): TransferSummary {
    return { ...this.summary, file: { ...this.summary.file }, attempts: this.summary.attempts.map((a) => ({ ...a })) };
  }

  onUpdated(listener: (summary: TransferSummary) => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  /** Moves to a non-terminal state; ignored once the transfer has ended. */
  setState(state: Exclude<TransferState, 'done' | 'failed' | 'cancelled' | 'declined'>): void {
    if (this.isEnded || this.summary.state === state) return;
    this.summary = { ...this.summary, state };
    this.emit();
  }

  setMethod(method: TransferMethod, transport: TransportKind | null): void {
    if (this.isEnded) return;
    this.summary = { ...this.summary, method, transport };
    this.emit();
  }

  /** The file's size, learnt late (a link's size comes with the download's headers). */
  setFileSize(size: number): void {
    if (this.isEnded || this.summary.file.size === size) return;
    this.summary = { ...this.summary, file: { ...this.summary.file, size } };
    this.emit();
  }

  setThumbnail(thumbnail: ThumbnailInfo): void {
    this.summary = { ...this.summary, thumbnail };
    this.emit();
  }

  /** Where the file was uploaded to (the sender of a server-stored method). */
  setUrl(url: string): void {
    if (this.isEnded) return;
    this.summary = { ...this.summary, url };
    this.emit();
  }

  /** The transfer continues a `.part` (or a range the receiver asked for) from this offset. */
  setResumedFrom(offset: number): void {
    if (this.isEnded) return;
    this.summary = { ...this.summary, resumedFrom: offset > 0 ? offset : null };
    this.emit();
  }

  /** Where the incoming file's `.part` is (issue #10: a stored interrupted transfer continues from it). */
  setPartPath(partPath: string): void {
    if (this.isEnded || this.summary.partPath === partPath) return;
    this.summary = { ...this.summary, partPath };
    this.emit();
  }

  /**
   * A fallback starts the file again by another way (sendPlan.ts): back to negotiating with no bytes, no
   * method, transport or resume offset yet; the attempt log keeps everything.
   */
  restartForFallback(): void {
    if (this.isEnded) return;
    this.meter = new ProgressMeter(this.now);
    this.summary = { ...this.summary, state: 'negotiating', bytes: 0, rate: 0, etaSeconds: null, method: null, transport: null, resumedFrom: null };
    this.emit();
  }

  /** Appends to the attempt log (always, even after the end, so late reasons are not lost). */
  log(entry: Omit<Attempt, 'at'>): void {
    this.summary = { ...this.summary, attempts: [...this.summary.attempts, { at: this.now(), ...entry }] };
    this.emit();
  }

  /** Running byte count from the wire; emits at most ~10 times a second. */
  progress(bytes: number): void {
    if (this.isEnded) return;
    const isDue = this.meter.record(bytes, bytes >= this.summary.file.size);
    this.summary.bytes = bytes;
    if (!isDue) return;
    this.summary = {
      ...this.summary, rate: this.meter.rate(), etaSeconds: this.meter.eta(this.summary.file.size - bytes),
    };
    this.emit();
  }

  /** Ends the transfer. Returns false when it had already ended (the first end wins). */
  end(state: Exclude<TransferState, 'offered' | 'negotiating' | 'connecting' | 'transferring' | 'verifying' | 'interrupted'>, details: { reason?: string; path?: string; sha256?: string; hash?: HashState } = {}): boolean {
    if (this.isEnded) return false;
    this.summary = {
      ...this.summary, state, endedAt: this.now(), etaSeconds: state === 'done' ? 0 : null, rate: this.meter.rate(),
      reason: details.reason ?? (state === 'done' ? null : state),
      path: details.path ?? this.summary.path, sha256: details.sha256 ?? this.summary.sha256,
      hash: details.hash ?? this.summary.hash,
    };
    this.emit();
    return true;
  }

  private emit(): void {
    const copy = this.snapshot();
    for (const listener of [...this.listeners]) listener(copy);
  }
}
