import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestProsody, type LocalProsody } from '../../support/prosody';
import { closePeer, loginPeer, randomFile, scratchDir, type Peer } from './transferPair';

describe('transfer.remove forgets an ended transfer (issue 11, Remove from list)', () => {
  let server: LocalProsody;
  const peers: Peer[] = [];
  const src = scratchDir();

  beforeAll(async () => {
    server = await startTestProsody({ accounts: [['alice', 'alice-pw'], ['bob', 'bob-pw']], friends: [['alice', 'bob']], offerTls: false });
  });
  afterEach(async () => { await Promise.all(peers.splice(0).map(closePeer)); });
  afterAll(async () => { await server?.stop(); });

  it('refuses while the offer waits, then forgets it once declined (XEP-0096 §4 decline)', async () => {
    const alice = await loginPeer(server, 'alice', { discoverProxies: false });
    const bob = await loginPeer(server, 'bob', { acceptPolicy: () => 'ask', discoverProxies: false });
    peers.push(alice, bob);
    const file = randomFile(src, 'declined.bin', 16 * 1024);
    const [sent] = await alice.core.handlers['transfer.send']({ method: 'si', to: bob.jid, paths: [file.path] });
    const offered = await bob.until((t) => t.state === 'offered', 10_000, 'bob sees the offer');
    expect(() => alice.core.handlers['transfer.remove']({ id: sent.id })).toThrow(/cancel the transfer/);
    await bob.core.handlers['transfer.decline']({ id: offered.id });
    await alice.until((t) => t.id === sent.id && t.state === 'declined', 10_000, 'alice sees the decline');
    alice.core.handlers['transfer.remove']({ id: sent.id });
    const left = await alice.core.handlers['transfer.list']();
    expect(left.map((t) => t.id)).not.toContain(sent.id);
    expect(() => alice.core.handlers['transfer.remove']({ id: sent.id })).toThrow(/no such transfer/);
  });
});
