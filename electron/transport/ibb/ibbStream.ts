/**
 * ByteStream over XEP-0047 in-band bytestreams, knowing only callbacks (STYLE.md rule 5): the XMPP layer
 * gives `sendBlock`/`sendClose` and feeds incoming `<data/>` through `pushBlock` and `<close/>` through
 * `peerClosed`. https://xmpp.org/extensions/xep-0047.html (2.0.1).
 *
 * IBB has no half-close: `<close/>` ends the whole bytestream, so `end()` waits for every block to be
 * acknowledged, then sends `<close/>` and the stream is 'closed'.
 */
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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
} from '../byteStream';
import { BlockSender, type SendIbbBlock } from './blockSender';
import { createIbbReassembler, type IbbBlockError, type IbbReassembler } from './chunker';

/** Default unacknowledged `<iq/>` blocks in flight (bench: 8 gave 4 MB/s at block-size 4096 on Prosody, 32 gives ≈ 6.5). */
export const DEFAULT_IBB_WINDOW = 32;
/** Received bytes buffered before `pushBlock` delays its acknowledgement (the only flow control IBB has). */
const RECEIVE_HIGH_WATER_MARK_BYTES = 1024 * 1024;
/**
 * Blocks a sender may have in flight beyond the receiver's high-water mark: Ferry's own `<iq/>` window
 * is at most 64 (transfer/methods/ibbOutgoing.ts). A sender that pushes more than that without waiting for
 * acknowledgements (or floods `<message/>` data faster than the disk takes it) fails the stream instead
 * of growing the receiver's memory without bound.
 */
export const DEFAULT_IBB_RECEIVE_WINDOW = 64;

/** Options of an IBB stream; one per sid. */
export interface IbbStreamOptions {
  /** The negotiated block-size (XEP-0047 §2.1), ≤ 65535. */
  blockSize: number;
  /**
   * Sends one `<data/>` block. For `<iq/>` data resolve on the result (reject on an error); for
   * `<message/>` data resolve once the stanza is written. A rejection fails the stream.
   */
  sendBlock: SendIbbBlock;
  /** Sends `<close/>`; resolves on the result. */
  sendClose(): Promise<void>;
  /** Unacknowledged blocks in flight; 1 = stop-and-wait. Default DEFAULT_IBB_WINDOW. */
  window?: number;
  /** Receiving: blocks accepted past the high-water mark before the stream fails. Default DEFAULT_IBB_RECEIVE_WINDOW. */
  receiveWindow?: number;
}

/** An IBB refusal of a received block, for the XMPP layer's error reply. */
export class IbbBlockRefused extends Error {
  constructor(readonly reason: IbbBlockError, message: string) {
    super(message);
  }
}

/** The ByteStream plus the inlets the XMPP layer feeds. */
export interface IbbStream extends ByteStream {
  /**
   * One received `<data/>` (seq and base64 text as received). Resolves when the block was accepted and
   * the consumer has room: acknowledge the `<iq/>` then. Rejects with IbbBlockRefused (out of order,
   * duplicate, bad base64, oversize) after failing the stream: XEP-0047 §2.2 says to close it.
   */
  pushBlock(seq: number, base64: string): Promise<void>;
  /** The peer sent `<close/>`: no more data will come. */
  peerClosed(): void;
}

/** Creates an open IBB stream (after `<open/>` was acknowledged). */
export function createIbbStream(options: IbbStreamOptions): IbbStream {
  return new IbbByteStream(options);
}

class IbbByteStream implements IbbStream {
  private readonly life = new ByteStreamLifecycle('open');
  private readonly sender: BlockSender;
  private readonly reassembler: IbbReassembler;
  private readonly incoming: Readable;
  private readWaiters: (() => void)[] = [];
  private endPromise: Promise<void> | null = null;
  private hasSentClose = false;
  private isPeerClosed = false;
  private isIncomingEnded = false;

