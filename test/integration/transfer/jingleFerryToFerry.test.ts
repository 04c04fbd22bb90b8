import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import type { TransferSummary } from '../../../shared/model/transfer';
import { startTestProsody, type LocalProsody } from '../../support/prosody';
import { closePeer, loginPeer, randomFile, scratchDir, sha256Of, type Peer } from './transferPair';

const ACCOUNTS: [string, string][] = [['alice', 'alice-pw'], ['bob', 'bob-pw']];
const ended = (t: TransferSummary): boolean => ['done', 'failed', 'cancelled', 'declined'].includes(t.state);

describe('Ferry → Ferry over Jingle file transfer (XEP-0234 over XEP-0260/0261, real Prosody)', () => {
  let server: LocalProsody;
  const peers: Peer[] = [];
  const src = scratchDir();

  beforeAll(async () => {
    server = await startTestProsody({ accounts: ACCOUNTS, friends: [['alice', 'bob']], offerTls: false });
  });
  afterEach(async () => { await Promise.all(peers.splice(0).map(closePeer)); });
  afterAll(async () => { await server?.stop(); });

  async function pair(bobOptions: Parameters<typeof loginPeer>[2] = {}, aliceOptions: Parameters<typeof loginPeer>[2] = {}) {
    const alice = await loginPeer(server, 'alice', aliceOptions);
    const bob = await loginPeer(server, 'bob', { acceptPolicy: () => 'accept', ...bobOptions });
    peers.push(alice, bob);
    return { alice, bob };
  }

  async function sendBoth(alice: Peer, bob: Peer, file: { path: string }, extra: { transport?: 's5b-direct' | 's5b-proxy' | 'ibb' | 'auto' } = {}) {
    const [sent] = await alice.core.handlers['transfer.send']({ to: bob.jid, paths: [file.path], transport: extra.transport ?? 'auto' });
    const received = await bob.until((t) => t.direction === 'incoming' && ended(t), 40_000, 'bob ends');
    const done = await alice.until((t) => t.id === sent.id && ended(t), 40_000, 'alice ends');
    return { sent: done, received };
  }

  it.each([
    ['s5b-direct', 3 * 1024 * 1024 + 17],
    ['s5b-proxy', 2 * 1024 * 1024 + 5],
    ['ibb', 256 * 1024 + 3],
  ] as const)('auto picks Jingle between two Ferries and sends over %s; both sides say verified (XEP-0300)', async (transport, size) => {
    const { alice, bob } = await pair();
    const file = randomFile(src, `jingle-${transport}.bin`, size);
    const { sent, received } = await sendBoth(alice, bob, file, { transport });
    expect([received.state, received.reason], JSON.stringify([received.attempts, sent.attempts, sent.reason])).toEqual(['done', null]);
    expect(received).toMatchObject({ method: 'jingle', transport, hash: 'verified', sha256: file.sha256 });
    expect(sha256Of(received.path!)).toBe(file.sha256);
    expect([sent.state, sent.reason], JSON.stringify(sent.attempts)).toEqual(['done', null]);
    expect(sent).toMatchObject({ method: 'jingle', transport, hash: 'verified', sha256: file.sha256 });
    expect(sent.attempts[0]).toMatchObject({ method: 'jingle', outcome: 'started', reason: expect.stringContaining('urn:xmpp:jingle:apps:file-transfer:5') });
    expect(readdirSync(bob.dir).filter((n) => n.endsWith('.part'))).toEqual([]);
  });

  it('falls back to IBB by transport-replace when no SOCKS5 candidate works on either side (XEP-0260 §3)', async () => {
    const { alice, bob } = await pair({ directAddresses: [], discoverProxies: false }, { directAddresses: [], discoverProxies: false });
    const file = randomFile(src, 'jingle-fallback.bin', 300 * 1024 + 1);
    const { sent, received } = await sendBoth(alice, bob, file);
    expect([received.state, received.transport, received.hash], JSON.stringify(received.attempts)).toEqual(['done', 'ibb', 'verified']);
    expect([sent.state, sent.transport, sent.hash], JSON.stringify(sent.attempts)).toEqual(['done', 'ibb', 'verified']);
    expect(sent.attempts).toContainEqual(expect.objectContaining({ detail: expect.stringMatching(/^SOCKS5 failed → in-band/) }));
    expect(received.attempts).toContainEqual(expect.objectContaining({ detail: expect.stringMatching(/^SOCKS5 failed → in-band/) }));
  });

  it('a decline ends both sides declined (XEP-0166 §6.7 reason decline)', async () => {
    const { alice, bob } = await pair({ acceptPolicy: () => 'decline' });
    const file = randomFile(src, 'jingle-declined.bin', 1000);
    const { sent, received } = await sendBoth(alice, bob, file);
    expect(received.state).toBe('declined');
    expect([sent.state, sent.method]).toEqual(['declined', 'jingle']);
    expect(sent.reason).toMatch(/declined by bob@localhost/);
  });

  it('--method si still forces SI between two Ferries that both speak Jingle', async () => {
    const { alice, bob } = await pair();
    const file = randomFile(src, 'forced-si.bin', 100 * 1024);
    const [sent] = await alice.core.handlers['transfer.send']({ to: bob.jid, paths: [file.path], method: 'si' });
    const done = await alice.until((t) => t.id === sent.id && ended(t), 30_000, 'alice ends');
    expect([done.state, done.method]).toEqual(['done', 'si']);
    const received = await bob.until((t) => t.direction === 'incoming' && ended(t), 30_000, 'bob ends');
    expect([received.state, received.method, received.hash]).toEqual(['done', 'si', 'verified']);
  });
});
