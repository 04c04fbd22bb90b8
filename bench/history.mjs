// The history store at 100,000 messages (issue 10): the first screen and a page back, read by the same
// store calls chat.history makes, next to a 1,000-message conversation in the same run; and a burst of
// 10,000 appends in the process that receives a file (Ferry → Ferry, Jingle S5B direct), next to the same
// transfer without the burst. `node bench/history.mjs` runs it alone; bench/index.mjs runs it as "history".
// The store and the core are bundled from the TypeScript sources into the bench's scratch folder with the
// CLI bundle's settings (vite.node.config.ts), so the code measured is the code that ships.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setImmediate } from 'node:timers';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { MIB, makeRandomFile } from './baselines.mjs';
import { loadBundle, settleDisk } from './tools.mjs';
import { FERRY, ferryLogin, startProcess } from './processes.mjs';
import { startProsody } from '../scripts/lib/localProsody.mjs';

const BIG = Number(process.env.FERRY_BENCH_HISTORY_MESSAGES ?? 100_000);
const SMALL = 1_000;
const BURST = Number(process.env.FERRY_BENCH_HISTORY_BURST ?? 10_000);
const TRANSFER_SIZE = Number(process.env.FERRY_BENCH_HISTORY_TRANSFER_MIB ?? 256) * MIB;
/** Transfers with and without the burst take turns this many times; the medians are compared. */
const ROUNDS = Number(process.env.FERRY_BENCH_HISTORY_ROUNDS ?? 5);
/** Messages per socket read in a burst: a 64 KiB read holds about this many ~300-byte chat stanzas. */
const PER_READ = 100;
/** What chat.history reads (electron/xmpp/chat.ts): the latest 500, then pages of 50 (ARCHIVE_PAGE_SIZE). */
const FIRST_SCREEN = 500;
const PAGE_BACK = 50;
const PAGES_BACK = 20;
const ACCOUNT = 'bob@localhost';
const PEER = 'alice@localhost';
const RESOURCE = 'history-bench';

/** Committed rows of the burst's peer. */
const rowsOf = (db) => db.prepare("SELECT count(*) AS n FROM messages WHERE peer = 'carol@localhost'").get().n;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const msSince = (start) => Number(process.hrtime.bigint() - start) / 1e6;
function timed(work) {
  const start = process.hrtime.bigint();
  const value = work();
  return { value, ms: msSince(start) };
}

/** The store and the core, bundled as the CLI bundle is (bench/tools.mjs loadBundle). */
async function loadFerry() {
  const { modules, cleanup } = await loadBundle('history', { store: 'electron/store/sqlite/sqliteHistoryStores.ts', core: 'electron/app/createCore.ts' },
    ['electron', 'sharp', 'better-sqlite3']);
  return { ferry: { ...modules.store, ...modules.core }, cleanup };
}

function message(n, peer = PEER) {
  const incoming = n % 2 === 0;
  return {
    id: `m${n}`, peer, direction: incoming ? 'incoming' : 'outgoing',
    from: incoming ? `${peer}/phone` : `${ACCOUNT}/${RESOURCE}`, to: incoming ? `${ACCOUNT}/${RESOURCE}` : peer,
    body: `message ${n}: ${'a few words of an ordinary chat line '.slice(0, 20 + (n % 17))}`,
    at: 1_700_000_000_000 + n * 1000, originId: `o${n}`, stanzaId: `s${n}`,
  };
}

/** A store of `count` messages with PEER, written through append (batches of 256, as the core writes). */
async function seed(ferry, dataDir, count) {
  const { store } = await ferry.createSqliteHistoryStores({ dataDir }).open(ACCOUNT);
  const { ms } = timed(() => {
    for (let n = 0; n < count; n += 1) store.append(message(n));
    store.flush();
  });
  store.close();
  return ms;
}

/** Opens the store as the core does at login, then reads as chat.history does: the first screen, then pages back. */
async function readLikeTheRenderer(ferry, dataDir) {
  const opening = process.hrtime.bigint();
  const { store } = await ferry.createSqliteHistoryStores({ dataDir }).open(ACCOUNT);
  const openMs = msSince(opening);
  try {
    const catchUp = timed(() => store.latestStanzaId());
    const screens = [];
    let first = null;
    for (let n = 0; n < 10; n += 1) {
      const screen = timed(() => store.page(PEER, { limit: FIRST_SCREEN }));
      screens.push(screen.ms);
      first ??= screen.value;
    }
    const backs = [];
    let oldest = first.messages[0];
    for (let n = 0; n < PAGES_BACK && oldest; n += 1) {
      // ChatService.historyBefore: the cursor of the oldest shown message, then the page before it.
      const back = timed(() => {
        const before = store.cursorOf(PEER, oldest.id);
        return before ? store.page(PEER, { limit: PAGE_BACK, before }) : { messages: [] };
      });
      backs.push(back.ms);
      oldest = back.value.messages[0];
    }
    return { openMs, catchUpMs: catchUp.ms, firstScreenMs: screens[0], screenMedianMs: median(screens), backFirstMs: backs[0], backMedianMs: median(backs), backMaxMs: Math.max(...backs) };
  } finally {
    store.close();
  }
}

