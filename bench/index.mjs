// `npm run bench`: Ferry's file-transfer figures next to this machine's own limits, measured in one run
// on loopback (issue 3). Prints MB/s, ratios and the peak RSS of each Ferry process. Not a test: it
// prints figures and the targets they are compared with; see bench/README.md.
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIB, makeRandomFile, sha256File, socatCopy } from './baselines.mjs';
import { benchHistory } from './history.mjs';
import { benchHttp } from './httpShare.mjs';
import { benchOneteam } from './oneteam.mjs';
import { FERRY, cpuSeconds, ferryLogin, slixmppLogin, startProcess } from './processes.mjs';
import { freePort, startProsody } from '../scripts/lib/localProsody.mjs';

const SIZE_DIRECT = Number(process.env.FERRY_BENCH_DIRECT_MIB ?? 1024) * MIB;
const SIZE_PROXY = Number(process.env.FERRY_BENCH_PROXY_MIB ?? 256) * MIB;
const SIZE_IBB = Number(process.env.FERRY_BENCH_IBB_MIB ?? 64) * MIB;
const SIZE_HTTP = Number(process.env.FERRY_BENCH_HTTP_MIB ?? 256) * MIB;
/** curl and Ferry take turns this many times over http_file_share (first in turn); the medians are compared. */
const HTTP_ROUNDS = Number(process.env.FERRY_BENCH_HTTP_ROUNDS ?? 4);
const SIZE_ONETEAM = Number(process.env.FERRY_BENCH_ONETEAM_MIB ?? 256) * MIB;
/** Ferry over OneTeam HTTP and over SOCKS5 through proxy65, this many rounds each; medians compared. */
const ONETEAM_ROUNDS = Number(process.env.FERRY_BENCH_ONETEAM_ROUNDS ?? 3);
/** erin asks for curl's upload slots and talks to no one else. */
const USERS = ['alice', 'bob', 'carol', 'dave', 'erin'];
/** FERRY_BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" passes Node options to every Ferry process. */
const NODE_ARGS = (process.env.FERRY_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
/** FERRY_BENCH_ONLY=direct,proxy,ibb,fallback,http,history,oneteam runs a subset (socat and sha-256 run with direct only). */
const ONLY = new Set((process.env.FERRY_BENCH_ONLY ?? 'direct,proxy,ibb,fallback,http,history,oneteam').split(',').map((s) => s.trim()));

const fmt = (n, digits = 1) => n.toFixed(digits);
const rows = [];
function report(name, figures) {
  rows.push({ name, ...figures });
  console.log(`${name.padEnd(44)} ${Object.entries(figures).map(([k, v]) => `${k}=${typeof v === 'number' ? fmt(v, k === 'ratio' ? 2 : 1) : v}`).join('  ')}`);
}

/** Ferry → Ferry with the CLI; MB/s from the receiver's offer line to its done line. */
async function ferryToFerry(server, work, { file, size, sendArgs, receiveArgs = [] }) {
  const dir = join(work, `in-${Date.now()}`);
  const receiver = startProcess(process.execPath, [...NODE_ARGS, FERRY, 'receive', ...ferryLogin(server, 'bob'), '--dir', dir, '--accept', 'all', '--count', '1', ...receiveArgs]);
  await new Promise((r) => setTimeout(r, 1500));
  const sender = startProcess(process.execPath, [...NODE_ARGS, FERRY, 'send', ...ferryLogin(server, 'alice'), '--to', 'bob@localhost/bench', ...sendArgs, file]);
  // CPU seconds each process spends between the receiver's offer and done lines (logins excluded).
  const offer = await receiver.waitFor('offer');
  const senderCpuAtOffer = cpuSeconds(sender.pid);
  const done = await receiver.waitFor('done');
  const cpu = { send: cpuSeconds(sender.pid) - senderCpuAtOffer, recv: done.cpu - offer.cpu };
  await Promise.all([sender.exit, receiver.exit]);
  const seconds = (done.at - offer.at) / 1000;
  rmSync(dir, { recursive: true, force: true });
  const sent = sender.events.find((e) => e.event === 'done');
  return { mbPerSecond: size / MIB / seconds, done, sent, receiver, sender, seconds, cpu };
}

/** Seconds from the receiver's offer line to its first progress line with bytes (negotiation, connect). */
function setupSeconds(run) {
  const offer = run.receiver.events.find((e) => e.event === 'offer');
  const first = run.receiver.events.find((e) => e.event === 'progress' && e.bytes > 0);
  return first && offer ? (first.at - offer.at) / 1000 : NaN;
}

async function slixmppThroughProxy(server, work, file, size) {
  const dir = join(work, 'slix-in');
  mkdirSync(dir, { recursive: true });
  const receiver = startProcess('/usr/bin/python3', [...slixmppLogin(server, 'dave'), '--timeout', '300', 'receive', '--dir', dir, '--count', '1']);
  await receiver.waitFor('ready');
  const sender = startProcess('/usr/bin/python3', [...slixmppLogin(server, 'carol'), '--timeout', '300', 'send', '--to', 'dave@localhost/bench', '--transport', 's5b-proxy', file]);
  const [offer, done] = await Promise.all([receiver.waitFor('offer'), receiver.waitFor('done')]);
  await Promise.all([sender.exit, receiver.exit]);
  rmSync(dir, { recursive: true, force: true });
  return size / MIB / ((done.at - offer.at) / 1000);
}

/** A TCP server that accepts and never answers: a black-holed streamhost. */
async function blackHole() {
  const sockets = [];
  const server = createServer((socket) => { sockets.push(socket); socket.on('error', () => {}); });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: server.address().port, close: () => { for (const s of sockets) s.destroy(); server.close(); } };
}

