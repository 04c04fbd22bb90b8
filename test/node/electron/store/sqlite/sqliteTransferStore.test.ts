import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { BareJid } from '../../../../../shared/model/jid';
import { createSqliteTransferStores } from '../../../../../electron/store/sqlite/sqliteTransferStore';
import { historyPath } from '../../../../../electron/store/sqlite/sqliteHistoryStores';
import { tempDir } from '../../../../support/historyFixtures';
import { summary } from '../../../../support/transferFixtures';

const ALICE = 'alice@localhost' as BareJid;

describe('SqliteTransferStore (issue #10: transfers kept in the account database)', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  function setup(log: string[] = []) {
    const temp = tempDir();
    cleanup = temp.cleanup;
    return { dir: temp.dir, stores: createSqliteTransferStores({ dataDir: temp.dir, log: (line) => log.push(line), flushDelayMs: 20 }) };
  }

  it('keeps every field the card shows, attempt log included, across a close and a reopen', async () => {
    const { stores } = setup();
    const store = await stores.open(ALICE);
    const ended = summary(1, { state: 'done', path: '/tmp/f1.bin', sha256: 'ab'.repeat(32), hash: 'verified', endedAt: 900 });
    store.put(ended);
    store.close();
    const again = await stores.open(ALICE);
    expect(again.all(10)).toEqual([ended]);
    again.close();
  });

  it('queues puts: nothing is written until the batch timer, and a later put of the same id wins', async () => {
    const { stores, dir } = setup();
    const store = await stores.open(ALICE);
    store.put(summary(1, { bytes: 1 }));
    store.put(summary(1, { bytes: 2 }));
    const raw = new Database(historyPath(dir, ALICE), { readonly: true });
    expect(raw.prepare('SELECT count(*) AS n FROM transfers').get()).toEqual({ n: 0 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(raw.prepare('SELECT id, bytes, state FROM transfers').all()).toEqual([{ id: 't1', bytes: 2, state: 'transferring' }]);
    raw.close();
    store.close();
  });

  it('returns the newest `limit` transfers oldest first, and forgets a deleted one', async () => {
    const { stores } = setup();
    const store = await stores.open(ALICE);
    for (let n = 1; n <= 5; n += 1) store.put(summary(n));
    store.delete('t5');
    expect(store.all(3).map((t) => t.id)).toEqual(['t2', 't3', 't4']);
    store.delete('t4');
    expect(store.all(10).map((t) => t.id)).toEqual(['t1', 't2', 't3']);
    store.close();
  });

  it('leaves a row it cannot read in the file and says which one, showing the others', async () => {
    const log: string[] = [];
    const { stores, dir } = setup(log);
    const store = await stores.open(ALICE);
    store.put(summary(1));
    store.put(summary(2));
    store.flush();
    const raw = new Database(historyPath(dir, ALICE));
    raw.prepare("UPDATE transfers SET summary = '{not json' WHERE id = 't1'").run();
    raw.prepare("UPDATE transfers SET state = 'exploded' WHERE id = 't2'").run();
    raw.close();
    store.put(summary(3));
    expect(store.all(10).map((t) => t.id)).toEqual(['t3']);
    expect(log.join('\n')).toMatch(/stored transfer t1 is not shown: its summary is not JSON/);
    expect(log.join('\n')).toMatch(/stored transfer t2 is not shown: its state "exploded" is unknown/);
    store.close();
    const check = new Database(historyPath(dir, ALICE), { readonly: true });
    expect(check.prepare('SELECT count(*) AS n FROM transfers').get()).toEqual({ n: 3 });
    check.close();
  });
});
