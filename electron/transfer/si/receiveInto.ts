import { Writable } from 'node:stream';
import type { ByteStream } from '../../transport/byteStream';

/** Where incoming bytes go: the file store's .part sink. */
export interface IncomingSink {
  writable: Writable;
}

/**
 * Pipes `stream` into `sink` until exactly `length` bytes arrived. Resolves once they are all written
 * (whether or not the peer closed: some peers keep the socket open); rejects when the peer closes early,
 * sends more than announced, or the stream fails. Chunks pass through uncopied.
 */
export function receiveInto(stream: ByteStream, sink: IncomingSink, length: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let received = 0;
    let isSettled = false;
    const settle = (error: Error | null): void => {
      if (isSettled) return;
      isSettled = true;
      if (error) reject(error);
      else resolve();
    };
    const finishFile = (): void => {
      sink.writable.end((error?: Error | null) => settle(error ?? null));
    };
    const counter = new Writable({
      highWaterMark: 1024 * 1024,
      write(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        if (received > length) {
          callback(new Error(`the peer sent more than the ${length} bytes announced`));
          return;
        }
        const isFull = !sink.writable.write(chunk);
        if (received === length) finishFile();
        if (isFull && received < length) sink.writable.once('drain', () => callback());
        else callback();
      },
      final(callback) {
        callback(received === length ? null : new Error(`the peer closed the stream after ${received} of ${length} bytes`));
      },
    });
    sink.writable.once('error', (error) => settle(error));
    if (length === 0) finishFile();
    stream.pipeTo(counter).then(
      () => { if (received < length) settle(new Error(`the peer closed the stream after ${received} of ${length} bytes`)); },
      (error: Error) => { if (received < length) settle(error); },
    );
  });
}
