import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Attempt, TransferSummary } from '../../../shared/model/transfer';
import { isProsodyInstalled } from '../../../scripts/lib/localProsody.mjs';
import { refusedPort, startBlackHole } from '../../fakes/fakeSocks5Peer';
import { isSlixmppInstalled, startJinglePeer, type PeerEvent, type SlixmppPeer } from '../../support/jinglePeer';
import { startTestProsody, type LocalProsody } from '../../support/prosody';
import { skipUnlessPresent } from '../../support/requiredTool';
import { closePeer, loginPeer, randomFile, scratchDir, sha256Of, type Peer } from './transferPair';

// Jingle transfers that go wrong or need a rule to come out right (real Prosody): every S5B candidate dead or
// black-holed → XEP-0260 §3 fallback to IBB; both sides' candidates working → the XEP-0260 §2.4 nomination; a
// wrong sha-256 from the interop peer (XEP-0234 §8.2 / XEP-0300) and a responder's own transport-replace
// (XEP-0166 §7.2.15) with test/interop/jingle_peer.py as the other side.
const ALICE = 'alice@localhost/ferry';
const BOB_FERRY = 'bob@localhost/ferry';
const BOB_PEER = 'bob@localhost/peer';
/** 192.0.2.0/24 is TEST-NET-1 (RFC 5737): nothing answers there, a connect hangs or is unreachable. */
const UNROUTABLE = '192.0.2.1';
const isEnded = (t: TransferSummary): boolean => ['done', 'failed', 'cancelled', 'declined'].includes(t.state);
type Options = Parameters<typeof loginPeer>[2];