/**
 * Time from the last dead S5B candidate (one refused, one black-holed) to IBB data flowing. For Jingle both
 * sides offer only dead candidates (the receiver's own would otherwise work), and the last failure is the later
 * of the two attempt logs; the replace to IBB (XEP-0260 §3) happens in between.
 */
async function fallbackTime(server, work, file, method) {
  const dead = await freePort();
  const hole = await blackHole();
  const deadArgs = ['--s5b-address', 'none', '--no-proxy-discovery', '--proxy-address', `dead.localhost=127.0.0.1:${dead}`,
    '--proxy-address', `hole.localhost=127.0.0.1:${hole.port}`];
  try {
    const run = await ferryToFerry(server, work, {
      file, size: statSync(file).size, sendArgs: ['--method', method, ...deadArgs], receiveArgs: method === 'jingle' ? deadArgs : [],
    });
    const failedAt = (attempts) => attempts.filter((a) => a.outcome === 'failed').map((a) => a.at);
    const lastDead = Math.max(...failedAt(run.done.attempts), ...failedAt(run.sent?.attempts ?? []));
    const firstData = run.receiver.events.find((e) => e.event === 'progress' && e.bytes > 0 && e.at >= lastDead);
    return { seconds: firstData ? (firstData.at - lastDead) / 1000 : NaN, transport: run.done.transport };
  } finally {
    hole.close();
  }
}

