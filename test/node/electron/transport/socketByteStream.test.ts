import { connect, createServer, type Socket } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ByteStream, ByteStreamState } from '../../../../electron/transport/byteStream';
import { createSocketByteStream } from '../../../../electron/transport/socketByteStream';
import { startScriptedServer, type ScriptedServer } from '../../../fakes/fakeSocks5Peer';
import { chunkedSource, collectingSink, randomPayload, settleTcpHandles, tcpHandleCount, waitFor } from '../../../support/transportHelpers';

let baseline = 0;
const cleanups: (() => unknown)[] = [];
beforeAll(() => { baseline = tcpHandleCount(); });
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  expect(await settleTcpHandles(baseline)).toBe(baseline);
});

/** A connected loopback pair, both ends wrapped, both allowing half-open. */
async function streamPair(): Promise<[ByteStream, ByteStream]> {
  const server = createServer({ allowHalfOpen: true });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  const client = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  const [a, b] = [createSocketByteStream(client), createSocketByteStream(await accepted)];
  server.close();
  cleanups.push(() => { a.dispose(); b.dispose(); });
  return [a, b];
}

function record(stream: ByteStream): ByteStreamState[] {
  const states: ByteStreamState[] = [];
  stream.onStateChange((state) => states.push(state));
  return states;
}

describe('socket ByteStream', () => {
  it('half-closes after the last byte, so a peer that answers only on FIN (proxy65) gets everything', async () => {
    let server: ScriptedServer | null = null;
    server = await startScriptedServer((peer) => {
      const got: Buffer[] = [];
      peer.socket.on('data', (chunk: Buffer) => got.push(chunk));
      peer.socket.on('end', () => peer.socket.end(`got ${Buffer.concat(got).length} bytes`));
    });
    cleanups.push(() => server?.close());
    const socket = connect({ port: server.port, host: '127.0.0.1', allowHalfOpen: true });
    const stream = createSocketByteStream(socket);
    const states = record(stream);
    const { sink, bytes } = collectingSink();
    await Promise.all([stream.pipeFrom(chunkedSource(randomPayload(100_037), 4096)), stream.pipeTo(sink)]);
    expect(bytes().toString()).toBe('got 100037 bytes');
    await waitFor(() => stream.state === 'closed');
    expect(states).toEqual(['closing', 'closed']);
    expect(socket.destroyed).toBe(true);
  });

  it('delivers the last bytes to the reader before the end, then closes both sides', async () => {
    const [requester, target] = await streamPair();
    const [requesterStates, targetStates] = [record(requester), record(target)];
    const { sink, bytes } = collectingSink();
    const payload = Buffer.concat([randomPayload(1_000_000), Buffer.from('last')]);
    await Promise.all([requester.pipeFrom(chunkedSource(payload)), target.pipeTo(sink)]);
    expect(bytes().equals(payload)).toBe(true);
    expect(target.progress.received).toBe(payload.length);
    expect(requester.progress.sent).toBe(payload.length);
    await target.end();
    await waitFor(() => requester.state === 'closed' && target.state === 'closed');
    expect(requesterStates).toEqual(['closing', 'closed']);
    expect(targetStates).toEqual(['closing', 'closed']);
  });

  it('fails with the socket error when the peer resets mid-transfer', async () => {
    const [requester, target] = await streamPair();
    const reading = target.pipeTo(collectingSink().sink);
    requester.fail('cancelled by user');
    await expect(reading).rejects.toThrow(/ECONNRESET|closed before both sides finished/);
    expect(target.state).toBe('failed');
    expect(requester.failureReason).toBe('cancelled by user');
  });

  it('fails the pipe when aborted, and dispose/end are idempotent afterwards', async () => {
    const [requester] = await streamPair();
    const controller = new AbortController();
    const never = new (await import('node:stream')).PassThrough();
    const sending = requester.pipeFrom(never, { signal: controller.signal });
    controller.abort();
    await expect(sending).rejects.toThrow('aborted');
    expect(never.destroyed).toBe(true);
    requester.dispose();
    requester.dispose();
    expect(requester.state).toBe('failed');
    await expect(requester.end()).rejects.toThrow('aborted');
  });
});
