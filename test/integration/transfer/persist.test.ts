import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, rmSync } from 'node:fs';
import type { TransferSummary } from '../../../shared/model/transfer';
import { startTestProsody, type LocalProsody } from '../../support/prosody';
import { waitFor } from '../../support/xmppWaits';
import { storedPeers, type PeerFolders } from './storedPeers';
import { randomFile, scratchDir, type Peer } from './transferPair';

// Issue #10: transfers are kept in the account's store (schema 3) and come back after a restart of the core
// with the same data folder; the ones that were running come back `interrupted`, with Resume / Resend.
const ended = (t: TransferSummary): boolean => ['done', 'failed', 'cancelled', 'declined', 'interrupted'].includes(t.state);
/** Large enough that IBB on loopback is still moving it when the test stops a core; ≤ 64 MiB, so the offer carries its hash. */
const SIZE = 32 * 1024 * 1024 + 5;
type Method = 'si' | 'jingle';

describe('transfers across restarts (issue #10; XEP-0096 §3 / XEP-0234 §7 ranges; real Prosody)', () => {
  let server: LocalProsody;
  const src = scratchDir();

  beforeAll(async () => {
    server = await startTestProsody({ accounts: [['alice', 'alice-pw'], ['bob', 'bob-pw']], friends: [['alice', 'bob']], offerTls: false });
  });
  afterEach(async () => {
    await stored.cleanup();
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(src, { recursive: true, force: true });
  });

  const stored = storedPeers({ prefix: 'persist', server: () => server });
  const { folder, listed } = stored;
  /** Bob takes every offer; alice is asked (default). */
  const login = (user: 'alice' | 'bob', dirs: PeerFolders): Promise<Peer> => stored.login(user, dirs, user === 'bob' ? 'accept' : undefined);

  async function startSlow(alice: Peer, bob: Peer, method: Method, name: string) {
    const file = randomFile(src, name, SIZE);
    const [sent] = await alice.core.handlers['transfer.send']({ to: bob.jid, paths: [file.path], method, transport: 'ibb' });
    const incoming = await bob.until((t) => t.direction === 'incoming' && t.state === 'transferring' && t.bytes >= 512 * 1024, 30_000, 'bytes flowing');
    expect(incoming.bytes, 'still under way when stopped').toBeLessThan(SIZE);
    return { file, sent: sent!, incoming };
  }

  it('an ended transfer comes back after a restart as it was, attempt log included', async () => {
    const aliceDirs = { data: folder('a-data'), download: folder('a-dl') };
    const bobDirs = { data: folder('b-data'), download: folder('b-dl') };
    const alice = await login('alice', aliceDirs);
    const bob = await login('bob', bobDirs);
    const file = randomFile(src, 'kept.bin', 200_000);
    const [sent] = await alice.core.handlers['transfer.send']({ to: bob.jid, paths: [file.path], method: 'jingle' });
    const received = await bob.until((t) => t.direction === 'incoming' && ended(t), 30_000, 'bob receives');
    const done = await alice.until((t) => t.id === sent!.id && ended(t), 30_000, 'alice ends');
    expect([received.state, done.state]).toEqual(['done', 'done']);
    await Promise.all([alice.core.dispose(), bob.core.dispose()]);
    const bob2 = await login('bob', bobDirs);
    const alice2 = await login('alice', aliceDirs);
    const [back] = await listed(bob2, (list) => list.length === 1, 'bob lists the stored transfer');
    expect(back).toMatchObject({ id: received.id, state: 'done', hash: 'verified', path: received.path, sha256: file.sha256, bytes: 200_000 });
    expect(back!.attempts).toEqual(received.attempts);
    expect(back!.attempts.length).toBeGreaterThan(0);
    const [mine] = await listed(alice2, (list) => list.length === 1, 'alice lists the stored transfer');
    expect(mine).toMatchObject({ id: done.id, state: 'done', direction: 'outgoing' });
    expect(mine!.attempts).toEqual((await alice.core.handlers['transfer.list']()).find((t) => t.id === done.id)?.attempts ?? done.attempts);
  }, 90_000);

  // A receiver shut down mid-transfer, restarted, Resume: resumeRequest.test.ts (the sender is asked again).

  it.each<Method>(['si', 'jingle'])('a sender shut down mid-transfer over %s: the receiver\'s card is interrupted at once, the sender\'s after its restart; Resend completes it from the receiver\'s kept part', async (method) => {
    const aliceDirs = { data: folder('a-data'), download: folder('a-dl') };
    const bobDirs = { data: folder('b-data'), download: folder('b-dl') };
    const alice = await login('alice', aliceDirs);
    const bob = await login('bob', bobDirs);
    const { file, sent, incoming } = await startSlow(alice, bob, method, `sender-${method}.bin`);
    await alice.core.dispose();
    await bob.until((t) => t.id === incoming.id && ended(t), 40_000, 'bob ends the broken transfer');
    await waitFor(() => readdirSync(bobDirs.download).length === 2, 5_000, 'bob keeps the .part and its sidecar');
    // Without a restart: bob's card turns from failed to interrupted once its .part is kept, with the failure's reason.
    const live = await bob.until((t) => t.id === incoming.id && t.state === 'interrupted', 5_000, 'bob\'s card interrupted');
    expect(live.reason).toBeTruthy();
    expect(bob.updates.filter((t) => t.id === incoming.id).map((t) => t.state).slice(-2)).toEqual(['failed', 'interrupted']);
    expect((await bob.core.handlers['transfer.list']()).find((t) => t.id === incoming.id)?.state).toBe('interrupted');
    expect((await bob.core.handlers['transfer.resume']({ id: incoming.id })).note).toMatch(/^Ask alice@localhost to send .+ again: Ferry will continue from the \d+ bytes it kept\.$/);
    const alice2 = await login('alice', aliceDirs);
    const back = (await listed(alice2, (list) => list.some((t) => t.id === sent.id), 'alice lists the stored transfer')).find((t) => t.id === sent.id);
    expect(back).toMatchObject({ id: sent.id, direction: 'outgoing', state: 'interrupted', path: file.path });
    // Resend picks the method again: wait until alice sees bob online (else only the upload service fits).
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
      const roster = await alice2.core.handlers['roster.get']();
      if (roster.some((c) => c.jid === 'bob@localhost' && c.resources.length > 0)) break;
    }
    const [again] = await alice2.core.handlers['transfer.resend']({ id: sent.id });
    const done = await alice2.until((t) => t.id === again!.id && ended(t), 60_000, 'alice ends the resend');
    const received = await bob.until((t) => t.direction === 'incoming' && t.id !== incoming.id && ended(t), 60_000, 'bob receives it again');
    expect([received.state, received.hash, received.sha256], JSON.stringify(received.attempts)).toEqual(['done', 'verified', file.sha256]);
    expect(received.resumedFrom).toBeGreaterThan(0);
    expect([done.state, done.resumedFrom]).toEqual(['done', received.resumedFrom]);
    expect((await alice2.core.handlers['transfer.list']()).map((t) => t.id)).toEqual([again!.id]);
    // Bob's interrupted card is replaced by the transfer that continued its .part.
    expect((await bob.core.handlers['transfer.list']()).map((t) => t.id)).toEqual([received.id]);
  }, 120_000);
});