async function main() {
  if (!existsSync(join(import.meta.dirname, '..', 'dist-node', 'cli.cjs'))) throw new Error('build first: npm run build');
  const work = mkdtempSync(join(tmpdir(), 'ferry-bench-'));
  const server = await startProsody({
    accounts: USERS.map((u) => [u, `${u}-pw`]), friends: [['alice', 'bob'], ['carol', 'dave']], offerTls: false,
    uploadSizeLimit: Math.max(64 * MIB, SIZE_HTTP),
  });
  try {
    console.log(`Ferry benchmark (loopback, ${new Date().toISOString()})`);
    if (ONLY.has('direct')) await benchDirect(server, work);
    if (ONLY.has('proxy')) await benchProxy(server, work);
    if (ONLY.has('ibb')) await benchIbb(server, work);
    if (ONLY.has('fallback')) await benchFallback(server, work);
    if (ONLY.has('http')) await benchHttp({ server, work, size: SIZE_HTTP, rounds: HTTP_ROUNDS, nodeArgs: NODE_ARGS, report });
    if (ONLY.has('history')) await benchHistory({ server, work, report });
    if (ONLY.has('oneteam')) await benchOneteam({ work, size: SIZE_ONETEAM, rounds: ONETEAM_ROUNDS, nodeArgs: NODE_ARGS, report });
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Issue 7's limit for S5B direct with sha-256 on both sides: size ÷ max(socat's wall time, (CPU seconds of
 * both socat processes + 2 × one sha-256 pass) ÷ the cores). The copy and two hashes are the essential work.
 */
function directLimit(socat, sha) {
  const cores = availableParallelism();
  const seconds = Math.max(socat.seconds, (socat.cpuSeconds + 2 * sha.cpuSeconds) / cores);
  return SIZE_DIRECT / MIB / seconds;
}

/** The machine's limits (socat copy, sha-256), then Ferry → Ferry S5B direct with si and jingle. */
async function benchDirect(server, work) {
  const big = join(work, 'big.bin');
  makeRandomFile(big, SIZE_DIRECT);
  const socat = await socatCopy(big, join(work, 'socat.out'));
  rmSync(join(work, 'socat.out'));
  const sha = await sha256File(big);
  report(`socat file copy ${SIZE_DIRECT / MIB} MiB (-b 131072)`, { MBps: socat.mbPerSecond, cpuS: socat.cpuSeconds, seconds: socat.seconds });
  report('node sha-256', { MBps: sha.mbPerSecond, cpuS: sha.cpuSeconds });
  const limit = directLimit(socat, sha);
  report(`S5B direct limit (both sides hash, ${availableParallelism()} cores)`, { MBps: limit });
  const byMethod = {};
  for (const method of ['si', 'jingle']) {
    const direct = await ferryToFerry(server, work, { file: big, size: SIZE_DIRECT, sendArgs: ['--method', method, '--transport', 's5b-direct', '--s5b-address', '127.0.0.1'], receiveArgs: ['--s5b-address', '127.0.0.1'] });
    byMethod[method] = direct.mbPerSecond;
    report(`Ferry→Ferry ${method} S5B direct ${SIZE_DIRECT / MIB} MiB, sha-256`, {
      MBps: direct.mbPerSecond, limitMBps: limit, ratio: direct.mbPerSecond / limit, target: '≥0.85', hashOk: String(direct.done.sha256 === sha.hex),
      rssSendMiB: direct.sender.peakRss(), rssRecvMiB: direct.receiver.peakRss(),
      cpuSendS: direct.cpu.send, cpuRecvS: direct.cpu.recv, seconds: direct.seconds, setupS: setupSeconds(direct),
    });
  }
  report('Jingle vs SI, S5B direct', { ratio: byMethod.jingle / byMethod.si, target: '≥0.95' });
}

async function benchProxy(server, work) {
  const proxyFile = join(work, 'proxy.bin');
  makeRandomFile(proxyFile, SIZE_PROXY);
  const proxy = await ferryToFerry(server, work, { file: proxyFile, size: SIZE_PROXY, sendArgs: ['--method', 'si', '--transport', 's5b-proxy'] });
  const slix = await slixmppThroughProxy(server, work, proxyFile, SIZE_PROXY);
  report(`slixmpp S5B via proxy65 ${SIZE_PROXY / MIB} MiB`, { MBps: slix });
  report(`Ferry→Ferry si S5B via proxy65 ${SIZE_PROXY / MIB} MiB`, {
    MBps: proxy.mbPerSecond, ratio: proxy.mbPerSecond / slix, target: '≥0.9', rssSendMiB: proxy.sender.peakRss(), rssRecvMiB: proxy.receiver.peakRss(),
  });
}

async function benchIbb(server, work) {
  const ibbFile = join(work, 'ibb.bin');
  makeRandomFile(ibbFile, SIZE_IBB);
  for (const [blockSize, target] of [[4096, 5], [65535, 11]]) {
    const byMethod = {};
    for (const method of ['si', 'jingle']) {
      const ibb = await ferryToFerry(server, work, { file: ibbFile, size: SIZE_IBB, sendArgs: ['--method', method, '--transport', 'ibb', '--block-size', String(blockSize)] });
      byMethod[method] = ibb.mbPerSecond;
      report(`Ferry→Ferry ${method} IBB <iq/> ${SIZE_IBB / MIB} MiB, block ${blockSize}`, {
        MBps: ibb.mbPerSecond, target: `≥${target}`, rssSendMiB: ibb.sender.peakRss(), rssRecvMiB: ibb.receiver.peakRss(),
      });
    }
    report(`Jingle vs SI, IBB block ${blockSize}`, { ratio: byMethod.jingle / byMethod.si, target: '≥0.95' });
  }
}

async function benchFallback(server, work) {
  const small = join(work, 'small.bin');
  makeRandomFile(small, 4 * MIB);
  for (const method of ['si', 'jingle']) {
    const fallback = await fallbackTime(server, work, small, method);
    report(`fallback ${method}: last dead S5B candidate → IBB data`, { seconds: fallback.seconds, target: '≤3', transport: fallback.transport });
  }
}

main().catch((error) => {
  console.error(`bench failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