/** Logs bob in as an in-process core that accepts every file; `updates` collects what it reports. */
async function receiverCore(ferry, server, work) {
  const updates = [];
  const core = ferry.createCore({
    downloadDir: join(work, 'history-in'), dataDir: join(work, 'history-core-data'),
    transfers: { acceptPolicy: () => 'accept', directAddresses: ['127.0.0.1'] },
  });
  core.on('transfer.updated', (summary) => updates.push({ ...summary, t: performance.now() }));
  await core.handlers['session.login']({ jid: ACCOUNT, password: 'bob-pw', service: server.service, resource: RESOURCE, allowPlaintext: true });
  return { core, updates };
}

/**
 * Appends BURST messages as a burst from the server socket arrives: PER_READ stanzas per read, one read per
 * macrotask. With `store` null the same macrotasks run and append nothing: the harness's own cost.
 */
function burst(store, round) {
  return new Promise((resolve) => {
    const start = performance.now();
    let n = 0;
    const next = () => {
      for (const end = Math.min(BURST, n + PER_READ); n < end; n += 1) {
        const stanza = message(1_000_000 * (round + 1) + n, 'carol@localhost');
        if (store) store.append(stanza);
      }
      if (n < BURST) setImmediate(next);
      else resolve(performance.now() - start);
    };
    setImmediate(next);
  });
}

