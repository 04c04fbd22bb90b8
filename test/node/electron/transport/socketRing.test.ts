import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { ByteStream } from '../../../../electron/transport/byteStream';
import { RING_SLOT_BYTES, RING_SLOTS } from '../../../../electron/transport/socketRing';
import { connectSocks5 } from '../../../../electron/transport/socks5/connector';
import { startScriptedProxy, type ScriptedServer } from '../../../fakes/fakeSocks5Peer';
import { delay, MIB, randomPayload, sha256, waitFor } from '../../../support/transportHelpers';

const DST = 'b'.repeat(40);
const servers: ScriptedServer[] = [];
const streams: ByteStream[] = [];

afterEach(async () => {
  for (const stream of streams.splice(0)) stream.dispose();
  for (const server of servers.splice(0)) await server.close();
});

/** A SOCKS5 proxy that sends `payload` right after its reply (in `pieces` writes), then closes. */
async function proxySending(payload: Buffer, options: { sameWriteAsReply?: boolean } = {}): Promise<ScriptedServer> {
  const server = await startScriptedProxy({
    afterReply: (peer) => {
      if (options.sameWriteAsReply) {
        peer.socket.end(payload);
        return;
      }
      // Odd-sized writes, so reads never line up with slots.
      for (let at = 0; at < payload.length; at += 200_003) peer.write(payload.subarray(at, at + 200_003));
      peer.socket.end();
    },
  });
  servers.push(server);
  return server;
}

interface SlowSink {
  sink: Writable;
  digest(): string;
  chunks: { length: number; isShared: boolean }[];
  /** Hash of each chunk taken when it arrived and again at its callback differed (memory reused early). */
  changedWhileHeld: number;
  release(): void;
}

/** A sink that holds every chunk until `release()` (or a few ms when auto), checking it stays intact. */
function slowSink(options: { holdMs?: number; manual?: boolean } = {}): SlowSink {
  const hash = createHash('sha256');
  const held: (() => void)[] = [];
  const result: SlowSink = {
    chunks: [],
    changedWhileHeld: 0,
    digest: () => hash.digest('hex'),
    release: () => { for (const done of held.splice(0)) done(); },
    sink: new Writable({
      highWaterMark: MIB,
      write(chunk: Buffer, _encoding, callback) {
        result.chunks.push({ length: chunk.length, isShared: chunk.buffer instanceof SharedArrayBuffer });
        hash.update(chunk);
        const before = sha256(chunk);
        const done = (): void => {
          if (sha256(chunk) !== before) result.changedWhileHeld += 1;
          callback();
        };
        if (options.manual) held.push(done);
        else setTimeout(done, options.holdMs ?? 2);
      },
    }),
  };
  return result;
}

describe('SocketRing (reads straight into shared memory)', () => {
  it('delivers 24 MiB intact to a slow sink, in shared regions of at most one slot, never reusing a held region', async () => {
    const payload = randomPayload(24 * MIB);
    const server = await proxySending(payload);
    const stream = await connectSocks5({ host: '127.0.0.1', port: server.port, dstAddr: DST });
    streams.push(stream);
    const sink = slowSink({ holdMs: 3 });
    await stream.pipeTo(sink.sink);
    expect(sink.digest()).toBe(sha256(payload));
    expect(sink.changedWhileHeld).toBe(0);
    // Every chunk is shared memory, even what came in the same read as the SOCKS5 reply (copied).
    expect(sink.chunks.every((c) => c.isShared && c.length <= RING_SLOT_BYTES)).toBe(true);
    // Adaptive batching: far fewer writes than the 64 KiB reads a 'data' socket would give.
    expect(sink.chunks.length).toBeLessThan(24 * MIB / (64 * 1024));
    expect(stream.progress.received).toBe(payload.length);
  }, 20_000);

  it('stops reading while the sink holds every slot, and goes on when it lets go (backpressure)', async () => {
    const payload = randomPayload(40 * MIB);
    const server = await proxySending(payload);
    const stream = await connectSocks5({ host: '127.0.0.1', port: server.port, dstAddr: DST });
    streams.push(stream);
    const sink = slowSink({ manual: true });
    const piping = stream.pipeTo(sink.sink);
    piping.catch(() => undefined); // awaited below; a failed assertion must not leave it unhandled
    await waitFor(() => stream.progress.received >= (RING_SLOTS - 1) * RING_SLOT_BYTES, 5000);
    await delay(200);
    // At most the ring's worth (plus what came with the SOCKS5 reply) is taken off the socket while
    // nothing is released.
    expect(stream.progress.received).toBeLessThanOrEqual(RING_SLOTS * RING_SLOT_BYTES + 4096);
    let isPiped = false;
    void piping.finally(() => { isPiped = true; });
    const deadline = Date.now() + 15_000;
    while (!isPiped && Date.now() < deadline) {
      sink.release();
      await delay(1);
    }
    await piping;
    expect(sink.digest()).toBe(sha256(payload));
    expect(sink.changedWhileHeld).toBe(0);
  }, 30_000);

  it('keeps bytes that arrive in the same read as the SOCKS5 reply, and delivers them first', async () => {
    const payload = randomPayload(3000);
    const server = await proxySending(payload, { sameWriteAsReply: true });
    const stream = await connectSocks5({ host: '127.0.0.1', port: server.port, dstAddr: DST });
    streams.push(stream);
    const sink = slowSink();
    await stream.pipeTo(sink.sink);
    expect(sink.digest()).toBe(sha256(payload));
    expect(sink.chunks[0].isShared).toBe(true);
  });

  it('fails the stream with the sink\'s error when a write fails', async () => {
    const payload = randomPayload(4 * MIB);
    const server = await proxySending(payload);
    const stream = await connectSocks5({ host: '127.0.0.1', port: server.port, dstAddr: DST });
    streams.push(stream);
    const failing = new Writable({ write(_chunk, _encoding, callback) { callback(new Error('disk full')); } });
    failing.on('error', () => undefined);
    await expect(stream.pipeTo(failing)).rejects.toThrow(/disk full/);
    expect(stream.state).toBe('failed');
  });
});
