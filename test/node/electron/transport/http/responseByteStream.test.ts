import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { receiveInto, receiveUntilEnd } from '../../../../../electron/transfer/streams/receiveInto';
import type { ByteStreamState } from '../../../../../electron/transport/byteStream';
import { openDownload, type Download } from '../../../../../electron/transport/http/httpDownload';
import { HttpError } from '../../../../../electron/transport/http/httpError';
import { startServer } from '../../../../support/httpServers';
import { collectingSink, delay, hashingSink, randomPayload, settleTcpHandles, sha256, tcpHandleCount, waitFor } from '../../../../support/transportHelpers';

let baseline = 0;
const cleanups: (() => unknown)[] = [];
beforeAll(() => { baseline = tcpHandleCount(); });
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  expect(await settleTcpHandles(baseline)).toBe(baseline);
});

/** Opens a download from a server answering with `handler`; `closed` resolves when the server's side closed. */
async function openFrom(handler: (request: IncomingMessage, response: ServerResponse) => void, signal = new AbortController().signal): Promise<{ opened: Download; closed: Promise<void> }> {
  let onClose = (): void => undefined;
  const closed = new Promise<void>((resolve) => { onClose = resolve; });
  const server = await startServer((request, response) => {
    request.socket.once('close', onClose);
    handler(request, response);
  });
  cleanups.push(() => server.close());
  const opened = await openDownload({ url: `${server.origin}/file`, offset: 0, signal });
  cleanups.push(() => opened.stream.dispose());
  return { opened, closed };
}

function record(opened: Download): ByteStreamState[] {
  const states: ByteStreamState[] = [];
  opened.stream.onStateChange((state) => states.push(state));
  return states;
}

/** Sends `bytes`, then destroys the socket once they are out: the body is cut short. */
const cutAfter = (bytes: Buffer, headers: Record<string, number | string>) => (_request: IncomingMessage, response: ServerResponse): void => {
  response.writeHead(200, headers);
  response.write(bytes, () => response.socket?.destroy());
};

describe('response ByteStream of a body nobody gave a size (receiveUntilEnd)', () => {
  it('takes a chunked body (RFC 9112 §7.1) to its last chunk and says how many bytes came', async () => {
    const payload = randomPayload(300_000);
    const { opened } = await openFrom((_request, response) => { response.writeHead(200); response.write(payload.subarray(0, 1000)); response.end(payload.subarray(1000)); });
    expect(opened.length).toBeNull();
    const sink = hashingSink();
    await expect(receiveUntilEnd(opened.stream, { writable: sink.sink }, 1_000_000)).resolves.toBe(payload.length);
    expect(sink.digest()).toBe(sha256(payload));
  });

  it('fails a body cut before its last chunk', async () => {
    const { opened } = await openFrom(cutAfter(randomPayload(500), {}));
    await expect(receiveUntilEnd(opened.stream, { writable: collectingSink().sink }, 1_000_000))
      .rejects.toThrow(/^the download broke off after 500 bytes \(the server closed the connection before the end of the body\)$/);
  });

  it('fails a body longer than the bound, and fails the stream with that reason', async () => {
    const { opened } = await openFrom((_request, response) => { response.writeHead(200); response.end(randomPayload(200_000)); });
    await expect(receiveUntilEnd(opened.stream, { writable: collectingSink().sink }, 100_000))
      .rejects.toThrow('the server sent more than 100000 bytes without saying how large the file is');
    expect(opened.stream.state).toBe('failed');
  });
});

