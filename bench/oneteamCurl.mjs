// curl through the OneTeam test proxy's HTTP (seed 000 I.3 / II.3), for bench/oneteam.mjs: one bare xmpp.js
// client plays both parties of the XMPP half (II.1 `<connect/>`, I.2 activation with `<x/>`, II.2 the pushed
// download URL), then curl POSTs the multipart form (SIDHASH first, FILE) while a second curl GETs the download
// as it grows. MB/s from the start of both curls to the GET's end; the received file is hashed afterwards.
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { client, xml } from '@xmpp/client';
import { MIB, sha256File } from './baselines.mjs';
import { curl } from './tools.mjs';

const NS_BYTESTREAMS = 'http://jabber.org/protocol/bytestreams';
const NS_BS_PROXY = 'http://oneteam.im/bs-proxy';
const IQ_TIMEOUT_MS = 10_000;

/** One curl round of `file` through the proxy `proxyJid` (its SOCKS5 streamhost is only named in `<connect/>`). */
export async function curlThroughOneteam({ server, user, proxyJid, sidHashOf, file, size, work }) {
  const xmpp = client({ service: server.service, domain: server.domain, resource: 'curl', username: user, password: `${user}-pw` });
  xmpp.reconnect.stop();
  xmpp.on('error', () => {});
  let onUrl = null;
  const downloadUrl = new Promise((resolve) => { onUrl = resolve; });
  xmpp.iqCallee.set(NS_BS_PROXY, 'activated', ({ element }) => { onUrl(String(element.attrs.url)); return true; });
  xmpp.iqCallee.set(NS_BS_PROXY, 'progress', () => true);
  await xmpp.start();
  const target = join(work, 'curl-oneteam.out');
  try {
    const me = String(xmpp.jid);
    const sid = randomUUID();
    await xmpp.iqCaller.request(xml('iq', { type: 'set', to: proxyJid }, xml('connect', { xmlns: NS_BS_PROXY, sid, jid: me })), IQ_TIMEOUT_MS);
    const answer = await xmpp.iqCaller.request(xml('iq', { type: 'set', to: proxyJid },
      xml('query', { xmlns: NS_BYTESTREAMS, sid }, xml('activate', {}, me), xml('x', { xmlns: NS_BS_PROXY }))), IQ_TIMEOUT_MS);
    const uploadUrl = String(answer.getChild('activated', NS_BS_PROXY)?.attrs.url);
    const getUrl = await downloadUrl;
    const started = Date.now();
    const [post, get] = await Promise.all([
      curl(['-o', '/dev/null', '-H', 'Expect:', '-F', `SIDHASH=${sidHashOf(sid, me, me)}`, '-F', `FILE=@${file};type=application/octet-stream`, uploadUrl]),
      curl(['-o', target, getUrl]),
    ]);
    const [postStatus, getStatus] = [post.status, get.status];
    const seconds = (Date.now() - started) / 1000;
    if (postStatus !== 200 || getStatus !== 200) throw new Error(`curl through OneTeam: POST ${postStatus}, GET ${getStatus}`);
    return { mbPerSecond: size / MIB / seconds, sha256: (await sha256File(target)).hex };
  } finally {
    rmSync(target, { force: true });
    await xmpp.stop().catch(() => {});
  }
}
