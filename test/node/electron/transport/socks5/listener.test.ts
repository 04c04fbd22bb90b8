import { createHash } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ByteStream } from '../../../../../electron/transport/byteStream';
import { connectSocks5 } from '../../../../../electron/transport/socks5/connector';
import { localAddresses, Socks5Listener } from '../../../../../electron/transport/socks5/listener';
import {
  connectRaw, connectRequest, GREETING_NO_AUTH, METHOD_NO_AUTH, startFlood, type Flood, type HostileKind, type HostileTally, type RawPeer,
} from '../../../../fakes/fakeSocks5Peer';
import { chunkedSource, hashingSink, MIB, randomPayload, settleTcpHandles, sha256, tcpHandleCount, waitFor } from '../../../../support/transportHelpers';

const hashOf = (text: string): string => createHash('sha1').update(text).digest('hex');
const DST = hashOf('sid-1requester@example.com/ferrytarget@example.org/ferry');
const OTHER = hashOf('nobody');
const OTHER_2 = hashOf('nobody either');
const DST_2 = hashOf('sid-2requester@example.com/ferrytarget@example.org/ferry');

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

/** Listens on `port` (0: any) on every address, as the listener does; resolves with the port. */
function occupy(port: number): Promise<{ port: number; close: () => Promise<void> }> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: '::', ipv6Only: false }, () => {
      const address = server.address() as AddressInfo;
      resolve({ port: address.port, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

describe('Socks5Listener port range (settings: SOCKS5 listening ports)', () => {
  it('listens on the first free port of the range, skipping one in use, and says so when none is free', async () => {
    let taken: { port: number; close: () => Promise<void> } | null = null;
    for (let tries = 0; tries < 20 && !taken; tries += 1) {
      const candidate = await occupy(0);
      const next = await occupy(candidate.port + 1).catch(() => null);
      if (next) { await next.close(); taken = candidate; } else await candidate.close();
    }
    expect(taken).not.toBeNull();
    const blocked = taken!;
    try {
      const full = start({ portRange: () => ({ first: blocked.port, last: blocked.port }) });
      await expect(full.expect('a'.repeat(40), { timeoutMs: 1000 })).rejects.toThrow(`no free port from ${blocked.port} to ${blocked.port}`);
      full.dispose();
      const ranged = start({ portRange: () => ({ first: blocked.port, last: blocked.port + 1 }) });
      const expectation = await ranged.expect('b'.repeat(40), { timeoutMs: 1000 });
      expect(expectation.port).toBe(blocked.port + 1);
      expectation.dispose();
    } finally {
      await blocked.close();
    }
  });
});

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

  it('when every handshake slot is taken, drops the oldest unauthenticated handshake and admits the newcomer', async () => {
    const dropped: string[] = [];
    const l = start({ maxHandshakes: 4, onDropped: (r) => dropped.push(r) });
    const expectation = await l.expect(DST, { timeoutMs: 5000 });
    await l.expect(DST_2, { timeoutMs: 5000 }); // keeps listening after the target is served
    const idle: RawPeer[] = [];
    for (let i = 0; i < 4; i += 1) idle.push(await raw(expectation.port));
    await waitFor(() => l.handshakeCount === 4);
    const target = await connectSocks5({ host: '127.0.0.1', port: expectation.port, dstAddr: DST });
    streams.push(target, await expectation.stream);
    expect(await idle[0].closedWithin(500)).toBeLessThan(500);
    expect(dropped).toEqual(['handshake slots full: dropped the oldest']);
    expect(idle.slice(1).map((peer) => peer.isClosed)).toEqual([false, false, false]);
  });

  it('caps handshakes per source address: the oldest from that address goes first', async () => {
    const dropped: string[] = [];
    const l = start({ maxHandshakesPerSource: 3, onDropped: (r) => dropped.push(r) });
    const expectation = await l.expect(DST, { timeoutMs: 5000 });
    const idle: RawPeer[] = [];
    for (let i = 0; i < 4; i += 1) idle.push(await raw(expectation.port));
    expect(await idle[0].closedWithin(500)).toBeLessThan(500);
    await waitFor(() => l.handshakeCount === 3);
    expect(dropped).toEqual(['too many handshakes from one address: dropped the oldest']);
    expect(idle.slice(1).map((peer) => peer.isClosed)).toEqual([false, false, false]);
  });

  it('a full house evicts from the address holding the most slots, not from a quiet one', async () => {
    const l = start({ maxHandshakes: 4 });
    const expectation = await l.expect(DST, { timeoutMs: 5000 });
    const quiet = await connectRaw(expectation.port, '127.0.0.1', '127.0.0.2');
    peers.push(quiet);
    const noisy: RawPeer[] = [];
    for (let i = 0; i < 6; i += 1) noisy.push(await raw(expectation.port));
    await waitFor(() => noisy.filter((peer) => peer.isClosed).length === 3);
    expect(noisy.map((peer) => peer.isClosed)).toEqual([true, true, true, false, false, false]);
    expect(quiet.isClosed).toBe(false);
  });

  it('prefers to evict a handshake without a valid greeting over one that sent it', async () => {
    const l = start({ maxHandshakes: 2 });
    const expectation = await l.expect(DST, { timeoutMs: 5000 });
    const greeted = await raw(expectation.port);
    greeted.write(GREETING_NO_AUTH);
    expect([...(await greeted.read(2))]).toEqual([...METHOD_NO_AUTH]);
    const silent = await raw(expectation.port);
    await waitFor(() => l.handshakeCount === 2);
    const newcomer = await raw(expectation.port);
    expect(await silent.closedWithin(500)).toBeLessThan(500);
    expect([greeted.isClosed, newcomer.isClosed]).toEqual([false, false]);
  });

  it('closes at the first byte that cannot be SOCKS5, without waiting for more (RFC 1928 §3: VER X\'05\')', async () => {
    const expectation = await start().expect(DST, { timeoutMs: 5000 });
    const tls = await raw(expectation.port);
    tls.write(Uint8Array.from([0x16])); // a TLS record's first byte
    const late = await raw(expectation.port);
    late.write(GREETING_NO_AUTH);
    expect([...(await late.read(2))]).toEqual([...METHOD_NO_AUTH]);
    late.write(Uint8Array.from([0x05, 0x01, 0x07])); // reserved octet must be 00
    expect(await tls.closedWithin(500)).toBeLessThan(500);
    expect(await late.closedWithin(500)).toBeLessThan(500);
    expect(late.received().length).toBe(2);
  });

  it('frees the slot of a half-open handshake (greeting, then FIN) at once, and survives resets mid-handshake', async () => {
    const dropped: string[] = [];
    const l = start({ maxHandshakes: 4, onDropped: (r) => dropped.push(r) });
    const expectation = await l.expect(DST, { timeoutMs: 5000 });
    const halfOpen: RawPeer[] = [];
    for (let i = 0; i < 4; i += 1) halfOpen.push(await raw(expectation.port));
    for (const peer of halfOpen) {
      peer.write(GREETING_NO_AUTH);
      peer.socket.end(); // our FIN: the listener (allowHalfOpen) must not wait out the deadline
    }
    await waitFor(() => l.handshakeCount === 0, 1000);
    const resetting: RawPeer[] = [];
    for (let i = 0; i < 4; i += 1) resetting.push(await raw(expectation.port));
    await waitFor(() => l.handshakeCount === 4);
    for (const peer of resetting) peer.socket.resetAndDestroy(); // RST: an 'error' on the listener's socket
    await waitFor(() => l.handshakeCount === 0, 1000);
    expect(dropped.filter((r) => r === 'handshake timeout')).toEqual([]);
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

  it.each([
    ['from the target\'s own address', undefined],
    ['from four other addresses', ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5']],
  ])('serves the real target through a flood of 48 hostile clients at a time %s that began before it connected (issue 7 item 10)', async (_, fromAddresses) => {
    const l = start();
    const expectation = await l.expect(DST, { timeoutMs: 20_000 });
    const keeper = await l.expect(DST_2, { timeoutMs: 20_000 }); // keeps listening until the flood stops
    const flood = startFlood(expectation.port, { concurrency: 48, dstAddr: OTHER, fromAddresses });
    floods.push(flood);
    await waitFor(() => flood.started >= 300, 10_000);
    const target = await connectSocks5({ host: '127.0.0.1', port: expectation.port, dstAddr: DST });
    const requester = await expectation.stream;
    streams.push(target, requester);
    const payload = randomPayload(4 * MIB);
    expect(await transfer(requester, target, payload)).toBe(sha256(payload));
    expectHostileHandled(await flood.stop());
    keeper.dispose();
  }, 30_000);

  it('keeps a live transfer intact and still serves a second target while 48 hostile clients at a time attack the listener', async () => {
    const l = start({ handshakeTimeoutMs: 300 });
    const first = await l.expect(DST, { timeoutMs: 20_000 });
    const second = await l.expect(DST_2, { timeoutMs: 20_000 });
    const keeper = await l.expect(OTHER_2, { timeoutMs: 20_000 }); // keeps listening until the flood stops
    const target = await connectSocks5({ host: '127.0.0.1', port: first.port, dstAddr: DST });
    const requester = await first.stream;
    streams.push(target, requester);
    const flood = startFlood(first.port, { concurrency: 48, dstAddr: OTHER });
    floods.push(flood);
    const payload = randomPayload(16 * MIB);
    const live = transfer(requester, target, payload);
    await waitFor(() => flood.started >= 300, 10_000);
    const secondTarget = await connectSocks5({ host: '127.0.0.1', port: second.port, dstAddr: DST_2 });
    streams.push(secondTarget, await second.stream);
    expect(await live).toBe(sha256(payload));
    const tally = await flood.stop();
    expectHostileHandled(tally);
    keeper.dispose();
    await waitFor(() => !l.isListening);
  }, 30_000);
});

const floods: Flood[] = [];
afterEach(async () => { for (const flood of floods.splice(0)) await flood.stop(); });

/**
 * Every hostile connection was accepted (none refused: the listener was there to judge it) and the
 * listener, not the test, closed each one: garbage and SOCKS4 with no byte sent back (RFC 1928 §3), an
 * unknown DST.ADDR after REP 04 host unreachable, an oversized length after REP 01 (RFC 1928 §6), idle
 * ones by eviction or timeout. No stranger got REP 00.
 */
function expectHostileHandled(tally: Map<HostileKind, HostileTally>): void {
  const expected: Record<HostileKind, RegExp> = {
    garbage: /^$/,
    'wrong-version': /^$/,
    'wrong-dstaddr': new RegExp(`^0500050400032[8]${Buffer.from(OTHER).toString('hex')}0000$`),
    'oversized-length': /^05000501000301300000$/,
    idle: /^$/,
  };
  for (const [kind, entry] of tally) {
    expect({ kind, refused: entry.refused }).toEqual({ kind, refused: 0 });
    expect(entry.accepted).toBeGreaterThanOrEqual(20);
    expect(entry.closedByListener + entry.openAtStop).toBe(entry.accepted);
    expect(entry.openAtStop).toBeLessThanOrEqual(48);
    for (const reply of entry.replies.keys()) expect({ kind, reply }).toEqual({ kind, reply: expect.stringMatching(expected[kind]) });
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
