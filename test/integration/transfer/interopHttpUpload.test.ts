import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TransferSummary } from '../../../shared/model/transfer';
import { isProsodyInstalled } from '../../../scripts/lib/localProsody.mjs';
import { startTestProsody, type LocalProsody } from '../../support/prosody';
import { skipUnlessPresent } from '../../support/requiredTool';
import { isSlixmppInstalled, startSlixmppPeer, type SlixmppPeer } from '../../support/slixmppPeer';
import { closePeer, loginPeer, randomFile, scratchDir, sha256Of, type Peer } from './transferPair';

// Ferry ↔ slixmpp (code we did not write: its xep_0363 and xep_0066 plugins), both directions, through
// Prosody's http_file_share.
const SCRIPT = fileURLToPath(new URL('../../interop/http_upload_peer.py', import.meta.url));
const ended = (t: TransferSummary): boolean => ['done', 'failed', 'cancelled', 'declined'].includes(t.state);
const isAiohttpInstalled = (): boolean => existsSync('/usr/lib/python3/dist-packages/aiohttp');

describe.skipIf(skipUnlessPresent({
  prosody: isProsodyInstalled(), 'slixmpp (bash scripts/setup.sh)': isSlixmppInstalled(), 'python3-aiohttp (bash scripts/setup.sh)': isAiohttpInstalled(),
}))('HTTP upload interop with slixmpp (XEP-0363 + XEP-0066, real Prosody)', () => {
  let server: LocalProsody;
  const peers: Peer[] = [];
  const scripts: SlixmppPeer[] = [];
  const src = scratchDir();

  beforeAll(async () => {
    server = await startTestProsody({ accounts: [['alice', 'alice-pw'], ['bob', 'bob-pw']], friends: [['alice', 'bob']], offerTls: false });
  });
  afterEach(async () => {
    await Promise.all(scripts.splice(0).map((s) => s.stop()));
    await Promise.all(peers.splice(0).map(closePeer));
  });
  afterAll(async () => { await server?.stop(); });

  const slixmpp = (user: string, args: string[]): SlixmppPeer => {
    const peer = startSlixmppPeer({ jid: `${user}@localhost/peer`, password: `${user}-pw`, port: server.ports.c2s, args, timeoutS: 45, script: SCRIPT });
    scripts.push(peer);
    return peer;
  };

  it('slixmpp uploads and links (body + jabber:x:oob); Ferry offers the link and downloads the same bytes', async () => {
    const bob = await loginPeer(server, 'bob', { acceptPolicy: () => 'accept' });
    peers.push(bob);
    const file = randomFile(src, 'from slixmpp.bin', 1536 * 1024 + 11);
    const alice = slixmpp('alice', ['send', '--to', 'bob@localhost', '--file', file.path]);
    expect(await alice.exitCode, alice.stderr()).toBe(0);
    const uploaded = await alice.waitFor('uploaded', 1000);
    const received = await bob.until((t) => t.direction === 'incoming' && ended(t), 30_000, 'bob ends');
    expect([received.state, received.reason], JSON.stringify(received.attempts)).toEqual(['done', null]);
    expect(received).toMatchObject({ method: 'oob', transport: 'http', url: uploaded.url, peer: 'alice@localhost/peer', sha256: file.sha256 });
    expect(received.file.name).toBe('from slixmpp.bin');
    expect(sha256Of(received.path!)).toBe(file.sha256);
  });

  it('Ferry uploads (--method http-upload) and links; slixmpp finds the link and downloads the same bytes', async () => {
    const out = mkdtempSync(join(src, 'rx-'));
    const bob = slixmpp('bob', ['receive', '--count', '1', '--out', out]);
    await bob.waitFor('ready', 20_000);
    const alice = await loginPeer(server, 'alice');
    peers.push(alice);
    const file = randomFile(src, 'from ferry.bin', 2 * 1024 * 1024 + 5);
    const [sent] = await alice.core.handlers['transfer.send']({ to: 'bob@localhost/peer', paths: [file.path], method: 'http-upload' });
    const done = await alice.until((t) => t.id === sent!.id && ended(t), 30_000, 'alice ends');
    expect([done.state, done.method], JSON.stringify(done.attempts)).toEqual(['done', 'http-upload']);
    expect(await bob.exitCode, bob.stderr()).toBe(0);
    expect(bob.seen.filter((e) => e.event === 'file')).toEqual([
      expect.objectContaining({ name: 'from ferry.bin', size: 2 * 1024 * 1024 + 5, sha256: file.sha256, url: done.url, from: 'alice@localhost/ferry' }),
    ]);
  });

  it('auto to an offline slixmpp user: Ferry uploads, and slixmpp gets the link when it comes online (offline storage)', async () => {
    const alice = await loginPeer(server, 'alice');
    peers.push(alice);
    const file = randomFile(src, 'later.bin', 100 * 1024);
    const [sent] = await alice.core.handlers['transfer.send']({ to: 'bob@localhost', paths: [file.path] });
    const done = await alice.until((t) => t.id === sent!.id && ended(t), 30_000, 'alice ends');
    expect([done.state, done.method]).toEqual(['done', 'http-upload']);
    const out = mkdtempSync(join(src, 'rx-'));
    const bob = slixmpp('bob', ['receive', '--count', '1', '--out', out]);
    expect(await bob.exitCode, bob.stderr()).toBe(0);
    expect(bob.seen.find((e) => e.event === 'file')).toMatchObject({ name: 'later.bin', sha256: file.sha256 });
  });
});
