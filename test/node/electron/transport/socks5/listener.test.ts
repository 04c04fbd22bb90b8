import { createHash } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ByteStream } from '../../../../../electron/transport/byteStream';
import { connectSocks5 } from '../../../../../electron/transport/socks5/connector';
import { localAddresses, Socks5Listener } from '../../../../../electron/transport/socks5/listener';
import { connectRaw, connectRequest, GREETING_NO_AUTH, METHOD_NO_AUTH, type RawPeer } from '../../../../fakes/fakeSocks5Peer';
import { chunkedSource, hashingSink, MIB, randomPayload, settleTcpHandles, sha256, tcpHandleCount, waitFor } from '../../../../support/transportHelpers';

const hashOf = (text: string): string => createHash('sha1').update(text).digest('hex');
const DST = hashOf('sid-1requester@example.com/ferrytarget@example.org/ferry');
const OTHER = hashOf('nobody');

let baseline = 0;
let listener: Socks5Listener | null = null;
const peers: RawPeer[] = [];
const streams: ByteStream[] = [];

beforeAll(() => { baseline = tcpHandleCount(); });
afterEach(async () => {
  listener?.dispose();
  listener = null;
  for (const peer of peers.splice(0)) peer.destroy();
  for (const stream of streams.splice(0)) stream.dispose();
  expect(await settleTcpHandles(baseline)).toBe(baseline);
});

function start(options: ConstructorParameters<typeof Socks5Listener>[0] = {}): Socks5Listener {
  listener = new Socks5Listener(options);
  return listener;
}

async function raw(port: number): Promise<RawPeer> {
  const peer = await connectRaw(port);
  peers.push(peer);
  return peer;
}

/** Sends `payload` one way and returns the receiver's sha-256. */
async function transfer(from: ByteStream, to: ByteStream, payload: Buffer): Promise<string> {
  const { sink, digest } = hashingSink();
  await Promise.all([from.pipeFrom(chunkedSource(payload)), to.pipeTo(sink)]);
  return digest();
}

