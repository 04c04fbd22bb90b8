import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import sharp from 'sharp';
import type { TransferSummary } from '../../../shared/model/transfer';
import { startTestProsody, type LocalProsody } from '../../support/prosody';
import { startKontalkComponent, type KontalkComponent } from '../../support/kontalkComponent';
import { closePeer, loginPeer, randomFile, scratchDir, sha256Of, type Peer } from './transferPair';

const ACCOUNTS: [string, string][] = [['alice', 'alice-pw'], ['bob', 'bob-pw']];
const KONTALK_JID = 'kontalk.localhost';
const SECRET = 'kontalk-secret';
const ended = (t: TransferSummary): boolean => ['done', 'failed', 'cancelled', 'declined'].includes(t.state);

describe('Kontalk upload (seed 002), Ferry ↔ Ferry through the test component', () => {
  let server: LocalProsody;
  let kontalk: KontalkComponent;
  const peers: Peer[] = [];
  const src = scratchDir();

  beforeAll(async () => {
    server = await startTestProsody({ accounts: ACCOUNTS, friends: [['alice', 'bob']], offerTls: false, components: [{ jid: KONTALK_JID, secret: SECRET }] });
    kontalk = await startKontalkComponent({ prosody: server, jid: KONTALK_JID, secret: SECRET });
  });
  afterEach(async () => { await Promise.all(peers.splice(0).map(closePeer)); });
  afterAll(async () => { await kontalk?.stop(); await server?.stop(); });

  async function login(user: 'alice' | 'bob', options: Parameters<typeof loginPeer>[2] = {}): Promise<Peer> {
    const peer = await loginPeer(server, user, options);
    peers.push(peer);
    return peer;
  }

  it('an image: upload IQ → POST of the raw body → the link with the thumbnail as IBB <data/>; bob sees the thumbnail in the offer, before any download', async () => {
    const alice = await login('alice');
    const bob = await login('bob', { acceptPolicy: () => 'ask' });
    const path = join(src, 'sunset.png');
    await sharp({ create: { width: 1200, height: 800, channels: 3, background: { r: 250, g: 120, b: 30 } } }).png().toFile(path);
    const [sent] = await alice.core.handlers['transfer.send']({ to: 'bob@localhost', paths: [path], method: 'kontalk' });
    const done = await alice.until((t) => t.id === sent!.id && ended(t), 30_000, 'alice ends');
    expect([done.state, done.method, done.transport], JSON.stringify(done.attempts)).toEqual(['done', 'kontalk', 'http']);
    expect(kontalk.uploadRequests.at(-1)).toMatchObject({ node: 'kontalkbox', mediaType: 'image/png' });
    expect(kontalk.uploads.at(-1)!.sha256).toBe(sha256Of(path));
    expect(done.url).toBe(kontalk.uploads.at(-1)!.url);
    expect(done.attempts.at(-1)!.detail).toMatch(/with a \d+-byte thumbnail/);

    const offer = await bob.until((t) => t.direction === 'incoming' && t.state === 'offered', 20_000, 'bob offered');
    expect(offer).toMatchObject({ method: 'oob', url: done.url, file: { name: expect.any(String), size: 0 } });
    expect(offer.thumbnail).not.toBeNull();
    const shown = await sharp(Buffer.from(offer.thumbnail!.png, 'base64')).metadata();
    expect([shown.format, Math.max(shown.width!, shown.height!)]).toEqual(['png', 128]);
    bob.core.handlers['transfer.accept']({ id: offer.id });
    const received = await bob.until((t) => t.id === offer.id && ended(t), 20_000, 'bob ends');
    expect([received.state, received.sha256], JSON.stringify(received.attempts)).toEqual(['done', sha256Of(path)]);
    expect(received.thumbnail).toEqual(offer.thumbnail);
  });

  it('--thumbnail none: the link goes without a thumbnail, and a non-image never has one', async () => {
    const alice = await login('alice');
    const bob = await login('bob', { acceptPolicy: () => 'accept' });
    const file = randomFile(src, 'notes.bin', 100 * 1024);
    const [sent] = await alice.core.handlers['transfer.send']({ to: 'bob@localhost', paths: [file.path], method: 'kontalk', thumbnail: 'none' });
    await alice.until((t) => t.id === sent!.id && t.state === 'done', 30_000, 'alice done');
    const received = await bob.until((t) => t.direction === 'incoming' && ended(t), 20_000, 'bob ends');
    expect([received.state, received.thumbnail, received.sha256]).toEqual(['done', null, file.sha256]);
  });
});
