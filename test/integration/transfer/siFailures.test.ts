import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { client, xml } from '@xmpp/client';
import { readdirSync } from 'node:fs';
import { startTestProsody, type LocalProsody } from '../../support/prosody';
import { freePort } from '../../../scripts/lib/localProsody.mjs';
import { closePeer, loginPeer, randomFile, scratchDir, sha256Of, type Peer } from './transferPair';
import { startFlood } from '../../fakes/fakeSocks5Peer';
import { waitFor } from '../../support/xmppWaits';
import type { CoreOptions } from '../../../electron/app/createCore';
import { countInboundFromEnabled, type CountingClient } from '../../../electron/xmpp/smInboundCounter';

const ACCOUNTS: [string, string][] = [['alice', 'alice-pw'], ['bob', 'bob-pw'], ['carol', 'carol-pw']];
const NS_BYTESTREAMS = 'http://jabber.org/protocol/bytestreams';
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
    await alice.core.handlers['transfer.send']({ method: 'si', to: bob.jid, paths: [file.path], transport: 'ibb', ibbStanza: 'message' });
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
    const [sent] = await alice.core.handlers['transfer.send']({ method: 'si', to: bob.jid, paths: [file.path] });
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
    const [sent] = await alice.core.handlers['transfer.send']({ method: 'si', to: bob.jid, paths: [file.path] });
    const mine = await alice.until((t) => t.id === sent.id && ended(t));
    expect(mine.state).toBe('declined');
    expect(mine.reason).toMatch(/declined/);
    expect((await bob.until((t) => ended(t))).state).toBe('declined');
    expect(readdirSync(bob.dir)).toEqual([]);
  });

  it('asks the receiver, and an accept into a chosen folder delivers there', async () => {
    const { alice, bob } = await pair({}, { acceptPolicy: () => 'ask' });
    const file = randomFile(src, 'ask.bin', 4096);
    await alice.core.handlers['transfer.send']({ method: 'si', to: bob.jid, paths: [file.path], transport: 'ibb' });
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
    const [sent] = await alice.core.handlers['transfer.send']({ method: 'si', to: bob.jid, paths: [file.path], transport: 'ibb' });
    const moving = await bob.until((t) => t.state === 'transferring' && t.bytes > 0, 20_000);
    if (who === 'sender') alice.core.handlers['transfer.cancel']({ id: sent.id });
    else bob.core.handlers['transfer.cancel']({ id: moving.id });
    const mine = await alice.until((t) => t.id === sent.id && ended(t));
    const theirs = await bob.until((t) => ended(t));
    expect(who === 'sender' ? mine.state : theirs.state).toBe('cancelled');
    expect(['failed', 'cancelled']).toContain(who === 'sender' ? theirs.state : mine.state);
    expect((who === 'sender' ? theirs : mine).reason).toBeTruthy();
    // The .part and its sidecar go right after the end (the deletes are asynchronous).
    await waitFor(() => readdirSync(bob.dir).length === 0, 3000, 'bob deletes the .part').catch(() => undefined);
    expect(readdirSync(bob.dir)).toEqual([]);
  });

  it('fails with a reason when the receiving peer vanishes mid-transfer', async () => {
    const { alice, bob } = await pair();
    const file = randomFile(src, 'vanish.bin', 8 * 1024 * 1024);
    const [sent] = await alice.core.handlers['transfer.send']({ method: 'si', to: bob.jid, paths: [file.path], transport: 'ibb' });
    await bob.until((t) => t.state === 'transferring' && t.bytes > 0, 20_000);
    await bob.core.dispose();
    const mine = await alice.until((t) => t.id === sent.id && ended(t), 30_000);
    expect(mine.state).toBe('failed');
    expect(mine.reason).toMatch(/offline|broke|closed|unavailable/);
  });

  /**
   * carol@localhost/raw-…: accepts SI offers over S5B (XEP-0095/0096) and never answers the streamhost
   * query, so the sender's direct streamhost keeps waiting for her. Resolves with the streamhost port.
   */
  async function silentTarget(to: string): Promise<{ jid: string; stop(): Promise<void>; port: Promise<number> }> {
    const resource = `raw-${Date.now()}`;
    const xmpp = client({ timeout: 10_000, service: server.service, domain: 'localhost', username: 'carol', password: 'carol-pw', resource });
    countInboundFromEnabled(xmpp as unknown as CountingClient); // bare xmpp.js miscounts XEP-0198 h at login
    xmpp.reconnect.stop();
    xmpp.on('error', () => undefined);
    let release = (): void => undefined;
    let gotPort: (port: number) => void = () => undefined;
    const port = new Promise<number>((resolve) => { gotPort = resolve; });
    xmpp.iqCallee.set('http://jabber.org/protocol/si', 'si', () => {
      const form = xml('x', { xmlns: 'jabber:x:data', type: 'submit' }, xml('field', { var: 'stream-method' }, xml('value', {}, NS_BYTESTREAMS)));
      return xml('si', { xmlns: 'http://jabber.org/protocol/si' }, xml('feature', { xmlns: 'http://jabber.org/protocol/feature-neg' }, form));
    });
    xmpp.iqCallee.set(NS_BYTESTREAMS, 'query', (ctx) => {
      const direct = ctx.stanza.getChild('query', NS_BYTESTREAMS)!.getChildren('streamhost').find((h) => h.attrs.host === '127.0.0.1');
      gotPort(Number(direct?.attrs.port));
      return new Promise<boolean>((resolve) => { release = () => resolve(false); });
    });
    await xmpp.start();
    await xmpp.send(xml('presence', { to }));
    return { jid: `carol@localhost/${resource}`, port, stop: async () => { release(); await xmpp.stop().catch(() => undefined); } };
  }

  it('a flood of 48 hostile clients at a time on the waiting direct streamhost does not keep the real target out (issue 7 items 10, 14)', async () => {
    const { alice, bob } = await pair({ discoverProxies: false, timings: { s5bResultTimeoutMs: 60_000 } });
    // carol's offer keeps alice's direct streamhost listening (and on the same port) while it is attacked
    const carol = await silentTarget(alice.jid);
    try {
      const decoy = randomFile(src, 'decoy.bin', 1000);
      await alice.core.handlers['transfer.send']({ method: 'si', to: carol.jid, paths: [decoy.path], transport: 's5b-direct' });
      const port = await carol.port;
      const flood = startFlood(port, { concurrency: 48, dstAddr: '0'.repeat(40) });
      try {
        await waitFor(() => flood.started >= 300, 10_000, '300 hostile connections');
        const file = randomFile(src, 'hammer.bin', 24 * 1024 * 1024);
        const [sent] = await alice.core.handlers['transfer.send']({ method: 'si', to: bob.jid, paths: [file.path], transport: 's5b-direct' });
        const got = await bob.until((t) => ended(t), 30_000);
        const mine = await alice.until((t) => t.id === sent.id && ended(t), 10_000);
        expect(mine.attempts.find((a) => a.detail.startsWith('offered'))?.detail).toContain(`127.0.0.1:${port}`);
        expect([got.state, got.transport, got.reason]).toEqual(['done', 's5b-direct', null]);
        expect(sha256Of(got.path!)).toBe(file.sha256);
      } finally {
        const tally = await flood.stop();
        for (const [kind, entry] of tally) {
          // every hostile connection reached the listener and was closed by it, none was refused
          expect({ kind, refused: entry.refused }).toEqual({ kind, refused: 0 });
          expect(entry.accepted).toBeGreaterThanOrEqual(20);
          expect(entry.closedByListener + entry.openAtStop).toBe(entry.accepted);
          for (const reply of entry.replies.keys()) expect(reply.startsWith('05000500')).toBe(false); // no REP 00
        }
      }
    } finally {
      await carol.stop();
    }
  }, 60_000);
});
