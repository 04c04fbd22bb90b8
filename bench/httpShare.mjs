// HTTP upload (XEP-0363) through the bench Prosody's http_file_share: curl's PUT and GET of a file next to
// Ferry's `send --method http-upload` and `receive` of a link (XEP-0066 jabber:x:oob), in the same run.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { client, xml } from '@xmpp/client';
import { MIB, makeRandomFile, sha256File } from './baselines.mjs';
import { FERRY, ferryLogin, startProcess } from './processes.mjs';
import { curl, settleDisk } from './tools.mjs';

const NS_UPLOAD = 'urn:xmpp:http:upload:0';
const SLOT_TIMEOUT_MS = 10_000;

/**
 * One XEP-0363 slot for `user`, asked by a bare xmpp.js client that logs in, asks and leaves:
 * { putUrl, headers (the slot's PUT headers), getUrl }. The account should be one no one else talks to
 * (xmpp.js 0.14 miscounts XEP-0198 h for stanzas that arrive with <enabled/>; see electron/xmpp/smInboundCounter.ts).
 */
async function requestSlot(server, { user, name, size, contentType }) {
  const xmpp = client({ service: server.service, domain: server.domain, resource: 'slot', username: user, password: `${user}-pw` });
  xmpp.reconnect.stop();
  xmpp.on('error', () => {});
  await xmpp.start();
  try {
    const answer = await xmpp.iqCaller.request(xml('iq', { type: 'get', to: server.uploadJid },
      xml('request', { xmlns: NS_UPLOAD, filename: name, size: String(size), 'content-type': contentType })), SLOT_TIMEOUT_MS);
    const slot = answer.getChild('slot', NS_UPLOAD);
    const put = slot?.getChild('put');
    const get = slot?.getChild('get');
    if (!put || !get) throw new Error(`no slot in the answer: ${answer.toString().slice(0, 300)}`);
    const headers = Object.fromEntries(put.getChildren('header').map((h) => [String(h.attrs.name), h.text()]));
    return { putUrl: String(put.attrs.url), headers, getUrl: String(get.attrs.url) };
  } finally {
    await xmpp.stop().catch(() => {});
  }
}

/**
 * curl PUT of the file to a slot: MB/s from curl's own time_total (connect to the server's answer). The
 * `Expect:` header is cleared so that curl, like Ferry, sends the body without waiting for 100 Continue.
 */
