/**
 * THE interface every transport yields (STYLE.md "Protocol and transport habits"): SOCKS5 direct, SOCKS5
 * via a proxy, IBB, and later HTTP. The transfer service sees only this.
 *
 * Data path and performance (issue 3 bench: S5B direct ≥ 0.85 × min(socat, sha-256) with hashing):
 * - Sending: `pipeFrom(source)`. Each chunk the source reads is handed to the socket as is: no copy, no
 *   `Buffer.concat`, backpressure through `drain`. A LendingReadable gets each chunk back once written.
 * - Receiving: `pipeTo(sink)` hands the transport's own read buffers to `sink` as is. A SOCKS5 target's
 *   socket reads into a ring of shared memory (socketRing.ts): a region is the sink's until its write
 *   callback, so sinks must not keep chunks past it.
 * - Hashing is off the socket's path: the file store and the file source hash shared memory on a worker
 *   thread (transfer/hashWorker.ts), because on one thread sha-256 plus socket and file I/O cannot reach
 *   the target. Chunks that are not in shared memory (HTTP bodies, IBB blocks) are hashed inline
 *   (transfer/stagedWriter.ts stagingFor).
 * - After the last byte `pipeFrom` half-closes (`end()`) by default: Prosody's proxy65 holds back the last
 *   KiB until a side closes (DESIGN.md "Interop facts").
 */
import type { Readable, Writable } from 'node:stream';

/** Lifecycle of a byte stream. 'closed' and 'failed' are terminal. */
export type ByteStreamState = 'connecting' | 'open' | 'closing' | 'closed' | 'failed';

/** Running totals of bytes that actually crossed the transport. */
export interface ByteStreamProgress {
  /** Bytes the transport accepted for sending (socket write callback fired, or IBB block acknowledged). */
  sent: number;
  /** Bytes received from the peer and handed to the consumer. */
  received: number;
}

/** Anything that holds a socket, timer, listener or subscription. `dispose()` is idempotent. */
export interface Disposable {
  dispose(): void;
}

/** Options of `pipeFrom`. */
export interface PipeFromOptions {
  /** Half-close after the source's last byte. Default true. */
  end?: boolean;
  /** Aborting fails the stream with reason 'aborted'. */
  signal?: AbortSignal;
}

/** Options of `pipeTo`. */
export interface PipeToOptions {
  /** Call `sink.end()` when the peer has half-closed. Default true. */
  end?: boolean;
  /** Aborting fails the stream with reason 'aborted'. */
  signal?: AbortSignal;
}

/** A bidirectional byte stream with backpressure, half-close and a failure reason. */
export interface ByteStream extends Disposable {
  readonly state: ByteStreamState;
  /** Why the stream failed; null unless state is 'failed'. */
  readonly failureReason: string | null;
  readonly progress: Readonly<ByteStreamProgress>;
  /**
   * Writes every byte of `source` with backpressure, then half-closes unless `end: false`. Resolves when
   * the last byte (and the FIN) has been handed to the transport; rejects with the failure reason.
   * Call at most once.
   */
  pipeFrom(source: Readable, options?: PipeFromOptions): Promise<void>;
  /**
   * Delivers incoming bytes to `sink` with backpressure. Resolves when the peer has half-closed and
   * `sink` has finished; rejects with the failure reason. Call at most once.
   */
  pipeTo(sink: Writable, options?: PipeToOptions): Promise<void>;
  /** Half-closes the sending direction (after anything already written). Idempotent. */
  end(): Promise<void>;
  /** Fails the stream with `reason` (cancel, timeout, bad data) and releases it. No-op when terminal. */
  fail(reason: string): void;
  /** Called on every change of the running totals (throttle in the consumer). */
  onProgress(listener: (progress: Readonly<ByteStreamProgress>) => void): Disposable;
  /** Called on every state change, with the failure reason when the new state is 'failed'. */
  onStateChange(listener: (state: ByteStreamState, reason: string | null) => void): Disposable;
}

