import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { client, xml, type Client } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { isProsodyInstalled } from '../../../scripts/lib/localProsody.mjs';
import { countInboundFromEnabled, type CountingClient } from '../../../electron/xmpp/smInboundCounter';
import { httpProbe } from '../../support/httpProbe';
import { KONTALK_SERVICES, NS_KONTALK_UPLOAD, startKontalkComponent, type KontalkComponent, type KontalkFaults } from '../../support/kontalkComponent';
import { startTestProsody, type LocalProsody } from '../../support/prosody';
import { skipUnlessPresent } from '../../support/requiredTool';

// The Kontalk upload test component of seed 002 (/work/shared/seeds/002_1c5e9727ecc0d1b3.txt) driven by a
// bare xmpp.js client and node:http, so that Ferry's Kontalk tests can trust it.
const JID = 'kontalk.localhost';
const FAULTY_JID = 'kontalk-faulty.localhost';
const SECRET = 'kontalk-component-secret';
const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info';
const NS_DISCO_ITEMS = 'http://jabber.org/protocol/disco#items';
const NS_STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

describe.skipIf(skipUnlessPresent({ prosody: isProsodyInstalled() }))('Kontalk upload test component (seed 002)', () => {
  let server: LocalProsody;
  let romeo: Client;
  let kontalk: KontalkComponent;
  let faulty: KontalkComponent | null = null;

  beforeAll(async () => {
    server = await startTestProsody({ accounts: [['romeo', 'romeo-pw']], components: [{ jid: JID, secret: SECRET }, { jid: FAULTY_JID, secret: SECRET }] });
    kontalk = await startKontalkComponent({ prosody: server, jid: JID, secret: SECRET });
    romeo = client({ timeout: 10_000, service: server.service, domain: 'localhost', resource: 'orchard', username: 'romeo', password: 'romeo-pw' });
    countInboundFromEnabled(romeo as unknown as CountingClient); // bare xmpp.js miscounts XEP-0198 h at login
    romeo.reconnect.stop();
    romeo.on('error', () => {});
    await romeo.start();
  });
  afterEach(async () => {
    await faulty?.stop();
    faulty = null;
  });
  afterAll(async () => {
    await romeo?.stop();
    await kontalk?.stop();
    await server?.stop();
  });

  const iq = (type: 'get' | 'set', to: string, child: Element): Promise<Element> => romeo.iqCaller.request(xml('iq', { type, to }, child), 5000);
  const uploadIq = (to: string, node: string, mediaType?: string): Promise<Element> =>
    iq('set', to, xml('upload', { xmlns: NS_KONTALK_UPLOAD, node }, ...(mediaType ? [xml('media', { type: mediaType })] : [])));
  /** The seed's "Request instructions for upload", then the `<uri/>` of the answer. */
  const uploadUri = async (to: string, node = 'kontalkbox', mediaType = 'image/png'): Promise<string> =>
    (await uploadIq(to, node, mediaType)).getChild('upload', NS_KONTALK_UPLOAD)!.getChildText('uri')!;
  const errorOf = async (request: Promise<unknown>): Promise<string> => {
    const error = (await request.then(() => null, (e: unknown) => e)) as { condition?: string } | null;
    return error?.condition ?? 'no error';
  };
  const withFaults = async (faults: KontalkFaults): Promise<KontalkComponent> => {
    faulty = await startKontalkComponent({ prosody: server, jid: FAULTY_JID, secret: SECRET, ...faults });
    return faulty;
  };
  /** Upload IQ, then POST of the raw bytes; resolves with the download URL of the answer body. */
  const upload = async (to: string, data: Buffer, mediaType = 'image/png'): Promise<string> => {
    const posted = await httpProbe(await uploadUri(to, 'kontalkbox', mediaType), { method: 'POST', body: data, headers: { 'Content-Type': mediaType } });
    expect(posted.status).toBe(200);
    return posted.body.toString('utf8').trim();
  };

  it('answers disco#info with the message#upload feature and the identity server/im "kontalk" (seed 002, Sending)', async () => {
    const query = (await iq('get', JID, xml('query', { xmlns: NS_DISCO_INFO }))).getChild('query', NS_DISCO_INFO)!;
    expect(query.getChildren('feature').map((f) => f.attrs.var)).toContain(NS_KONTALK_UPLOAD);
    expect(query.getChild('identity')?.attrs).toMatchObject({ category: 'server', type: 'im', name: 'kontalk' });
    const items = (await iq('get', 'localhost', xml('query', { xmlns: NS_DISCO_ITEMS }))).getChild('query', NS_DISCO_ITEMS)!;
    expect(items.getChildren('item').map((i) => i.attrs.jid)).toContain(JID); // Prosody lists the component
  });

  it('lists the seed\'s upload services on the message#upload node, with its own JID (seed 002, Sending)', async () => {
    const query = (await iq('get', JID, xml('query', { xmlns: NS_DISCO_ITEMS, node: NS_KONTALK_UPLOAD }))).getChild('query', NS_DISCO_ITEMS)!;
    expect(query.attrs.node).toBe(NS_KONTALK_UPLOAD);
    expect(query.getChildren('item').map((i) => i.attrs)).toEqual([
      { node: 'kontalkbox', jid: JID, name: 'Kontalk dropbox service' },
      { node: 'dropbox', jid: JID, name: 'Dropbox service' },
    ]);
  });

  it('answers the upload IQ with the same node and a <uri/> on its HTTP server (seed 002, Request instructions for upload)', async () => {
    const answer = (await uploadIq(JID, 'dropbox', 'image/jpeg')).getChild('upload', NS_KONTALK_UPLOAD)!;
    expect(answer.attrs.node).toBe('dropbox');
    expect(answer.getChildText('uri')).toBe(`http://127.0.0.1:${kontalk.httpPort}${KONTALK_SERVICES[1].uploadPath}`);
    expect(kontalk.uploadRequests.at(-1)).toEqual({ from: `romeo@localhost/orchard`, node: 'dropbox', mediaType: 'image/jpeg' });
  });

  it('refuses an unknown service node (item-not-found) and an upload without <media type/> (bad-request)', async () => {
    expect(await errorOf(uploadIq(JID, 'nosuchbox', 'image/png'))).toBe('item-not-found');
    expect(await errorOf(uploadIq(JID, 'kontalkbox'))).toBe('bad-request');
  });

  it('stores a raw POST and answers with the download URL; the GET is byte-identical with its type and length (seed 002)', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 7);
    const url = await upload(JID, data);
    expect(url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${kontalk.httpPort}/media/[0-9a-f-]{36}$`));
    const stored = kontalk.uploads.find((u) => u.url === url)!;
    expect(stored).toMatchObject({ node: 'kontalkbox', mediaType: 'image/png', bytes: data.length, sha256: sha256(data) });
    expect(sha256(readFileSync(stored.path))).toBe(sha256(data));
    const got = await httpProbe(url);
    expect(got).toMatchObject({ status: 200, isComplete: true });
    expect(got.headers).toMatchObject({ 'content-type': 'image/png', 'content-length': String(data.length), 'accept-ranges': 'bytes' });
    expect(sha256(got.body)).toBe(sha256(data));
  });

  it('serves byte ranges with 206 and Content-Range, and 416 past the end (RFC 9110 §14)', async () => {
    const data = randomBytes(100_000);
    const url = await upload(JID, data, 'application/octet-stream');
    const middle = await httpProbe(url, { headers: { Range: 'bytes=1000-1999' } });
    expect(middle.status).toBe(206);
    expect(middle.headers).toMatchObject({ 'content-range': `bytes 1000-1999/${data.length}`, 'content-length': '1000' });
    expect(middle.body.equals(data.subarray(1000, 2000))).toBe(true);
    const tail = await httpProbe(url, { headers: { Range: 'bytes=99000-' } });
    expect(tail.body.equals(data.subarray(99_000))).toBe(true);
    const suffix = await httpProbe(url, { headers: { Range: 'bytes=-10' } });
    expect(suffix.body.equals(data.subarray(-10))).toBe(true);
    const past = await httpProbe(url, { headers: { Range: `bytes=${data.length}-` } });
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${data.length}`);
  });

  it('fault uploadError: the upload IQ gets that error instead of a <uri/>', async () => {
    const component = await withFaults({ uploadError: { type: 'wait', condition: 'resource-constraint', text: 'quota' } });
    const error = (await uploadIq(component.jid, 'kontalkbox', 'image/png').then(() => null, (e: unknown) => e)) as { condition: string; element: Element };
    expect(error.condition).toBe('resource-constraint');
    expect(error.element.attrs.type).toBe('wait');
    expect(error.element.getChildText('text', NS_STANZAS)).toBe('quota');
  });

  it('faults postStatus 413 and 500: the POST is refused with that status and nothing is stored', async () => {
    for (const postStatus of [413, 500] as const) {
      const component = await withFaults({ postStatus });
      const posted = await httpProbe(await uploadUri(component.jid), { method: 'POST', body: randomBytes(10_000), headers: { 'Content-Type': 'image/png' } });
      expect(posted.status).toBe(postStatus);
      expect(component.uploads).toEqual([]);
      await component.stop();
    }
  });

  it('fault maxUploadBytes: 413 by Content-Length, and 413 once a chunked body streams past the limit', async () => {
    const component = await withFaults({ maxUploadBytes: 50_000 });
    const uri = await uploadUri(component.jid);
    const whole = await httpProbe(uri, { method: 'POST', body: randomBytes(50_001), headers: { 'Content-Type': 'image/png' } });
    expect(whole.status).toBe(413);
    const chunked = await httpProbe(uri, { method: 'POST', chunks: [randomBytes(30_000), randomBytes(30_000)], headers: { 'Content-Type': 'image/png' } });
    expect(chunked.status).toBe(413);
    const fits = await httpProbe(uri, { method: 'POST', chunks: [randomBytes(25_000), randomBytes(25_000)], headers: { 'Content-Type': 'image/png' } });
    expect(fits.status).toBe(200);
    expect(component.uploads.map((u) => u.bytes)).toEqual([50_000]);
  });

  it('fault cutGetAfterBytes: the GET announces the whole length and the connection ends after N bytes', async () => {
    const component = await withFaults({ cutGetAfterBytes: 70_000 });
    const data = randomBytes(200_000);
    const got = await httpProbe(await upload(component.jid, data));
    expect(got.status).toBe(200);
    expect(got.headers['content-length']).toBe(String(data.length));
    expect(got.isComplete).toBe(false);
    expect(got.body.length).toBe(70_000);
    expect(got.body.equals(data.subarray(0, 70_000))).toBe(true);
  });

  it('fault servedLengthDelta: the download is longer (zeros appended) or shorter than what was uploaded', async () => {
    const data = randomBytes(10_000);
    for (const delta of [123, -4000]) {
      const component = await withFaults({ servedLengthDelta: delta });
      const got = await httpProbe(await upload(component.jid, data));
      expect(got).toMatchObject({ status: 200, isComplete: true });
      expect(got.headers['content-length']).toBe(String(data.length + delta));
      const expected = delta > 0 ? Buffer.concat([data, Buffer.alloc(delta)]) : data.subarray(0, data.length + delta);
      expect(got.body.equals(expected)).toBe(true);
      await component.stop();
    }
  });
});
