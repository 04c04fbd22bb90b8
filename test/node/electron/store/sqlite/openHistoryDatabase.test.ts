import Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BareJid } from '../../../../../shared/model/jid';
import { asideName, openHistoryDatabase } from '../../../../../electron/store/sqlite/openHistoryDatabase';
import { createSqliteHistoryStores, historyPath } from '../../../../../electron/store/sqlite/sqliteHistoryStores';
import { message, tempDir } from '../../../../support/historyFixtures';

describe('opening a damaged history database', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('moves a file that is not a database aside with a timestamp, says where, and starts a new one', async () => {
    const temp = tempDir();
    cleanup = temp.cleanup;
    const path = join(temp.dir, 'history', 'alice@localhost.sqlite');
    mkdirSync(join(temp.dir, 'history'));
    const garbage = Buffer.from('this is not SQLite, but it is the user\'s data '.repeat(200));
    writeFileSync(path, garbage);
    const lines: string[] = [];
    const { store, notice } = await createSqliteHistoryStores({ dataDir: temp.dir, log: (l) => lines.push(l) }).open('alice@localhost' as BareJid);
    const aside = readdirSync(join(temp.dir, 'history')).filter((name) => name.includes('.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(aside[0]).toMatch(/^alice@localhost\.sqlite\.corrupt-\d{8}T\d{6}Z$/);
    expect(readFileSync(join(temp.dir, 'history', aside[0])).equals(garbage)).toBe(true); // moved, not emptied
    expect(notice).toContain(`moved to ${join(temp.dir, 'history', aside[0])}`);
    expect(notice).toMatch(/could not be read \(.*not a database/);
    expect(lines).toEqual([notice]);
    store.append(message(1));
    expect(store.page('bob@localhost' as BareJid, { limit: 5 }).messages).toHaveLength(1);
    store.close();
  });

  it('moves aside a database whose pages are damaged (quick_check fails or reads fail)', async () => {
    const temp = tempDir();
    cleanup = temp.cleanup;
    const dataDir = temp.dir;
    const { store } = await createSqliteHistoryStores({ dataDir }).open('alice@localhost' as BareJid);
    for (let n = 0; n < 600; n += 1) store.append(message(n, { body: `${n} `.repeat(50) }));
    store.close();
    const path = historyPath(dataDir, 'alice@localhost' as BareJid);
    const bytes = readFileSync(path);
    bytes.fill(0x5a, 4096 * 2, 4096 * 6); // scribble over pages 3–6 (the header on page 1 stays valid)
    writeFileSync(path, bytes);
    const { db, notice } = await openHistoryDatabase(path);
    expect(notice).toMatch(/moved to .*\.corrupt-/);
    expect(db.prepare('SELECT count(*) AS n FROM messages').get()).toEqual({ n: 0 });
    db.close();
    expect(existsSync(path)).toBe(true);
  });

  it('leaves a healthy database that is locked by another connection where it is, and says why', async () => {
    const temp = tempDir();
    cleanup = temp.cleanup;
    const path = join(temp.dir, 'locked.sqlite');
    const other = new Database(path); // rollback journal: switching to WAL needs the lock it holds
    other.exec('CREATE TABLE x (y); BEGIN EXCLUSIVE; INSERT INTO x VALUES (1);');
    try {
      await expect(openHistoryDatabase(path, { timeoutMs: 50 })).rejects.toThrow(/could not be opened \(database is locked\); it was left as it is/);
      expect(readdirSync(temp.dir)).not.toContainEqual(expect.stringContaining('.corrupt-'));
    } finally {
      other.exec('COMMIT');
      other.close();
    }
  });

  it('names the aside file after the time, in UTC, without separators', () => {
    expect(asideName('/d/a.sqlite', new Date('2026-12-02T05:52:12.345Z'))).toBe('/d/a.sqlite.corrupt-20261202T055212Z');
  });
});