/**
 * A source that lends its chunks (a file read into a ring of shared memory, transfer/fileSource.ts): the
 * transport hands the bytes back with `release(chunk)`, in the order it got them, once it no longer reads
 * them (the socket's write callback; IBB copies first). Until then the memory must not be reused.
 */
export interface LendingReadable extends Readable {
  release(chunk: Uint8Array): void;
}

/** Whether `source` lends its chunks (see LendingReadable). */
export function isLending(source: Readable): source is LendingReadable {
  return typeof (source as Partial<LendingReadable>).release === 'function';
}

/** True for 'closed' and 'failed'. */
export function isTerminal(state: ByteStreamState): boolean {
  return state === 'closed' || state === 'failed';
}

type StateListener = (state: ByteStreamState, reason: string | null) => void;
type ProgressListener = (progress: Readonly<ByteStreamProgress>) => void;

/**
 * State, totals and listeners shared by the transports' ByteStream implementations. Terminal states are
 * final: later transitions are ignored, so a late socket event cannot turn 'failed' into 'closed'.
 */
export class ByteStreamLifecycle {
  private current: ByteStreamState;
  private reason: string | null = null;
  private readonly totals: ByteStreamProgress = { sent: 0, received: 0 };
  private readonly stateListeners = new Set<StateListener>();
  private readonly progressListeners = new Set<ProgressListener>();

  constructor(initial: ByteStreamState = 'open') {
    this.current = initial;
  }

  get state(): ByteStreamState {
    return this.current;
  }

  get failureReason(): string | null {
    return this.reason;
  }

  get progress(): Readonly<ByteStreamProgress> {
    return this.totals;
  }

  /** Moves to `next` unless already terminal; returns whether it moved. */
  transition(next: ByteStreamState, reason: string | null = null): boolean {
    if (isTerminal(this.current) || this.current === next) return false;
    this.current = next;
    this.reason = next === 'failed' ? (reason ?? 'failed') : null;
    for (const listener of [...this.stateListeners]) listener(next, this.reason);
    if (isTerminal(next)) this.clearListeners();
    return true;
  }

  addSent(bytes: number): void {
    this.totals.sent += bytes;
    this.emitProgress();
  }

  addReceived(bytes: number): void {
    this.totals.received += bytes;
    this.emitProgress();
  }

  onProgress(listener: ProgressListener): Disposable {
    this.progressListeners.add(listener);
    return { dispose: () => void this.progressListeners.delete(listener) };
  }

  onStateChange(listener: StateListener): Disposable {
    this.stateListeners.add(listener);
    return { dispose: () => void this.stateListeners.delete(listener) };
  }

  private emitProgress(): void {
    for (const listener of this.progressListeners) listener(this.totals);
  }

  private clearListeners(): void {
    this.stateListeners.clear();
    this.progressListeners.clear();
  }
}

/** An Error carrying a stream's failure reason, for rejected promises. */
export function streamError(reason: string | null): Error {
  return new Error(reason ?? 'stream closed');
}

/**
 * Stall watchdog: calls `onStall(reason)` once when no byte moved either way (`progress.sent` plus
 * `progress.received`) for `timeoutMs`, unless disposed first or the stream ended. Polls the totals a few
 * times per period instead of re-arming a timer per chunk (thousands a second on a fast socket).
 */
export function watchStall(stream: ByteStream, timeoutMs: number, onStall: (reason: string) => void): Disposable {
  const moved = (): number => stream.progress.sent + stream.progress.received;
  let last = moved();
  let lastAt = Date.now();
  const timer = setInterval(() => {
    if (isTerminal(stream.state)) { clearInterval(timer); return; }
    const now = moved();
    if (now !== last) { last = now; lastAt = Date.now(); return; }
    if (Date.now() - lastAt < timeoutMs) return;
    clearInterval(timer);
    onStall(`no data for ${formatSeconds(timeoutMs)}: the connection stalled`);
  }, Math.max(10, Math.floor(timeoutMs / 4)));
  timer.unref();
  return { dispose: () => clearInterval(timer) };
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
