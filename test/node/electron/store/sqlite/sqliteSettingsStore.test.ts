import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BareJid } from '../../../../../shared/model/jid';
import { defaultSettings, type Settings } from '../../../../../shared/model/settings';
import { createSqliteSettingsStores } from '../../../../../electron/store/sqlite/sqliteSettingsStore';
import { historyPath } from '../../../../../electron/store/sqlite/sqliteHistoryStores';
import { SCHEMA_VERSION } from '../../../../../electron/store/sqlite/schema';
import { tempDir } from '../../../../support/historyFixtures';

const ALICE = 'alice@localhost' as BareJid;

describe('SQLite settings store', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  function setup(): { dir: string; lines: string[]; stores: ReturnType<typeof createSqliteSettingsStores> } {
    const temp = tempDir();
    cleanup = temp.cleanup;
    const lines: string[] = [];
    return { dir: temp.dir, lines, stores: createSqliteSettingsStores({ dataDir: temp.dir, log: (line) => lines.push(line) }) };
  }

  it('a new account reads the defaults', async () => {
    const { stores, lines } = setup();
    const store = await stores.open(ALICE);
    expect(store.load()).toEqual(defaultSettings());
    expect(lines).toEqual([]);
    store.close();
    store.close();
  });

  it('keeps what was saved across a reopen, per account', async () => {
    const { stores } = setup();
    const changed: Settings = {
      ...defaultSettings(), theme: 'dark', downloadDir: '/tmp/in',
      autoAccept: [{ contact: 'bob@localhost', mediaType: 'image/*', maxSizeBytes: 5_000_000 }], socks5Ports: { first: 7000, last: 7010 },
    };
    const store = await stores.open(ALICE);
    store.save(changed);
    store.close();
    const again = await stores.open(ALICE);
    expect(again.load()).toEqual(changed);
    again.close();
    const other = await stores.open('carol@localhost' as BareJid);
    expect(other.load()).toEqual(defaultSettings());
    other.close();
  });

  it('a hand-edited, non-JSON or older value falls back to its default with a log line; the rest are kept', async () => {
    const { stores, dir, lines } = setup();
    (await stores.open(ALICE)).close();
    const raw = new Database(historyPath(dir, ALICE));
    const put = raw.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
    put.run('theme', '"dark"');
    put.run('autoAccept', '[{"contact":"bob@localhost","mediaType":"image/*","maxSizeBytes":"lots"}]');
    put.run('socks5Ports', '{not json');
    put.run('downloadDir', '123');
    put.run('removedInAnOlderFerry', '"x"');
    raw.close();
    const store = await stores.open(ALICE);
    const settings = store.load();
    expect(settings).toEqual({ ...defaultSettings(), theme: 'dark' });
    expect(lines.join('\n')).toMatch(/the stored socks5Ports is not JSON/);
    expect(lines.join('\n')).toMatch(/the stored autoAccept is not usable \(rule 1: the size limit/);
    expect(lines.join('\n')).toMatch(/the stored downloadDir is not usable/);
    store.close();
  });

  it('lives in the account database next to the history (schema 6 since the caps cache)', async () => {
    const { stores, dir } = setup();
    (await stores.open(ALICE)).close();
    const raw = new Database(join(dir, 'history', 'alice@localhost.sqlite'));
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    raw.close();
  });
});
