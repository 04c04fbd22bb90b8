import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { readdirSync } from 'node:fs';
import { startTestProsody, type LocalProsody } from '../../support/prosody';
import { freePort } from '../../../scripts/lib/localProsody.mjs';
import { closePeer, loginPeer, randomFile, scratchDir, sha256Of, type Peer } from './transferPair';
import type { CoreOptions } from '../../../electron/app/createCore';

const ACCOUNTS: [string, string][] = [['alice', 'alice-pw'], ['bob', 'bob-pw']];
const ended = (t: { state: string }) => ['done', 'failed', 'cancelled', 'declined'].includes(t.state);

describe('SI transfers that go wrong, Ferry ↔ Ferry (real Prosody)', () => {
  let server: LocalProsody;
  const peers: Peer[] = [];
  const servers: Server[] = [];
  const sockets: Socket[] = [];
  const src = scratchDir();

  beforeAll(async () => {
    server = await startTestProsody({ accounts: ACCOUNTS, friends: [['alice', 'bob']], offerTls: false });
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
    await Promise.all(peers.splice(0).map(closePeer));
  });
  afterAll(async () => { await server?.stop(); });

  async function pair(alice: CoreOptions['transfers'] = {}, bob: CoreOptions['transfers'] = {}) {
    const a = await loginPeer(server, 'alice', alice);
    const b = await loginPeer(server, 'bob', { acceptPolicy: () => 'accept', ...bob });
    peers.push(a, b);
    return { alice: a, bob: b };
  }

  /** A server that accepts TCP connections and never says a word (a black-holed streamhost). */
  async function blackHole(): Promise<number> {
    const hole = createServer((socket) => { sockets.push(socket); });
    servers.push(hole);
    await new Promise<void>((r) => hole.listen(0, '127.0.0.1', r));
    return (hole.address() as { port: number }).port;
  }

  it('carries data in <message/> stanzas when asked (XEP-0047 §4)', async () => {
    const { alice, bob } = await pair();
    const file = randomFile(src, 'msg.bin', 200 * 1024 + 5);
    await alice.core.handlers['transfer.send']({ to: bob.jid, paths: [file.path], transport: 'ibb', ibbStanza: 'message' });
    const got = await bob.until((t) => ended(t), 30_000);
    expect([got.state, got.transport, got.reason]).toEqual(['done', 'ibb', null]);
    expect(sha256Of(got.path!)).toBe(file.sha256);
  });

  it('falls back to IBB on the same sid within seconds when every streamhost is dead or black-holed (seed 001, XEP-0065 §5.3.3)', async () => {
    const dead = await freePort();
    const hole = await blackHole();
    const { alice, bob } = await pair({
      directAddresses: [], discoverProxies: false,
      proxies: [{ jid: 'dead.localhost', host: '127.0.0.1', port: dead }, { jid: 'hole.localhost', host: '127.0.0.1', port: hole }],
    });
    const file = randomFile(src, 'fallback.bin', 300 * 1024);
    const started = Date.now();
    const [sent] = await alice.core.handlers['transfer.send']({ to: bob.jid, paths: [file.path] });
    const got = await bob.until((t) => ended(t), 30_000);
    expect([got.state, got.transport]).toEqual(['done', 'ibb']);
    expect(sha256Of(got.path!)).toBe(file.sha256);
    const failures = got.attempts.filter((a) => a.outcome === 'failed').map((a) => a.detail);
    expect(failures.some((d) => d.startsWith('dead.localhost'))).toBe(true);
    expect(failures.some((d) => d.startsWith('hole.localhost'))).toBe(true);
    const mine = await alice.until((t) => t.id === sent.id && ended(t), 30_000);
    expect(mine.state).toBe('done');
    expect(mine.attempts.map((a) => [a.transport, a.outcome])).toContainEqual(['ibb', 'succeeded']);
    expect(mine.attempts.some((a) => a.detail === 's5b' && a.outcome === 'failed')).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('ends as declined on both sides when the receiver declines (XEP-0095 §3.2)', async () => {
    const { alice, bob } = await pair({}, { acceptPolicy: () => 'decline' });
    const file = randomFile(src, 'no.bin', 1000);
    const [sent] = await alice.core.handlers['transfer.send']({ to: bob.jid, paths: [file.path] });
    const mine = await alice.until((t) => t.id === sent.id && ended(t));
    expect(mine.state).toBe('declined');
    expect(mine.reason).toMatch(/declined/);
    expect((await bob.until((t) => ended(t))).state).toBe('declined');
    expect(readdirSync(bob.dir)).toEqual([]);
  });

  it('asks the receiver, and an accept into a chosen folder delivers there', async () => {
    const { alice, bob } = await pair({}, { acceptPolicy: () => 'ask' });
    const file = randomFile(src, 'ask.bin', 4096);
    await alice.core.handlers['transfer.send']({ to: bob.jid, paths: [file.path], transport: 'ibb' });
    const offer = await bob.until((t) => t.state === 'offered');
    expect(offer.file).toMatchObject({ name: 'ask.bin', size: 4096 });
    const chosen = scratchDir();
    bob.core.handlers['transfer.accept']({ id: offer.id, dir: chosen });
    const got = await bob.until((t) => ended(t));
    expect(got.path?.startsWith(chosen)).toBe(true);
    expect(sha256Of(got.path!)).toBe(file.sha256);
  });

  it.each(['sender', 'receiver'] as const)('cancels mid-transfer from the %s: both sides end, no .part is left', async (who) => {
    const { alice, bob } = await pair();
    const file = randomFile(src, `cancel-${who}.bin`, 8 * 1024 * 1024);
    const [sent] = await alice.core.handlers['transfer.send']({ to: bob.jid, paths: [file.path], transport: 'ibb' });
    const moving = await bob.until((t) => t.state === 'transferring' && t.bytes > 0, 20_000);
    if (who === 'sender') alice.core.handlers['transfer.cancel']({ id: sent.id });
    else bob.core.handlers['transfer.cancel']({ id: moving.id });
    const mine = await alice.until((t) => t.id === sent.id && ended(t));
    const theirs = await bob.until((t) => ended(t));
    expect(who === 'sender' ? mine.state : theirs.state).toBe('cancelled');
    expect(['failed', 'cancelled']).toContain(who === 'sender' ? theirs.state : mine.state);
    expect((who === 'sender' ? theirs : mine).reason).toBeTruthy();
    expect(readdirSync(bob.dir)).toEqual([]);
  });

  it('fails with a reason when the receiving peer vanishes mid-transfer', async () => {
    const { alice, bob } = await pair();
    const file = randomFile(src, 'vanish.bin', 8 * 1024 * 1024);
    const [sent] = await alice.core.handlers['transfer.send']({ to: bob.jid, paths: [file.path], transport: 'ibb' });
    await bob.until((t) => t.state === 'transferring' && t.bytes > 0, 20_000);
    await bob.core.dispose();
    const mine = await alice.until((t) => t.id === sent.id && ended(t), 30_000);
    expect(mine.state).toBe('failed');
    expect(mine.reason).toMatch(/offline|broke|closed|unavailable/);
  });

  it('keeps a live S5B transfer intact while a hostile client hammers the listener', async () => {
    const { alice, bob } = await pair();
    const file = randomFile(src, 'hammer.bin', 24 * 1024 * 1024);
    const [sent] = await alice.core.handlers['transfer.send']({ to: bob.jid, paths: [file.path], transport: 's5b-direct' });
    const offered = await alice.until((t) => t.id === sent.id && t.attempts.some((a) => a.detail.startsWith('offered')));
    const port = Number(/127\.0\.0\.1:(\d+)/.exec(offered.attempts.find((a) => a.detail.startsWith('offered'))!.detail)![1]);
    const garbage = [Buffer.from([0x04, 0x01, 0, 80, 1, 2, 3, 4, 0]), Buffer.from([0x05, 0x01, 0x02]), Buffer.from('GET / HTTP/1.0\r\n\r\n')];
    for (let i = 0; i < 120; i += 1) {
      const socket = connect({ host: '127.0.0.1', port });
      socket.on('error', () => undefined);
      socket.on('connect', () => socket.write(garbage[i % garbage.length]));
      sockets.push(socket);
    }
    const got = await bob.until((t) => ended(t), 30_000);
    expect([got.state, got.transport]).toEqual(['done', 's5b-direct']);
    expect(sha256Of(got.path!)).toBe(file.sha256);
  });
});
