import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isProsodyInstalled } from '../../../scripts/lib/localProsody.mjs';
import { startTestProsody, type LocalProsody } from '../../support/prosody';
import { skipUnlessPresent } from '../../support/requiredTool';
import { isSlixmppInstalled, startSlixmppPeer, type PeerEvent, type SlixmppPeer } from '../../support/slixmppPeer';
import { closePeer, loginPeer, randomFile, scratchDir, sha256Of, type Peer } from './transferPair';
import type { TransferSummary } from '../../../shared/model/transfer';

// Ferry (createCore in-process, alice@localhost/ferry) against the slixmpp interop peer
// (test/interop/slixmpp_peer.py, bob@localhost/peer): an XEP-0096 implementation we did not write, both ways.
const BOB = 'bob@localhost/peer';
const ended = (t: TransferSummary): boolean => ['done', 'failed', 'cancelled', 'declined'].includes(t.state);
const NS_BS = 'http://jabber.org/protocol/bytestreams';
const NS_IBB = 'http://jabber.org/protocol/ibb';

describe.skipIf(skipUnlessPresent({ prosody: isProsodyInstalled(), 'slixmpp (bash scripts/setup.sh)': isSlixmppInstalled() }))('SI interop: Ferry ↔ slixmpp (real Prosody)', () => {
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

  async function ferry(transfers: Parameters<typeof loginPeer>[2] = {}): Promise<Peer> {
    const peer = await loginPeer(server, 'alice', { acceptPolicy: () => 'accept', ...transfers });
    ferries.push(peer);
    return peer;
  }

  function slixmpp(args: string[], timeoutS = 45): SlixmppPeer {
    const peer = startSlixmppPeer({ jid: BOB, password: 'bob-pw', port: server.ports.c2s, args, timeoutS });
    slix.push(peer);
    return peer;
  }

  function context(peer: SlixmppPeer, t?: TransferSummary): string {
    return `slixmpp: ${JSON.stringify(peer.seen.filter((e) => e.event !== 'progress'))}\n${peer.stderr().slice(-2000)}\nferry: ${JSON.stringify(t ?? null)}`;
  }

  describe('Ferry sends, slixmpp receives', () => {
    async function ferryToSlixmpp(
      transport: 's5b-direct' | 's5b-proxy' | 'ibb', size: number, extra: { ibbStanza?: 'iq' | 'message'; blockSize?: number; receive?: string[] } = {},
    ): Promise<{ received: PeerEvent; sent: TransferSummary; offer: PeerEvent }> {
      const rx = mkdtempSync(join(tmpdir(), 'ferry-slix-rx-'));
      dirs.push(rx);
      const bob = slixmpp(['receive', '--dir', rx, ...(extra.receive ?? [])]);
      await bob.waitFor('ready', 20_000);
      const alice = await ferry();
      const file = randomFile(src, `to-slix-${transport}-${extra.ibbStanza ?? 'x'}-${size}.bin`, size);
      const [started] = await alice.core.handlers['transfer.send']({
        to: BOB, paths: [file.path], transport, ibbStanza: extra.ibbStanza, blockSize: extra.blockSize,
      });
      const sent = await alice.until((t) => t.id === started.id && ended(t), 40_000, 'alice ends');
      expect(sent.state, context(bob, sent)).toBe('done');
      expect(sent.transport).toBe(transport);
      expect(sent.sha256).toBe(file.sha256);
      const received = await bob.waitFor('done', 20_000);
      expect(await bob.exitCode, context(bob, sent)).toBe(0);
      expect(received).toMatchObject({ size, sha256: file.sha256, transport, from: alice.jid });
      expect(dirname(received.path as string)).toBe(rx);
      expect(sha256Of(received.path as string)).toBe(file.sha256);
      expect(readdirSync(rx).filter((n) => n.endsWith('.part'))).toEqual([]);
      return { received, sent, offer: await bob.waitFor('offer', 1000) };
    }

    it('XEP-0065 §5 direct streamhost: slixmpp connects to Ferry\'s listener', async () => {
      const { offer, sent } = await ferryToSlixmpp('s5b-direct', 3 * 1024 * 1024 + 17);
      expect(offer).toMatchObject({ name: 'to-slix-s5b-direct-x-3145745.bin', size: 3 * 1024 * 1024 + 17, methods: [NS_BS] });
      expect(sent.attempts.some((a) => a.detail.startsWith('offered 1 streamhost(s): alice@localhost/ferry 127.0.0.1:'))).toBe(true);
    });

    it('XEP-0065 §6 mediated: through the server\'s proxy65, Ferry activates', async () => {
      const { sent } = await ferryToSlixmpp('s5b-proxy', 2 * 1024 * 1024 + 5);
      expect(sent.attempts.find((a) => a.outcome === 'succeeded')?.detail).toContain(server.proxyJid);
    });

    it('XEP-0047 §2 IBB in <iq/> (window of unacknowledged blocks)', async () => {
      const { offer } = await ferryToSlixmpp('ibb', 300 * 1024 + 3, { ibbStanza: 'iq' });
      expect(offer.methods).toEqual([NS_IBB]);
    });

    it('XEP-0047 §4 IBB in <message/>', async () => {
      await ferryToSlixmpp('ibb', 200 * 1024 + 1, { ibbStanza: 'message', blockSize: 8192 });
    });

    it('XEP-0096 §2 auto: bytestreams first, and IBB on the same sid when slixmpp answers item-not-found (XEP-0065 §5.3.3)', async () => {
      const rx = mkdtempSync(join(tmpdir(), 'ferry-slix-rx-'));
      dirs.push(rx);
      const bob = slixmpp(['receive', '--dir', rx, '--s5b-fail']);
      await bob.waitFor('ready', 20_000);
      const alice = await ferry({ discoverProxies: false });
      const file = randomFile(src, 'to-slix-fallback.bin', 256 * 1024);
      const [started] = await alice.core.handlers['transfer.send']({ to: BOB, paths: [file.path] });
      const sent = await alice.until((t) => t.id === started.id && ended(t), 40_000, 'alice ends');
      expect([sent.state, sent.transport], context(bob, sent)).toEqual(['done', 'ibb']);
      expect(sent.attempts.find((a) => a.detail === 's5b')).toMatchObject({ outcome: 'failed', reason: expect.stringMatching(/item-not-found|could not connect/) });
      const received = await bob.waitFor('done', 20_000);
      expect(received).toMatchObject({ transport: 'ibb', sha256: file.sha256 });
      expect(sha256Of(received.path as string)).toBe(file.sha256);
      expect((await bob.waitFor('offer', 1000)).methods).toEqual([NS_BS, NS_IBB]);
    });
  });

  describe('slixmpp sends, Ferry receives', () => {
    async function slixmppToFerry(size: number, sendArgs: string[], timeoutS = 45) {
      const alice = await ferry();
      const file = randomFile(src, `from-slix-${sendArgs.join('')}-${size}.bin`.replace(/[^\w.-]/g, ''), size);
      const bob = slixmpp(['send', '--to', alice.jid, file.path, ...sendArgs], timeoutS);
      const got = await alice.until((t) => t.direction === 'incoming' && ended(t), (timeoutS - 5) * 1000, 'alice receives');
      expect(got.state, context(bob, got)).toBe('done');
      expect(got.reason).toBeNull();
      expect(got.peer).toBe(BOB);
      expect(got.file).toMatchObject({ size, md5: expect.stringMatching(/^[0-9a-f]{32}$/) });
      expect(got.sha256).toBe(file.sha256);
      expect(dirname(got.path!)).toBe(alice.dir);
      expect(sha256Of(got.path!)).toBe(file.sha256);
      expect(readdirSync(alice.dir).filter((n) => n.endsWith('.part'))).toEqual([]);
      expect(await bob.exitCode, context(bob, got)).toBe(0);
      expect(await bob.waitFor('done', 1000)).toMatchObject({ sha256: file.sha256 });
      return { got, bob };
    }

    it('XEP-0065 §5 direct: Ferry connects to slixmpp\'s streamhost and answers streamhost-used', async () => {
      const { got, bob } = await slixmppToFerry(4 * 1024 * 1024, ['--transport', 's5b-direct']);
      expect(got.transport).toBe('s5b-direct');
      expect((await bob.waitFor('done', 1000)).transport).toBe('s5b-direct');
    });

    it('XEP-0065 §6 mediated: Ferry connects to proxy65, slixmpp activates', async () => {
      const { got, bob } = await slixmppToFerry(2 * 1024 * 1024 + 11, ['--transport', 's5b-proxy']);
      expect(got.transport).toBe('s5b-proxy');
      expect(got.attempts.find((a) => a.outcome === 'succeeded')?.detail).toContain(server.proxyJid);
      expect((await bob.waitFor('done', 1000)).transport).toBe('s5b-proxy');
    });

    it('XEP-0047 §2 IBB in <iq/> (4096-byte blocks, stop-and-wait)', async () => {
      const { got } = await slixmppToFerry(300 * 1024 + 7, ['--transport', 'ibb', '--ibb-stanza', 'iq', '--block-size', '4096']);
      expect(got.transport).toBe('ibb');
      expect(got.attempts).toContainEqual(expect.objectContaining({ transport: 'ibb', detail: 'IBB in <iq/>, block-size 4096', outcome: 'succeeded' }));
    });

    it.each([4096, 61440])('XEP-0047 §4 IBB in <message/> as Spark sends it (seed 001), block-size %i', async (blockSize) => {
      const { got } = await slixmppToFerry(512 * 1024 + 9, ['--transport', 'ibb', '--ibb-stanza', 'message', '--block-size', String(blockSize)]);
      expect(got.transport).toBe('ibb');
      expect(got.attempts).toContainEqual(expect.objectContaining({ transport: 'ibb', detail: `IBB in <message/>, block-size ${blockSize}`, outcome: 'succeeded' }));
    });

    // 65,537 blocks is the fewest that wrap from seq 0; Prosody needs 20–60 s to relay them (FERRY_SLOW_TESTS=1).
    it.runIf(process.env.FERRY_SLOW_TESTS === '1')('XEP-0047 §2.2 seq wraps 65535 → 0 on the wire: 65,537 <message/> blocks of 16 bytes (FERRY_SLOW_TESTS=1)', async () => {
      const { got } = await slixmppToFerry(65_537 * 16, ['--transport', 'ibb', '--ibb-stanza', 'message', '--block-size', '16'], 150);
      expect(got.transport).toBe('ibb');
    }, 160_000);

    it('seed 001 Spark-style fallback: dead streamhost, Ferry answers item-not-found (XEP-0065 §5.3.3), slixmpp opens IBB <message/> on the same sid', async () => {
      const started = Date.now();
      const { got, bob } = await slixmppToFerry(256 * 1024 + 1, ['--dead-streamhost', '--ibb-stanza', 'message', '--block-size', '4096']);
      expect(got.transport).toBe('ibb');
      const dead = got.attempts.find((a) => a.outcome === 'failed');
      expect(dead).toMatchObject({ transport: 's5b-direct', detail: expect.stringMatching(/^bob@localhost\/peer 127\.0\.0\.1:\d+$/) });
      expect(dead?.reason).toBeTruthy();
      expect(got.attempts.map((a) => [a.transport, a.outcome])).toContainEqual(['ibb', 'succeeded']);
      // slixmpp saw Ferry's refusal of its only streamhost, then carried the file in-band.
      expect(await bob.waitFor('attempt', 1000)).toMatchObject({ transport: 's5b', error: 'item-not-found could not connect to any streamhost' });
      expect(await bob.waitFor('accepted', 1000)).toMatchObject({ method: NS_BS });
      expect((await bob.waitFor('done', 1000)).transport).toBe('ibb');
      expect(Date.now() - started).toBeLessThan(20_000);
    });
  });
});
