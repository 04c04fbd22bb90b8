import { createHash } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ByteStream } from '../../../../../electron/transport/byteStream';
import { connectFirst, ConnectFirstError, connectSocks5 } from '../../../../../electron/transport/socks5/connector';
import {
  connectRequest,
  GREETING_NO_AUTH,
  METHOD_NO_AUTH,
  refusedPort,
  replyBytes,
  startBlackHole,
  startScriptedProxy,
  startScriptedServer,
  type ScriptedServer,
} from '../../../../fakes/fakeSocks5Peer';
import { collectingSink, delay, settleTcpHandles, tcpHandleCount, waitFor } from '../../../../support/transportHelpers';

const DST = createHash('sha1').update('sid-2requester@example.com/atarget@example.org/b').digest('hex');

let baseline = 0;
const servers: ScriptedServer[] = [];
const streams: ByteStream[] = [];

beforeAll(() => { baseline = tcpHandleCount(); });
afterEach(async () => {
  for (const stream of streams.splice(0)) stream.dispose();
  await Promise.all(servers.splice(0).map((server) => server.close()));
  expect(await settleTcpHandles(baseline)).toBe(baseline);
});

async function serve(server: Promise<ScriptedServer>): Promise<ScriptedServer> {
  const started = await server;
  servers.push(started);
  return started;
}

