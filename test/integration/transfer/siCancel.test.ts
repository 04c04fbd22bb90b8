import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestProsody, type LocalProsody } from '../../support/prosody';
import { closePeer, loginPeer, randomFile, scratchDir, type Peer } from './transferPair';

const ended = (state: string): boolean => ['done', 'failed', 'cancelled', 'declined'].includes(state);

describe('cancel told truthfully to both sides (Ferry → Ferry, ferry-cancel notice; XEP-0096 has no retract)', () => {
  let server: LocalProsody;
  const peers: Peer[] = [];
  const src = scratchDir();

  beforeAll(async () => {
    server = await startTestProsody({ accounts: [['alice', 'alice-pw'], ['bob', 'bob-pw']], friends: [['alice', 'bob']], offerTls: false });
  });
  afterEach(async () => { await Promise.all(peers.splice(0).map(closePeer)); });
  afterAll(async () => { await server?.stop(); });

  it('a cancel before the receiver answers reaches it: its offer ends "cancelled by <sender>" within seconds', async () => {
    const alice = await loginPeer(server, 'alice', { discoverProxies: false });
    const bob = await loginPeer(server, 'bob', { acceptPolicy: () => 'ask', discoverProxies: false });
    peers.push(alice, bob);
    const file = randomFile(src, 'offer.bin', 64 * 1024);
    const [sent] = await alice.core.handlers['transfer.send']({ method: 'si', to: bob.jid, paths: [file.path] });
    const offered = await bob.until((t) => t.state === 'offered', 10_000, 'bob sees the offer');
    alice.core.handlers['transfer.cancel']({ id: sent.id });
    const onBob = await bob.until((t) => t.id === offered.id && ended(t.state), 5000, 'bob sees the cancel');
    expect([onBob.state, onBob.reason]).toEqual(['cancelled', `cancelled by ${alice.jid}`]);
    expect(alice.latest(sent.id)?.state).toBe('cancelled');
    expect(() => bob.core.handlers['transfer.accept']({ id: offered.id })).toThrow(/cancelled/);
  });

  it.each(['sender', 'receiver'] as const)('a mid-transfer cancel by the %s shows "cancelled by <peer>" on the other side, not a reset', async (who) => {
    const alice = await loginPeer(server, 'alice', { discoverProxies: false });
    const bob = await loginPeer(server, 'bob', { acceptPolicy: () => 'accept', discoverProxies: false });
    peers.push(alice, bob);
    // IBB in iq: slow enough on loopback that the cancel lands mid-stream.
    const file = randomFile(src, `mid-${who}.bin`, 32 * 1024 * 1024);
    const [sent] = await alice.core.handlers['transfer.send']({ method: 'si', to: bob.jid, paths: [file.path], transport: 'ibb' });
    const incoming = await bob.until((t) => t.direction === 'incoming' && t.state === 'transferring' && t.bytes > 0, 15_000, 'bytes flowing');
    const [canceller, other, otherId, cancellerJid] = who === 'sender'
      ? [alice, bob, incoming.id, alice.jid] : [bob, alice, sent.id, bob.jid];
    canceller.core.handlers['transfer.cancel']({ id: who === 'sender' ? sent.id : incoming.id });
    const seen = await other.until((t) => t.id === otherId && ended(t.state), 10_000, 'the other side ends');
    expect([seen.state, seen.reason]).toEqual(['cancelled', `cancelled by ${cancellerJid}`]);
  });
});
