import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { request, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { client, xml, type Client } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { isProsodyInstalled } from '../../../scripts/lib/localProsody.mjs';
import { countInboundFromEnabled, type CountingClient } from '../../../electron/xmpp/smInboundCounter';
import { httpProbe } from '../../support/httpProbe';
import { NS_BS_PROXY, NS_BYTESTREAMS, sidHashOf, startOneteamProxy, type OneteamProxy, type OneteamProxyFaults, type OneteamSeedError } from '../../support/oneteamProxy';
import { startTestProsody, type LocalProsody } from '../../support/prosody';
import { skipUnlessPresent } from '../../support/requiredTool';
import { waitFor } from '../../support/xmppWaits';

// The OneTeam HTTP bytestream proxy test component of seed 000 (/work/shared/seeds/000_2c13721ed8d70a96.txt)
// driven by two bare xmpp.js clients (the seed's jerome and jerome2), node:http and raw SOCKS5 sockets.
const JID = 'bsproxy.localhost';
const FAULTY_JID = 'bsproxy-faulty.localhost';
const SECRET = 'bs-proxy-component-secret';
const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info';
const SEED_BOUNDARY = '---------------------------7148830871206398517200280906';
const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex');

interface Part { name: string; filename?: string; contentType?: string; data: Buffer }

/** A multipart/form-data body laid out as the seed's I.3 example. */
function multipart(parts: Part[], boundary = SEED_BOUNDARY): { head: Buffer[]; tail: Buffer; contentType: string } {
  const head = parts.map((part, i) => Buffer.concat([
    Buffer.from(`${i === 0 ? '' : '\r\n'}--${boundary}\r\n`
      + (part.contentType ? `Content-Type: ${part.contentType}\r\n` : '')
      + `Content-Disposition: form-data; name="${part.name}"${part.filename ? `; filename="${part.filename}"` : ''}\r\n\r\n`),
    part.data,
  ]));
  return { head, tail: Buffer.from(`\r\n--${boundary}--\r\n`), contentType: `multipart/form-data; boundary=${boundary}` };
}
const seedForm = (sidHash: string, data: Buffer): Buffer => {
  const form = multipart([
    { name: 'SIDHASH', contentType: 'text/plain; charset=ISO-8859-2', data: Buffer.from(sidHash) },
    { name: 'FILE', filename: 'TEST', contentType: 'application/octet-stream', data },
  ]);
  return Buffer.concat([...form.head, form.tail]);
};
const FORM_TYPE = { 'Content-Type': `multipart/form-data; boundary=${SEED_BOUNDARY}` };

/** A raw XEP-0065 SOCKS5 client: no-auth greeting, CONNECT to DST.ADDR port 0; resolves once the reply came. */
async function socks5Connect(port: number, dstAddr: string): Promise<{ socket: Socket; received: Buffer[]; ended: Promise<void> }> {
  const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
  socket.on('error', () => undefined);
  const expected = 2 + 5 + dstAddr.length + 2;
  let handshake = Buffer.alloc(0);
  const received: Buffer[] = [];
  const ended = new Promise<void>((resolve) => socket.once('end', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('SOCKS5 handshake timed out')), 5000);
    socket.once('connect', () => {
      socket.write(Buffer.from([0x05, 0x01, 0x00]));
      socket.write(Buffer.concat([Buffer.from([0x05, 0x01, 0x00, 0x03, dstAddr.length]), Buffer.from(dstAddr), Buffer.from([0, 0])]));
    });
    socket.on('data', (chunk: Buffer) => {
      if (handshake.length >= expected) { received.push(chunk); return; }
      handshake = Buffer.concat([handshake, chunk]);
      if (handshake.length < expected) return;
      clearTimeout(timer);
      if (handshake[0] !== 0x05 || handshake[1] !== 0x00 || handshake[3] !== 0x00) reject(new Error(`refused: ${handshake.toString('hex')}`));
      else resolve();
      if (handshake.length > expected) received.push(handshake.subarray(expected));
    });
  });
  return { socket, received, ended };
}