describe('Socks5Listener', () => {
  it('serves the matching DST.ADDR and carries 32 MiB intact in both directions (XEP-0065 §5.3.2)', async () => {
    const expectation = await start().expect(DST, { timeoutMs: 5000 });
    const target = await connectSocks5({ host: '127.0.0.1', port: expectation.port, dstAddr: DST });
    const requester = await expectation.stream;
    streams.push(target, requester);
    const [up, down] = [randomPayload(32 * MIB), randomPayload(32 * MIB)];
    const [atTarget, atRequester] = await Promise.all([transfer(requester, target, up), transfer(target, requester, down)]);
    expect(atTarget).toBe(sha256(up));
    expect(atRequester).toBe(sha256(down));
    expect(requester.progress).toEqual({ sent: 32 * MIB, received: 32 * MIB });
    await waitFor(() => requester.state === 'closed' && target.state === 'closed');
    expect(listener!.isListening).toBe(false);
  }, 30_000);

  it('accepts IPv6 loopback connections on the same port (dual-stack)', async () => {
    const expectation = await start().expect(DST, { timeoutMs: 5000 });
    const target = await connectSocks5({ host: '::1', port: expectation.port, dstAddr: DST });
    streams.push(target, await expectation.stream);
    expect(target.state).toBe('open');
  });

  it('closes at once on a greeting with the wrong version (RFC 1928 §3)', async () => {
    const expectation = await start().expect(DST, { timeoutMs: 5000 });
    const peer = await raw(expectation.port);
    peer.write(Uint8Array.from([0x04, 0x01, 0x00]));
    expect(await peer.closedWithin(500)).toBeLessThan(500);
  });

  it("answers X'FF' and closes when no offered method is acceptable (RFC 1928 §3)", async () => {
    const expectation = await start().expect(DST, { timeoutMs: 5000 });
    const peer = await raw(expectation.port);
    peer.write(Uint8Array.from([0x05, 0x01, 0x02])); // only username/password offered
    expect([...(await peer.read(2))]).toEqual([0x05, 0xff]);
    expect(await peer.closedWithin(500)).toBeLessThan(500);
  });

  it('replies host unreachable and closes for an unknown DST.ADDR, keeping the registration (RFC 1928 §6)', async () => {
    const l = start();
    const expectation = await l.expect(DST, { timeoutMs: 5000 });
    const peer = await raw(expectation.port);
    peer.write(GREETING_NO_AUTH);
    expect([...(await peer.read(2))]).toEqual([...METHOD_NO_AUTH]);
    peer.write(connectRequest(OTHER));
    expect([...(await peer.read(2))]).toEqual([0x05, 0x04]);
    await peer.closedWithin(500);
    const target = await connectSocks5({ host: '127.0.0.1', port: expectation.port, dstAddr: DST });
    streams.push(target, await expectation.stream);
  });

  it('replies command not supported for BIND and closes (RFC 1928 §4, §6)', async () => {
    const expectation = await start().expect(DST, { timeoutMs: 5000 });
    const peer = await raw(expectation.port);
    const bind = connectRequest(DST);
    bind[1] = 0x02;
    peer.write(Buffer.concat([GREETING_NO_AUTH, bind])); // pipelined: both messages in one segment
    expect([...(await peer.read(4))]).toEqual([0x05, 0x00, 0x05, 0x07]);
    await peer.closedWithin(500);
  });

  it('drops a connection that does not finish its handshake in time (slowloris)', async () => {
    const dropped: string[] = [];
    const expectation = await start({ handshakeTimeoutMs: 200, onDropped: (r) => dropped.push(r) }).expect(DST, { timeoutMs: 5000 });
    const peer = await raw(expectation.port);
    peer.write(Uint8Array.from([0x05])); // one byte, then nothing
    const elapsed = await peer.closedWithin(1000);
    expect(elapsed).toBeGreaterThanOrEqual(150);
    expect(dropped).toEqual(['handshake timeout']);
  });

  it('closes connections beyond the bound on concurrent handshakes', async () => {
    const dropped: string[] = [];
    const l = start({ maxHandshakes: 4, onDropped: (r) => dropped.push(r) });
    const expectation = await l.expect(DST, { timeoutMs: 5000 });
    const idle = await Promise.all([1, 2, 3, 4].map(() => raw(expectation.port)));
    await waitFor(() => l.handshakeCount === 4);
    const extra = await raw(expectation.port);
    expect(await extra.closedWithin(500)).toBeLessThan(500);
    expect(dropped).toEqual(['too many concurrent handshakes']);
    for (const peer of idle) peer.destroy();
    await waitFor(() => l.handshakeCount === 0);
    const target = await connectSocks5({ host: '127.0.0.1', port: expectation.port, dstAddr: DST });
    streams.push(target, await expectation.stream);
  });

  it('listens only while something is pending: cancel, timeout and abort each stop it', async () => {
    const l = start();
    const first = await l.expect(DST, { timeoutMs: 5000 });
    const second = await l.expect(OTHER, { timeoutMs: 100 });
    expect(l.isListening).toBe(true);
    first.dispose();
    await expect(first.stream).rejects.toThrow('cancelled');
    expect(l.isListening).toBe(true);
    await expect(second.stream).rejects.toThrow('no target connected in time');
    await waitFor(() => !l.isListening);
    await expect(connectRaw(second.port)).rejects.toThrow(/ECONNREFUSED/);
    const controller = new AbortController();
    const third = await l.expect(DST, { timeoutMs: 5000, signal: controller.signal });
    controller.abort();
    await expect(third.stream).rejects.toThrow('cancelled');
    await waitFor(() => !l.isListening);
  });

  it('keeps a live 32 MiB transfer intact while a hostile client hammers it with 200 bad connections', async () => {
    const l = start({ handshakeTimeoutMs: 300, maxHandshakes: 16 });
    const expectation = await l.expect(DST, { timeoutMs: 10_000 });
    const target = await connectSocks5({ host: '127.0.0.1', port: expectation.port, dstAddr: DST });
    const requester = await expectation.stream;
    streams.push(target, requester);
    const payload = randomPayload(32 * MIB);
    const live = transfer(requester, target, payload);
    const hostile = hammer(expectation.port, 200);
    const [digest] = await Promise.all([live, hostile]);
    expect(digest).toBe(sha256(payload));
  }, 30_000);
});

/** `count` bad clients, 10 at a time: garbage, wrong version, wrong hash, silence. */
async function hammer(port: number, count: number): Promise<void> {
  const scripts: ((peer: RawPeer) => void)[] = [
    (peer) => peer.write(randomPayload(300)),
    (peer) => peer.write(Uint8Array.from([0x04, 0x01, 0x00, 0x50])),
    (peer) => peer.write(Buffer.concat([GREETING_NO_AUTH, connectRequest(OTHER)])),
    () => undefined,
  ];
  for (let round = 0; round < count / 10; round += 1) {
    await Promise.all(Array.from({ length: 10 }, async (_, i) => {
      const peer = await connectRaw(port).catch(() => null);
      if (!peer) return;
      scripts[(round + i) % scripts.length](peer);
      await peer.closedWithin(2000).catch(() => undefined);
      peer.destroy();
    }));
  }
}

describe('localAddresses', () => {
  it('lists non-internal addresses first, IPv4 before IPv6, loopback last, and no link-local IPv6', () => {
    const info = (address: string, family: 'IPv4' | 'IPv6', internal: boolean) =>
      ({ address, family, internal, netmask: '', mac: '', cidr: null, ...(family === 'IPv6' ? { scopeid: 0 } : {}) }) as never;
    const addresses = localAddresses({
      lo: [info('127.0.0.1', 'IPv4', true), info('::1', 'IPv6', true)],
      eth0: [info('fe80::1', 'IPv6', false), info('fd00::2', 'IPv6', false), info('192.0.2.2', 'IPv4', false)],
    });
    expect(addresses).toEqual(['192.0.2.2', 'fd00::2', '127.0.0.1', '::1']);
  });
});
