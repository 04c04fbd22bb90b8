import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { BareJid } from '../../../../../shared/model/jid';
import { createSqliteCapsStores } from '../../../../../electron/store/sqlite/sqliteCapsStore';
import { historyPath } from '../../../../../electron/store/sqlite/sqliteHistoryStores';
import type { StoredCaps } from '../../../../../electron/store/capsStore';
import { tempDir } from '../../../../support/historyFixtures';

const ALICE = 'alice@localhost' as BareJid;
const FERRY: StoredCaps = {
  identities: [{ category: 'client', type: 'pc', name: 'Ferry' }, { category: 'client', type: 'pc', lang: 'de' }],
  features: ['http://jabber.org/protocol/caps', 'http://jabber.org/protocol/disco#info'],
};

describe('SQLite caps store (XEP-0115 cache, issue #10)', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  function setup(options: { limit?: number; now?: () => number } = {}) {
    const temp = tempDir();
    cleanup = temp.cleanup;
    const lines: string[] = [];
    return { dir: temp.dir, lines, stores: createSqliteCapsStores({ dataDir: temp.dir, log: (line) => lines.push(line), ...options }) };
  }

  it('keeps a stored answer across a reopen, keyed by hash and ver, per account', async () => {
    const { stores } = setup();
    const store = await stores.open(ALICE);
    expect(store.get('sha-1', 'abc=')).toBeNull();
    store.put('sha-1', 'abc=', FERRY);
    store.close();
    store.close();
    const again = await stores.open(ALICE);
    expect(again.get('sha-1', 'abc=')).toEqual(FERRY);
    expect(again.get('sha-256', 'abc=')).toBeNull();
    expect(again.get('sha-1', 'abd=')).toBeNull();
    again.close();
    const other = await stores.open('carol@localhost' as BareJid);
    expect(other.get('sha-1', 'abc=')).toBeNull();
    other.close();
  });

  it('keeps at most its limit, dropping the oldest stored first', async () => {
    let clock = 0;
    const { stores } = setup({ limit: 3, now: () => (clock += 1) });
    const store = await stores.open(ALICE);
    for (const ver of ['v1', 'v2', 'v3']) store.put('sha-1', ver, FERRY);
    store.put('sha-1', 'v1', FERRY); // stored again: now the newest
    store.put('sha-1', 'v4', FERRY);
    expect(['v1', 'v2', 'v3', 'v4'].map((ver) => store.get('sha-1', ver) !== null)).toEqual([true, false, true, true]);
    store.close();
  });

  it('a hand-edited row reads as not stored, with a log line, and is asked again', async () => {
    const { stores, dir, lines } = setup();
    (await stores.open(ALICE)).close();
    const raw = new Database(historyPath(dir, ALICE));
    const put = raw.prepare('INSERT INTO caps (hash, ver, info, stored_at) VALUES (?, ?, ?, 1)');
    put.run('sha-1', 'notjson', '{oops');
    put.run('sha-1', 'badfeature', '{"identities":[],"features":[1]}');
    put.run('sha-1', 'badidentity', '{"identities":[{"category":"client"}],"features":[]}');
    raw.close();
    const store = await stores.open(ALICE);
    for (const ver of ['notjson', 'badfeature', 'badidentity']) expect(store.get('sha-1', ver)).toBeNull();
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/sha-1 notjson cannot be read/);
    store.put('sha-1', 'notjson', FERRY); // a fresh verified answer replaces the bad row
    expect(store.get('sha-1', 'notjson')).toEqual(FERRY);
    store.close();
  });
});