  constructor(private readonly options: IbbStreamOptions) {
    this.reassembler = createIbbReassembler({ blockSize: options.blockSize });
    this.sender = new BlockSender({
      blockSize: options.blockSize,
      window: options.window ?? DEFAULT_IBB_WINDOW,
      sendBlock: options.sendBlock,
      onAcknowledged: (bytes) => this.life.addSent(bytes),
      onFailure: (reason) => this.fail(reason),
    });
    this.incoming = new Readable({
      highWaterMark: RECEIVE_HIGH_WATER_MARK_BYTES,
      read: () => this.wakeReaders(),
    });
    // A failure destroys `incoming` with the reason; a pipeTo sees it, nobody else must crash on it.
    this.incoming.on('error', () => undefined);
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

  async pipeFrom(source: Readable, options: PipeFromOptions = {}): Promise<void> {
    if (isTerminal(this.state)) throw streamError(this.failureReason);
    const onAbort = (): void => this.fail('aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const lender = isLending(source) ? source : null;
      for await (const chunk of source) {
        this.sender.push(chunk as Uint8Array);
        await this.whileOpen(this.sender.room());
        // Every block cut from the chunk went to sendBlock (which encodes it at once) and the chunker
        // copied the remainder: the chunk's memory may go back.
        lender?.release(chunk as Uint8Array);
      }
      this.sender.flush();
      await this.whileOpen(this.sender.idle());
      if (options.end !== false) await this.end();
    } catch (error) {
      source.destroy();
      if (!isTerminal(this.state)) this.fail(error instanceof Error ? error.message : String(error));
      throw streamError(this.failureReason ?? 'stream closed');
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  async pipeTo(sink: Writable, options: PipeToOptions = {}): Promise<void> {
    if (isTerminal(this.state)) throw streamError(this.failureReason);
    const onAbort = (): void => this.fail('aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await pipeline(this.incoming, sink, { end: options.end !== false });
    } catch {
      if (!isTerminal(this.state)) this.fail('sink failed');
      throw streamError(this.failureReason);
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  pushBlock(seq: number, base64: string): Promise<void> {
    if (isTerminal(this.state)) return Promise.reject(streamError(this.failureReason));
    const result = this.reassembler.accept(seq, base64);
    if (result.kind === 'error') {
      this.fail(`received block refused (${result.reason}): ${result.message}`);
      return Promise.reject(new IbbBlockRefused(result.reason, result.message));
    }
    const limit = RECEIVE_HIGH_WATER_MARK_BYTES + (this.options.receiveWindow ?? DEFAULT_IBB_RECEIVE_WINDOW) * this.options.blockSize;
    if (this.incoming.readableLength + result.bytes.length > limit) {
      const reason = `the sender does not wait for acknowledgements: more than ${limit} bytes waiting to be written`;
      this.fail(reason);
      return Promise.reject(new IbbBlockRefused('failed', reason));
    }
    this.life.addReceived(result.bytes.length);
    if (this.incoming.push(result.bytes)) return Promise.resolve();
    return new Promise((resolve) => this.readWaiters.push(resolve));
  }

  peerClosed(): void {
    if (isTerminal(this.state) || this.isPeerClosed) return;
    this.isPeerClosed = true;
    this.hasSentClose = true; // XEP-0047 §2.3: the peer's <close/> ends the bytestream; no reply close
    this.sender.stop();
    this.life.transition('closing');
    if (this.incoming.readableEnded) this.life.transition('closed');
    else this.incoming.once('end', () => this.life.transition('closed'));
    this.endIncoming();
  }

  end(): Promise<void> {
    this.endPromise ??= this.sendCloseAfterAcks();
    return this.endPromise;
  }

  fail(reason: string): void {
    if (!this.life.transition('failed', reason)) return;
    this.release(reason);
  }

  dispose(): void {
    if (!this.life.transition('closed')) return;
    this.release(null);
  }

  onProgress(listener: (progress: Readonly<ByteStreamProgress>) => void): Disposable {
    return this.life.onProgress(listener);
  }

  onStateChange(listener: (state: ByteStreamState, reason: string | null) => void): Disposable {
    return this.life.onStateChange(listener);
  }

  private async sendCloseAfterAcks(): Promise<void> {
    if (isTerminal(this.state)) throw streamError(this.failureReason);
    this.sender.flush();
    await this.whileOpen(this.sender.idle());
    this.life.transition('closing');
    this.hasSentClose = true;
    try {
      await this.options.sendClose();
    } catch (error) {
      this.fail(`close not acknowledged: ${error instanceof Error ? error.message : String(error)}`);
      throw streamError(this.failureReason);
    }
    this.endIncoming();
    this.life.transition('closed');
  }

  /** Waits for `promise`, or rejects as soon as the stream turns terminal. */
  private whileOpen(promise: Promise<void>): Promise<void> {
    if (this.isPeerClosed) return Promise.reject(new Error('peer closed the bytestream'));
    if (isTerminal(this.state)) return Promise.reject(streamError(this.failureReason));
    let subscription: Disposable | undefined;
    const ended = new Promise<void>((_, reject) => {
      subscription = this.life.onStateChange((state) => {
        if (this.isPeerClosed) reject(new Error('peer closed the bytestream'));
        else if (isTerminal(state)) reject(streamError(this.failureReason ?? 'stream closed'));
      });
    });
    return Promise.race([promise, ended]).finally(() => subscription?.dispose());
  }

  /** Stops sending, ends the readable, tells the peer (best effort) unless it already knows. */
  private release(reason: string | null): void {
    this.sender.stop();
    this.wakeReaders();
    if (!this.incoming.readableEnded) this.incoming.destroy(new Error(reason ?? 'stream disposed'));
    if (!this.hasSentClose) {
      this.hasSentClose = true;
      this.options.sendClose().catch(() => undefined);
    }
  }

  /** No more incoming bytes: the consumer sees the end after what is buffered. */
  private endIncoming(): void {
    if (this.isIncomingEnded) return;
    this.isIncomingEnded = true;
    this.incoming.push(null);
  }

  private wakeReaders(): void {
    const waiters = this.readWaiters;
    this.readWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
