import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TransferSummary } from '../../../shared/model/transfer';
import { isProsodyInstalled } from '../../../scripts/lib/localProsody.mjs';
import { isSlixmppInstalled, startJinglePeer, type PeerEvent, type SlixmppPeer } from '../../support/jinglePeer';
import { startTestProsody, type LocalProsody } from '../../support/prosody';
import { skipUnlessPresent } from '../../support/requiredTool';
import { startSlixmppPeer } from '../../support/slixmppPeer';
import { closePeer, loginPeer, randomFile, scratchDir, sha256Of, type Peer } from './transferPair';

// Ferry (createCore in-process, alice@localhost/ferry) against test/interop/jingle_peer.py (bob@localhost/peer),
// a XEP-0234/0260/0261/0300 implementation written from the XEPs, both ways; and the method table's choice
// against peers that advertise only SI, only Jingle, or both.
const ALICE = 'alice@localhost/ferry';
const BOB = 'bob@localhost/peer';
const NS_JINGLE_FT = 'urn:xmpp:jingle:apps:file-transfer:5';
const isEnded = (t: TransferSummary): boolean => ['done', 'failed', 'cancelled', 'declined'].includes(t.state);
type Options = Parameters<typeof loginPeer>[2];

describe.skipIf(skipUnlessPresent({ prosody: isProsodyInstalled(), 'slixmpp (bash scripts/setup.sh)': isSlixmppInstalled() }))('Jingle interop: Ferry ↔ jingle_peer (real Prosody)', () => {
  let server: LocalProsody;
  const ferries: Peer[] = [];
  const slix: SlixmppPeer[] = [];
  const dirs: string[] = [];
  const src = scratchDir();

  beforeAll(async () => {
    server = await startTestProsody({ accounts: [['alice', 'alice-pw'], ['bob', 'bob-pw']], friends: [['alice', 'bob']], offerTls: false });
  });
  afterEach(async () => {
    await Promise.all(slix.splice(0).map((p) => p.stop()));
    await Promise.all(ferries.splice(0).map(closePeer));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(src, { recursive: true, force: true });
  });

  async function ferry(options: Options = {}): Promise<Peer> {
    const peer = await loginPeer(server, 'alice', { acceptPolicy: () => 'accept', ...options });
    ferries.push(peer);
    return peer;
  }

  function jinglePeer(args: string[], timeoutS = 50): SlixmppPeer {
    const peer = startJinglePeer({ jid: BOB, password: 'bob-pw', port: server.ports.c2s, args, timeoutS });
    slix.push(peer);
    return peer;
  }

  function rxDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-jpeer-rx-'));
    dirs.push(dir);
    return dir;
  }

  const named = (peer: SlixmppPeer, event: string): PeerEvent[] => peer.seen.filter((e) => e.event === event);
  const jingle = (peer: SlixmppPeer, dir: 'in' | 'out'): string[] =>
    named(peer, 'jingle').filter((e) => e.dir === dir).map((e) => `${e.action as string}${e.info ? `:${e.info as string}` : ''}`);
  const context = (peer: SlixmppPeer, t?: TransferSummary): string =>
    `peer: ${JSON.stringify(peer.seen.filter((e) => e.event !== 'progress'))}\n${peer.stderr().slice(-2000)}\nferry: ${JSON.stringify(t ?? null)}`;

  describe('Ferry sends, jingle_peer receives', () => {
    async function ferryToPeer(options: { size: number; transport: 's5b-direct' | 's5b-proxy' | 'ibb' | 'auto'; expect: string; ferry?: Options; receive?: string[] }) {
      const rx = rxDir();
      const bob = jinglePeer(['receive', '--dir', rx, ...(options.receive ?? [])]);
      await bob.waitFor('ready', 20_000);
      const alice = await ferry(options.ferry);
      const file = randomFile(src, `to-peer-${options.transport}-${options.size}.bin`, options.size);
      const [started] = await alice.core.handlers['transfer.send']({ to: BOB, paths: [file.path], transport: options.transport });
      const sent = await alice.until((t) => t.id === started.id && isEnded(t), 45_000, 'alice ends');
      expect([sent.state, sent.reason, sent.method, sent.transport, sent.sha256], context(bob, sent)).toEqual(['done', null, 'jingle', options.expect, file.sha256]);
      expect(sent.attempts[0]).toMatchObject({ method: 'jingle', outcome: 'started', reason: expect.stringContaining(NS_JINGLE_FT) });
      expect(await bob.exitCode, context(bob, sent)).toBe(0);
      const received = await bob.waitFor('done', 1000);
      // The peer checked the bytes against Ferry's sha-256 and ended the session itself, with success.
      expect(received).toMatchObject({ size: options.size, bytes: options.size, sha256: file.sha256, hash: 'verified', hash_algo: 'sha-256', transport: options.expect, from: ALICE, ended_by: 'responder', reason: 'success' });
      expect(dirname(received.path as string)).toBe(rx);
      expect(sha256Of(received.path as string)).toBe(file.sha256);
      expect(readdirSync(rx)).toEqual([file.path.split('/').pop()]);
      expect(jingle(bob, 'in')[0]).toMatch(/^session-initiate:/);
      expect(jingle(bob, 'out')).toContain('session-terminate:success');
      // Ferry cannot see the peer's verdict (only a Ferry receiver notes it in <reason/>): 'none', not a false 'verified'.
      expect(sent.hash).toBe('none');
      return { sent, received, bob };
    }

    it('XEP-0260 S5B direct: the peer and Ferry nominate a direct candidate; sha-256 in the offer (XEP-0234 §5)', async () => {
      const { bob } = await ferryToPeer({ size: 3 * 1024 * 1024 + 17, transport: 's5b-direct', expect: 's5b-direct' });
      expect((await bob.waitFor('offer', 1000)).hash).toMatchObject({ algo: 'sha-256' });
      expect(await bob.waitFor('nominated', 1000)).toMatchObject({ type: 'direct' });
    });

    it('XEP-0260 §2.4 proxy: Ferry\'s proxy65 candidate, the peer connects, Ferry activates and sends <activated/>', async () => {
      const { bob, sent } = await ferryToPeer({ size: 2 * 1024 * 1024 + 5, transport: 's5b-proxy', expect: 's5b-proxy', receive: ['--no-candidates'] });
      expect(await bob.waitFor('nominated', 1000)).toMatchObject({ type: 'proxy', owner: 'peer' });
      expect(jingle(bob, 'in').some((a) => a.startsWith('transport-info:activated:'))).toBe(true);
      expect(sent.attempts.find((a) => a.outcome === 'succeeded' && a.transport === 's5b-proxy')?.detail).toContain(server.proxyJid);
    });

    it('XEP-0261 IBB from the session-initiate', async () => {
      const { bob } = await ferryToPeer({ size: 300 * 1024 + 3, transport: 'ibb', expect: 'ibb' });
      expect(await bob.waitFor('offer', 1000)).toMatchObject({ transport: 'ibb' });
      expect(named(bob, 'transport-replace')).toEqual([]);
    });

    it('XEP-0260 §3 fallback: no candidates on either side → candidate-error both ways → Ferry\'s transport-replace → IBB', async () => {
      const { bob, sent } = await ferryToPeer({
        size: 256 * 1024 + 1, transport: 'auto', expect: 'ibb', ferry: { directAddresses: [], discoverProxies: false }, receive: ['--no-candidates'],
      });
      expect(await bob.waitFor('candidate-reports', 1000)).toMatchObject({ local: 'error', remote: 'error' });
      expect(named(bob, 'transport-replace').map((e) => [e.by, e.result])).toEqual([['initiator', 'accepted']]);
      expect(jingle(bob, 'out')).toContain('transport-accept:ibb');
      expect(sent.attempts).toContainEqual(expect.objectContaining({ detail: expect.stringMatching(/^SOCKS5 failed → in-band/) }));
    });

    it('XEP-0234 §8.2 hash after the data: a file too large to hash first (> 64 MiB) gets <hash-used/> and a checksum session-info', async () => {
      const { bob } = await ferryToPeer({ size: 64 * 1024 * 1024 + 11, transport: 's5b-direct', expect: 's5b-direct' });
      expect(await bob.waitFor('offer', 1000)).toMatchObject({ hash: null, hash_used: 'sha-256' });
      expect(jingle(bob, 'in')).toContain('session-info:checksum');
      expect(await bob.waitFor('checksum', 1000)).toMatchObject({ algo: 'sha-256' });
    }, 90_000);

    it('the peer declines (XEP-0166 §6.7 <decline/>): Ferry ends declined "declined by <peer>", the peer wrote nothing', async () => {
      const rx = rxDir();
      const bob = jinglePeer(['receive', '--dir', rx, '--decline']);
      await bob.waitFor('ready', 20_000);
      const alice = await ferry();
      const file = randomFile(src, 'to-peer-declined.bin', 10_000);
      const [started] = await alice.core.handlers['transfer.send']({ to: BOB, paths: [file.path] });
      const sent = await alice.until((t) => t.id === started.id && isEnded(t), 20_000, 'alice ends');
      expect([sent.state, sent.method, sent.reason], context(bob, sent)).toEqual(['declined', 'jingle', `declined by ${BOB}`]);
      expect(await bob.exitCode).toBe(5);
      expect(jingle(bob, 'out')).toEqual(['session-terminate:decline']);
      expect(readdirSync(rx)).toEqual([]);
    });
  });

  describe('jingle_peer sends, Ferry receives', () => {
    async function peerToFerry(options: { size: number; send: string[]; expect: string; ferry?: Options }) {
      const alice = await ferry(options.ferry);
      const file = randomFile(src, `from-peer-${options.send.join('').replace(/[^\w]/g, '')}-${options.size}.bin`, options.size);
      const bob = jinglePeer(['send', '--to', ALICE, '--file', file.path, ...options.send]);
      const got = await alice.until((t) => t.direction === 'incoming' && isEnded(t), 45_000, 'alice receives');
      expect([got.state, got.reason, got.method, got.transport, got.hash], context(bob, got)).toEqual(['done', null, 'jingle', options.expect, 'verified']);
      expect(got.peer).toBe(BOB);
      expect(got.sha256).toBe(file.sha256);
      expect(dirname(got.path!)).toBe(alice.dir);
      expect(sha256Of(got.path!)).toBe(file.sha256);
      expect(readdirSync(alice.dir)).toEqual([got.path!.split('/').pop()]);
      expect(await bob.exitCode, context(bob, got)).toBe(0);
      // Ferry, the responder, ended the session with success once it had checked the hash.
      expect(await bob.waitFor('done', 1000)).toMatchObject({ sha256: file.sha256, transport: options.expect, ended_by: 'responder', reason: 'success' });
      expect(jingle(bob, 'in')).toContain('session-terminate:success');
      expect(jingle(bob, 'out')).not.toContain('session-terminate:success');
      return { got, bob };
    }

    it('XEP-0260 S5B direct: Ferry connects to the peer\'s candidate (or the peer to Ferry\'s) and verifies the offer\'s sha-256', async () => {
      const { bob } = await peerToFerry({ size: 4 * 1024 * 1024 + 3, send: [], expect: 's5b-direct' });
      expect(await bob.waitFor('nominated', 1000)).toMatchObject({ type: 'direct' });
    });

    it('XEP-0260 §2.4 proxy: the peer\'s proxy65 candidate only; the peer activates, Ferry waits for <activated/>', async () => {
      const { got, bob } = await peerToFerry({ size: 1024 * 1024 + 9, send: ['--no-candidates', '--proxy'], expect: 's5b-proxy', ferry: { directAddresses: [], discoverProxies: false } });
      expect(await bob.waitFor('nominated', 1000)).toMatchObject({ type: 'proxy', owner: 'self' });
      expect(jingle(bob, 'out').some((a) => a.startsWith('transport-info:activated:'))).toBe(true);
      expect(got.attempts.find((a) => a.outcome === 'succeeded' && a.transport === 's5b-proxy')?.detail).toContain(server.proxyJid);
    });

    it('XEP-0261 IBB from the session-initiate (8 KiB blocks)', async () => {
      const { got } = await peerToFerry({ size: 300 * 1024 + 7, send: ['--transport', 'ibb', '--block-size', '8192'], expect: 'ibb' });
      expect(got.attempts).toContainEqual(expect.objectContaining({ transport: 'ibb', outcome: 'succeeded', detail: 'IBB (XEP-0261) in <iq/>, block-size 8192' }));
    });

    it('XEP-0260 §3 fallback: no candidates either side → the peer\'s transport-replace → Ferry accepts → IBB', async () => {
      const { got, bob } = await peerToFerry({ size: 256 * 1024 + 5, send: ['--no-candidates'], expect: 'ibb', ferry: { directAddresses: [], discoverProxies: false } });
      expect(named(bob, 'transport-replace').map((e) => [e.by, e.result])).toEqual([['initiator', 'sent'], ['initiator', 'accepted']]);
      expect(jingle(bob, 'in')).toContain('transport-accept:ibb');
      expect(got.attempts).toContainEqual(expect.objectContaining({ detail: 'SOCKS5 failed → in-band (the sender replaced the transport)' }));
    });

    it('XEP-0234 §8.2 hash after: <hash-used/> in the offer, the checksum session-info after the data, Ferry verifies it', async () => {
      const { bob } = await peerToFerry({ size: 500 * 1024 + 1, send: ['--hash-after'], expect: 's5b-direct' });
      expect(jingle(bob, 'out')).toContain('session-info:checksum');
    });

    it('Ferry declines (XEP-0166 §6.7 <decline/>): the peer exits declined, ended by the responder; nothing is written', async () => {
      const alice = await ferry({ acceptPolicy: () => 'decline' });
      const file = randomFile(src, 'from-peer-declined.bin', 10_000);
      const bob = jinglePeer(['send', '--to', ALICE, '--file', file.path]);
      const got = await alice.until((t) => t.direction === 'incoming' && isEnded(t), 20_000, 'alice declines');
      expect([got.state, got.method], context(bob, got)).toEqual(['declined', 'jingle']);
      expect(await bob.exitCode, context(bob, got)).toBe(5);
      expect(await bob.waitFor('declined', 1000)).toMatchObject({ ended_by: 'responder', reason: 'decline' });
      expect(jingle(bob, 'in')).toEqual(['session-terminate:decline']);
      expect(readdirSync(alice.dir)).toEqual([]);
    });
  });

  describe('method choice by the peer\'s disco#info (methodTable.ts)', () => {
    it('a peer advertising only SI (XEP-0096, slixmpp_peer.py) gets SI', async () => {
      const rx = rxDir();
      const bob = startSlixmppPeer({ jid: BOB, password: 'bob-pw', port: server.ports.c2s, args: ['receive', '--dir', rx], timeoutS: 40 });
      slix.push(bob);
      await bob.waitFor('ready', 20_000);
      const alice = await ferry();
      const file = randomFile(src, 'choice-si.bin', 100 * 1024 + 1);
      const [started] = await alice.core.handlers['transfer.send']({ to: BOB, paths: [file.path] });
      const sent = await alice.until((t) => t.id === started.id && isEnded(t), 30_000, 'alice ends');
      expect([sent.state, sent.method], context(bob, sent)).toEqual(['done', 'si']);
      expect(sent.attempts[0]).toMatchObject({ method: 'si', outcome: 'started' });
      expect(sent.attempts[0].reason).not.toContain(NS_JINGLE_FT);
      expect(await bob.exitCode).toBe(0);
      const received = await bob.waitFor('done', 1000);
      expect(sha256Of(received.path as string)).toBe(file.sha256);
    });

    it.each([['only Jingle', []], ['Jingle and SI (--advertise-si; it does not speak SI)', ['--advertise-si']]])('a peer advertising %s gets Jingle', async (_what, top) => {
      const rx = rxDir();
      // --advertise-si is a top-level flag: it goes before the mode.
      const bob = startJinglePeer({ jid: BOB, password: 'bob-pw', port: server.ports.c2s, args: [...top, 'receive', '--dir', rx], timeoutS: 40 });
      slix.push(bob);
      const ready = await bob.waitFor('ready', 20_000);
      expect((ready.features as string[]).includes('http://jabber.org/protocol/si')).toBe(top.length > 0);
      const alice = await ferry();
      const file = randomFile(src, `choice-jingle-${top.length}.bin`, 100 * 1024 + 3);
      const [started] = await alice.core.handlers['transfer.send']({ to: BOB, paths: [file.path] });
      const sent = await alice.until((t) => t.id === started.id && isEnded(t), 30_000, 'alice ends');
      expect([sent.state, sent.method], context(bob, sent)).toEqual(['done', 'jingle']);
      expect(sent.attempts[0]).toMatchObject({ method: 'jingle', outcome: 'started', reason: expect.stringContaining(NS_JINGLE_FT) });
      expect(await bob.exitCode, context(bob, sent)).toBe(0);
      const received = await bob.waitFor('done', 1000);
      expect(received).toMatchObject({ sha256: file.sha256, hash: 'verified' });
      expect(sha256Of(received.path as string)).toBe(file.sha256);
    });
  });
});
