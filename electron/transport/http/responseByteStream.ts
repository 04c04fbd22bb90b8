/**
 * ByteStream over the body of an HTTP response (a download), so that the receive path of every other
 * transport (transfer/streams/receiveInto.ts) takes it as it is. Only the read side exists: the GET was
 * sent whole before the response came. Body chunks pass to the sink as Node delivers them, with
 * backpressure down to the socket (the response is paused while the sink asks to wait).
 *
 * Ends: the body's end (Content-Length reached, last chunk, or the close that delimits an unframed body)
 * resolves pipeTo and moves to 'closed'; a connection lost before it fails the stream, so receiveInto
 * reports "the stream closed after N of M bytes (…)".
 */
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Readable, Writable } from 'node:stream';
import {
  ByteStreamLifecycle,
  isTerminal,
  streamError,
  type ByteStream,
  type ByteStreamProgress,
  type ByteStreamState,
  type Disposable,
  type PipeToOptions,
} from '../byteStream';
import { describeSocketError } from '../socketByteStream';

/** Wraps `response` (paused, unread) of `request`; aborting `signal` fails the stream with 'aborted'. */
export function createResponseByteStream(request: ClientRequest, response: IncomingMessage, signal: AbortSignal): ByteStream {
  return new ResponseByteStream(request, response, signal);
}

/** Why the body stopped before its end. */
const CUT_SHORT = 'the server closed the connection before the end of the body';

class ResponseByteStream implements ByteStream {
  private readonly life = new ByteStreamLifecycle('open');
  private hasReader = false;
  private isDisposed = false;
  private readonly onAbort = (): void => this.fail('aborted');

  constructor(private readonly request: ClientRequest, private readonly response: IncomingMessage, signal: AbortSignal) {
    // Node reports a body cut short as an 'error' ("aborted", ECONNRESET) and a close before 'end'.
    response.on('error', (error) => this.fail(error.message === 'aborted' ? CUT_SHORT : describeSocketError(error)));
    response.once('close', () => { if (!response.complete) this.fail(CUT_SHORT); });
    request.on('error', (error) => this.fail(describeSocketError(error)));
    signal.addEventListener('abort', this.onAbort, { once: true });
    if (signal.aborted) queueMicrotask(this.onAbort);
    this.life.onStateChange((state) => {
      if (!isTerminal(state)) return;
      signal.removeEventListener('abort', this.onAbort);
      this.release();
    });
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

  /** A GET has nothing more to send. */
  pipeFrom(_source: Readable): Promise<void> {
    return Promise.reject(new Error('an HTTP download has nothing to send'));
  }

  pipeTo(sink: Writable, options: PipeToOptions = {}): Promise<void> {
    if (isTerminal(this.state)) return Promise.reject(streamError(this.failureReason));
    if (this.hasReader) return Promise.reject(new Error('pipeTo may be called only once'));
    this.hasReader = true;
    return new Promise<void>((resolve, reject) => {
      const teardown = this.guard(reject, options.signal);
      let isWaitingDrain = false;
      this.response.on('data', (chunk: Buffer) => {
        this.life.addReceived(chunk.length);
        if (!sink.write(chunk) && !isWaitingDrain) {
          isWaitingDrain = true;
          this.response.pause();
          sink.once('drain', () => { isWaitingDrain = false; this.response.resume(); });
        }
      });
      this.response.once('end', () => {
        this.life.transition('closing');
        const finish = (): void => { teardown(); resolve(); this.life.transition('closed'); };
        if (options.end === false) finish();
        else sink.end(finish);
      });
      sink.once('error', (error) => this.fail(`sink: ${describeSocketError(error)}`));
    });
  }

  /** Nothing to half-close: the request was sent whole. */
  end(): Promise<void> {
    return Promise.resolve();
  }

  fail(reason: string): void {
    this.life.transition('failed', reason);
  }

  dispose(): void {
    this.isDisposed = true;
    this.life.transition('closed');
    this.release();
  }

  onProgress(listener: (progress: Readonly<ByteStreamProgress>) => void): Disposable {
    return this.life.onProgress(listener);
  }

  onStateChange(listener: (state: ByteStreamState, reason: string | null) => void): Disposable {
    return this.life.onStateChange(listener);
  }

  /** Rejects the pipe when the stream fails or is disposed before the body's end; returns its teardown. */
  private guard(reject: (error: Error) => void, signal: AbortSignal | undefined): () => void {
    const onAbort = (): void => this.fail('aborted');
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) queueMicrotask(onAbort);
    const subscription = this.life.onStateChange((state) => {
      if (state === 'closed' && !this.isDisposed) return;
      if (!isTerminal(state)) return;
      reject(streamError(state === 'failed' ? this.failureReason : 'stream closed before the pipe finished'));
    });
    return () => {
      subscription.dispose();
      signal?.removeEventListener('abort', onAbort);
    };
  }

  /** Closes the connection (the server sees a download cut off, or nothing when the body was complete). */
  private release(): void {
    this.response.destroy();
    this.request.destroy();
  }
}
