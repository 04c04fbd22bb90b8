import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readdirSync, rmSync } from 'node:fs';
import { LOGOUT_REASON } from '../../../electron/transfer/transferService';
import type { TransferSummary } from '../../../shared/model/transfer';
import { startTestProsody, type LocalProsody } from '../../support/prosody';
import { storedPeers } from './storedPeers';
import { randomFile, scratchDir, sha256Of, untilOnline, type Peer } from './transferPair';

// Issue #10: "transfers interrupted by a quit, a crash or a network loss are listed as interrupted with Resume"; a
// logout too. The peer is still told who ended it (XEP-0166 §6.7 <cancel/>, SI ferry-cancel), but what was
// received is kept and the card reads Interrupted, at once and after the next login, with a data folder.
const ended = (t: TransferSummary): boolean => ['done', 'failed', 'cancelled', 'declined', 'interrupted'].includes(t.state);
/** Large enough that IBB on loopback is still moving it at the logout; ≤ 64 MiB, so the offer carries its hash. */
const SIZE = 32 * 1024 * 1024 + 5;
type Method = 'si' | 'jingle';
type User = 'alice' | 'bob';

describe('logout mid-transfer keeps what was received (issue #10; XEP-0096 §3 / XEP-0234 §7 ranges; real Prosody)', () => {
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

  const stored = storedPeers({ prefix: 'logout', server: () => server });
  const { folder, listed } = stored;
  const loginArgs = (user: User) => ({ jid: `${user}@localhost`, password: `${user}-pw`, service: server.service, resource: 'ferry', allowPlaintext: true });
  /** A core with a new data folder (its store) and download folder, logged in; bob takes every offer, alice is asked. */
  const login = (user: User, decision: 'accept' | 'ask' = user === 'bob' ? 'accept' : 'ask'): Promise<Peer> =>
    stored.login(user, { data: folder(`${user}-data`), download: folder(`${user}-dl`) }, decision);

  async function startSlow(alice: Peer, bob: Peer, method: Method, name: string) {
    const file = randomFile(src, name, SIZE);
    const [sent] = await alice.core.handlers['transfer.send']({ to: bob.jid, paths: [file.path], method, transport: 'ibb' });
    const incoming = await bob.until((t) => t.direction === 'incoming' && t.state === 'transferring' && t.bytes >= 512 * 1024, 30_000, 'bytes flowing');
    expect(incoming.bytes, 'still under way at the logout').toBeLessThan(SIZE);
    return { file, sent: sent!, incoming };
  }

  it.each<Method>(['si', 'jingle'])('the receiver logs out mid-transfer over %s: the sender reads "cancelled by bob", bob keeps the .part, lists it interrupted after the next login, and a new offer completes it from there', async (method) => {
    const alice = await login('alice');
    const bob = await login('bob');
    const name = `receiver-${method}.bin`;
    const { file, sent, incoming } = await startSlow(alice, bob, method, name);
    await bob.core.handlers['session.logout']();
    const mine = await alice.until((t) => t.id === sent.id && ended(t), 15_000, 'alice ends');
    expect([mine.state, mine.reason], JSON.stringify(mine)).toEqual(['cancelled', 'cancelled by bob@localhost/ferry']);
    // Kept before the logout returned: the .part and its sidecar; the card turned interrupted with the logout's reason.
    expect(readdirSync(bob.dir).sort()).toEqual([`${name}.part`, `${name}.part.ferry.json`]);
    expect(bob.updates.filter((t) => t.id === incoming.id).map((t) => t.state).slice(-2)).toEqual(['failed', 'interrupted']);
    expect(bob.latest(incoming.id)?.reason).toBe(LOGOUT_REASON);
    await bob.core.handlers['session.login'](loginArgs('bob'));
    const back = (await listed(bob, (list) => list.some((t) => t.id === incoming.id), 'bob lists it')).find((t) => t.id === incoming.id);
    expect(back).toMatchObject({ direction: 'incoming', state: 'interrupted', reason: LOGOUT_REASON, partPath: join(bob.dir, `${name}.part`) });
    // Resume asks alice's Ferry for it again (XEP-0234 §6.2), which offers it anew; bob takes that offer by himself.
    await untilOnline(bob, 'alice@localhost');
    const resumed = await bob.core.handlers['transfer.resume']({ id: incoming.id });
    expect(resumed.note).toBeNull();
    const received = await bob.until((t) => t.id === resumed.transfer?.id && ended(t), 60_000, 'bob receives it again');
    expect([received.state, received.hash, received.sha256], JSON.stringify(received.attempts)).toEqual(['done', 'verified', file.sha256]);
    expect(received.resumedFrom).toBeGreaterThan(0);
    expect(sha256Of(received.path!)).toBe(file.sha256);
    // The interrupted card is replaced by the transfer that continued its .part.
    expect((await bob.core.handlers['transfer.list']()).map((t) => t.id)).toEqual([received.id]);
  }, 120_000);

  it('the sender logs out mid-transfer over jingle: the receiver reads "cancelled by alice", the sender\'s card is interrupted (Resend), also after the next login', async () => {
    const alice = await login('alice');
    const bob = await login('bob');
    const { sent, incoming } = await startSlow(alice, bob, 'jingle', 'sender-jingle.bin');
    await alice.core.handlers['session.logout']();
    const theirs = await bob.until((t) => t.id === incoming.id && ended(t), 15_000, 'bob ends');
    expect([theirs.state, theirs.reason], JSON.stringify(theirs)).toEqual(['cancelled', 'cancelled by alice@localhost/ferry']);
    expect(alice.latest(sent.id)).toMatchObject({ state: 'interrupted', reason: LOGOUT_REASON });
    await alice.core.handlers['session.login'](loginArgs('alice'));
    const back = (await listed(alice, (list) => list.some((t) => t.id === sent.id), 'alice lists it')).find((t) => t.id === sent.id);
    expect(back).toMatchObject({ direction: 'outgoing', state: 'interrupted', reason: LOGOUT_REASON });
    expect((await alice.core.handlers['transfer.list']()).map((t) => t.id)).toEqual([sent.id]);
  }, 90_000);

  it('an offer not yet answered is cancelled by the sender\'s logout as before, not kept as interrupted (XEP-0166 §6.7 cancel)', async () => {
    const alice = await login('alice');
    const bob = await login('bob', 'ask');
    const file = randomFile(src, 'unanswered.bin', 64 * 1024);
    const [sent] = await alice.core.handlers['transfer.send']({ to: bob.jid, paths: [file.path], method: 'jingle' });
    const offered = await bob.until((t) => t.direction === 'incoming' && t.state === 'offered', 10_000, 'bob sees the offer');
    await alice.core.handlers['session.logout']();
    expect(alice.latest(sent!.id)).toMatchObject({ state: 'cancelled', reason: 'cancelled' });
    const theirs = await bob.until((t) => t.id === offered.id && ended(t), 10_000, 'bob\'s offer ends');
    expect([theirs.state, theirs.reason]).toEqual(['cancelled', 'cancelled by alice@localhost/ferry']);
  }, 60_000);
});
