import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { client, xml, type Client } from '@xmpp/client';
import type { TransferSummary } from '../../../shared/model/transfer';
import { countInboundFromEnabled, type CountingClient } from '../../../electron/xmpp/smInboundCounter';
import { startTestProsody, type LocalProsody } from '../../support/prosody';
import { answer, parseRange, startTestHttpServer, type TestHttpServer } from '../../support/testHttpServer';
import { closePeer, loginPeer, type Peer } from './transferPair';
import { waitFor } from '../../support/xmppWaits';

const NS_OOB = 'jabber:x:oob';
const ended = (t: TransferSummary): boolean => ['done', 'failed', 'cancelled', 'declined'].includes(t.state);
const FILE = randomBytes(1024 * 1024 + 333);
const FILE_SHA = createHash('sha256').update(FILE).digest('hex');
const CUT_AT = 300 * 1024;

/**
 * Links from a sender we script (a bare xmpp.js client) to a server we control: a download cut short and
 * resumed with Range (RFC 9110 §14.2), a server that ignores Range, redirect loops and hostile targets, and
 * a size the server never states. The receiver is Ferry.
 */
describe('links received (XEP-0066 jabber:x:oob): resume, hostile servers and URLs', () => {
  let server: LocalProsody;
  let http: TestHttpServer;
  let carol: Client;
  const peers: Peer[] = [];
  const requests: { path: string; range: string | undefined }[] = [];
  let cutNext = false;

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = req.url ?? '/';
    requests.push({ path, range: req.headers.range });
    if (path === '/loop') { res.writeHead(302, { Location: '/loop' }); res.end(); return; }
    if (path === '/to-file') { res.writeHead(302, { Location: 'file:///etc/passwd' }); res.end(); return; }
    // No Content-Length: Node sends these chunked. The cut one stops without the last chunk.
    if (path.startsWith('/chunked/')) { res.writeHead(200, { 'Content-Type': 'application/octet-stream' }); res.write(FILE.subarray(0, 1000)); res.end(FILE.subarray(1000, 5000)); return; }
    if (path.startsWith('/chunked-cut/')) {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.write(FILE.subarray(0, 1000), () => setTimeout(() => res.destroy(), 50));
      return;
    }
    if (!path.startsWith('/files/') && !path.startsWith('/norange/')) { answer(res, 404, 'no'); return; }
    const range = path.startsWith('/norange/') ? null : parseRange(req.headers.range, FILE.length);
    if (range === 'unsatisfiable') { answer(res, 416, 'bad range'); return; }
    const start = range?.start ?? 0;
    const body = FILE.subarray(start);
    res.writeHead(range ? 206 : 200, {
      'Content-Length': String(body.length), 'Content-Type': 'application/octet-stream', 'Accept-Ranges': 'bytes',
      ...(range ? { 'Content-Range': `bytes ${start}-${FILE.length - 1}/${FILE.length}` } : {}),
    });
    if (cutNext) {
      cutNext = false;
      res.write(body.subarray(0, CUT_AT), () => setTimeout(() => res.destroy(), 50));
      return;
    }
    res.end(body);
  };

  beforeAll(async () => {
    server = await startTestProsody({ accounts: [['bob', 'bob-pw'], ['carol', 'carol-pw']], friends: [['carol', 'bob']], offerTls: false });
    http = await startTestHttpServer(serve);
    carol = client({ timeout: 10_000, service: server.service, domain: 'localhost', resource: 'raw', username: 'carol', password: 'carol-pw' });
    countInboundFromEnabled(carol as unknown as CountingClient); // bare xmpp.js miscounts XEP-0198 h at login
    carol.reconnect.stop();
    carol.on('error', () => {});
    await carol.start();
  });
  afterEach(async () => { await Promise.all(peers.splice(0).map(closePeer)); requests.length = 0; });
  afterAll(async () => { await carol?.stop(); await http?.stop(); await server?.stop(); });

  const bobLogin = async (options: { dir?: string } = {}): Promise<Peer> => {
    const bob = await loginPeer(server, 'bob', { acceptPolicy: () => 'accept' }, options);
    peers.push(bob);
    return bob;
  };
  const link = (url: string): Promise<void> =>
    carol.send(xml('message', { to: 'bob@localhost/ferry', type: 'chat' }, xml('body', {}, url), xml('x', { xmlns: NS_OOB }, xml('url', {}, url))));
  const nextEnd = (bob: Peer, seen: number): Promise<TransferSummary> =>
    bob.until((t) => t.direction === 'incoming' && ended(t) && bob.updates.filter((u) => u.direction === 'incoming' && ended(u)).length > seen, 20_000, 'a link ends');

  it('a download cut short keeps its .part; the same link again resumes it with Range and the whole file is right (RFC 9110 §14.2)', async () => {
    const bob = await bobLogin();
    cutNext = true;
    await link(http.url('/files/movie.bin'));
    const first = await nextEnd(bob, 0);
    expect([first.state, first.reason]).toEqual(['failed', expect.stringContaining(`the stream closed after ${CUT_AT} of ${FILE.length} bytes`)]);
    expect(readdirSync(bob.dir).filter((n) => n.endsWith('.part'))).toHaveLength(1);
    // The .part is kept once its sidecar is written, just after the record ended.
    await waitFor(() => readdirSync(bob.dir).some((n) => n.endsWith('.part.ferry.json')), 5000, 'the kept sidecar');
    await link(http.url('/files/movie.bin'));
    const second = await bob.until((t) => t.id !== first.id && t.direction === 'incoming' && ended(t), 20_000, 'second ends');
    expect([second.state, second.reason], JSON.stringify(second.attempts)).toEqual(['done', null]);
    expect(second).toMatchObject({ resumedFrom: CUT_AT, sha256: FILE_SHA, file: { size: FILE.length, name: 'movie.bin' } });
    expect(requests.map((r) => r.range)).toEqual([undefined, `bytes=${CUT_AT}-`]);
    expect(readdirSync(bob.dir).filter((n) => n.includes('.part'))).toEqual([]);
  });

  it('a server that ignores Range sends the whole file again: Ferry starts over from 0 and the file is right', async () => {
    const bob = await bobLogin();
    cutNext = true;
    await link(http.url('/norange/ignore.bin'));
    expect((await nextEnd(bob, 0)).state).toBe('failed');
    await waitFor(() => readdirSync(bob.dir).some((n) => n.endsWith('.part.ferry.json')), 5000, 'the kept sidecar');
    await link(http.url('/norange/ignore.bin'));
    const second = await bob.until((t) => t.direction === 'incoming' && t.state === 'done', 20_000, 'second done');
    expect(second).toMatchObject({ resumedFrom: null, sha256: FILE_SHA });
    expect(requests.map((r) => r.range)).toEqual([undefined, `bytes=${CUT_AT}-`]);
    // The part kept from the first try is of no use once the whole file came again: nothing is left.
    expect(readdirSync(bob.dir).filter((n) => n.includes('.part'))).toEqual([]);
  });

  it.each([
    ['a redirect loop', '/loop', 'redirected in a loop'],
    ['a redirect to file:', '/to-file', 'file:'],
    ['a response with no Content-Length cut before its last chunk', '/chunked-cut/x.bin', 'the server closed the connection before the end of the body'],
  ])('%s fails the download with a clear reason and leaves nothing behind', async (_label, path, reason) => {
    const bob = await bobLogin();
    await link(http.url(path));
    const end = await nextEnd(bob, 0);
    expect([end.state, end.reason]).toEqual(['failed', expect.stringContaining(reason)]);
    expect(readdirSync(bob.dir)).toEqual([]);
  });

  it('a response with no Content-Length (chunked, RFC 9112 §7.1) and a link that gave no size: the body\'s end ends the file, whose size is then known', async () => {
    const bob = await bobLogin();
    await link(http.url('/chunked/sizeless.bin'));
    const end = await nextEnd(bob, 0);
    expect([end.state, end.reason], JSON.stringify(end.attempts)).toEqual(['done', null]);
    expect(end).toMatchObject({ bytes: 5000, sha256: createHash('sha256').update(FILE.subarray(0, 5000)).digest('hex'), file: { size: 5000, name: 'sizeless.bin' } });
    expect(end.attempts).toContainEqual(expect.objectContaining({ detail: expect.stringContaining('size not given (no Content-Length)') }));
    expect(readdirSync(bob.dir)).toEqual(['sizeless.bin']);
  });

  it('a link that is not http(s) is not offered at all; the next good link is', async () => {
    const bob = await bobLogin();
    await link('file:///etc/passwd');
    await link(http.url('/files/good.bin'));
    const end = await nextEnd(bob, 0);
    expect(end).toMatchObject({ state: 'done', url: http.url('/files/good.bin') });
    expect(bob.updates.filter((t) => t.direction === 'incoming').map((t) => t.url)).not.toContain('file:///etc/passwd');
  });
});
