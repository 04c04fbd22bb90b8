import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { freePort, isProsodyInstalled } from '../../../scripts/lib/localProsody.mjs';
import type { TransferSummary } from '../../../shared/model/transfer';
import { startOneteamProxy, sidHashOf, type OneteamProxy, type OneteamProxyFaults } from '../../support/oneteamProxy';
import { startTestProsody, type LocalProsody } from '../../support/prosody';
import { skipUnlessPresent } from '../../support/requiredTool';
import { closePeer, loginPeer, randomFile, scratchDir, sha256Of, type Peer } from './transferPair';

// SI over the OneTeam HTTP bytestream proxy of seed 000 (/work/shared/seeds/000_2c13721ed8d70a96.txt), Ferry to
// Ferry through a real Prosody and the test component (test/support/oneteamProxy.ts).
const ACCOUNTS: [string, string][] = [['alice', 'alice-pw'], ['bob', 'bob-pw']];
const SECRET = 'oneteam-transfer-secret';
const JIDS = ['bsproxy.localhost', 'bsproxy-fault.localhost'];

describe.skipIf(skipUnlessPresent({ prosody: isProsodyInstalled() }))('Ferry → Ferry over SI through the OneTeam HTTP proxy (seed 000)', () => {
  let server: LocalProsody;
  let proxy: OneteamProxy | null = null;
  const peers: Peer[] = [];
  const src = scratchDir();

  beforeAll(async () => {
    server = await startTestProsody({ accounts: ACCOUNTS, friends: [['alice', 'bob']], offerTls: false, components: JIDS.map((jid) => ({ jid, secret: SECRET })) });
  });
  afterEach(async () => {
    await Promise.all(peers.splice(0).map(closePeer));
    await proxy?.stop();
    proxy = null;
  });
  afterAll(async () => { await server?.stop(); });

  /** The proxy (with faults on the second JID), and two peers whose only proxy it is, with no direct address. */
  async function setUp(faults: OneteamProxyFaults = {}) {
    const jid = Object.keys(faults).length > 0 ? JIDS[1] : JIDS[0];
    proxy = await startOneteamProxy({ prosody: server, jid, secret: SECRET, progressIntervalMs: 50, ...faults });
    const settings = { proxyJids: [jid], discoverProxies: false, directAddresses: [] };
    const alice = await loginPeer(server, 'alice', settings);
    const bob = await loginPeer(server, 'bob', { ...settings, acceptPolicy: () => 'accept' });
    peers.push(alice, bob);
    return { alice, bob, proxy };
  }

  async function send(peers: { alice: Peer; bob: Peer }, transport: 'oneteam' | 'auto', size = 2 * 1024 * 1024 + 13) {
    const { alice, bob } = peers;
    const file = randomFile(src, `${transport}-${size}.bin`, size);
    // 'oneteam' asks for SI by itself; auto would pick Jingle between two Ferry peers, and OneTeam is SI's only.
    const method = transport === 'auto' ? 'si' : undefined;
    const [sent] = await alice.core.handlers['transfer.send']({ to: bob.jid, paths: [file.path], transport, method });
    const received = await bob.until((t) => t.direction === 'incoming' && (t.state === 'done' || t.state === 'failed'), 60_000, 'bob ended');
    const done = await alice.until((t) => t.id === sent.id && (t.state === 'done' || t.state === 'failed'), 60_000, 'alice ended');
    return { file, received, done };
  }

  function expectDone(result: { file: { sha256: string }; received: TransferSummary; done: TransferSummary }, transport: string, bob: Peer): void {
    const { file, received, done } = result;
    expect(received.reason).toBeNull();
    expect(done.reason).toBeNull();
    expect([received.state, done.state]).toEqual(['done', 'done']);
    expect([received.method, done.method]).toEqual(['si', 'si']);
    expect([received.transport, done.transport]).toEqual([transport, transport]);
    expect(received.sha256).toBe(file.sha256);
    expect(done.sha256).toBe(file.sha256);
    expect(sha256Of(received.path!)).toBe(file.sha256);
    expect(readdirSync(bob.dir).filter((n) => n.endsWith('.part'))).toEqual([]);
  }

  it('--transport oneteam: connect, activate with <x/>, multipart POST (SIDHASH first) streamed to the receiver\'s GET (seed 000 I, II)', async () => {
    const pair = await setUp();
    const result = await send(pair, 'oneteam');
    expectDone(result, 'oneteam', pair.bob);
    const events = pair.proxy.events;
    const connect = events.find((e) => e.type === 'connect');
    expect(connect).toMatchObject({ senderJid: pair.alice.jid, receiverJid: pair.bob.jid, outcome: 'connected' });
    const sidHash = sidHashOf((connect as { sid: string }).sid, pair.alice.jid, pair.bob.jid);
    expect(events).toContainEqual(expect.objectContaining({ type: 'activate', mode: 'http', outcome: 'activated' }));
    // The component answers 400 unless SIDHASH is the first field and FILE follows it.
    expect(events).toContainEqual(expect.objectContaining({ type: 'upload', sidHash, status: 200, bytes: result.file.sha256 ? 2 * 1024 * 1024 + 13 : 0, sha256: result.file.sha256 }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'download', sidHash, isComplete: true }));
    expect(result.done.attempts).toContainEqual(expect.objectContaining({ transport: 'oneteam', outcome: 'succeeded', detail: expect.stringContaining('the receiver confirmed it') }));
    expect(result.received.attempts).toContainEqual(expect.objectContaining({ transport: 'oneteam', outcome: 'succeeded' }));
  });

  it('SI auto with no direct address and the OneTeam proxy as the only proxy goes over HTTP (seed 000)', async () => {
    const pair = await setUp();
    expectDone(await send(pair, 'auto'), 'oneteam', pair.bob);
  });

  it('the receiver\'s progress moves with the proxy\'s <progress/> pushes (seed 000 III)', async () => {
    const pair = await setUp();
    const result = await send(pair, 'oneteam', 32 * 1024 * 1024);
    expectDone(result, 'oneteam', pair.bob);
    expect(pair.proxy.events.filter((e) => e.type === 'push' && e.what === 'progress' && e.outcome === 'result').length).toBeGreaterThan(0);
    const incoming = pair.bob.updates.filter((u) => u.id === result.received.id && u.bytes > 0 && u.bytes < u.file.size);
    expect(incoming.length).toBeGreaterThan(0);
  });

  const FAULTS: [string, OneteamProxyFaults, RegExp][] = [
    ['activation 404 item-not-found', { activationError: 'item-not-found' }, /refused the HTTP activation \(not-connected\)/],
    ['activation 409 conflict', { activationError: 'conflict' }, /refused the HTTP activation \(already-activated\)/],
    ['activation 500 resource-constraint', { activationError: 'resource-constraint' }, /refused the HTTP activation \(too-many-transfers\)/],
    ['activation 500 internal-server-error', { activationError: 'internal-server-error' }, /refused the HTTP activation \(proxy-failure\)/],
    ['HTTP 413 on the POST', { postStatus: 413 }, /POST to OneTeam proxy .* failed: .*413/],
    ['HTTP 400 on the POST', { postStatus: 400 }, /POST to OneTeam proxy .* failed: .*400/],
    ['HTTP 404 on the GET', { getStatus: 404 }, /could not download it .*GET from OneTeam proxy .* failed: .*404/],
  ];
  for (const [name, faults, reason] of FAULTS) {
    it(`${name} (seed 000) is logged and the transfer goes on over plain SOCKS5 via the same proxy`, async () => {
      const pair = await setUp(faults);
      const result = await send(pair, 'auto', 300_000 + 7);
      expectDone(result, 's5b-proxy', pair.bob);
      expect(result.done.attempts).toContainEqual(expect.objectContaining({ transport: 'oneteam', outcome: 'failed', reason: expect.stringMatching(reason) }));
      expect(result.received.attempts).toContainEqual(expect.objectContaining({ transport: 'oneteam', outcome: 'failed' }));
      expect(pair.proxy.events).toContainEqual(expect.objectContaining({ type: 'activate', mode: 'socks5', outcome: 'activated' }));
    });
  }

  it('the OneTeam proxy is found by server discovery (disco#items, its feature in disco#info) for --transport oneteam (seed 000)', async () => {
    proxy = await startOneteamProxy({ prosody: server, jid: JIDS[0], secret: SECRET, progressIntervalMs: 50 });
    const settings = { discoverProxies: true, directAddresses: [] };
    const alice = await loginPeer(server, 'alice', settings);
    const bob = await loginPeer(server, 'bob', { ...settings, acceptPolicy: () => 'accept' });
    peers.push(alice, bob);
    const result = await send({ alice, bob }, 'oneteam', 300 * 1024 + 1);
    expectDone(result, 'oneteam', bob);
    expect(proxy.events).toContainEqual(expect.objectContaining({ type: 'activate', mode: 'http', outcome: 'activated' }));
  });

  it('OneTeam refused and plain SOCKS5 through the proxy dead too: the transfer goes on in-band (seed 000 errors, XEP-0047)', async () => {
    proxy = await startOneteamProxy({ prosody: server, jid: JIDS[1], secret: SECRET, activationError: 'internal-server-error' });
    // The proxy's own JID, but a closed SOCKS5 port: HTTP is refused by the activation, plain SOCKS5 cannot connect.
    const closed = await freePort();
    const settings = { proxies: [{ jid: JIDS[1]!, host: '127.0.0.1', port: closed }], discoverProxies: false, directAddresses: [] };
    const alice = await loginPeer(server, 'alice', settings);
    const bob = await loginPeer(server, 'bob', { ...settings, acceptPolicy: () => 'accept' });
    peers.push(alice, bob);
    const result = await send({ alice, bob }, 'auto', 200 * 1024 + 7);
    expectDone(result, 'ibb', bob);
    expect(result.done.attempts).toContainEqual(expect.objectContaining({ transport: 'oneteam', outcome: 'failed', reason: expect.stringContaining('internal-server-error') }));
  });
});
