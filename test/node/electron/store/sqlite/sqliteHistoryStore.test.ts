import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import type { BareJid } from '../../../../../shared/model/jid';
import type { HistoryStore } from '../../../../../electron/store/historyStore';
import { createSqliteHistoryStores, historyPath } from '../../../../../electron/store/sqlite/sqliteHistoryStores';
import { BUSY_LOAD, FLUSH_BATCH_SIZE, FLUSH_DELAY_MS, FLUSH_PACE_MS, HOLD_MAX_MS, MAX_QUEUED, SqliteHistoryStore } from '../../../../../electron/store/sqlite/sqliteHistoryStore';
import { migrate } from '../../../../../electron/store/sqlite/schema';
import { message, tempDir } from '../../../../support/historyFixtures';

const ALICE = 'alice@localhost' as BareJid;
const BOB = 'bob@localhost' as BareJid;

describe('SqliteHistoryStore', () => {
  let store: HistoryStore | null = null;
  let cleanup = () => {};
  /** What the store's meter reports: 0 is an idle thread, 1 one that never waits (a transfer reading its socket). */
  let threadLoad = 0;
  afterEach(() => {
    threadLoad = 0;
    vi.useRealTimers();
    store?.close();
    store = null;
    cleanup();
  });

  async function open(): Promise<{ store: HistoryStore; rowsOnDisk: () => number; dir: string }> {
    const temp = tempDir();
    cleanup = temp.cleanup;
    const opened = await createSqliteHistoryStores({ dataDir: temp.dir, threadLoad: () => threadLoad }).open(ALICE);
    store = opened.store;
    const path = historyPath(temp.dir, ALICE);
    // A second connection sees only committed rows: what a crash would leave.
    const rowsOnDisk = () => {
      const reader = new Database(path, { readonly: true });
      try {
        return (reader.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
      } finally {
        reader.close();
      }
    };
    return { store: opened.store, rowsOnDisk, dir: temp.dir };
  }

  it('queues appends and writes them in one go after the flush delay', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { store, rowsOnDisk } = await open();
    for (let n = 0; n < 10; n += 1) store.append(message(n));
    expect(rowsOnDisk()).toBe(0);
    vi.advanceTimersByTime(FLUSH_DELAY_MS - 1);
    expect(rowsOnDisk()).toBe(0);
    vi.advanceTimersByTime(1);
    expect(rowsOnDisk()).toBe(10);
  });

  it(`writes a burst ${FLUSH_BATCH_SIZE} messages per transaction, one transaction every ${FLUSH_PACE_MS} ms, oldest first`, async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { store, rowsOnDisk } = await open();
    const burst = 2 * FLUSH_BATCH_SIZE + 10;
    for (let n = 0; n < burst; n += 1) store.append(message(n, { at: 1000 + n }));
    expect(rowsOnDisk()).toBe(0); // an append never writes on the caller's time
    vi.advanceTimersByTime(FLUSH_DELAY_MS);
    expect(rowsOnDisk()).toBe(FLUSH_BATCH_SIZE);
    vi.advanceTimersByTime(FLUSH_PACE_MS - 1);
    expect(rowsOnDisk()).toBe(FLUSH_BATCH_SIZE);
    vi.advanceTimersByTime(1);
    expect(rowsOnDisk()).toBe(2 * FLUSH_BATCH_SIZE);
    vi.advanceTimersByTime(FLUSH_PACE_MS);
    expect(rowsOnDisk()).toBe(burst);
    expect(vi.getTimerCount()).toBe(0); // nothing left queued, no timer left behind
    expect(store.page(BOB, { limit: 3 }).messages.map((m) => m.id)).toEqual([`m${burst - 3}`, `m${burst - 2}`, `m${burst - 1}`]);
  });

  it(`holds batches while the thread is busy, at most ${HOLD_MAX_MS} ms since the last write, and writes them once it is not`, async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { store, rowsOnDisk } = await open();
    threadLoad = 1;
    for (let n = 0; n < 3 * FLUSH_BATCH_SIZE; n += 1) store.append(message(n, { at: 1000 + n }));
    vi.advanceTimersByTime(FLUSH_DELAY_MS + HOLD_MAX_MS - 1);
    expect(rowsOnDisk()).toBe(0); // a transfer saturating the thread is not interrupted by the writes
    vi.advanceTimersByTime(FLUSH_PACE_MS);
    expect(rowsOnDisk()).toBe(FLUSH_BATCH_SIZE); // but the queue never waits longer than the hold
    threadLoad = BUSY_LOAD; // not above the limit: the rest goes at the usual pace
    vi.advanceTimersByTime(FLUSH_PACE_MS);
    expect(rowsOnDisk()).toBe(2 * FLUSH_BATCH_SIZE);
    vi.advanceTimersByTime(FLUSH_PACE_MS);
    expect(rowsOnDisk()).toBe(3 * FLUSH_BATCH_SIZE);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a read during a paced burst writes the rest at once and sees all of it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { store, rowsOnDisk } = await open();
    for (let n = 0; n < 3 * FLUSH_BATCH_SIZE; n += 1) store.append(message(n, { at: 1000 + n }));
    vi.advanceTimersByTime(FLUSH_DELAY_MS);
    expect(rowsOnDisk()).toBe(FLUSH_BATCH_SIZE);
    expect(store.page(BOB, { limit: 1 }).messages.map((m) => m.id)).toEqual([`m${3 * FLUSH_BATCH_SIZE - 1}`]);
    expect(rowsOnDisk()).toBe(3 * FLUSH_BATCH_SIZE);
    expect(vi.getTimerCount()).toBe(0);
  });

  it(`writes everything at once when ${MAX_QUEUED} messages are queued, so the queue stays bounded`, async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { store, rowsOnDisk } = await open();
    for (let n = 0; n < MAX_QUEUED - 1; n += 1) store.append(message(n, { at: 1000 + n }));
    expect(rowsOnDisk()).toBe(0);
    store.append(message(MAX_QUEUED, { at: 1000 + MAX_QUEUED }));
    expect(rowsOnDisk()).toBe(MAX_QUEUED);
  });

  it('a read sees every append, queued or written, oldest first, for that peer only', async () => {
    const { store } = await open();
    store.append(message(1));
    store.append(message(2, { peer: 'carol@localhost' as BareJid, from: 'carol@localhost/x' }));
    store.append(message(3, { direction: 'outgoing', from: 'alice@localhost/ferry', to: 'bob@localhost' }));
    const { messages, before } = store.page(BOB, { limit: 10 });
    expect(messages.map((m) => [m.id, m.direction, m.body])).toEqual([['m1', 'incoming', 'hello 1'], ['m3', 'outgoing', 'hello 3']]);
    expect(messages[1]).toMatchObject({ from: 'alice@localhost/ferry', to: 'bob@localhost', at: 1003, peer: BOB });
    expect(before).toBeNull();
  });

  it('pages back from the latest with a cursor, keeping the order of messages in the same millisecond', async () => {
    const { store } = await open();
    for (let n = 0; n < 7; n += 1) store.append(message(n, { at: 500 + Math.floor(n / 2) }));
    const first = store.page(BOB, { limit: 3 });
    expect(first.messages.map((m) => m.id)).toEqual(['m4', 'm5', 'm6']);
    const second = store.page(BOB, { limit: 3, before: first.before! });
    expect(second.messages.map((m) => m.id)).toEqual(['m1', 'm2', 'm3']);
    const third = store.page(BOB, { limit: 3, before: second.before! });
    expect(third.messages.map((m) => m.id)).toEqual(['m0']);
    expect(third.before).toBeNull();
  });

  it('drops a message whose server stanza-id (XEP-0359) is already stored, in the same batch or a later one', async () => {
    const { store } = await open();
    store.append(message(1, { stanzaId: 'S1' }));
    store.append(message(2, { stanzaId: 'S1', body: 'the same, again' }));
    store.flush();
    store.append(message(3, { stanzaId: 'S1' }));
    store.append(message(4, { stanzaId: 'S2' }));
    expect(store.page(BOB, { limit: 10 }).messages.map((m) => [m.id, m.stanzaId])).toEqual([['m1', 'S1'], ['m4', 'S2']]);
  });

  it('drops a repeated origin-id from the same sender, but not the same origin-id from someone else', async () => {
    const { store } = await open();
    store.append(message(1, { originId: 'O1' }));
    store.append(message(2, { originId: 'O1' }));
    store.append(message(3, { originId: 'O1', from: 'bob@localhost/laptop' }));
    store.append(message(4));
    store.append(message(5)); // no ids at all: never merged
    expect(store.page(BOB, { limit: 10 }).messages.map((m) => m.id)).toEqual(['m1', 'm3', 'm4', 'm5']);
  });

  it('finds the newest stanza-id of the account, the oldest of a conversation, and the cursor of a message id (XEP-0313 catch-up and paging)', async () => {
    const { store } = await open();
    expect(store.latestStanzaId()).toBeNull();
    expect(store.oldestStanzaId(BOB)).toBeNull();
    store.append(message(5, { stanzaId: 'S5' }));
    store.append(message(3, { stanzaId: 'S3' }));
    store.append(message(9)); // newer but without a stanza id (sent by us): not a catch-up point
    store.append(message(7, { stanzaId: 'S7', peer: 'carol@localhost' as BareJid }));
    expect(store.latestStanzaId()).toBe('S7');
    expect(store.oldestStanzaId(BOB)).toBe('S3');
    const cursor = store.cursorOf(BOB, 'm5');
    expect(cursor?.at).toBe(1005);
    expect(store.page(BOB, { limit: 10, before: cursor! }).messages.map((m) => m.id)).toEqual(['m3']);
    expect(store.cursorOf(BOB, 'nope')).toBeNull();
  });

  it('close writes what is queued and is idempotent; the data is there when the store opens again', async () => {
    const { store: first, dir } = await open();
    first.append(message(1));
    first.close();
    first.close();
    store = null;
    expect(() => first.append(message(2))).toThrow(/closed/);
    const again = await createSqliteHistoryStores({ dataDir: dir }).open(ALICE);
    store = again.store;
    expect(again.store.page(BOB, { limit: 10 }).messages.map((m) => m.id)).toEqual(['m1']);
  });

  it('keeps the batch queued when a write fails, reports it from the timer, and writes it on the next flush', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const db = new Database(':memory:');
    migrate(db);
    db.exec(`CREATE TABLE flags (isFailing INTEGER); INSERT INTO flags VALUES (1);
      CREATE TRIGGER fail BEFORE INSERT ON messages WHEN (SELECT isFailing FROM flags) = 1 BEGIN SELECT RAISE(ABORT, 'disk says no'); END;`);
    const errors: unknown[] = [];
    const failing = new SqliteHistoryStore(db, { threadLoad: () => 0, onError: (error) => errors.push(error) });
    store = failing;
    failing.append(message(1));
    failing.append(message(2));
    vi.advanceTimersByTime(FLUSH_DELAY_MS);
    expect(String(errors[0])).toContain('disk says no');
    expect(() => failing.page(BOB, { limit: 5 })).toThrow(/disk says no/); // a read never pretends
    db.exec('UPDATE flags SET isFailing = 0');
    failing.append(message(3));
    expect(failing.page(BOB, { limit: 5 }).messages.map((m) => m.id)).toEqual(['m1', 'm2', 'm3']);
  });

  it('keeps one file per account under <dataDir>/history', async () => {
    const { dir } = await open();
    expect(historyPath(dir, ALICE)).toBe(join(dir, 'history', 'alice@localhost.sqlite'));
  });

  it('marks an outgoing message delivered once, only under its own peer, and keeps the mark across a reopen (XEP-0184)', async () => {
    const { store: first, dir } = await open();
    const sent = message(1, { direction: 'outgoing', from: 'alice@localhost/ferry', to: 'bob@localhost', originId: 'm1' });
    first.append(sent); // still queued: the mark must see it
    first.append(message(2)); // incoming, same peer
    expect(first.markDelivered('carol@localhost' as BareJid, 'm1', 50)).toBe(false); // another peer's receipt
    expect(first.markDelivered(BOB, 'm2', 50)).toBe(false); // an incoming message is never "delivered"
    expect(first.markDelivered(BOB, 'nope', 50)).toBe(false);
    expect(first.markDelivered(BOB, 'm1', 60)).toBe(true);
    expect(first.markDelivered(BOB, 'm1', 70)).toBe(false); // the first receipt's time stays
    first.append({ ...sent, stanzaId: 'archive-copy' }); // the archive's copy (same origin-id): dropped, the mark stays
    first.close();
    const again = await createSqliteHistoryStores({ dataDir: dir }).open(ALICE);
    store = again.store;
    const shown = again.store.page(BOB, { limit: 10 }).messages;
    expect(shown.filter((m) => m.id === 'm1').map((m) => [m.stanzaId, m.deliveredAt])).toEqual([[null, 60]]);
    expect(shown.find((m) => m.id === 'm2')).not.toHaveProperty('deliveredAt');
  });
});
