import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { client, xml, type Client } from '@xmpp/client';
import { isProsodyInstalled } from '../../../scripts/lib/localProsody.mjs';
import { countInboundFromEnabled, type CountingClient } from '../../../electron/xmpp/smInboundCounter';
import { httpProbe } from '../../support/httpProbe';
import { startTestProsody, type LocalProsody } from '../../support/prosody';
import { skipUnlessPresent } from '../../support/requiredTool';
import { isSlixmppInstalled, startSlixmppPeer, type SlixmppPeer } from '../../support/slixmppPeer';

// test/interop/http_upload_peer.py (slixmpp xep_0363 + jabber:x:oob) against Prosody's http_file_share, so
// that Ferry ↔ slixmpp HTTP upload tests can trust it: slixmpp → slixmpp, and a body-less link from xmpp.js.
const SCRIPT = fileURLToPath(new URL('../../interop/http_upload_peer.py', import.meta.url));
const NS_UPLOAD = 'urn:xmpp:http:upload:0';
const NS_OOB = 'jabber:x:oob';
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
const isAiohttpInstalled = (): boolean => existsSync('/usr/lib/python3/dist-packages/aiohttp');

describe.skipIf(skipUnlessPresent({
  prosody: isProsodyInstalled(), 'slixmpp (bash scripts/setup.sh)': isSlixmppInstalled(), 'python3-aiohttp (bash scripts/setup.sh)': isAiohttpInstalled(),
}))('slixmpp HTTP upload peer (XEP-0363 + XEP-0066) against Prosody http_file_share', () => {
  let server: LocalProsody;
  let dir: string;
  let carol: Client;
  const peers: SlixmppPeer[] = [];

  beforeAll(async () => {
    server = await startTestProsody({ offerTls: false, accounts: [['alice', 'alice-pw'], ['bob', 'bob-pw'], ['carol', 'carol-pw']], friends: [['alice', 'bob'], ['carol', 'bob']] });
    dir = mkdtempSync(join(tmpdir(), 'ferry-http-peer-'));
    carol = client({ timeout: 10_000, service: server.service, domain: 'localhost', resource: 'raw', username: 'carol', password: 'carol-pw' });
    countInboundFromEnabled(carol as unknown as CountingClient); // bare xmpp.js miscounts XEP-0198 h at login
    carol.reconnect.stop();
    carol.on('error', () => {});
    await carol.start();
  });
  afterAll(async () => {
    await Promise.all(peers.map((peer) => peer.stop()));
    await carol?.stop();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const peer = (user: string, args: string[]): SlixmppPeer => {
    const started = startSlixmppPeer({ jid: `${user}@localhost/peer`, password: `${user}-pw`, port: server.ports.c2s, args, timeoutS: 45, script: SCRIPT });
    peers.push(started);
    return started;
  };
  /** XEP-0363 as a bare client: slot, PUT, then the GET URL. */
  const carolUpload = async (name: string, data: Buffer): Promise<string> => {
    const answer = await carol.iqCaller.request(xml('iq', { type: 'get', to: server.uploadJid },
      xml('request', { xmlns: NS_UPLOAD, filename: name, size: String(data.length), 'content-type': 'application/octet-stream' })), 5000);
    const slot = answer.getChild('slot', NS_UPLOAD)!;
    const put = slot.getChild('put')!;
    const headers = Object.fromEntries(put.getChildren('header').map((h) => [String(h.attrs.name), h.text()]));
    const response = await httpProbe(String(put.attrs.url), { method: 'PUT', body: data, headers: { ...headers, 'Content-Type': 'application/octet-stream' } });
    expect(response.status).toBe(201);
    return String(slot.getChild('get')!.attrs.url);
  };

  it('slixmpp uploads with xep_0363 and links with body + jabber:x:oob; a body-less oob link from xmpp.js arrives too (XEP-0363, XEP-0066)', async () => {
    const out = mkdtempSync(join(dir, 'rx-'));
    const bob = peer('bob', ['receive', '--count', '2', '--out', out]);
    await bob.waitFor('ready', 20_000);
    const data = randomBytes(2 * 1024 * 1024 + 3);
    const source = join(mkdtempSync(join(dir, 'tx-')), 'holiday photo.bin');
    writeFileSync(source, data);
    const alice = peer('alice', ['send', '--to', 'bob@localhost/peer', '--file', source]);
    expect(await alice.exitCode, alice.stderr()).toBe(0);
    const uploaded = await alice.waitFor('uploaded', 1000);
    expect(uploaded).toMatchObject({ size: data.length, sha256: sha256(data) });
    expect(String(uploaded.url)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);

    const small = randomBytes(5000);
    const url = await carolUpload('note.txt', small);
    await carol.send(xml('message', { to: 'bob@localhost/peer', type: 'normal' }, xml('x', { xmlns: NS_OOB }, xml('url', {}, url))));

    expect(await bob.exitCode, bob.stderr()).toBe(0);
    const files = bob.seen.filter((e) => e.event === 'file');
    expect(files).toEqual([
      expect.objectContaining({ name: 'holiday photo.bin', size: data.length, sha256: sha256(data), url: uploaded.url, from: 'alice@localhost/peer' }),
      expect.objectContaining({ name: 'note.txt', size: small.length, sha256: sha256(small), url, from: 'carol@localhost/raw' }),
    ]);
    expect(readFileSync(String(files[0].path)).equals(data)).toBe(true);
  });

  it('the receiver refuses a link that is not http(s) and fails (exit 1) without writing anything', async () => {
    const out = mkdtempSync(join(dir, 'rx-'));
    const bob = peer('bob', ['receive', '--count', '1', '--out', out]);
    await bob.waitFor('ready', 20_000);
    await carol.send(xml('message', { to: 'bob@localhost/peer' }, xml('x', { xmlns: NS_OOB }, xml('url', {}, 'file:///etc/passwd'))));
    expect(await bob.exitCode).toBe(1);
    expect(String((await bob.waitFor('failed', 1000)).reason)).toContain('not an http(s) URL');
    expect(existsSync(join(out, 'passwd'))).toBe(false);
  });
});
