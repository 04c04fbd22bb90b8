import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { client, xml, type Client } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { isProsodyInstalled } from '../../../scripts/lib/localProsody.mjs';
import { countInboundFromEnabled, type CountingClient } from '../../../electron/xmpp/smInboundCounter';
import { buildKontalkServicesQuery, buildKontalkUploadRequest, hasKontalkUpload, parseKontalkServices, parseKontalkUploadAnswer } from '../../../electron/xmpp/xep/kontalkUpload';
import {
  buildOneteamActivate, buildOneteamConnect, hasOneteamProxy, oneteamSidHash, parseOneteamActivated, parseOneteamConnected, parseOneteamProgress,
  readOneteamActivationFailure,
} from '../../../electron/xmpp/xep/oneteamBsProxy';
import { parseInfo } from '../../../electron/xmpp/xep/xep0030Disco';
import { httpProbe } from '../../support/httpProbe';
import { startKontalkComponent, type KontalkComponent } from '../../support/kontalkComponent';
import { NS_BS_PROXY, sidHashOf, startOneteamProxy, type OneteamProxy } from '../../support/oneteamProxy';
import { startTestProsody, type LocalProsody } from '../../support/prosody';
import { skipUnlessPresent } from '../../support/requiredTool';
import { waitFor } from '../../support/xmppWaits';

// Ferry's pure seed parsers (electron/xmpp/xep/kontalkUpload.ts, oneteamBsProxy.ts) against what the test
// components, written separately from the seeds' text, put on the wire: where they disagree, one of the two
// misread seed 000 or seed 002.
const SECRET = 'agreement-secret';

