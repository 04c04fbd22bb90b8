import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import type { TransferId, TransferSummary } from '../../../shared/model/transfer';
import { startBlackHole, type ScriptedServer } from '../../fakes/fakeSocks5Peer';
import { startTestProsody, type LocalProsody } from '../../support/prosody';
import { startSlowRelay, type SlowRelay } from '../../support/tcpTap';
import { waitFor } from '../../support/xmppWaits';
import { LOGOUT_REASON } from '../../../electron/transfer/transferService';
import { closePeer, loginPeer, randomFile, scratchDir, sha256Of, untilOnline, type Peer } from './transferPair';

// Cancels and deaths of Jingle file transfers between two Ferries on a private Prosody: XEP-0166 §6.7
// session-terminate <cancel/> from either side at every stage, a side that vanishes while bytes move, and a
// stalled bytestream. S5B mid-transfer runs through a throttled relay in front of proxy65, so "mid" is real.
const ACCOUNTS: [string, string][] = [['alice', 'alice-pw'], ['bob', 'bob-pw']];
const ALICE = 'alice@localhost/ferry';
const BOB = 'bob@localhost/ferry';
const isEnded = (t: TransferSummary): boolean => ['done', 'failed', 'cancelled', 'declined'].includes(t.state);
const parts = (peer: Peer): string[] => readdirSync(peer.dir).filter((n) => n.endsWith('.part'));
type Options = Parameters<typeof loginPeer>[2];

