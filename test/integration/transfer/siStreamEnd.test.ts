import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { xml } from '@xmpp/client';
import { startTestProsody, type LocalProsody } from '../../support/prosody';
import { closePeer, loginPeer, randomFile, scratchDir, type Peer } from './transferPair';
import { NS_BS, NS_IBB, scriptedPeer, type ScriptedPeer } from './scriptedPeer';
import type { ByteStream } from '../../../electron/transport/byteStream';
import type { TransferSummary } from '../../../shared/model/transfer';

// Issue 7 items 1-4: the bytestream, not presence, decides how a transfer ends, and it ends truthfully
// when the sender sends more or fewer bytes than it offered, stalls, or the receiver resets the stream.
const ended = (t: TransferSummary): boolean => ['done', 'failed', 'cancelled', 'declined'].includes(t.state);
const STALL_MS = 1000;

describe('SI: how the bytestream ends decides the transfer (real Prosody, scripted peer)', () => {
  let server: LocalProsody;
  const ferries: Peer[] = [];
  const raws: ScriptedPeer[] = [];
  const src = scratchDir();

  beforeAll(async () => {
    server = await startTestProsody({ accounts: [['alice', 'alice-pw'], ['carol', 'carol-pw']], offerTls: false });
  });
  afterEach(async () => {
    await Promise.all(raws.splice(0).map((raw) => raw.stop()));
    await Promise.all(ferries.splice(0).map(closePeer));
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(src, { recursive: true, force: true });
  });

  async function setup(): Promise<{ alice: Peer; carol: ScriptedPeer }> {
    const alice = await loginPeer(server, 'alice', { acceptPolicy: () => 'accept', discoverProxies: false, timings: { stallTimeoutMs: STALL_MS } });
    ferries.push(alice);
    const carol = await scriptedPeer(server);
    raws.push(carol);
    return { alice, carol };
  }

  const incoming = (alice: Peer, timeoutMs = 15_000): Promise<TransferSummary> =>
    alice.until((t) => t.direction === 'incoming' && ended(t), timeoutMs, 'alice ends the incoming transfer');

  it('a S5B sender that logs off before its last bytes arrive still delivers the file: presence is not the stream', async () => {
    const { alice, carol } = await setup();
    const data = randomBytes(2 * 1024 * 1024 + 17);
    // Directed presence (RFC 6121 §4.6): the server then tells alice when carol goes offline.
    await carol.xmpp.send(xml('presence', { to: alice.jid }));
    const sid = await carol.offer(alice.jid, 'tail.bin', data.length, [NS_BS]);
    const socket = await carol.s5bConnected(alice.jid, sid);
    const half = data.length >> 1;
    socket.write(data.subarray(0, half));
    // The sender's unavailable presence reaches Ferry while the tail is still on its way (in a proxy,
    // or in the sender's kernel buffers): slixmpp-based senders and `ferry send` via ejabberd do this.
    await carol.xmpp.stop();
    await new Promise((r) => setTimeout(r, 300));
    socket.end(data.subarray(half));
    const got = await incoming(alice);
    expect(alice.updates.some((t) => t.state === 'transferring' && t.bytes < data.length)).toBe(true);
    expect([got.state, got.reason, got.transport]).toEqual(['done', null, 's5b-direct']);
    expect(readFileSync(got.path!).equals(data)).toBe(true);
  });

  it('a S5B sender that logs off and then sends nothing more fails "went offline" after timings.offlineGraceMs, before the stall watchdog', async () => {
    const alice = await loginPeer(server, 'alice', { acceptPolicy: () => 'accept', discoverProxies: false, timings: { stallTimeoutMs: 30_000, offlineGraceMs: 1000 } });
    ferries.push(alice);
    const carol = await scriptedPeer(server);
    raws.push(carol);
    await carol.xmpp.send(xml('presence', { to: alice.jid }));
    const size = 512 * 1024;
    const sid = await carol.offer(alice.jid, 'gone.bin', size, [NS_BS]);
    const socket = await carol.s5bConnected(alice.jid, sid);
    socket.write(randomBytes(size / 2));
    await alice.until((t) => t.direction === 'incoming' && t.state === 'transferring', 5000, 'transferring');
    const offlineAt = Date.now();
    await carol.xmpp.stop();
    const got = await incoming(alice, 10_000);
    expect([got.state, got.reason]).toEqual(['failed', `${carol.jid} went offline`]);
    expect(Date.now() - offlineAt).toBeLessThan(5000);
    await expect.poll(() => readdirSync(alice.dir), { timeout: 2000 }).toEqual([]);
  });

  it('S5B: a sender that sends more than it offered fails "sent more than the N bytes it announced", and no .part stays', async () => {
    const { alice, carol } = await setup();
    const size = 256 * 1024;
    const sid = await carol.offer(alice.jid, 'more.bin', size, [NS_BS]);
    const socket = await carol.s5bConnected(alice.jid, sid);
    socket.end(randomBytes(2 * size));
    const got = await incoming(alice);
    expect([got.state, got.reason]).toEqual(['failed', `the sender sent more than the ${size} bytes it announced`]);
    expect(got.path).toBeNull();
    await expect.poll(() => readdirSync(alice.dir), { timeout: 2000 }).toEqual([]);
    // The socket was closed by Ferry: the sender sees its end.
    await expect.poll(() => socket.destroyed || socket.readableEnded, { timeout: 2000 }).toBe(true);
  });

  it('IBB (XEP-0047): a sender that sends more than it offered fails the same way instead of keeping the first N bytes', async () => {
    const { alice, carol } = await setup();
    const size = 64 * 1024;
    const sid = await carol.offer(alice.jid, 'more-ibb.bin', size, [NS_IBB]);
    await carol.ibbSend(alice.jid, sid, randomBytes(2 * size));
    const got = await incoming(alice);
    expect([got.state, got.reason]).toEqual(['failed', `the sender sent more than the ${size} bytes it announced`]);
    await expect.poll(() => readdirSync(alice.dir), { timeout: 2000 }).toEqual([]);
  });

  it('S5B: a sender that closes early fails "the stream closed after N of M bytes", not with a presence reason', async () => {
    const { alice, carol } = await setup();
    const size = 256 * 1024;
    const sid = await carol.offer(alice.jid, 'fewer.bin', size, [NS_BS]);
    const socket = await carol.s5bConnected(alice.jid, sid);
    socket.end(randomBytes(size - 1000));
    await carol.xmpp.stop();
    const got = await incoming(alice);
    expect(got.state).toBe('failed');
    expect(got.reason).toMatch(new RegExp(`^the stream closed after ${size - 1000} of ${size} bytes`));
    await expect.poll(() => readdirSync(alice.dir), { timeout: 2000 }).toEqual([]);
  });

  it('a stalled S5B stream (no byte for timings.stallTimeoutMs) fails with that reason instead of "transferring" forever', async () => {
    const { alice, carol } = await setup();
    const size = 256 * 1024;
    const sid = await carol.offer(alice.jid, 'stall.bin', size, [NS_BS]);
    const socket = await carol.s5bConnected(alice.jid, sid);
    socket.write(randomBytes(size / 2));
    const started = Date.now();
    const got = await incoming(alice, 10_000);
    expect(got.state).toBe('failed');
    expect(got.reason).toBe('no data for 1 s: the connection stalled');
    expect(Date.now() - started).toBeLessThan(STALL_MS * 4);
    await expect.poll(() => readdirSync(alice.dir), { timeout: 2000 }).toEqual([]);
  });

  it('a stalled IBB stream fails the same way', async () => {
    const { alice, carol } = await setup();
    const sid = await carol.offer(alice.jid, 'stall-ibb.bin', 64 * 1024, [NS_IBB]);
    // Opens and sends one block, then nothing (no more data, no <close/>).
    expect(await carol.ibbSend(alice.jid, sid, randomBytes(4096), { close: false })).toBe(1);
    const got = await incoming(alice, 10_000);
    expect([got.state, got.reason]).toEqual(['failed', 'no data for 1 s: the connection stalled']);
  });

  it('Ferry as S5B sender: a receiver that resets the stream after the last byte makes the transfer failed, not done', async () => {
    const { alice, carol } = await setup();
    const file = randomFile(src, 'reset.bin', 1024 * 1024 + 3);
    const streams: ByteStream[] = [];
    carol.receiveS5b((stream, size) => {
      streams.push(stream);
      let got = 0;
      const sink = new Writable({ write(chunk: Buffer, _e, cb) { got += chunk.length; cb(); } });
      // Reads every byte and the sender's FIN, then resets instead of closing (disk full, failed commit).
      void stream.pipeTo(sink).then(() => { if (got === size) stream.fail('receiver could not store the file'); }, () => undefined);
    });
    const [started] = await alice.core.handlers['transfer.send']({ method: 'si', to: carol.jid, paths: [file.path], transport: 's5b-direct' });
    const sent = await alice.until((t) => t.id === started.id && ended(t), 15_000, 'alice ends the outgoing transfer');
    expect(streams).toHaveLength(1);
    expect(sent.state, JSON.stringify(sent.attempts)).toBe('failed');
    expect(sent.reason).toMatch(/ECONNRESET|reset|closed before/);
  });

  it.each([
    [true, 'delivered'],
    [false, 'sent'],
  ])('IBB in <message/> (XEP-0047 §4): the receiver answering <close/> = %s → the sender says "%s"', async (answerClose, word) => {
    const alice = await loginPeer(server, 'alice', { discoverProxies: false, timings: { ibbAckTimeoutMs: 3000 } });
    ferries.push(alice);
    const carol = await scriptedPeer(server);
    raws.push(carol);
    const inbox = carol.receiveIbb({ answerClose });
    const file = randomFile(src, `msg-${word}.bin`, 40 * 1024 + 1);
    const [started] = await alice.core.handlers['transfer.send']({ method: 'si', to: carol.jid, paths: [file.path], transport: 'ibb', ibbStanza: 'message' });
    const sent = await alice.until((t) => t.id === started.id && ended(t), 15_000, 'alice ends the outgoing transfer');
    expect(sent.state, `${sent.reason} ${JSON.stringify(sent.attempts)}`).toBe('done');
    expect(inbox.bytes(), JSON.stringify(sent.attempts)).toBe(40 * 1024 + 1);
    const evidence = sent.attempts.filter((a) => /^(sent|delivered):/.test(a.detail));
    expect(evidence.map((a) => a.detail.split(':')[0]), JSON.stringify(sent.attempts)).toEqual([word]);
    // The summary stays plain JSON.
    expect(JSON.parse(JSON.stringify(sent))).toEqual(sent);
  });

  it('Ferry as S5B sender: a receiver that connects and then reads nothing fails the transfer on the stall watchdog', async () => {
    const { alice, carol } = await setup();
    // Bigger than what the loopback socket buffers hold, so the writes stop.
    const file = randomFile(src, 'unread.bin', 64 * 1024 * 1024);
    const streams: ByteStream[] = [];
    carol.receiveS5b((stream) => { streams.push(stream); });
    const [started] = await alice.core.handlers['transfer.send']({ method: 'si', to: carol.jid, paths: [file.path], transport: 's5b-direct' });
    const sent = await alice.until((t) => t.id === started.id && ended(t), 15_000, 'alice ends the outgoing transfer');
    for (const stream of streams) stream.dispose();
    expect(sent.state).toBe('failed');
    expect(sent.reason, JSON.stringify(sent.attempts)).toMatch(/no data for 1 s: the connection stalled/);
    expect(sent.bytes).toBeLessThan(64 * 1024 * 1024);
  });
});