async function curlPut(slot, file, size, contentType) {
  const headers = Object.entries(slot.headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
  const result = await curl(['-o', '/dev/null', '-T', file, '-H', `Content-Type: ${contentType}`, '-H', 'Expect:', ...headers, slot.putUrl]);
  if (result.status !== 201) throw new Error(`curl PUT answered ${result.status}`);
  return { mbPerSecond: size / MIB / result.seconds, seconds: result.seconds };
}

/** curl GET of url into target (a file, as Ferry writes one): MB/s from curl's time_total. */
async function curlGet(url, target, size) {
  const result = await curl(['-o', target, url]);
  if (result.status !== 200) throw new Error(`curl GET answered ${result.status}`);
  return { mbPerSecond: size / MIB / result.seconds, seconds: result.seconds };
}

/**
 * Ferry → Ferry through the server, to a recipient who is offline (what HTTP upload is for): `send
 * --method http-upload` while bob is logged out, then (dirty pages written) `receive --accept all`, which
 * gets the link from offline storage and downloads it. The upload runs from the sender's 'started' attempt
 * with transport http (slot in hand, before the PUT connects) to its done line (after the link message); the
 * download from the receiver's offer line (the link arrived) to its done line (file hashed with sha-256 and
 * renamed in place).
 */
async function ferryHttp({ server, work, file, size, nodeArgs }) {
  const dir = join(work, 'http-in');
  const sender = startProcess(process.execPath, [...nodeArgs, FERRY, 'send', ...ferryLogin(server, 'alice'), '--to', 'bob@localhost', '--method', 'http-upload', file]);
  const sent = await sender.waitFor('done');
  await sender.exit;
  settleDisk();
  const receiver = startProcess(process.execPath, [...nodeArgs, FERRY, 'receive', ...ferryLogin(server, 'bob'), '--dir', dir, '--accept', 'all', '--count', '1']);
  const [offer, received] = await Promise.all([receiver.waitFor('offer'), receiver.waitFor('done')]);
  await receiver.exit;
  rmSync(dir, { recursive: true, force: true });
  const firstBytes = receiver.events.find((e) => e.event === 'progress' && e.bytes > 0);
  const putStarted = sent.attempts.find((a) => a.transport === 'http' && a.outcome === 'started')?.at ?? NaN;
  return {
    up: size / MIB / ((sent.at - putStarted) / 1000), down: size / MIB / ((received.at - offer.at) / 1000),
    sha256: received.sha256, method: received.method, rssSend: sender.peakRss(), rssRecv: receiver.peakRss(),
    getSetupS: firstBytes ? (firstBytes.at - offer.at) / 1000 : NaN, getCpuS: received.cpu - offer.cpu,
  };
}

/** The middle value (the mean of the two middle ones for an even count). */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * XEP-0363 through Prosody's http_file_share, both ways, `rounds` times: curl (PUT to a slot of its own, GET
 * into a file in the same temp dir, as Ferry writes one; curl's own time_total) and Ferry (see ferryHttp),
 * curl first in odd rounds and Ferry first in even ones: on a shared VM whichever runs right after 512 MiB
 * of writes pays for their writeback, so both take that turn. The medians are compared.
 */
export async function benchHttp({ server, work, size, rounds, nodeArgs, report }) {
  const file = join(work, 'http.bin');
  const contentType = 'application/octet-stream';
  const mib = size / MIB;
  makeRandomFile(file, size);
  const sha = await sha256File(file);
  const runs = [];
  for (let round = 1; round <= rounds; round++) {
    const isCurlFirst = round % 2 === 1;
    const ferryFirst = isCurlFirst ? null : await ferryHttp({ server, work, file, size, nodeArgs });
    const slot = await requestSlot(server, { user: 'erin', name: `curl-${round}.bin`, size, contentType });
    const curlUp = await curlPut(slot, file, size, contentType);
    settleDisk();
    const curlDown = await curlGet(slot.getUrl, join(work, 'curl.out'), size);
    rmSync(join(work, 'curl.out'));
    const ferry = ferryFirst ?? await ferryHttp({ server, work, file, size, nodeArgs });
    if (ferry.sha256 !== sha.hex || ferry.method !== 'oob') throw new Error(`Ferry's download: method ${ferry.method}, sha-256 ${ferry.sha256} (want ${sha.hex})`);
    runs.push({ curlUp: curlUp.mbPerSecond, curlDown: curlDown.mbPerSecond, ...ferry });
    report(`http_file_share ${mib} MiB, round ${round}/${rounds} (${isCurlFirst ? 'curl' : 'Ferry'} first)`, {
      curlPutMBps: curlUp.mbPerSecond, ferryPutMBps: ferry.up, curlGetMBps: curlDown.mbPerSecond, ferryGetMBps: ferry.down,
      rssSendMiB: ferry.rssSend, rssRecvMiB: ferry.rssRecv, getSetupS: ferry.getSetupS, getCpuS: ferry.getCpuS,
    });
  }
  const pick = (key) => median(runs.map((r) => r[key]));
  report(`curl PUT to http_file_share ${mib} MiB (median)`, { MBps: pick('curlUp') });
  report(`curl GET from http_file_share ${mib} MiB, to a file (median)`, { MBps: pick('curlDown') });
  report(`Ferry http-upload PUT ${mib} MiB (median)`, {
    MBps: pick('up'), ratio: pick('up') / pick('curlUp'), target: '≥0.9', rssMiB: Math.max(...runs.map((r) => r.rssSend)), rssTarget: '≤120',
  });
  report(`Ferry oob GET ${mib} MiB, sha-256, to a file (median)`, {
    MBps: pick('down'), ratio: pick('down') / pick('curlDown'), target: '≥0.9', hashOk: 'true', rssMiB: Math.max(...runs.map((r) => r.rssRecv)), rssTarget: '≤120',
  });
}