describe.skipIf(skipUnlessPresent({ prosody: isProsodyInstalled() }))('OneTeam bs-proxy test component (seed 000)', () => {
  let server: LocalProsody;
  let proxy: OneteamProxy;
  let faulty: OneteamProxy | null = null;
  let jerome: Client;
  let jerome2: Client;
  const pushes: Element[] = [];
  const senderJid = 'jerome@localhost/Gajim';
  const receiverJid = 'jerome2@localhost/Gajim';

  const login = async (user: string): Promise<Client> => {
    const xmpp = client({ timeout: 10_000, service: server.service, domain: 'localhost', resource: 'Gajim', username: user, password: `${user}-pw` });
    countInboundFromEnabled(xmpp as unknown as CountingClient); // bare xmpp.js miscounts XEP-0198 h at login
    xmpp.reconnect.stop();
    xmpp.on('error', () => {});
    await xmpp.start();
    return xmpp;
  };

  beforeAll(async () => {
    server = await startTestProsody({ accounts: [['jerome', 'jerome-pw'], ['jerome2', 'jerome2-pw']], components: [{ jid: JID, secret: SECRET }, { jid: FAULTY_JID, secret: SECRET }] });
    proxy = await startOneteamProxy({ prosody: server, jid: JID, secret: SECRET, progressIntervalMs: 50 });
    jerome = await login('jerome');
    jerome2 = await login('jerome2');
    for (const name of ['activated', 'progress']) {
      jerome2.iqCallee.set(NS_BS_PROXY, name, ({ stanza }: { stanza: Element }) => { pushes.push(stanza); return true; });
    }
  });
  afterEach(async () => {
    await faulty?.stop();
    faulty = null;
  });
  afterAll(async () => {
    await Promise.all([jerome?.stop(), jerome2?.stop()]);
    await proxy?.stop();
    await server?.stop();
  });

  const iq = (from: Client, type: 'get' | 'set', to: string, child: Element): Promise<Element> => from.iqCaller.request(xml('iq', { type, to }, child), 5000);
  const failureOf = async (pending: Promise<unknown>): Promise<{ condition: string; code: unknown; type: unknown }> => {
    const error = (await pending.then(() => null, (e: unknown) => e)) as { condition: string; element: Element } | null;
    return error ? { condition: error.condition, code: error.element.attrs.code, type: error.element.attrs.type } : { condition: 'none', code: null, type: null };
  };
  const withFaults = async (faults: OneteamProxyFaults): Promise<OneteamProxy> => {
    faulty = await startOneteamProxy({ prosody: server, jid: FAULTY_JID, secret: SECRET, progressIntervalMs: 50, ...faults });
    return faulty;
  };
  /** II.1: jerome2 asks the proxy to connect to jerome's sid. */
  const connectReceiver = (to: string, sid: string, port: number): Promise<Element> =>
    iq(jerome2, 'set', to, xml('connect', { xmlns: NS_BS_PROXY, sid, jid: senderJid }, xml('streamhost', { jid: to, host: '127.0.0.1', port: String(port) })));
  /** I.2: jerome activates with the bs-proxy <x/>. */
  const activate = (to: string, sid: string, isHttp = true): Promise<Element> =>
    iq(jerome, 'set', to, xml('query', { xmlns: NS_BYTESTREAMS, sid }, xml('activate', {}, receiverJid), ...(isHttp ? [xml('x', { xmlns: NS_BS_PROXY })] : [])));
  const pushFor = (what: string, sidHash: string, match: (e: Element) => boolean = () => true): Promise<Element> =>
    waitFor(() => pushes.map((p) => p.getChild(what, NS_BS_PROXY)).find((e): e is Element => !!e && e.attrs.sidhash === sidHash && match(e)), 10_000, `${what} push`);
  /** Connect, activate: the upload URL of the result and the download URL of the push. */
  const negotiate = async (target: OneteamProxy): Promise<{ sid: string; sidHash: string; uploadUrl: string; downloadUrl: string }> => {
    const sid = `s${randomBytes(6).toString('hex')}`;
    const sidHash = sidHashOf(sid, senderJid, receiverJid);
    await connectReceiver(target.jid, sid, target.socksPort);
    const result = await activate(target.jid, sid);
    const uploadUrl = String(result.getChild('activated', NS_BS_PROXY)?.attrs.url);
    const downloadUrl = String((await pushFor('activated', sidHash)).attrs.url);
    return { sid, sidHash, uploadUrl, downloadUrl };
  };

  it('computes SIDHASH = SHA(SID + sender_jid + receiver_jid) as the seed\'s example (seed 000)', () => {
    expect(sidHashOf('SID', 'jerome@localhost/Gajim', 'jerome2@localhost/Gajim')).toBe('aebf79a080576ab4687837ecf98c0aaf939a6e4a');
  });

  it('publishes identity proxy/bytestreams with the bytestreams and bs-proxy features (seed 000)', async () => {
    const query = (await iq(jerome, 'get', JID, xml('query', { xmlns: NS_DISCO_INFO }))).getChild('query', NS_DISCO_INFO)!;
    expect(query.getChild('identity')?.attrs).toMatchObject({ category: 'proxy', type: 'bytestreams' });
    expect(query.getChildren('feature').map((f) => f.attrs.var)).toEqual(expect.arrayContaining([NS_BYTESTREAMS, NS_BS_PROXY]));
  });

  it('answers the streamhost query with its own SOCKS5 relay (seed 000 I.1, XEP-0065)', async () => {
    const streamhost = (await iq(jerome, 'get', JID, xml('query', { xmlns: NS_BYTESTREAMS }))).getChild('query', NS_BYTESTREAMS)?.getChild('streamhost');
    expect(streamhost?.attrs).toEqual({ jid: JID, host: '127.0.0.1', port: String(proxy.socksPort) });
  });

  it('relays a plain XEP-0065 transfer after activation without <x/>, half-close included (fallback)', async () => {
    const sid = `p${randomBytes(6).toString('hex')}`;
    const dstAddr = sha1(sid + senderJid + receiverJid);
    const target = await socks5Connect(proxy.socksPort, dstAddr);
    const requester = await socks5Connect(proxy.socksPort, dstAddr);
    expect(await failureOf(iq(jerome, 'set', JID, xml('query', { xmlns: NS_BYTESTREAMS, sid: 'other' }, xml('activate', {}, receiverJid))))).toMatchObject({ condition: 'item-not-found' });
    await activate(JID, sid, false);
    const data = randomBytes(2 * 1024 * 1024 + 1);
    requester.socket.end(data);
    await target.ended;
    expect(Buffer.concat(target.received).equals(data)).toBe(true);
    target.socket.end(Buffer.from('back'));
    await requester.ended;
    expect(Buffer.concat(requester.received).toString()).toBe('back');
    expect(await failureOf(activate(JID, sid, false))).toMatchObject({ condition: 'conflict' });
    for (const s of [target.socket, requester.socket]) s.destroy();
  });

  it('refuses a SOCKS5 activation with only one party connected (XEP-0065 not-allowed)', async () => {
    const sid = `q${randomBytes(6).toString('hex')}`;
    const lone = await socks5Connect(proxy.socksPort, sha1(sid + senderJid + receiverJid));
    expect(await failureOf(activate(JID, sid, false))).toMatchObject({ condition: 'not-allowed' });
    lone.socket.destroy();
  });

  it('HTTP path: connect → connected, activate with <x/> → upload URL, push → download URL, multipart POST streamed to the GET with progress (seed 000 I.2, I.3, II, III)', async () => {
    const sid = `h${randomBytes(6).toString('hex')}`;
    const sidHash = sidHashOf(sid, senderJid, receiverJid);
    const connected = (await connectReceiver(JID, sid, proxy.socksPort)).getChild('connected', NS_BS_PROXY);
    expect(connected?.attrs.jid).toBe(JID);
    const uploadUrl = (await activate(JID, sid)).getChild('activated', NS_BS_PROXY)?.attrs.url;
    expect(uploadUrl).toBe(`http://127.0.0.1:${proxy.httpPort}/upload`);
    const push = await pushFor('activated', sidHash);
    expect(String(push.attrs.url)).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${proxy.httpPort}/[0-9a-f-]{36}$`));

    // The receiver's GET starts before the sender has sent anything.
    const got: Buffer[] = [];
    const download = new Promise<IncomingMessage>((resolve, reject) => {
      request(String(push.attrs.url), (res) => { res.on('data', (c: Buffer) => got.push(c)); res.once('end', () => resolve(res)); res.once('error', reject); }).once('error', reject).end();
    });
    const data = randomBytes(3 * 1024 * 1024 + 11);
    const half = 1024 * 1024;
    const form = multipart([
      { name: 'SIDHASH', contentType: 'text/plain; charset=ISO-8859-2', data: Buffer.from(sidHash) },
      { name: 'FILE', filename: 'TEST', contentType: 'application/octet-stream', data },
    ]);
    const length = form.head.reduce((n, b) => n + b.length, 0) + form.tail.length;
    const head = Buffer.concat(form.head);
    const firstWrite = head.length - data.length + half;
    let postStatus = 0;
    const post = request(String(uploadUrl), { method: 'POST', headers: { 'Content-Type': form.contentType, 'Content-Length': String(length) } }, (res) => { postStatus = res.statusCode ?? 0; res.resume(); });
    const posted = new Promise<void>((resolve, reject) => { post.once('response', (res) => res.once('end', () => resolve())); post.once('error', reject); });
    post.write(head.subarray(0, firstWrite));
    // Mid-upload (the POST waits for its second write): the receiver already has about the first half (the
    // multipart parser may hold back a boundary's length), and a progress push counts it against the whole size.
    const nearlyHalf = half - 1024;
    await waitFor(() => got.reduce((n, c) => n + c.length, 0) >= nearlyHalf, 10_000, 'first half at the receiver');
    const midway = await pushFor('progress', sidHash, (e) => Number(e.attrs.sent) >= nearlyHalf);
    expect(Number(midway.attrs.sent)).toBeLessThanOrEqual(half);
    expect(midway.attrs.total).toBe(String(data.length));
    post.end(Buffer.concat([head.subarray(firstWrite), form.tail]));
    await posted;
    const res = await download;
    expect(postStatus).toBe(200);
    expect(res.complete).toBe(true);
    expect(Buffer.concat(got).equals(data)).toBe(true);
    const last = await pushFor('progress', sidHash, (e) => e.attrs.sent === String(data.length));
    expect(last.attrs.total).toBe(String(data.length));
    expect(proxy.events.filter((e) => e.type === 'upload' || e.type === 'download')).toEqual(expect.arrayContaining([
      expect.objectContaining({ type: 'upload', sidHash, status: 200, bytes: data.length }),
      expect.objectContaining({ type: 'download', sidHash, bytes: data.length, isComplete: true }),
    ]));
  });

  it('a GET after the upload ended gets the whole file with its Content-Length (seed 000 II.3)', async () => {
    const { sidHash, uploadUrl, downloadUrl } = await negotiate(proxy);
    const data = randomBytes(200_000);
    expect((await httpProbe(uploadUrl, { method: 'POST', body: seedForm(sidHash, data), headers: FORM_TYPE })).status).toBe(200);
    const got = await httpProbe(downloadUrl);
    expect(got.headers['content-length']).toBe(String(data.length));
    expect(got.body.equals(data)).toBe(true);
  });

  it('a sender that drops its POST mid-file cuts the receiver\'s GET (no last chunk)', async () => {
    const { sidHash, uploadUrl, downloadUrl } = await negotiate(proxy);
    const form = seedForm(sidHash, randomBytes(300_000));
    const download = httpProbe(downloadUrl);
    const post = request(uploadUrl, { method: 'POST', headers: { ...FORM_TYPE, 'Content-Length': String(form.length) } });
    post.on('error', () => undefined);
    post.write(form.subarray(0, 100_000));
    await waitFor(() => proxy.events.some((e) => e.type === 'push' && e.what === 'progress' && e.sidHash === sidHash), 10_000, 'upload under way');
    post.destroy();
    expect(await download).toMatchObject({ status: 200, isComplete: false });
    await waitFor(() => proxy.events.find((e) => e.type === 'upload' && e.sidHash === sidHash && e.status === 400), 10_000, 'upload failure recorded');
  });

  it('activation errors of seed 000 I.2: 404 item-not-found without a connect, 409 conflict when activated twice', async () => {
    expect(await failureOf(activate(JID, 'never-connected'))).toEqual({ condition: 'item-not-found', code: '404', type: 'cancel' });
    const { sid } = await negotiate(proxy);
    expect(await failureOf(activate(JID, sid))).toEqual({ condition: 'conflict', code: '409', type: 'cancel' });
  });

  it('activation error 500 resource-constraint when the concurrent transfer limit is reached (seed 000 I.2)', async () => {
    const limited = await withFaults({ maxActiveTransfers: 1 });
    await negotiate(limited);
    const sid = 'second';
    await connectReceiver(limited.jid, sid, limited.socksPort);
    expect(await failureOf(activate(limited.jid, sid))).toEqual({ condition: 'resource-constraint', code: '500', type: 'wait' });
  });

  it('fault activationError: each error of seed 000 I.2 on demand', async () => {
    const expected: Record<OneteamSeedError, string> = { 'item-not-found': '404', conflict: '409', 'resource-constraint': '500', 'internal-server-error': '500' };
    for (const [activationError, code] of Object.entries(expected) as [OneteamSeedError, string][]) {
      const target = await withFaults({ activationError });
      await connectReceiver(target.jid, 'sid-fault', target.socksPort);
      expect(await failureOf(activate(target.jid, 'sid-fault'))).toMatchObject({ condition: activationError, code });
      await target.stop();
    }
  });

  it('HTTP errors: 404 unknown SIDHASH, 400 FILE before SIDHASH or no FILE or not multipart', async () => {
    const { sidHash, uploadUrl } = await negotiate(proxy);
    const data = randomBytes(1000);
    expect((await httpProbe(uploadUrl, { method: 'POST', body: seedForm('0'.repeat(40), data), headers: FORM_TYPE })).status).toBe(404);
    const fileFirst = multipart([{ name: 'FILE', filename: 'TEST', data }, { name: 'SIDHASH', data: Buffer.from(sidHash) }]);
    expect((await httpProbe(uploadUrl, { method: 'POST', body: Buffer.concat([...fileFirst.head, fileFirst.tail]), headers: FORM_TYPE })).status).toBe(400);
    const noFile = multipart([{ name: 'SIDHASH', data: Buffer.from(sidHash) }]);
    expect((await httpProbe(uploadUrl, { method: 'POST', body: Buffer.concat([...noFile.head, noFile.tail]), headers: FORM_TYPE })).status).toBe(400);
    expect((await httpProbe(uploadUrl, { method: 'POST', body: data, headers: { 'Content-Type': 'application/octet-stream' } })).status).toBe(400);
  });

  it('HTTP errors: 409 a second upload or a second GET, 404 an unknown download', async () => {
    const { sidHash, uploadUrl, downloadUrl } = await negotiate(proxy);
    const data = randomBytes(1000);
    expect((await httpProbe(uploadUrl, { method: 'POST', body: seedForm(sidHash, data), headers: FORM_TYPE })).status).toBe(200);
    expect((await httpProbe(uploadUrl, { method: 'POST', body: seedForm(sidHash, data), headers: FORM_TYPE })).status).toBe(409);
    expect((await httpProbe(downloadUrl)).body.equals(data)).toBe(true);
    expect((await httpProbe(downloadUrl)).status).toBe(409);
    expect((await httpProbe(`http://127.0.0.1:${proxy.httpPort}/00000000-0000-0000-0000-000000000000`)).status).toBe(404);
  });

  it('fault maxUploadBytes: 413, and the waiting GET is cut', async () => {
    const target = await withFaults({ maxUploadBytes: 10_000 });
    const { sidHash, uploadUrl, downloadUrl } = await negotiate(target);
    const download = httpProbe(downloadUrl);
    expect((await httpProbe(uploadUrl, { method: 'POST', body: seedForm(sidHash, randomBytes(10_001)), headers: FORM_TYPE })).status).toBe(413);
    expect((await download).isComplete).toBe(false);
  });

  it('faults postStatus, getStatus and cutGetAfterBytes', async () => {
    for (const postStatus of [400, 404, 409, 413] as const) {
      const target = await withFaults({ postStatus });
      const { sidHash, uploadUrl } = await negotiate(target);
      expect((await httpProbe(uploadUrl, { method: 'POST', body: seedForm(sidHash, randomBytes(100)), headers: FORM_TYPE })).status).toBe(postStatus);
      await target.stop();
    }
    for (const getStatus of [404, 409] as const) {
      const target = await withFaults({ getStatus });
      expect((await httpProbe((await negotiate(target)).downloadUrl)).status).toBe(getStatus);
      await target.stop();
    }
    const target = await withFaults({ cutGetAfterBytes: 5000 });
    const { sidHash, uploadUrl, downloadUrl } = await negotiate(target);
    const data = randomBytes(20_000);
    expect((await httpProbe(uploadUrl, { method: 'POST', body: seedForm(sidHash, data), headers: FORM_TYPE })).status).toBe(200);
    const cut = await httpProbe(downloadUrl);
    expect(cut).toMatchObject({ status: 200, isComplete: false });
    expect(cut.body.equals(data.subarray(0, 5000))).toBe(true);
  });
});
