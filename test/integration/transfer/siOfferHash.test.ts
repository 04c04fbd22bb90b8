import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { OFFER_MD5_MAX_BYTES } from '../../../electron/transfer/offerHash';
import { startTestProsody, type LocalProsody } from '../../support/prosody';
import { closePeer, loginPeer, randomFile, scratchDir, type Peer } from './transferPair';

describe('Ferry sends the XEP-0096 §3 md5 hash when it is cheap to compute before the offer', () => {
  let server: LocalProsody;
  const peers: Peer[] = [];
  const src = scratchDir();

  beforeAll(async () => {
    server = await startTestProsody({ accounts: [['alice', 'alice-pw'], ['bob', 'bob-pw']], friends: [['alice', 'bob']], offerTls: false });
  });
  afterEach(async () => { await Promise.all(peers.splice(0).map(closePeer)); });
  afterAll(async () => { await server?.stop(); });

  it('a small file is offered with its md5, and the receiver ends done having checked it', async () => {
    const alice = await loginPeer(server, 'alice', { discoverProxies: false });
    const bob = await loginPeer(server, 'bob', { acceptPolicy: () => 'accept', discoverProxies: false });
    peers.push(alice, bob);
    const file = randomFile(src, 'small.bin', 256 * 1024);
    const md5 = createHash('md5').update(readFileSync(file.path)).digest('hex');
    const [sent] = await alice.core.handlers['transfer.send']({ method: 'si', to: bob.jid, paths: [file.path] });
    expect(sent.file.md5).toBe(md5);
    const got = await bob.until((t) => t.direction === 'incoming' && t.state === 'done', 20_000, 'bob done');
    expect(got.file.md5).toBe(md5);
    expect(got.sha256).toBe(file.sha256);
  });

  it('a file above the bound is offered without a hash (no noticeable delay before the offer)', async () => {
    const alice = await loginPeer(server, 'alice', { discoverProxies: false });
    const bob = await loginPeer(server, 'bob', { acceptPolicy: () => 'decline', discoverProxies: false });
    peers.push(alice, bob);
    const file = randomFile(src, 'big.bin', OFFER_MD5_MAX_BYTES + 1);
    const [sent] = await alice.core.handlers['transfer.send']({ method: 'si', to: bob.jid, paths: [file.path] });
    expect(sent.file.md5).toBeNull();
  });
});
