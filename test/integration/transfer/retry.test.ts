import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestProsody, type LocalProsody } from '../../support/prosody';
import { closePeer, loginPeer, randomFile, scratchDir, sha256Of, type Peer } from './transferPair';

describe('transfer.retry offers an ended outgoing file again (issue 11, Retry)', () => {
  let server: LocalProsody;
  const peers: Peer[] = [];
  const src = scratchDir();

  beforeAll(async () => {
    server = await startTestProsody({ accounts: [['alice', 'alice-pw'], ['bob', 'bob-pw']], friends: [['alice', 'bob']], offerTls: false });
  });
  afterEach(async () => { await Promise.all(peers.splice(0).map(closePeer)); });
  afterAll(async () => {
    await server?.stop();
    rmSync(src, { recursive: true, force: true });
  });

  async function pair(): Promise<{ alice: Peer; bob: Peer }> {
    const alice = await loginPeer(server, 'alice', { discoverProxies: false });
    const bob = await loginPeer(server, 'bob', { acceptPolicy: () => 'ask', discoverProxies: false });
    peers.push(alice, bob);
    return { alice, bob };
  }

  it('a declined SI offer retried and accepted arrives verified, its log naming the old transfer (XEP-0096 §4 decline, §5 hash)', async () => {
    const { alice, bob } = await pair();
    const file = randomFile(src, 'retried.bin', 200 * 1024);
    const [sent] = await alice.core.handlers['transfer.send']({ method: 'si', to: bob.jid, paths: [file.path] });
    const first = await bob.until((t) => t.state === 'offered', 10_000, 'bob sees the first offer');
    await bob.core.handlers['transfer.decline']({ id: first.id });
    await alice.until((t) => t.id === sent.id && t.state === 'declined', 10_000, 'alice sees the decline');

    const [again] = await alice.core.handlers['transfer.retry']({ id: sent.id });
    expect(again.id).not.toBe(sent.id);
    expect(again.attempts[0]?.detail).toBe(`retries ${sent.id}`);
    expect(again.file.name).toBe('retried.bin');
    const second = await bob.until((t) => t.id !== first.id && t.state === 'offered', 10_000, 'bob sees the second offer');
    expect(second.method).toBe('si');
    await bob.core.handlers['transfer.accept']({ id: second.id });
    const received = await bob.until((t) => t.id === second.id && t.state === 'done', 20_000, 'bob receives the retried file');
    expect(received.hash).toBe('verified');
    expect(sha256Of(received.path!)).toBe(file.sha256);
    await alice.until((t) => t.id === again.id && t.state === 'done', 10_000, 'alice sees it delivered');
    const old = (await alice.core.handlers['transfer.list']()).find((t) => t.id === sent.id);
    expect(old?.state).toBe('declined');
  });

  it('refuses with a sentence to retry a running transfer, a received one, or a file that is gone', async () => {
    const { alice, bob } = await pair();
    const file = randomFile(src, 'waiting.bin', 16 * 1024);
    const [sent] = await alice.core.handlers['transfer.send']({ method: 'si', to: bob.jid, paths: [file.path] });
    const offered = await bob.until((t) => t.state === 'offered', 10_000, 'bob sees the offer');
    await expect(alice.core.handlers['transfer.retry']({ id: sent.id })).rejects.toThrow(/"waiting\.bin" has not ended yet; cancel it before retrying\./);
    await bob.core.handlers['transfer.decline']({ id: offered.id });
    await alice.until((t) => t.id === sent.id && t.state === 'declined', 10_000, 'alice sees the decline');
    await expect(bob.core.handlers['transfer.retry']({ id: offered.id })).rejects.toThrow(/Only files you sent can be retried/);
    rmSync(file.path);
    await expect(alice.core.handlers['transfer.retry']({ id: sent.id })).rejects.toThrow(/"waiting\.bin" cannot be sent again: it is no longer there/);
    await expect(alice.core.handlers['transfer.retry']({ id: 'no-such-id' as never })).rejects.toThrow(/no longer in the list/);
    expect((await alice.core.handlers['transfer.list']()).filter((t) => t.direction === 'outgoing')).toHaveLength(1);
  });
});
