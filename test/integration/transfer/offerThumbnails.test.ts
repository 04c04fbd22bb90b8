import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import sharp from 'sharp';
import type { TransferSummary } from '../../../shared/model/transfer';
import { startTestProsody, type LocalProsody } from '../../support/prosody';
import { closePeer, loginPeer, scratchDir, sha256Of, type Peer } from './transferPair';

const ended = (t: TransferSummary): boolean => ['done', 'failed', 'cancelled', 'declined'].includes(t.state);

describe('thumbnails in peer-to-peer offers (XEP-0264 <thumbnail uri="cid:…"/>, bytes by XEP-0231 BoB), Ferry ↔ Ferry', () => {
  let server: LocalProsody;
  const peers: Peer[] = [];
  const src = scratchDir();

  beforeAll(async () => {
    server = await startTestProsody({ accounts: [['alice', 'alice-pw'], ['bob', 'bob-pw']], friends: [['alice', 'bob']], offerTls: false });
  });
  afterEach(async () => { await Promise.all(peers.splice(0).map(closePeer)); });
  afterAll(async () => { await server?.stop(); });

  it.each(['jingle', 'si'] as const)('%s: bob sees the preview of alice\'s photo while the offer waits, fetched by BoB and re-encoded as PNG', async (method) => {
    const alice = await loginPeer(server, 'alice');
    const bob = await loginPeer(server, 'bob', { acceptPolicy: () => 'ask' });
    peers.push(alice, bob);
    const path = join(src, `photo-${method}.jpg`);
    await sharp({ create: { width: 2000, height: 1000, channels: 3, background: { r: 20, g: 90, b: 200 } } }).jpeg().toFile(path);
    await alice.core.handlers['transfer.send']({ to: bob.jid, paths: [path], method });
    const offer = await bob.until((t) => t.direction === 'incoming' && t.state === 'offered' && t.thumbnail !== null, 20_000, 'an offer with a preview');
    expect(offer.method).toBe(method);
    // Held until the BoB fetch settled: the very first update of the offer already has it (a CLI offer line does too).
    expect(bob.updates.find((t) => t.id === offer.id)!.thumbnail).not.toBeNull();
    expect(offer.thumbnail!.mediaType).toMatch(/^image\/(png|jpeg)$/);
    expect(offer.thumbnail!.bytes).toBeLessThanOrEqual(8192);
    const shown = await sharp(Buffer.from(offer.thumbnail!.png, 'base64')).metadata();
    expect([shown.format, shown.width, shown.height]).toEqual(['png', 128, 64]);
    bob.core.handlers['transfer.accept']({ id: offer.id });
    const received = await bob.until((t) => t.id === offer.id && ended(t), 20_000, 'bob ends');
    expect([received.state, received.sha256]).toEqual(['done', sha256Of(path)]);
  });

  it('--thumbnail none sends the offer without one', async () => {
    const alice = await loginPeer(server, 'alice');
    const bob = await loginPeer(server, 'bob', { acceptPolicy: () => 'accept' });
    peers.push(alice, bob);
    const path = join(src, 'plain.png');
    await sharp({ create: { width: 300, height: 300, channels: 3, background: { r: 1, g: 2, b: 3 } } }).png().toFile(path);
    await alice.core.handlers['transfer.send']({ to: bob.jid, paths: [path], thumbnail: 'none' });
    const offered = await bob.until((t) => t.direction === 'incoming', 20_000, 'bob offered');
    const received = await bob.until((t) => t.id === offered.id && ended(t), 20_000, 'bob ends');
    expect(received.state).toBe('done');
    // Only the preview made from the received file, after it was done; none came with the offer.
    expect(bob.updates.filter((t) => t.id === offered.id && !ended(t)).every((t) => t.thumbnail === null)).toBe(true);
  });
});
