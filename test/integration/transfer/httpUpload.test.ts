import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import type { TransferSummary } from '../../../shared/model/transfer';
import { startTestProsody, type LocalProsody } from '../../support/prosody';
import { closePeer, loginPeer, randomFile, scratchDir, sha256Of, type Peer } from './transferPair';

const ACCOUNTS: [string, string][] = [['alice', 'alice-pw'], ['bob', 'bob-pw']];
const ended = (t: TransferSummary): boolean => ['done', 'failed', 'cancelled', 'declined'].includes(t.state);
/** Prosody's http_file_share limit in this run: files above it cannot be uploaded. */
const UPLOAD_LIMIT = 4 * 1024 * 1024;

describe('HTTP upload (XEP-0363 + XEP-0066 links), Ferry ↔ Ferry through Prosody\'s http_file_share', () => {
  let server: LocalProsody;
  const peers: Peer[] = [];
  const src = scratchDir();

  beforeAll(async () => {
    server = await startTestProsody({ accounts: ACCOUNTS, friends: [['alice', 'bob']], offerTls: false, uploadSizeLimit: UPLOAD_LIMIT });
  });
  afterEach(async () => { await Promise.all(peers.splice(0).map(closePeer)); });
  afterAll(async () => { await server?.stop(); });

  async function login(user: 'alice' | 'bob', options: Parameters<typeof loginPeer>[2] = {}): Promise<Peer> {
    const peer = await loginPeer(server, user, user === 'bob' ? { acceptPolicy: () => 'accept', ...options } : options);
    peers.push(peer);
    return peer;
  }

  it('--method http-upload: slot, PUT, link; the receiver gets an offer with the link and downloads the same bytes (XEP-0363 §4, XEP-0066 §2)', async () => {
    const alice = await login('alice');
    const bob = await login('bob');
    const file = randomFile(src, 'report 2026.pdf', 1024 * 1024 + 7);
    const [sent] = await alice.core.handlers['transfer.send']({ to: 'bob@localhost', paths: [file.path], method: 'http-upload' });
    const done = await alice.until((t) => t.id === sent!.id && ended(t), 30_000, 'alice ends');
    expect([done.state, done.reason], JSON.stringify(done.attempts)).toEqual(['done', null]);
    expect(done).toMatchObject({ method: 'http-upload', transport: 'http', hash: 'none', bytes: 1024 * 1024 + 7 });
    expect(done.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.+report%202026\.pdf$/);
    const received = await bob.until((t) => t.direction === 'incoming' && ended(t), 30_000, 'bob ends');
    expect([received.state, received.reason], JSON.stringify(received.attempts)).toEqual(['done', null]);
    expect(received).toMatchObject({ method: 'oob', transport: 'http', url: done.url, hash: 'none', sha256: file.sha256 });
    expect(received.file).toMatchObject({ name: 'report 2026.pdf', size: 1024 * 1024 + 7 });
    expect(sha256Of(received.path!)).toBe(file.sha256);
    expect(readdirSync(bob.dir).filter((n) => n.endsWith('.part'))).toEqual([]);
    // The link is a file card, not also a chat message with the URL.
    expect(await bob.core.handlers['chat.history']({ jid: 'alice@localhost' })).toEqual([]);
  });

  it('a link offer waits for the user like any other offer: nothing is fetched before accept', async () => {
    const alice = await login('alice');
    const bob = await login('bob', { acceptPolicy: () => 'ask' });
    const file = randomFile(src, 'ask.bin', 64 * 1024);
    await alice.core.handlers['transfer.send']({ to: 'bob@localhost', paths: [file.path], method: 'http-upload' });
    const offer = await bob.until((t) => t.direction === 'incoming' && t.state === 'offered', 20_000, 'bob offered');
    expect(offer).toMatchObject({ method: 'oob', bytes: 0, file: { name: 'ask.bin', size: 0 } });
    expect(offer.attempts).toEqual([]);
    bob.core.handlers['transfer.accept']({ id: offer.id });
    const received = await bob.until((t) => t.id === offer.id && ended(t), 20_000, 'bob ends');
    expect([received.state, received.file.size, received.sha256]).toEqual(['done', 64 * 1024, file.sha256]);
  });

  it('auto with the peer offline: the upload, and the peer downloads it when it logs in (stored offline by the server)', async () => {
    const alice = await login('alice');
    const file = randomFile(src, 'while-away.bin', 300 * 1024);
    const [sent] = await alice.core.handlers['transfer.send']({ to: 'bob@localhost', paths: [file.path] });
    const done = await alice.until((t) => t.id === sent!.id && ended(t), 30_000, 'alice ends');
    expect([done.state, done.method], JSON.stringify(done.attempts)).toEqual(['done', 'http-upload']);
    expect(done.attempts[0]!.reason).toContain('offline');
    const bob = await login('bob');
    const received = await bob.until((t) => t.direction === 'incoming' && ended(t), 30_000, 'bob ends');
    expect([received.state, received.sha256]).toEqual(['done', file.sha256]);
  });

  it('a file over the upload limit is refused before any upload, with the limit in the message (XEP-0363 §3 max-file-size)', async () => {
    const alice = await login('alice');
    const file = randomFile(src, 'too-big.bin', UPLOAD_LIMIT + 1);
    await expect(alice.core.handlers['transfer.send']({ to: 'bob@localhost', paths: [file.path], method: 'http-upload' }))
      .rejects.toThrow(`over the upload limit of upload.localhost: 4.0 MB (${UPLOAD_LIMIT} bytes)`);
  });

  it('auto, a file over the upload limit to an online peer: peer-to-peer, and the log says why not HTTP', async () => {
    const alice = await login('alice');
    const bob = await login('bob');
    const file = randomFile(src, 'big-p2p.bin', UPLOAD_LIMIT + 1);
    const [sent] = await alice.core.handlers['transfer.send']({ to: bob.jid, paths: [file.path] });
    const done = await alice.until((t) => t.id === sent!.id && ended(t), 40_000, 'alice ends');
    expect([done.state, done.method], JSON.stringify(done.attempts)).toEqual(['done', 'jingle']);
    const received = await bob.until((t) => t.direction === 'incoming' && ended(t), 40_000, 'bob ends');
    expect(received.sha256).toBe(file.sha256);
  });

  it('auto: peer-to-peer fails on every transport → HTTP upload, and the card says so (DESIGN "Methods" fallback)', async () => {
    const alice = await login('alice', { directAddresses: [], discoverProxies: false });
    const bob = await login('bob', { directAddresses: [], discoverProxies: false });
    const file = randomFile(src, 'fallback.bin', 200 * 1024 + 3);
    // SOCKS5 only, with no streamhost anywhere: Jingle cannot carry it, so the plan moves on.
    const [sent] = await alice.core.handlers['transfer.send']({ to: bob.jid, paths: [file.path], transport: 's5b' });
    const done = await alice.until((t) => t.id === sent!.id && ended(t), 60_000, 'alice ends');
    expect([done.state, done.method, done.transport], JSON.stringify(done.attempts)).toEqual(['done', 'http-upload', 'http']);
    expect(done.attempts.map((a) => a.detail)).toContain('jingle failed → trying http-upload');
    const link = await bob.until((t) => t.direction === 'incoming' && t.method === 'oob' && ended(t), 30_000, 'bob gets the link');
    expect([link.state, link.sha256]).toEqual(['done', file.sha256]);
    // Bob's side tells the same story: the Jingle offer failed, then the link came and was downloaded.
    const p2p = bob.updates.filter((t) => t.method === 'jingle' && ended(t)).pop();
    expect(p2p?.state).toBe('failed');
  });

  it('auto with the user\'s method order putting HTTP upload first: an online Jingle peer gets a link, and the log says it was the order (issue #11 settings)', async () => {
    const alice = await login('alice');
    const bob = await login('bob');
    const settings = await alice.core.handlers['settings.get']();
    await alice.core.handlers['settings.set']({ ...settings, methodOrder: ['http-upload', 'jingle', 'si', 'kontalk'] });
    const file = randomFile(src, 'ordered.bin', 100 * 1024 + 1);
    const [sent] = await alice.core.handlers['transfer.send']({ to: bob.jid, paths: [file.path] });
    const done = await alice.until((t) => t.id === sent!.id && ended(t), 30_000, 'alice ends');
    expect([done.state, done.method], JSON.stringify(done.attempts)).toEqual(['done', 'http-upload']);
    expect(done.attempts[0]!.reason).toContain('in your preferred order of methods: http-upload, jingle, si, kontalk');
    const received = await bob.until((t) => t.direction === 'incoming' && ended(t), 30_000, 'bob ends');
    expect([received.state, received.method, received.sha256]).toEqual(['done', 'oob', file.sha256]);
  });
});
