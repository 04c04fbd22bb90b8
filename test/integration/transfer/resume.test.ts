import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openSync, readdirSync, readSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import type { TransferSummary } from '../../../shared/model/transfer';
import { startTestProsody, type LocalProsody } from '../../support/prosody';
import { waitFor } from '../../support/xmppWaits';
import { closePeer, loginPeer, randomFile, scratchDir, sha256Of, type Peer } from './transferPair';

const ACCOUNTS: [string, string][] = [['alice', 'alice-pw'], ['bob', 'bob-pw']];
const ended = (t: TransferSummary): boolean => ['done', 'failed', 'cancelled', 'declined'].includes(t.state);
/** Large enough that IBB on loopback is still moving it when the test interrupts; ≤ 64 MiB, so the offer carries its hash. */
const SIZE = 32 * 1024 * 1024 + 13;
/** Bytes the receiver must have before the test interrupts. */
const INTERRUPT_AFTER = 512 * 1024;
type Method = 'si' | 'jingle';

describe('resuming an interrupted incoming file (XEP-0096 §3 ranges, XEP-0234 §7 ranged transfers; real Prosody)', () => {
  let server: LocalProsody;
  const peers: Peer[] = [];
  const src = scratchDir();

  beforeAll(async () => {
    server = await startTestProsody({ accounts: ACCOUNTS, friends: [['alice', 'bob']], offerTls: false });
  });
  afterEach(async () => { await Promise.all(peers.splice(0).map(closePeer)); });
  afterAll(async () => { await server?.stop(); });

  async function login(user: 'alice' | 'bob', dir?: string): Promise<Peer> {
    const peer = await loginPeer(server, user, { discoverProxies: false, ...(user === 'bob' ? { acceptPolicy: () => 'accept' as const } : {}) }, { dir });
    peers.push(peer);
    return peer;
  }

  const leftovers = (dir: string): string[] => readdirSync(dir).filter((n) => n.endsWith('.part') || n.endsWith('.ferry.json')).sort();

  /** Starts `name` over IBB (slow enough to interrupt) and waits until the receiver has some of it. */
  async function startSlow(alice: Peer, bob: Peer, method: Method, name: string) {
    const file = randomFile(src, name, SIZE);
    const [sent] = await alice.core.handlers['transfer.send']({ to: bob.jid, paths: [file.path], method, transport: 'ibb' });
    const incoming = await bob.until((t) => t.direction === 'incoming' && t.state === 'transferring' && t.bytes >= INTERRUPT_AFTER, 30_000, 'bytes flowing');
    expect(incoming.bytes, 'the transfer must still be under way when interrupted').toBeLessThan(SIZE);
    return { file, sent, incoming };
  }

  /** The same file again (any transport), and both ends of it. */
  async function sendAgain(alice: Peer, bob: Peer, method: Method, path: string) {
    const before = new Set(bob.updates.map((t) => t.id));
    const [sent] = await alice.core.handlers['transfer.send']({ to: bob.jid, paths: [path], method });
    const received = await bob.until((t) => t.direction === 'incoming' && !before.has(t.id) && ended(t), 60_000, 'bob ends the second transfer');
    const done = await alice.until((t) => t.id === sent.id && ended(t), 60_000, 'alice ends the second transfer');
    return { sent: done, received };
  }

  /** A receiver that shut down mid-transfer: its .part and sidecar stay; returns the restarted receiver. */
  async function interruptByReceiver(method: Method, name: string) {
    const alice = await login('alice');
    const bob = await login('bob');
    const { file, sent } = await startSlow(alice, bob, method, name);
    await bob.core.dispose();
    expect(leftovers(bob.dir)).toEqual([`${name}.part`, `${name}.part.ferry.json`]);
    const first = await alice.until((t) => t.id === sent.id && ended(t), 40_000, 'alice ends the interrupted transfer');
    expect(first.state).toBe('failed');
    const restarted = await login('bob', bob.dir);
    return { alice, bob: restarted, file };
  }

  it.each<Method>(['si', 'jingle'])('a receiver shut down mid-transfer resumes over %s from its kept .part; the whole file is verified', async (method) => {
    const name = `resume-receiver-${method}.bin`;
    const { alice, bob, file } = await interruptByReceiver(method, name);
    const { sent, received } = await sendAgain(alice, bob, method, file.path);
    expect([received.state, received.reason], JSON.stringify(received.attempts)).toEqual(['done', null]);
    expect(received.resumedFrom).toBeGreaterThan(0);
    expect(received.resumedFrom).toBeLessThan(SIZE);
    expect(received).toMatchObject({ method, hash: 'verified', sha256: file.sha256 });
    expect(sha256Of(received.path!)).toBe(file.sha256);
    expect(received.attempts).toContainEqual(expect.objectContaining({ detail: expect.stringMatching(/^resuming .* at byte \d+ of \d+/) }));
    expect([sent.state, sent.resumedFrom], JSON.stringify(sent.attempts)).toEqual(['done', received.resumedFrom]);
    expect(leftovers(bob.dir)).toEqual([]);
  });

  it.each<Method>(['si', 'jingle'])('a sender shut down mid-transfer over %s leaves the receiver a .part that the next offer resumes', async (method) => {
    const name = `resume-sender-${method}.bin`;
    const alice = await login('alice');
    const bob = await login('bob');
    const { file, incoming } = await startSlow(alice, bob, method, name);
    await alice.core.dispose();
    const broken = await bob.until((t) => t.id === incoming.id && ended(t), 40_000, 'bob ends the interrupted transfer');
    expect(broken.state, broken.reason ?? '').toBe('failed');
    await waitFor(() => leftovers(bob.dir).length === 2, 5_000, 'the .part and its sidecar');
    expect(leftovers(bob.dir)).toEqual([`${name}.part`, `${name}.part.ferry.json`]);
    const alice2 = await login('alice');
    const { sent, received } = await sendAgain(alice2, bob, method, file.path);
    expect([received.state, received.hash, received.sha256], JSON.stringify(received.attempts)).toEqual(['done', 'verified', file.sha256]);
    expect(received.resumedFrom).toBeGreaterThan(0);
    expect(sent.resumedFrom).toBe(received.resumedFrom);
    expect(sha256Of(received.path!)).toBe(file.sha256);
  });

  it.each<Method>(['si', 'jingle'])('a transfer the receiver cancels over %s leaves no .part, and the next offer starts from byte 0', async (method) => {
    const name = `resume-cancelled-${method}.bin`;
    const alice = await login('alice');
    const bob = await login('bob');
    const { file, incoming } = await startSlow(alice, bob, method, name);
    bob.core.handlers['transfer.cancel']({ id: incoming.id });
    await bob.until((t) => t.id === incoming.id && t.state === 'cancelled', 10_000, 'bob cancelled');
    await waitFor(() => leftovers(bob.dir).length === 0, 5_000, 'the .part deleted');
    const { sent, received } = await sendAgain(alice, bob, method, file.path);
    expect([received.state, received.resumedFrom, received.sha256]).toEqual(['done', null, file.sha256]);
    expect(sent.resumedFrom).toBeNull();
  });

  it.each<Method>(['si', 'jingle'])('a kept .part corrupted on disk makes the resumed file fail as damaged over %s (whole-file hash)', async (method) => {
    const name = `resume-corrupted-${method}.bin`;
    const { alice, bob, file } = await interruptByReceiver(method, name);
    const fd = openSync(join(bob.dir, `${name}.part`), 'r+');
    const byte = Buffer.alloc(1);
    readSync(fd, byte, 0, 1, 1000);
    byte[0] ^= 0xff;
    writeSync(fd, byte, 0, 1, 1000);
    closeSync(fd);
    const { received } = await sendAgain(alice, bob, method, file.path);
    expect(received.resumedFrom).toBeGreaterThan(0);
    expect([received.state, received.hash], JSON.stringify(received.attempts)).toEqual(['failed', 'mismatch']);
    expect(received.reason).toMatch(/arrived damaged/);
    expect(readdirSync(bob.dir)).toEqual([]);
  });
});