describe.skipIf(skipUnlessPresent({ prosody: isProsodyInstalled() }))('Ferry\'s seed 000/002 parsers read the test components', () => {
  let server: LocalProsody;
  let kontalk: KontalkComponent;
  let proxy: OneteamProxy;
  let sender: Client;
  let receiver: Client;
  const pushes: Element[] = [];

  const login = async (user: string): Promise<Client> => {
    const xmpp = client({ timeout: 10_000, service: server.service, domain: 'localhost', resource: 'Gajim', username: user, password: `${user}-pw` });
    countInboundFromEnabled(xmpp as unknown as CountingClient); // bare xmpp.js miscounts XEP-0198 h at login
    xmpp.reconnect.stop();
    xmpp.on('error', () => {});
    await xmpp.start();
    return xmpp;
  };
  beforeAll(async () => {
    server = await startTestProsody({
      accounts: [['jerome', 'jerome-pw'], ['jerome2', 'jerome2-pw']],
      components: [{ jid: 'kontalk.localhost', secret: SECRET }, { jid: 'bsproxy.localhost', secret: SECRET }],
    });
    kontalk = await startKontalkComponent({ prosody: server, jid: 'kontalk.localhost', secret: SECRET });
    proxy = await startOneteamProxy({ prosody: server, jid: 'bsproxy.localhost', secret: SECRET, progressIntervalMs: 50 });
    sender = await login('jerome');
    receiver = await login('jerome2');
    for (const name of ['activated', 'progress']) receiver.iqCallee.set(NS_BS_PROXY, name, ({ stanza }: { stanza: Element }) => { pushes.push(stanza); return true; });
  });
  afterAll(async () => {
    await Promise.all([sender?.stop(), receiver?.stop()]);
    await Promise.all([kontalk?.stop(), proxy?.stop()]);
    await server?.stop();
  });
  const set = (from: Client, to: string, child: Element): Promise<Element> => from.iqCaller.request(xml('iq', { type: 'set', to }, child), 5000);
  const get = (from: Client, to: string, child: Element): Promise<Element> => from.iqCaller.request(xml('iq', { type: 'get', to }, child), 5000);

  it('seed 002: feature, services, and the upload answer built and read by kontalkUpload.ts', async () => {
    const info = (await get(sender, kontalk.jid, xml('query', { xmlns: 'http://jabber.org/protocol/disco#info' }))).getChild('query')!;
    expect(hasKontalkUpload(parseInfo(info))).toBe(true);
    const services = parseKontalkServices((await get(sender, kontalk.jid, buildKontalkServicesQuery())).getChild('query')!);
    expect(services).toEqual({ ok: true, value: [
      { jid: kontalk.jid, node: 'kontalkbox', name: 'Kontalk dropbox service' },
      { jid: kontalk.jid, node: 'dropbox', name: 'Dropbox service' },
    ] });
    const answer = parseKontalkUploadAnswer((await set(sender, kontalk.jid, buildKontalkUploadRequest({ node: 'kontalkbox', mediaType: 'image/png' }))).getChild('upload')!);
    expect(answer).toEqual({ ok: true, value: { node: 'kontalkbox', uri: `http://127.0.0.1:${kontalk.httpPort}/media/upload` } });
    expect(kontalk.uploadRequests.at(-1)).toMatchObject({ node: 'kontalkbox', mediaType: 'image/png' });
  });

  it('seed 000: connect, activation, pushes and the seed errors built and read by oneteamBsProxy.ts', async () => {
    const info = (await get(sender, proxy.jid, xml('query', { xmlns: 'http://jabber.org/protocol/disco#info' }))).getChild('query')!;
    expect(hasOneteamProxy(parseInfo(info))).toBe(true);
    const senderJid = 'jerome@localhost/Gajim';
    const receiverJid = 'jerome2@localhost/Gajim';
    const sid = `a${randomBytes(6).toString('hex')}`;
    expect(oneteamSidHash({ sid: 'SID', senderJid, receiverJid })).toBe(sidHashOf('SID', senderJid, receiverJid));
    const sidHash = oneteamSidHash({ sid, senderJid, receiverJid });

    const failure = await set(sender, proxy.jid, buildOneteamActivate({ sid, targetJid: receiverJid })).then(() => null, (e: { element: Element }) => e.element);
    expect(failure && readOneteamActivationFailure(failure)).toBe('not-connected');

    const connect = buildOneteamConnect({ sid, senderJid, streamhosts: [{ jid: proxy.jid, host: '127.0.0.1', port: proxy.socksPort }] });
    expect(parseOneteamConnected((await set(receiver, proxy.jid, connect)).getChild('connected', NS_BS_PROXY)!)).toEqual({ ok: true, value: { jid: proxy.jid } });
    const activated = parseOneteamActivated((await set(sender, proxy.jid, buildOneteamActivate({ sid, targetJid: receiverJid }))).getChild('activated', NS_BS_PROXY)!);
    expect(activated).toEqual({ ok: true, value: { url: `http://127.0.0.1:${proxy.httpPort}/upload`, sidHash: null } });
    const again = await set(sender, proxy.jid, buildOneteamActivate({ sid, targetJid: receiverJid })).then(() => null, (e: { element: Element }) => e.element);
    expect(again && readOneteamActivationFailure(again)).toBe('already-activated');

    const push = await waitFor(() => pushes.map((p) => p.getChild('activated', NS_BS_PROXY)).find((e) => e?.attrs.sidhash === sidHash), 10_000, 'activated push');
    const download = parseOneteamActivated(push);
    expect(download.ok && download.value.sidHash).toBe(sidHash);

    const data = randomBytes(4096);
    const boundary = 'agreement-boundary';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="SIDHASH"\r\n\r\n${sidHash}\r\n--${boundary}\r\nContent-Disposition: form-data; name="FILE"; filename="f"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      data, Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    expect((await httpProbe(activated.ok ? activated.value.url : '', { method: 'POST', body, headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` } })).status).toBe(200);
    const progress = await waitFor(() => pushes.map((p) => p.getChild('progress', NS_BS_PROXY)).find((e) => e?.attrs.sidhash === sidHash && e.attrs.sent === String(data.length)), 10_000, 'last progress push');
    expect(parseOneteamProgress(progress)).toEqual({ ok: true, value: { sidHash, total: data.length, sent: data.length } });
  });
});