describe('Jingle failures and rules, Ferry ↔ Ferry and Ferry ↔ jingle_peer (real Prosody)', () => {
  let server: LocalProsody;
  const peers: Peer[] = [];
  const slix: SlixmppPeer[] = [];
  const closers: (() => Promise<void>)[] = [];
  const src = scratchDir();

  beforeAll(async () => {
    server = await startTestProsody({ accounts: [['alice', 'alice-pw'], ['bob', 'bob-pw']], friends: [['alice', 'bob']], offerTls: false });
  });
  afterEach(async () => {
    await Promise.all(slix.splice(0).map((p) => p.stop()));
    await Promise.all(closers.splice(0).map((close) => close()));
    await Promise.all(peers.splice(0).map(closePeer));
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(src, { recursive: true, force: true });
  });

  async function ferry(user: 'alice' | 'bob', options: Options = {}): Promise<Peer> {
    const peer = await loginPeer(server, user, { acceptPolicy: () => 'accept', discoverProxies: false, ...options });
    peers.push(peer);
    return peer;
  }

  /** A refused port and a black hole, offered as proxies (jid dead.<who> / hole.<who>). */
  async function deadProxies(who: string) {
    const hole = await startBlackHole();
    closers.push(() => hole.close());
    return [
      { jid: `dead.${who}.localhost`, host: '127.0.0.1', port: await refusedPort() },
      { jid: `hole.${who}.localhost`, host: '127.0.0.1', port: hole.port },
    ];
  }

  async function sendBoth(alice: Peer, bob: Peer, path: string) {
    const [sent] = await alice.core.handlers['transfer.send']({ to: bob.jid, paths: [path] });
    const received = await bob.until((t) => t.direction === 'incoming' && isEnded(t), 40_000, 'bob ends');
    const done = await alice.until((t) => t.id === sent.id && isEnded(t), 40_000, 'alice ends');
    return { sent: done, received };
  }

  function expectDelivered(sent: TransferSummary, received: TransferSummary, sha256: string, transport: string): void {
    const context = JSON.stringify({ sent, received });
    expect([received.state, received.reason, received.transport, received.hash], context).toEqual(['done', null, transport, 'verified']);
    expect([sent.state, sent.reason, sent.transport, sent.hash], context).toEqual(['done', null, transport, 'verified']);
    expect([sent.method, received.method]).toEqual(['jingle', 'jingle']);
    expect(sha256Of(received.path!)).toBe(sha256);
  }

  const succeeded = (t: TransferSummary): Attempt | undefined => t.attempts.find((a) => a.outcome === 'succeeded' && /^(our|the peer's) /.test(a.detail));

  it('XEP-0260 §3: with every candidate dead (refused, black-holed, unroutable) on both sides, transport-replace to IBB within 10 s of the last failure', async () => {
    const alice = await ferry('alice', { directAddresses: [UNROUTABLE], proxies: await deadProxies('alice') });
    const bob = await ferry('bob', { directAddresses: [UNROUTABLE], proxies: await deadProxies('bob') });
    const file = randomFile(src, 'all-dead.bin', 300 * 1024 + 7);
    const started = Date.now();
    const { sent, received } = await sendBoth(alice, bob, file.path);
    expectDelivered(sent, received, file.sha256, 'ibb');
    for (const [side, peerJid] of [[sent, BOB_FERRY], [received, ALICE]] as const) {
      const failed = side.attempts.filter((a) => a.outcome === 'failed' && a.transport !== null).map((a) => a.detail);
      const who = peerJid === ALICE ? 'alice' : 'bob';
      // Each side tried every candidate of the other, and each failure is in its log.
      expect(failed, JSON.stringify(side.attempts)).toEqual(expect.arrayContaining([
        expect.stringMatching(new RegExp(`^dead\\.${who}\\.localhost 127\\.0\\.0\\.1:\\d+ \\(proxy`)),
        expect.stringMatching(new RegExp(`^hole\\.${who}\\.localhost 127\\.0\\.0\\.1:\\d+ \\(proxy`)),
        expect.stringMatching(new RegExp(`^${peerJid.replace(/[./]/g, '\\$&')} 192\\.0\\.2\\.1:\\d+ \\(direct`)),
      ]));
      expect(side.attempts).toContainEqual(expect.objectContaining({ detail: expect.stringMatching(/^SOCKS5 failed → in-band/), transport: 'ibb' }));
    }
    // Sanity bound, not a benchmark: from the last candidate given up (either side) to the IBB stream opening.
    const lastDead = Math.max(...[...sent.attempts, ...received.attempts].filter((a) => a.outcome === 'failed').map((a) => a.at));
    const ibbOpen = received.attempts.find((a) => a.transport === 'ibb' && a.outcome === 'succeeded')!.at;
    expect(ibbOpen - lastDead).toBeLessThan(10_000);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('XEP-0260 §2.4 rule 3: both sides connect to the other\'s direct candidate → both use the sender\'s, which the receiver ranks above its own (rule 4\'s tie would pick the receiver\'s listener)', async () => {
    const alice = await ferry('alice');
    const bob = await ferry('bob');
    const file = randomFile(src, 'both-used.bin', 2 * 1024 * 1024 + 3);
    const { sent, received } = await sendBoth(alice, bob, file.path);
    expectDelivered(sent, received, file.sha256, 's5b-direct');
    // Both sides got a connection to the other's candidate…
    for (const side of [sent, received]) {
      expect(side.attempts.filter((a) => a.transport === 's5b-direct' && a.outcome === 'succeeded' && /\(direct, priority/.test(a.detail))).toHaveLength(1);
    }
    // …and both name the same nominated one: alice's direct candidate, the socket bob opened.
    const onAlice = /^our direct candidate alice@localhost\/ferry 127\.0\.0\.1:(\d+)$/.exec(succeeded(sent)?.detail ?? '');
    const onBob = /^the peer's direct candidate alice@localhost\/ferry 127\.0\.0\.1:(\d+)$/.exec(succeeded(received)?.detail ?? '');
    expect([onAlice?.[1], onBob?.[1]], JSON.stringify([sent.attempts, received.attempts])).toEqual([onBob?.[1], onAlice?.[1]]);
    expect(onAlice).not.toBeNull();
  });

  it('XEP-0260 §2.4 rule 3: both candidates work but differ in priority → both use the higher one (bob\'s direct over alice\'s proxy)', async () => {
    const alice = await ferry('alice', { directAddresses: [], proxies: [{ jid: server.proxyJid, host: '127.0.0.1', port: server.ports.proxy65 }] });
    const bob = await ferry('bob');
    const file = randomFile(src, 'priority.bin', 1024 * 1024 + 1);
    const { sent, received } = await sendBoth(alice, bob, file.path);
    expectDelivered(sent, received, file.sha256, 's5b-direct');
    // bob reached alice's proxy candidate, yet the higher-priority direct one of bob's was nominated on both sides.
    expect(received.attempts).toContainEqual(expect.objectContaining({ transport: 's5b-proxy', outcome: 'succeeded', detail: expect.stringMatching(/^proxy\.localhost 127\.0\.0\.1:\d+ \(proxy, priority/) }));
    expect(succeeded(sent)?.detail).toMatch(/^the peer's direct candidate bob@localhost\/ferry 127\.0\.0\.1:\d+$/);
    expect(succeeded(received)?.detail).toMatch(/^our direct candidate bob@localhost\/ferry 127\.0\.0\.1:\d+$/);
  });

  describe.skipIf(skipUnlessPresent({ prosody: isProsodyInstalled(), 'slixmpp (bash scripts/setup.sh)': isSlixmppInstalled() }))('against jingle_peer', () => {
    function jinglePeer(args: string[], timeoutS = 40): SlixmppPeer {
      const started = startJinglePeer({ jid: BOB_PEER, password: 'bob-pw', port: server.ports.c2s, args, timeoutS });
      slix.push(started);
      return started;
    }
    const named = (peer: SlixmppPeer, event: string): PeerEvent[] => peer.seen.filter((e) => e.event === event);
    const context = (peer: SlixmppPeer, t?: TransferSummary): string =>
      `peer: ${JSON.stringify(peer.seen.filter((e) => e.event !== 'progress'))}\n${peer.stderr().slice(-2000)}\nferry: ${JSON.stringify(t ?? null)}`;

    it.each([['in the offer', []], ['in the checksum session-info (XEP-0234 §8.2)', ['--hash-after']]])('a wrong sha-256 %s: Ferry ends failed with hash mismatch, keeps no file, and terminates media-error (XEP-0300)', async (_where, extra) => {
      const alice = await ferry('alice');
      const file = randomFile(src, `corrupt-${extra.length}.bin`, 200 * 1024 + 3);
      const bob = jinglePeer(['send', '--to', ALICE, '--file', file.path, '--corrupt-hash', ...extra]);
      const got = await alice.until((t) => t.direction === 'incoming' && isEnded(t), 30_000, 'alice ends');
      expect([got.state, got.hash, got.method], context(bob, got)).toEqual(['failed', 'mismatch', 'jingle']);
      expect(got.reason).toMatch(/^the file arrived damaged: sha-256 [0-9a-f]{64} but the sender announced [0-9a-f]{64}$/);
      expect(got.reason).toContain(file.sha256);
      expect(got.path).toBeNull();
      expect(readdirSync(alice.dir)).toEqual([]);
      expect(await bob.exitCode, context(bob, got)).toBe(1);
      expect(await bob.waitFor('failed', 1000)).toMatchObject({ reason: 'media-error', ended_by: 'responder', sha256: file.sha256 });
      expect(named(bob, 'jingle').filter((e) => e.dir === 'in' && e.action === 'session-terminate').map((e) => e.info)).toEqual(['media-error']);
    });

    it('a responder that replaces S5B with IBB itself (XEP-0166 §7.2.15): Ferry as initiator accepts and sends in-band', async () => {
      const rx = mkdtempSync(join(tmpdir(), 'ferry-jpeer-rx-'));
      closers.push(async () => rmSync(rx, { recursive: true, force: true }));
      const bob = jinglePeer(['receive', '--dir', rx, '--transport', 'ibb']);
      await bob.waitFor('ready', 20_000);
      const alice = await ferry('alice');
      const file = randomFile(src, 'responder-replace.bin', 128 * 1024 + 5);
      const started = Date.now();
      const [sent] = await alice.core.handlers['transfer.send']({ to: BOB_PEER, paths: [file.path] });
      const mine = await alice.until((t) => t.id === sent.id && isEnded(t), 30_000, 'alice ends');
      expect([mine.state, mine.reason, mine.method, mine.transport, mine.hash], context(bob, mine)).toEqual(['done', null, 'jingle', 'ibb', 'none']);
      expect(await bob.exitCode, context(bob, mine)).toBe(0);
      const received = await bob.waitFor('done', 1000);
      expect(received).toMatchObject({ transport: 'ibb', sha256: file.sha256, hash: 'verified', ended_by: 'responder', reason: 'success' });
      expect(sha256Of(received.path as string)).toBe(file.sha256);
      expect(named(bob, 'transport-replace').map((e) => [e.by, e.to, e.result])).toEqual([['responder', 'ibb', 'sent'], ['responder', 'ibb', 'accepted']]);
      expect(named(bob, 'jingle').filter((e) => e.dir === 'in').map((e) => e.action)).toContain('transport-accept');
      expect(mine.attempts).toContainEqual(expect.objectContaining({ transport: 'ibb', detail: 'SOCKS5 given up → in-band (the receiver replaced the transport)' }));
      // Not held up by a S5B deadline: the replace is taken when it arrives.
      expect(Date.now() - started).toBeLessThan(15_000);
    });
  });
});