describe('Jingle cancel, death and stall, Ferry ↔ Ferry (XEP-0166 §6.7, real Prosody)', () => {
  let server: LocalProsody;
  const peers: Peer[] = [];
  const closers: (() => Promise<void>)[] = [];
  const src = scratchDir();

  beforeAll(async () => {
    server = await startTestProsody({ accounts: ACCOUNTS, friends: [['alice', 'bob']], offerTls: false });
  });
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
    await Promise.all(peers.splice(0).map((peer) => closePeer(peer).catch(() => undefined)));
  });
  afterAll(async () => { await server?.stop(); });

  async function pair(aliceOptions: Options = {}, bobOptions: Options = {}) {
    const alice = await loginPeer(server, 'alice', { discoverProxies: false, ...aliceOptions });
    const bob = await loginPeer(server, 'bob', { acceptPolicy: () => 'accept', discoverProxies: false, ...bobOptions });
    peers.push(alice, bob);
    return { alice, bob };
  }

  async function relay(bytesPerSecond: number): Promise<SlowRelay> {
    const slow = await startSlowRelay(server.ports.proxy65, bytesPerSecond);
    closers.push(() => slow.close());
    return slow;
  }

  async function blackHole(): Promise<ScriptedServer> {
    const hole = await startBlackHole();
    closers.push(() => hole.close());
    return hole;
  }

  /** Only alice's proxy candidate, proxy65 behind a relay of `bytesPerSecond`: S5B that takes seconds. */
  async function slowS5bPair(bytesPerSecond: number, aliceOptions: Options = {}, bobOptions: Options = {}) {
    const slow = await relay(bytesPerSecond);
    const proxies = [{ jid: server.proxyJid, host: '127.0.0.1', port: slow.port }];
    const { alice, bob } = await pair({ directAddresses: [], proxies, ...aliceOptions }, { directAddresses: [], ...bobOptions });
    return { alice, bob, slow };
  }

  /** Sends, waits until bob's incoming record satisfies `ready`; returns both ids. */
  async function start(alice: Peer, bob: Peer, path: string, transport: 's5b-proxy' | 'ibb' | 'auto', ready: (t: TransferSummary) => boolean, what: string) {
    const [sent] = await alice.core.handlers['transfer.send']({ to: bob.jid, paths: [path], transport, method: 'jingle' });
    const incoming = await bob.until((t) => t.direction === 'incoming' && (ready(t) || isEnded(t)), 20_000, what);
    expect(isEnded(incoming), JSON.stringify(incoming)).toBe(false);
    return { sentId: sent.id, incoming };
  }

  /** `who` cancels; both end cancelled, the other side reads "cancelled by <who>", within 10 s; no .part on bob's side. */
  async function cancelAndCheck(who: 'sender' | 'receiver', ids: { alice: Peer; bob: Peer; sentId: string; incomingId: string }) {
    const { alice, bob, sentId, incomingId } = ids;
    const started = Date.now();
    if (who === 'sender') alice.core.handlers['transfer.cancel']({ id: sentId as TransferId });
    else bob.core.handlers['transfer.cancel']({ id: incomingId as TransferId });
    const mine = await alice.until((t) => t.id === sentId && isEnded(t), 10_000, 'alice ends');
    const theirs = await bob.until((t) => t.id === incomingId && isEnded(t), 10_000, 'bob ends');
    const context = JSON.stringify({ mine, theirs });
    expect([mine.state, theirs.state], context).toEqual(['cancelled', 'cancelled']);
    expect([mine.method, theirs.method]).toEqual(['jingle', 'jingle']);
    const [canceller, other] = who === 'sender' ? [mine, theirs] : [theirs, mine];
    expect(canceller.reason).toBe('cancelled');
    expect(other.reason).toBe(`cancelled by ${who === 'sender' ? ALICE : BOB}`);
    expect(theirs.path).toBeNull();
    expect(Date.now() - started).toBeLessThan(10_000);
    await waitFor(() => parts(bob).length === 0, 3000, 'no .part left').catch(() => undefined);
    expect(readdirSync(bob.dir)).toEqual([]);
    return { mine, theirs };
  }

  it('the sender cancels an unanswered offer: session-terminate <cancel/>, the receiver\'s offer ends "cancelled by <sender>" (XEP-0166 §6.7)', async () => {
    const { alice, bob } = await pair({}, { acceptPolicy: () => 'ask' });
    const file = randomFile(src, 'offered-sender.bin', 64 * 1024);
    const { sentId, incoming } = await start(alice, bob, file.path, 'auto', (t) => t.state === 'offered', 'bob sees the offer');
    await cancelAndCheck('sender', { alice, bob, sentId, incomingId: incoming.id });
    expect(() => bob.core.handlers['transfer.accept']({ id: incoming.id })).toThrow(/cancelled/);
  });

  // A receiver's cancel of an offer it never answered is its refusal: Ferry sends <decline/> (as for SI), so
  // both sides read declined rather than cancelled.
  it('the receiver cancels an unanswered offer: it is a decline on both sides (XEP-0166 §6.7 reason decline)', async () => {
    const { alice, bob } = await pair({}, { acceptPolicy: () => 'ask' });
    const file = randomFile(src, 'offered-receiver.bin', 64 * 1024);
    const { sentId, incoming } = await start(alice, bob, file.path, 'auto', (t) => t.state === 'offered', 'bob sees the offer');
    bob.core.handlers['transfer.cancel']({ id: incoming.id });
    const mine = await alice.until((t) => t.id === sentId && isEnded(t), 10_000, 'alice ends');
    const theirs = await bob.until((t) => t.id === incoming.id && isEnded(t), 10_000, 'bob ends');
    expect([mine.state, theirs.state]).toEqual(['declined', 'declined']);
    expect(mine.reason).toBe(`declined by ${BOB}`);
    expect(readdirSync(bob.dir)).toEqual([]);
  });

  it.each(['sender', 'receiver'] as const)('a cancel by the %s while S5B candidates are still being tried ends both sides cancelled (XEP-0260 §2.3, XEP-0166 §6.7)', async (who) => {
    // Alice offers one proxy candidate that accepts TCP and never speaks; bob waits up to 30 s on it.
    const hole = await blackHole();
    const { alice, bob } = await pair(
      { directAddresses: [], proxies: [{ jid: 'hole.localhost', host: '127.0.0.1', port: hole.port }] },
      { directAddresses: [], timings: { s5bConnectTimeoutMs: 30_000 } },
    );
    const file = randomFile(src, `negotiating-${who}.bin`, 256 * 1024);
    const { sentId, incoming } = await start(alice, bob, file.path, 'auto', (t) => t.state === 'connecting', 'bob accepted');
    await waitFor(() => hole.peers.length > 0, 10_000, 'bob connects to the black hole');
    expect(alice.latest(sentId)?.state).toBe('connecting');
    const { theirs } = await cancelAndCheck(who, { alice, bob, sentId, incomingId: incoming.id });
    expect(theirs.bytes).toBe(0);
    expect(theirs.transport).toBeNull();
    // The attempt on the black hole is given up, not left running for its 30 s.
    await waitFor(() => hole.peers.every((p) => p.isClosed), 5000, 'bob closes its connection to the black hole');
  });

  it.each([
    ['sender', 's5b-proxy'], ['receiver', 's5b-proxy'], ['sender', 'ibb'], ['receiver', 'ibb'],
  ] as const)('a mid-transfer cancel by the %s over %s: both cancelled, "cancelled by <peer>", no .part (XEP-0166 §6.7)', async (who, transport) => {
    const { alice, bob } = transport === 'ibb' ? await pair() : await slowS5bPair(1024 * 1024);
    const size = transport === 'ibb' ? 8 * 1024 * 1024 : 16 * 1024 * 1024;
    const file = randomFile(src, `mid-${who}-${transport}.bin`, size);
    const { sentId, incoming } = await start(alice, bob, file.path, transport, (t) => t.state === 'transferring' && t.bytes > 0, 'bytes moving');
    expect(incoming.transport).toBe(transport);
    const { mine, theirs } = await cancelAndCheck(who, { alice, bob, sentId, incomingId: incoming.id });
    expect(theirs.bytes).toBeLessThan(size);
    expect(mine.bytes).toBeLessThan(size);
  });

  it.each([
    ['receiver', 's5b-proxy'], ['sender', 's5b-proxy'], ['receiver', 'ibb'], ['sender', 'ibb'],
  ] as const)('the %s\'s Ferry shuts down mid-transfer over %s: the other side fails with a reason within 15 s', async (who, transport) => {
    const timings = { offlineGraceMs: 2000, stallTimeoutMs: 5000 };
    const { alice, bob } = transport === 'ibb' ? await pair({ timings }, { timings }) : await slowS5bPair(1024 * 1024, { timings }, { timings });
    const size = 16 * 1024 * 1024;
    const file = randomFile(src, `killed-${who}-${transport}.bin`, size);
    const { sentId, incoming } = await start(alice, bob, file.path, transport, (t) => t.state === 'transferring' && t.bytes > 0, 'bytes moving');
    const [dying, survivor, survivorId] = who === 'receiver' ? [bob, alice, sentId] : [alice, bob, incoming.id];
    const started = Date.now();
    await dying.core.dispose();
    const seen = await survivor.until((t) => t.id === survivorId && isEnded(t), 15_000, 'the survivor ends');
    expect(seen.state, JSON.stringify(seen)).toBe('failed');
    expect(seen.reason).toBeTruthy();
    expect(seen.bytes).toBeLessThan(size);
    expect(Date.now() - started).toBeLessThan(15_000);
    // A failed incoming transfer keeps its .part and sidecar for a resume (resume.test.ts).
    if (who === 'sender') {
      const name = `killed-${who}-${transport}.bin`;
      await waitFor(() => readdirSync(bob.dir).length === 2, 3000, 'bob keeps the .part').catch(() => undefined);
      expect(readdirSync(bob.dir).sort()).toEqual([`${name}.part`, `${name}.part.ferry.json`]);
    }
  });

  // Issue #10: a logout is not a cancel of what was received. The sender is still told who ended it
  // (session-terminate <cancel/>), but the receiver keeps its .part, as at a quit; here without a data folder
  // (nothing lists it interrupted later), so its card stays failed and the next offer of the file continues it.
  it('a logout of the receiver mid-transfer over IBB: the sender ends "cancelled by bob" (XEP-0166 §6.7 cancel), bob keeps the .part and the next offer resumes it (XEP-0234 §7)', async () => {
    const timings = { offlineGraceMs: 2000, stallTimeoutMs: 5000 };
    const { alice, bob } = await pair({ timings }, { timings });
    const file = randomFile(src, 'logout.bin', 16 * 1024 * 1024);
    const { sentId, incoming } = await start(alice, bob, file.path, 'ibb', (t) => t.state === 'transferring' && t.bytes > 0, 'bytes moving');
    const started = Date.now();
    await bob.core.handlers['session.logout']();
    // Bob's own side ended before the logout returned, and the sender was told who ended it.
    const theirs = await bob.until((t) => t.id === incoming.id && isEnded(t), 1000, 'bob ends');
    expect([theirs.state, theirs.reason], JSON.stringify(theirs)).toEqual(['failed', LOGOUT_REASON]);
    const mine = await alice.until((t) => t.id === sentId && isEnded(t), 15_000, 'alice ends');
    expect([mine.state, mine.reason], JSON.stringify(mine)).toEqual(['cancelled', expect.stringMatching(/^cancelled by bob@localhost/)]);
    expect(Date.now() - started).toBeLessThan(15_000);
    // The .part and its sidecar were kept before the logout returned.
    expect(readdirSync(bob.dir).sort()).toEqual(['logout.bin.part', 'logout.bin.part.ferry.json']);
    await bob.core.handlers['session.login']({ jid: 'bob@localhost', password: 'bob-pw', service: server.service, resource: 'ferry', allowPlaintext: true });
    await untilOnline(alice, 'bob@localhost');
    await alice.core.handlers['transfer.send']({ to: BOB, paths: [file.path], transport: 'ibb', method: 'jingle' });
    const again = await bob.until((t) => t.direction === 'incoming' && t.id !== incoming.id && isEnded(t), 60_000, 'bob receives it again');
    expect([again.state, again.hash], JSON.stringify(again.attempts)).toEqual(['done', 'verified']);
    expect(again.resumedFrom).toBeGreaterThan(0);
    expect(sha256Of(again.path!)).toBe(file.sha256);
  }, 90_000);

  it.each(['receiver', 'sender'] as const)('a stalled S5B stream fails on the %s with the stall reason, and the other side is told (XEP-0166 §6.7 connectivity-error)', async (who) => {
    const stall = { stallTimeoutMs: 1500 };
    const { alice, bob, slow } = await slowS5bPair(1024 * 1024, who === 'sender' ? { timings: stall } : {}, who === 'receiver' ? { timings: stall } : {});
    const size = 32 * 1024 * 1024;
    const file = randomFile(src, `stall-${who}.bin`, size);
    const { sentId, incoming } = await start(alice, bob, file.path, 's5b-proxy', (t) => t.state === 'transferring' && t.bytes > 0, 'bytes moving');
    slow.freeze();
    const frozenAt = Date.now();
    const [watcher, other, watcherId, otherId, watcherJid] = who === 'receiver'
      ? [bob, alice, incoming.id, sentId, BOB] : [alice, bob, sentId, incoming.id, ALICE];
    const stalled = await watcher.until((t) => t.id === watcherId && isEnded(t), 20_000, 'the watchdog fires');
    expect(stalled.state, JSON.stringify(stalled)).toBe('failed');
    expect(stalled.reason).toMatch(/no data for 1\.5 s: the connection stalled$/);
    expect(Date.now() - frozenAt).toBeLessThan(15_000);
    const told = await other.until((t) => t.id === otherId && isEnded(t), 10_000, 'the other side ends');
    expect(told.state).toBe('failed');
    expect(told.reason).toContain(watcherJid);
    expect(told.reason).toContain('stalled');
    // Both ends failed: the receiver keeps its .part and sidecar for a resume (resume.test.ts).
    await waitFor(() => readdirSync(bob.dir).length === 2, 3000, 'bob keeps the .part').catch(() => undefined);
    expect(readdirSync(bob.dir).sort()).toEqual([`stall-${who}.bin.part`, `stall-${who}.bin.part.ferry.json`]);
  });
});
