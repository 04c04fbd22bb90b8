import { Writable } from 'node:stream';
import type { ByteStream } from '../../transport/byteStream';

/** Where incoming bytes go: the file store's .part sink. */
export interface IncomingSink {
  writable: Writable;
}

/**
 * Pipes `stream` into `sink` until exactly `length` bytes arrived. Resolves once they are all written
 * (whether or not the peer closed: some peers keep the socket open); rejects when the peer closes early
 * ("the stream closed after N of M bytes"), sends more than announced, or the stream fails. A byte past
 * `length`, even one arriving after the promise resolved, fails the stream itself (a reset for SOCKS5, a
 * close for IBB) with "the sender sent more than the N bytes it announced": the caller checks
 * `stream.state` before it accepts the file. Chunks pass through uncopied, and each is released only
 * when the sink is done with it.
 */
export function receiveInto(stream: ByteStream, sink: IncomingSink, length: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let received = 0;
    const settle = settleOnce(() => resolve(), reject);
    const finishFile = (): void => {
      sink.writable.end((error?: Error | null) => settle(error ?? null));
    };
    /** Passes chunks on; calls back once the sink is done with all of them (or with the first error). */
    const forward = (chunks: Buffer[], callback: (error?: Error | null) => void): void => {
      const bytes = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
      received += bytes;
      if (received > length) {
        const error = new TooManyBytesError(length);
        // Fail the stream first: its reason is then ours, not the sink error it would otherwise report.
        stream.fail(error.message);
        settle(error);
        callback(error);
        return;
      }
      writeAll(sink, chunks, callback);
      if (received === length) finishFile();
    };
    const counter = countingWritable(forward, (callback) => {
      callback(received === length ? null : new Error(closedEarly(received, length)));
    });
    sink.writable.once('error', (error) => settle(error));
    if (length === 0) finishFile();
    stream.pipeTo(counter).then(
      () => { if (received < length) settle(new Error(closedEarly(received, length))); },
      (error: Error) => {
        if (received < length) settle(new Error(`${closedEarly(received, length)} (${error.message})`));
        else if (received > length) settle(new TooManyBytesError(length));
      },
    );
  });
}

/** The first call wins: an error rejects, null resolves; later calls do nothing. */
function settleOnce(resolve: () => void, reject: (error: Error) => void): (error: Error | null) => void {
  let isSettled = false;
  return (error) => {
    if (isSettled) return;
    isSettled = true;
    if (error) reject(error);
    else resolve();
  };
}

type Forward = (chunks: Buffer[], callback: (error?: Error | null) => void) => void;

/** The Writable a stream is piped into: every chunk (or batch) goes to `forward`; `final` when the stream ended. */
function countingWritable(forward: Forward, final: (callback: (error?: Error | null) => void) => void): Writable {
  return new Writable({
    highWaterMark: 1024 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      forward([chunk], callback);
    },
    writev(entries, callback) {
      forward(entries.map((entry) => entry.chunk as Buffer), callback);
    },
    final,
  });
}

/**
 * Writes `chunks` to the sink and calls back once the sink is done with all of them (or with the first error).
 * A chunk may be a region of the transport's ring (transport/socketRing.ts): it stays the sink's until the
 * sink's own write callback, so ours waits for those.
 */
function writeAll(sink: IncomingSink, chunks: Buffer[], callback: (error?: Error | null) => void): void {
  let pending = chunks.length;
  let failure: Error | null = null;
  for (const chunk of chunks) {
    sink.writable.write(chunk, (error?: Error | null) => {
      failure ??= error ?? null;
      pending -= 1;
      if (pending === 0) callback(failure);
    });
  }
}

/** The sender sent more than it announced: the file is damaged, whatever else happened. */
export class TooManyBytesError extends Error {
  constructor(length: number) {
    super(tooManyBytes(length));
    this.name = 'TooManyBytesError';
  }
}

/** Why a transfer failed when the sender sent more than it offered (issue 7 item 2). */
export function tooManyBytes(length: number): string {
  return `the sender sent more than the ${length} bytes it announced`;
}

/** Why a transfer failed when the stream ended before the announced size. */
export function closedEarly(received: number, length: number): string {
  return `the stream closed after ${received} of ${length} bytes`;
}

/**
 * Pipes `stream` into `sink` until the stream's own end, for a body nobody gave a size (an HTTP response with
 * neither Content-Length nor Content-Range, from a link that announced none): its clean end (the last chunk,
 * or the close that delimits an unframed body) ends the file, a connection lost before it fails it, and a byte
 * past `maxBytes` fails the stream ("the server sent more than …"). Resolves with the bytes received.
 */
export function receiveUntilEnd(stream: ByteStream, sink: IncomingSink, maxBytes: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let received = 0;
    const settle = settleOnce(() => resolve(received), reject);
    const forward = (chunks: Buffer[], callback: (error?: Error | null) => void): void => {
      received += chunks.reduce((sum, chunk) => sum + chunk.length, 0);
      if (received > maxBytes) {
        const error = new Error(unsizedTooLarge(maxBytes));
        stream.fail(error.message);
        settle(error);
        callback(error);
        return;
      }
      writeAll(sink, chunks, callback);
    };
    const counter = countingWritable(forward, (callback) => {
      sink.writable.end((error?: Error | null) => {
        settle(error ?? null);
        callback(error ?? null);
      });
    });
    sink.writable.once('error', (error) => settle(error));
    stream.pipeTo(counter).catch((error: Error) => settle(new Error(`the download broke off after ${received} bytes (${error.message})`)));
  });
}

/** Why a download of unannounced size failed: it went past the most Ferry takes without a size. */
export function unsizedTooLarge(maxBytes: number): string {
  return `the server sent more than ${maxBytes} bytes without saying how large the file is`;
}
