/**
 * ByteStream over a connected TCP socket whose handshake (SOCKS5) is already done: what the S5B listener
 * and connector yield. Chunks go between the socket and the caller's streams as they are (no copies, no
 * concatenation); backpressure uses the socket's and the sink's own `write()`/`drain`.
 */
import type { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import type { SocketRing } from './socketRing';
import {
  ByteStreamLifecycle,
  isLending,
  isTerminal,
  streamError,
  type ByteStream,
  type ByteStreamProgress,
  type ByteStreamState,
  type Disposable,
  type PipeFromOptions,
  type PipeToOptions,
} from './byteStream';


/**
 * TCP keepalive on every transfer socket: a NAT that dropped the mapping or a peer whose machine went
 * to sleep then turns into a socket error instead of a connection that is open forever.
 */
export const KEEPALIVE_INITIAL_DELAY_MS = 15_000;
/** Bytes queued on the socket before the source is paused (see pipeFrom). */
const SEND_QUEUE_BYTES = 4 * 1024 * 1024;
/** Why a socket error ended a stream, as a short reason for the attempt log. */
export function describeSocketError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

/**
 * Wraps `socket` (already past its handshake, paused, with any bytes read past the handshake unshifted
 * back into it, or into `ring`). The socket must allow half-open (`allowHalfOpen: true`) so that the
 * peer's FIN does not end our sending side. Pass the ring when the socket was created with its `onread`:
 * incoming bytes then reach the sink as regions of shared memory (./socketRing.ts).
 */
export function createSocketByteStream(socket: Socket, ring: SocketRing | null = null): ByteStream {
  return new SocketByteStream(socket, ring);
}

class SocketByteStream implements ByteStream {
  private readonly life = new ByteStreamLifecycle('open');
  private isReadEnded = false;
  private isWriteEnded = false;
  private hasReader = false;
  private isDisposed = false;
  private endPromise: Promise<void> | null = null;

  constructor(private readonly socket: Socket, private readonly ring: SocketRing | null) {
    socket.setNoDelay(true);
    socket.setKeepAlive(true, KEEPALIVE_INITIAL_DELAY_MS);
    if (ring) this.life.onStateChange((state) => { if (isTerminal(state)) ring.stop(); });
    socket.on('error', (error) => this.fail(describeSocketError(error)));
    socket.once('end', () => this.onReadEnd());
    socket.once('close', () => this.onSocketClose());
  }

  get state(): ByteStreamState {
    return this.life.state;
  }

  get failureReason(): string | null {
    return this.life.failureReason;
  }

  get progress(): Readonly<ByteStreamProgress> {
    return this.life.progress;
  }

  pipeFrom(source: Readable, options: PipeFromOptions = {}): Promise<void> {
    if (isTerminal(this.state)) return Promise.reject(streamError(this.failureReason));
    return new Promise<void>((resolve, reject) => {
      const teardown = this.guard({ reject, signal: options.signal, onFail: () => source.destroy() });
      let outstanding = 0;
      let isSourceDone = false;
      const finish = (): void => {
        if (!isSourceDone || outstanding > 0) return;
        const ended = options.end === false ? Promise.resolve() : this.end();
        ended.then(() => { teardown(); resolve(); }, () => undefined);
      };
      const lender = isLending(source) ? source : null;
      const onWritten = (chunk: Buffer) => (error?: Error | null): void => {
        outstanding -= 1;
        // Written or failed, the socket is done with the chunk's memory either way.
        lender?.release(chunk);
        if (error) return;
        this.life.addSent(chunk.length);
        finish();
      };
      source.on('data', (chunk: Buffer) => {
        outstanding += 1;
        this.socket.write(chunk, onWritten(chunk));
        // Keep several MiB queued so the next file read overlaps the socket write; obeying the socket's
        // own 16 KiB high-water mark would serialise disk reads and socket writes.
        if (this.socket.writableLength >= SEND_QUEUE_BYTES && !source.isPaused()) {
          source.pause();
          this.socket.once('drain', () => source.resume());
        }
      });
      source.once('end', () => { isSourceDone = true; finish(); });
      source.once('error', (error) => this.fail(`source: ${describeSocketError(error)}`));
    });
  }

  pipeTo(sink: Writable, options: PipeToOptions = {}): Promise<void> {
    if (isTerminal(this.state)) return Promise.reject(streamError(this.failureReason));
    this.hasReader = true;
    return new Promise<void>((resolve, reject) => {
      const teardown = this.guard({ reject, signal: options.signal });
      if (this.ring) this.readIntoRing(this.ring, sink);
      else this.readEvents(sink);
      this.socket.once('end', () => {
        this.ring?.flush();
        if (options.end === false) { teardown(); resolve(); return; }
        sink.end(() => { teardown(); resolve(); });
      });
      sink.once('error', (error) => this.fail(`sink: ${describeSocketError(error)}`));
      this.socket.resume();
    });
  }

  /** 'data' events: one freshly allocated chunk per read, paused while the sink asks to wait. */
  private readEvents(sink: Writable): void {
    let isWaitingDrain = false;
    this.socket.on('data', (chunk: Buffer) => {
      this.life.addReceived(chunk.length);
      if (!sink.write(chunk) && !isWaitingDrain) {
        isWaitingDrain = true;
        this.socket.pause();
        sink.once('drain', () => { isWaitingDrain = false; this.socket.resume(); });
      }
    });
  }

  /** Reads land in the ring; it pauses the socket itself when its next slot is still the sink's. */
  private readIntoRing(ring: SocketRing, sink: Writable): void {
    ring.start({
      sink,
      onBytes: (bytes) => this.life.addReceived(bytes),
      resume: () => this.socket.resume(),
      onError: (error) => this.fail(`sink: ${describeSocketError(error)}`),
    });
  }

  end(): Promise<void> {
    if (this.endPromise) return this.endPromise;
    if (isTerminal(this.state)) return Promise.reject(streamError(this.failureReason));
    this.endPromise = new Promise<void>((resolve, reject) => {
      const subscription = this.life.onStateChange((state) => {
        if (state === 'failed') reject(streamError(this.failureReason));
      });
      this.socket.end(() => {
        subscription.dispose();
        this.isWriteEnded = true;
        resolve();
        this.settleIfBothEnded();
      });
      this.life.transition('closing');
      // Nobody reads: drain the peer's direction so its FIN is seen and the socket can close.
      if (!this.hasReader) this.socket.resume();
    });
    this.endPromise.catch(() => undefined);
    return this.endPromise;
  }

  /** Before our FIN this resets the connection: the peer must not mistake a failure for a clean end. */
  fail(reason: string): void {
    if (this.life.transition('failed', reason)) this.abortSocket();
  }

  /**
   * Releases the socket; a reset if our side had not finished sending. A sender should wait for 'closed'
   * (the peer's FIN after it read everything) before disposing.
   */
  dispose(): void {
    this.isDisposed = true;
    if (this.life.transition('closed')) this.abortSocket();
    else this.socket.destroy();
  }

  onProgress(listener: (progress: Readonly<ByteStreamProgress>) => void): Disposable {
    return this.life.onProgress(listener);
  }

  onStateChange(listener: (state: ByteStreamState, reason: string | null) => void): Disposable {
    return this.life.onStateChange(listener);
  }

  /** Rejects a pipe promise when the stream fails or closes early; returns its teardown. */
  private guard(options: { reject: (error: Error) => void; signal?: AbortSignal; onFail?: () => void }): () => void {
    const onAbort = (): void => this.fail('aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) queueMicrotask(onAbort);
    const subscription = this.life.onStateChange((state) => {
      // A natural 'closed' (both sides ended) lets the pipes finish on their own.
      if (state === 'closed' && !this.isDisposed) return;
      if (!isTerminal(state)) return;
      options.onFail?.();
      options.reject(streamError(state === 'failed' ? this.failureReason : 'stream closed before the pipe finished'));
    });
    return () => {
      subscription.dispose();
      options.signal?.removeEventListener('abort', onAbort);
    };
  }

  /**
   * After our FIN a plain close lets the kernel deliver what it still buffers; before it, a reset (RST)
   * tells the peer the data is incomplete instead of looking like a clean end.
   */
  private abortSocket(): void {
    if (this.socket.destroyed) return;
    if (this.isWriteEnded) this.socket.destroy();
    else this.socket.resetAndDestroy();
  }

  private onReadEnd(): void {
    this.isReadEnded = true;
    this.life.transition('closing');
    this.settleIfBothEnded();
  }

  private settleIfBothEnded(): void {
    if (!this.isReadEnded || !this.isWriteEnded) return;
    this.life.transition('closed');
    this.socket.destroy();
  }

  private onSocketClose(): void {
    if (this.isReadEnded && this.isWriteEnded) this.life.transition('closed');
    else this.fail('connection closed before both sides finished');
  }
}