/** One file from a `ferry send` process to the in-process bob; ms from bob's first bytes to its done. */
async function oneTransfer(receiver, { server, file, burstStore, round }) {
  const seen = receiver.updates.length;
  const sender = startProcess(process.execPath, [FERRY, 'send', ...ferryLogin(server, 'alice'), '--to', `${ACCOUNT}/${RESOURCE}`,
    '--method', 'jingle', '--transport', 's5b-direct', '--s5b-address', '127.0.0.1', file]);
  let firstBytes = null;
  let cpuAtFirstBytes = null;
  let burstRun = null;
  let burstEnded = null;
  for (let waited = 0; waited < 300_000; waited += 5) {
    const mine = receiver.updates.slice(seen).filter((u) => u.direction === 'incoming');
    const started = mine.find((u) => u.bytes > 0);
    if (started && firstBytes === null) {
      firstBytes = started.t;
      cpuAtFirstBytes = process.cpuUsage();
      if (burstStore !== undefined) burstRun = burst(burstStore, round).then((ms) => { burstEnded = performance.now(); return ms; });
    }
    const ended = mine.find((u) => ['done', 'failed', 'cancelled', 'declined'].includes(u.state));
    if (ended) {
      const cpu = process.cpuUsage(cpuAtFirstBytes ?? undefined);
      const burstMs = burstRun ? await burstRun : null;
      await sender.exit;
      if (ended.state !== 'done') throw new Error(`the bench transfer ended ${ended.state}: ${ended.reason}`);
      // CPU of this whole process (the receiving core and the burst; every thread) over the same window.
      return { ms: ended.t - firstBytes, cpuMs: (cpu.user + cpu.system) / 1000, burstMs, burstInside: burstEnded !== null && burstEnded <= ended.t };
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  sender.stop();
  throw new Error('the bench transfer did not end within 300 s');
}

async function transferFigures(ferry, server, work, report) {
  const file = join(work, 'history-transfer.bin');
  makeRandomFile(file, TRANSFER_SIZE);
  mkdirSync(join(work, 'history-in'), { recursive: true });
  const receiver = await receiverCore(ferry, server, work);
  // The burst goes through a second connection to bob's own database, opened before the transfer starts.
  const { store: burstStore } = await ferry.createSqliteHistoryStores({ dataDir: join(work, 'history-core-data') }).open(ACCOUNT);
  // A read-only look at what is committed (carol's rows: only the burst writes them).
  const burstDb = new Database(ferry.historyPath(join(work, 'history-core-data'), ACCOUNT), { readonly: true });
  try {
    // The appends only queue (sqliteHistoryStore.ts: written FLUSH_BATCH_SIZE per transaction, one every
    // FLUSH_PACE_MS); flush() then writes the queue at once, which is the whole cost of the writes.
    const alone = await burst(burstStore, 99);
    const written = timed(() => burstStore.flush());
    report(`${BURST} appends alone, ${PER_READ} per macrotask`, { queueMs: alone, writeMs: written.ms, perMessageUs: ((alone + written.ms) * 1000) / BURST });
    const runs = { none: [], harness: [], burst: [] };
    const kinds = {
      none: () => oneTransfer(receiver, { server, file }),
      harness: () => oneTransfer(receiver, { server, file, burstStore: null, round: 0 }),
      burst: async (round) => {
        const before = rowsOf(burstDb);
        const run = await oneTransfer(receiver, { server, file, burstStore, round });
        // What the paced writes had stored by the transfer's end; the rest is written now, before the next transfer.
        run.writtenDuring = rowsOf(burstDb) - before;
        burstStore.flush();
        return run;
      },
    };
    const order = Object.keys(kinds);
    for (let round = 0; round < ROUNDS; round += 1) {
      // Each kind takes each place in turn: the third 256 MiB file written in a row is the slow one on this VM
      // (the kernel writing back the first two), and a fixed order put the burst there every time.
      for (let k = 0; k < order.length; k += 1) {
        const kind = order[(round + k) % order.length];
        runs[kind].push(await kinds[kind](round));
        // A clean start for the next one: the received file goes and its dirty pages are written out.
        rmSync(join(work, 'history-in'), { recursive: true, force: true });
        mkdirSync(join(work, 'history-in'));
        settleDisk();
      }
    }
    const mbps = (ms) => TRANSFER_SIZE / MIB / (ms / 1000);
    const base = median(runs.none.map((r) => r.ms));
    const line = (list) => ({ MBps: mbps(median(list.map((r) => r.ms))), rounds: list.map((r) => mbps(r.ms).toFixed(0)).join('/'), recvCpuMs: median(list.map((r) => r.cpuMs)) });
    const burstFigures = (list) => ({
      burstMs: median(list.map((r) => r.burstMs)), burstInside: String(list.every((r) => r.burstInside)),
      ...(list[0]?.writtenDuring === undefined ? {} : { writtenDuringTransfer: median(list.map((r) => r.writtenDuring)) }),
    });
    const slowdown = (list) => (median(list.map((r) => r.ms)) / base - 1) * 100;
    report(`transfer ${TRANSFER_SIZE / MIB} MiB, no burst (${ROUNDS} rounds)`, line(runs.none));
    report(`transfer ${TRANSFER_SIZE / MIB} MiB, burst harness only`, { ...line(runs.harness), slowdownPct: slowdown(runs.harness), ...burstFigures(runs.harness) });
    report(`transfer ${TRANSFER_SIZE / MIB} MiB, ${BURST} appends meanwhile`, { ...line(runs.burst), slowdownPct: slowdown(runs.burst), target: '≤5', ...burstFigures(runs.burst) });
  } finally {
    burstDb.close();
    burstStore.close();
    await receiver.core.dispose();
  }
}

/** Every figure of this bench; `server` is a Prosody with accounts alice and bob, friends. */
export async function benchHistory({ server, work, report }) {
  const { ferry, cleanup } = await loadFerry();
  try {
    for (const count of [SMALL, BIG]) {
      const dataDir = join(work, `history-${count}`);
      const seedMs = await seed(ferry, dataDir, count);
      const read = await readLikeTheRenderer(ferry, dataDir);
      const isBig = count === BIG;
      report(`history ${count} msgs: first screen (latest ${FIRST_SCREEN})`, {
        firstMs: read.firstScreenMs, medianMs: read.screenMedianMs, target: isBig ? '≤100' : 'baseline', openMs: read.openMs, seedS: seedMs / 1000,
      });
      report(`history ${count} msgs: a page back (${PAGE_BACK}, ×${PAGES_BACK})`, {
        firstMs: read.backFirstMs, medianMs: read.backMedianMs, maxMs: read.backMaxMs, target: isBig ? '≤50' : 'baseline', catchUpMs: read.catchUpMs,
      });
    }
    await transferFigures(ferry, server, work, report);
  } finally {
    cleanup();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const work = mkdtempSync(join(tmpdir(), 'ferry-bench-history-'));
  const server = await startProsody({ accounts: [['alice', 'alice-pw'], ['bob', 'bob-pw']], friends: [['alice', 'bob']], offerTls: false });
  const fmt = (k, v) => (typeof v === 'number' ? v.toFixed(k === 'seedS' ? 2 : 1) : v);
  const report = (name, figures) => console.log(`${name.padEnd(52)} ${Object.entries(figures).map(([k, v]) => `${k}=${fmt(k, v)}`).join('  ')}`);
  try {
    console.log(`Ferry history benchmark (${new Date().toISOString()})`);
    await benchHistory({ server, work, report });
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