describe('connectSocks5', () => {
  it('sends the XEP-0065 greeting and CONNECT (ATYP 03, hash, port 0) and keeps bytes sent with the reply', async () => {
    const received: Buffer[] = [];
    const proxy = await serve(startScriptedServer(async (peer) => {
      received.push(await peer.read(3));
      peer.write(METHOD_NO_AUTH);
      received.push(await peer.read(4 + 1 + 40 + 2));
      // reply and the first data bytes in one segment: they must reach the stream, not the handshake
      peer.write(Buffer.concat([replyBytes(0x00, DST), Buffer.from('first bytes')]));
      peer.socket.end();
    }));
    const stream = await connectSocks5({ host: '127.0.0.1', port: proxy.port, dstAddr: DST });
    streams.push(stream);
    expect(received).toEqual([Buffer.from(GREETING_NO_AUTH), Buffer.from(connectRequest(DST, 0))]);
    const { sink, bytes } = collectingSink();
    await stream.pipeTo(sink);
    expect(bytes().toString()).toBe('first bytes');
    expect(stream.state).toBe('closing');
  });

  it('rejects with the REP code when the streamhost refuses the CONNECT (RFC 1928 §6)', async () => {
    const proxy = await serve(startScriptedProxy({ rep: 0x02 }));
    await expect(connectSocks5({ host: '127.0.0.1', port: proxy.port, dstAddr: DST })).rejects.toThrow('REP 2');
  });

  it("rejects when the streamhost accepts no offered method (X'FF', RFC 1928 §3)", async () => {
    const proxy = await serve(startScriptedServer(async (peer) => {
      await peer.read(3);
      peer.write(Uint8Array.from([0x05, 0xff]));
    }));
    await expect(connectSocks5({ host: '127.0.0.1', port: proxy.port, dstAddr: DST })).rejects.toThrow('method 255');
  });

  it('bounds connect plus handshake time against a black hole', async () => {
    const hole = await serve(startBlackHole());
    const started = Date.now();
    await expect(connectSocks5({ host: '127.0.0.1', port: hole.port, dstAddr: DST, timeoutMs: 150 }))
      .rejects.toThrow('timeout after 150 ms in SOCKS5 handshake');
    expect(Date.now() - started).toBeLessThan(1000);
    await hole.peers[0].closedWithin(500);
  });

  it('rejects with the socket error when the connection is refused', async () => {
    await expect(connectSocks5({ host: '127.0.0.1', port: await refusedPort(), dstAddr: DST })).rejects.toThrow(/ECONNREFUSED/);
  });

  it('rejects with the reset, without an unhandled socket error, when the streamhost resets mid-handshake', async () => {
    const resetting = await serve(startScriptedServer(async (peer) => {
      await peer.read(3);
      peer.socket.resetAndDestroy();
    }));
    await expect(connectSocks5({ host: '127.0.0.1', port: resetting.port, dstAddr: DST })).rejects.toThrow(/ECONNRESET|closed/);
  });

  it('stops at once when aborted', async () => {
    const hole = await serve(startBlackHole());
    const controller = new AbortController();
    const attempt = connectSocks5({ host: '127.0.0.1', port: hole.port, dstAddr: DST, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(attempt).rejects.toThrow('aborted');
  });
});

describe('connectFirst', () => {
  it('picks the live streamhost when the first is black-holed and the second refuses, well under 3 s', async () => {
    const hole = await serve(startBlackHole());
    const live = await serve(startScriptedProxy());
    const candidates = [
      { host: '127.0.0.1', port: hole.port, dstAddr: DST, jid: 'hole' },
      { host: '127.0.0.1', port: await refusedPort(), dstAddr: DST, jid: 'refused' },
      { host: '127.0.0.1', port: live.port, dstAddr: DST, jid: 'live' },
    ];
    const started = Date.now();
    const result = await connectFirst(candidates, { headStartMs: 250, timeoutMs: 5000 });
    streams.push(result.stream);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result.candidate.jid).toBe('live');
    expect(result.index).toBe(2);
    expect(result.failures.map((f) => f.candidate.jid)).toEqual(['refused']);
    expect(result.failures[0].reason).toMatch(/ECONNREFUSED/);
    await hole.peers[0].closedWithin(500); // the loser was aborted, its socket closed
  });

  it('gives the first candidate its head start before trying the next', async () => {
    const slow = await serve(startScriptedServer(async (peer) => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await peer.read(3);
      peer.write(METHOD_NO_AUTH);
      await peer.read(47);
      peer.write(replyBytes(0, DST));
    }));
    const fast = await serve(startScriptedProxy());
    const result = await connectFirst([
      { host: '127.0.0.1', port: slow.port, dstAddr: DST },
      { host: '127.0.0.1', port: fast.port, dstAddr: DST },
    ], { headStartMs: 250 });
    streams.push(result.stream);
    expect(result.index).toBe(0);
    expect(fast.peers).toHaveLength(0);
  });

  it('reports one failure reason per candidate when all fail', async () => {
    const hole = await serve(startBlackHole());
    const refusing = await refusedPort();
    const error = await connectFirst([
      { host: '127.0.0.1', port: hole.port, dstAddr: DST },
      { host: '127.0.0.1', port: refusing, dstAddr: DST },
    ], { headStartMs: 50, timeoutMs: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectFirstError);
    const reasons = (error as ConnectFirstError<{ port: number }>).failures.map((f) => f.reason);
    expect(reasons).toHaveLength(2);
    expect(reasons.join('\n')).toMatch(/ECONNREFUSED[\s\S]*timeout after 200 ms/);
  });

  it('on abort, closes every running attempt at once and never starts the candidates still waiting their turn', async () => {
    const holes = [await serve(startBlackHole()), await serve(startBlackHole())];
    const lateProxy = await serve(startScriptedServer(async (peer) => {
      await peer.read(3);
      await new Promise((resolve) => setTimeout(resolve, 1000)); // would answer after the abort
      peer.write(METHOD_NO_AUTH);
    }));
    const unstarted = await serve(startScriptedProxy());
    const controller = new AbortController();
    const race = connectFirst([
      { host: '127.0.0.1', port: lateProxy.port, dstAddr: DST },
      ...holes.map((hole) => ({ host: '127.0.0.1', port: hole.port, dstAddr: DST })),
      { host: '127.0.0.1', port: unstarted.port, dstAddr: DST },
    ], { headStartMs: 150, timeoutMs: 5000, signal: controller.signal });
    await waitFor(() => holes.every((hole) => hole.peers.length === 1) && lateProxy.peers.length === 1);
    const aborted = Date.now();
    controller.abort();
    await expect(race).rejects.toThrow('aborted');
    expect(Date.now() - aborted).toBeLessThan(100);
    for (const peer of [...holes.map((hole) => hole.peers[0]), lateProxy.peers[0]]) expect(await peer.closedWithin(500)).toBeLessThan(500);
    await delay(300); // the waiting candidate's head-start timer would have fired by now
    expect(unstarted.peers).toHaveLength(0);
  });

  it('rejects an empty candidate list', async () => {
    await expect(connectFirst([])).rejects.toThrow('no streamhost candidates');
  });
});