describe('response ByteStream', () => {
  it('fails when the server closes before Content-Length, so receiveInto reports the bytes that came', async () => {
    const { opened } = await openFrom(cutAfter(randomPayload(500), { 'Content-Length': 1000 }));
    const states = record(opened);
    expect(opened.length).toBe(1000);
    const receiving = receiveInto(opened.stream, { writable: collectingSink().sink }, 1000);
    await expect(receiving).rejects.toThrow(/^the stream closed after 500 of 1000 bytes \(the server closed the connection before the end of the body\)$/);
    expect(opened.stream.state).toBe('failed');
    expect(states).toEqual(['failed']);
  });

  it('delivers no further chunk while the sink asks to wait (backpressure), then the rest', async () => {
    const payload = randomPayload(4 * 1024 * 1024);
    const { opened } = await openFrom((_request, response) => response.writeHead(200, { 'Content-Length': payload.length }).end(payload));
    let release: (() => void) | null = null;
    const chunks: Buffer[] = [];
    const sink = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(Buffer.from(chunk));
        if (chunks.length === 1) release = callback;
        else callback();
      },
    });
    const reading = opened.stream.pipeTo(sink);
    await waitFor(() => release !== null);
    const held = opened.stream.progress.received;
    // The response was paused inside its 'data' handler: no event can bring more while the sink waits.
    await delay(50);
    expect(opened.stream.progress.received).toBe(held);
    expect(held).toBeLessThan(payload.length);
    release!();
    await reading;
    expect(Buffer.concat(chunks).equals(payload)).toBe(true);
  });

  it('reads a chunked body (length null) to its end, and fails one cut before its last chunk', async () => {
    const payload = randomPayload(200_000);
    const whole = await openFrom((_request, response) => {
      response.writeHead(200);
      response.write(payload.subarray(0, 100_000));
      response.end(payload.subarray(100_000));
    });
    expect(whole.opened.length).toBeNull();
    const { sink, digest } = hashingSink();
    await receiveInto(whole.opened.stream, { writable: sink }, payload.length);
    expect(digest()).toBe(sha256(payload));
    const cut = await openFrom(cutAfter(payload.subarray(0, 70_000), {}));
    await expect(receiveInto(cut.opened.stream, { writable: collectingSink().sink }, payload.length))
      .rejects.toThrow(/^the stream closed after 70000 of 200000 bytes/);
  });

  it('fails with "aborted" when the signal fires mid-body, and the server sees the connection close', async () => {
    const controller = new AbortController();
    const { opened, closed } = await openFrom((_request, response) => {
      response.writeHead(200, { 'Content-Length': 10_000_000 });
      response.write(randomPayload(100_000));
    }, controller.signal);
    const receiving = receiveInto(opened.stream, { writable: collectingSink().sink }, 10_000_000);
    await waitFor(() => opened.stream.progress.received > 0);
    controller.abort();
    await expect(receiving).rejects.toThrow(/\(aborted\)$/);
    expect(opened.stream.failureReason).toBe('aborted');
    await closed;
  });

  it('rejects the open with kind "aborted" when the signal fires before the answer', async () => {
    const server = await startServer(() => undefined);
    cleanups.push(() => server.close());
    const controller = new AbortController();
    const opening = openDownload({ url: `${server.origin}/file`, offset: 0, signal: controller.signal });
    await waitFor(() => server.sockets.length === 1);
    controller.abort();
    await expect(opening).rejects.toThrow(expect.objectContaining({ kind: 'aborted', message: 'the download was cancelled' }));
    await expect(openDownload({ url: `${server.origin}/file`, offset: 0, signal: controller.signal })).rejects.toBeInstanceOf(HttpError);
  });

  it('keeps the ByteStream contract: nothing to send, end() at once, one reader, idempotent dispose', async () => {
    const { opened, closed } = await openFrom((_request, response) => {
      response.writeHead(200, { 'Content-Length': 1000 });
      response.write(randomPayload(10));
    });
    const states = record(opened);
    await expect(opened.stream.pipeFrom(new PassThrough())).rejects.toThrow('an HTTP download has nothing to send');
    await expect(opened.stream.end()).resolves.toBeUndefined();
    const reading = opened.stream.pipeTo(collectingSink().sink);
    await expect(opened.stream.pipeTo(collectingSink().sink)).rejects.toThrow('pipeTo may be called only once');
    opened.stream.dispose();
    opened.stream.dispose();
    await expect(reading).rejects.toThrow('stream closed before the pipe finished');
    expect(states).toEqual(['closed']);
    expect(opened.stream.progress.sent).toBe(0);
    await closed;
  });
});
