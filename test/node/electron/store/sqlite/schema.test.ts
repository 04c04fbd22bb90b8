import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate, NewerSchemaError, SCHEMA_VERSION } from '../../../../../electron/store/sqlite/schema';
import { openHistoryDatabase } from '../../../../../electron/store/sqlite/openHistoryDatabase';
import { tempDir } from '../../../../support/historyFixtures';
import { join } from 'node:path';

/**
 * One row per earlier schema: how a database of that version looks with data in it, and what the data
 * must read like at the current schema. Adding schema v2 means adding the v1 row here (seeded by v1's SQL),
 * and each older row keeps checking the whole chain of migrations.
 */
interface EarlierSchema { version: number; seed: (db: Database.Database) => void; check: (db: Database.Database) => void }
const SCHEMA_FIXTURES: EarlierSchema[] = [
  {
    version: 0, seed: () => {}, check: (db) => {
      expect(db.prepare('SELECT count(*) AS n FROM messages').get()).toEqual({ n: 0 });
      expect(db.prepare('SELECT count(*) AS n FROM settings').get()).toEqual({ n: 0 });
    },
  },
  {
    version: 1,
    seed: (db) => db.prepare(`INSERT INTO messages (id, stanza_id, origin_id, peer, direction, from_jid, to_jid, body, at)
      VALUES ('m1', 's1', NULL, 'bob@localhost', 'incoming', 'bob@localhost/a', 'alice@localhost/b', 'hi', 5)`).run(),
    check: (db) => {
      expect(db.prepare('SELECT id, stanza_id, peer, body, at FROM messages').all()).toEqual([{ id: 'm1', stanza_id: 's1', peer: 'bob@localhost', body: 'hi', at: 5 }]);
      // 1 → 2 added the settings table, empty: every setting reads as its default.
      expect(db.prepare('SELECT count(*) AS n FROM settings').get()).toEqual({ n: 0 });
    },
  },
  {
    version: 2,
    seed: (db) => {
      db.prepare(`INSERT INTO messages (id, stanza_id, origin_id, peer, direction, from_jid, to_jid, body, at)
        VALUES ('m1', 's1', NULL, 'bob@localhost', 'incoming', 'bob@localhost/a', 'alice@localhost/b', 'hi', 5)`).run();
      db.prepare(`INSERT INTO settings (key, value) VALUES ('theme', '"dark"')`).run();
    },
    check: (db) => {
      expect(db.prepare('SELECT id, stanza_id, body FROM messages').all()).toEqual([{ id: 'm1', stanza_id: 's1', body: 'hi' }]);
      expect(db.prepare('SELECT key, value FROM settings').all()).toEqual([{ key: 'theme', value: '"dark"' }]);
      // 2 → 3 indexed the existing rows too: the new indexes answer for m1.
      expect(db.prepare("SELECT seq FROM messages INDEXED BY messages_by_peer_id WHERE peer = 'bob@localhost' AND id = 'm1'").get()).toEqual({ seq: 1 });
      expect(db.prepare('SELECT stanza_id FROM messages INDEXED BY messages_stanza_by_at WHERE stanza_id IS NOT NULL ORDER BY at DESC, seq DESC').get()).toEqual({ stanza_id: 's1' });
    },
  },
  {
    version: 3,
    seed: (db) => {
      db.prepare(`INSERT INTO messages (id, stanza_id, origin_id, peer, direction, from_jid, to_jid, body, at)
        VALUES ('m2', NULL, 'o2', 'bob@localhost', 'outgoing', 'alice@localhost/b', 'bob@localhost', 'yo', 7)`).run();
      db.prepare("INSERT INTO settings (key, value) VALUES ('theme', '\"dark\"')").run();
    },
    check: (db) => {
      expect(db.prepare('SELECT id, origin_id, body FROM messages').all()).toEqual([{ id: 'm2', origin_id: 'o2', body: 'yo' }]);
      expect(db.prepare('SELECT key, value FROM settings').all()).toEqual([{ key: 'theme', value: '"dark"' }]);
      // 3 → 4 added the transfers table (issue #10), empty: nothing to restore yet.
      expect(db.prepare('SELECT count(*) AS n FROM transfers').get()).toEqual({ n: 0 });
    },
  },
  {
    version: 4,
    seed: (db) => db.prepare(`INSERT INTO messages (id, stanza_id, origin_id, peer, direction, from_jid, to_jid, body, at)
      VALUES ('m3', NULL, 'm3', 'bob@localhost', 'outgoing', 'alice@localhost/b', 'bob@localhost', 'sent before receipts', 6)`).run(),
    check: (db) => {
      // 4 → 5 added delivered_at: messages stored before it read as not (yet) delivered.
      expect(db.prepare("SELECT id, direction, delivered_at FROM messages WHERE id = 'm3'").all())
        .toEqual([{ id: 'm3', direction: 'outgoing', delivered_at: null }]);
    },
  },
  {
    version: 5,
    seed: (db) => {
      db.prepare(`INSERT INTO messages (id, stanza_id, origin_id, peer, direction, from_jid, to_jid, body, at, delivered_at)
        VALUES ('m4', NULL, 'm4', 'bob@localhost', 'outgoing', 'alice@localhost/b', 'bob@localhost', 'delivered', 8, 9)`).run();
      db.prepare("INSERT INTO settings (key, value) VALUES ('theme', '\"light\"')").run();
    },
    check: (db) => {
      expect(db.prepare("SELECT id, delivered_at FROM messages WHERE id = 'm4'").all()).toEqual([{ id: 'm4', delivered_at: 9 }]);
      expect(db.prepare('SELECT key, value FROM settings').all()).toEqual([{ key: 'theme', value: '"light"' }]);
      // 5 → 6 added the caps cache (issue #10), empty: every peer is asked once more.
      expect(db.prepare('SELECT count(*) AS n FROM caps').get()).toEqual({ n: 0 });
    },
  },
];
const EARLIER_SCHEMAS = SCHEMA_FIXTURES.filter((row) => row.version < SCHEMA_VERSION);

describe('history schema migrations', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('has one migration per version, and this build is at schema 6', () => {
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
    expect(SCHEMA_VERSION).toBe(6);
  });

  it('covers every earlier schema with a fixture row', () => {
    expect(EARLIER_SCHEMAS.map((row) => row.version)).toEqual([...Array(SCHEMA_VERSION).keys()]);
  });

  it.each(EARLIER_SCHEMAS)('migrates a database at schema $version forward and keeps its data', async ({ version, seed, check }) => {
    const temp = tempDir();
    cleanup = temp.cleanup;
    const path = join(temp.dir, 'h.sqlite');
    const old = new Database(path);
    migrate(old, version);
    expect(old.pragma('user_version', { simple: true })).toBe(version);
    seed(old);
    old.close();
    const { db, notice } = await openHistoryDatabase(path);
    expect(notice).toBeNull();
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    check(db);
    db.close();
  });

  it('creates the current schema in an empty file, in WAL mode, with the paging index', async () => {
    const temp = tempDir();
    cleanup = temp.cleanup;
    const { db } = await openHistoryDatabase(join(temp.dir, 'sub', 'new.sqlite'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT * FROM messages WHERE peer = 'x' ORDER BY at DESC, seq DESC LIMIT 10").all() as { detail: string }[];
    expect(plan.map((row) => row.detail).join(' ')).toMatch(/USING INDEX messages_by_peer_at/);
    db.close();
  });

  // The queries of SqliteHistoryStore that run on every page back and every login must not scan a long
  // conversation (bench/history.mjs measures them at 100,000 messages).
  it.each([
    ['cursorOf (a page back)', "SELECT at, seq FROM messages WHERE peer = 'x' AND id = 'y' ORDER BY seq DESC LIMIT 1", 'messages_by_peer_id'],
    ['latestStanzaId (the archive catch-up)', 'SELECT stanza_id FROM messages WHERE stanza_id IS NOT NULL ORDER BY at DESC, seq DESC LIMIT 1', 'messages_stanza_by_at'],
  ])('answers %s from an index, without sorting', async (_what, query, index) => {
    const temp = tempDir();
    cleanup = temp.cleanup;
    const { db } = await openHistoryDatabase(join(temp.dir, 'plan.sqlite'));
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${query}`).all() as { detail: string }[]).map((row) => row.detail).join(' | ');
    db.close();
    expect(plan).toContain(`USING INDEX ${index}`);
    expect(plan).not.toContain('TEMP B-TREE');
  });

  it('refuses a database from a newer Ferry and leaves it untouched', async () => {
    const temp = tempDir();
    cleanup = temp.cleanup;
    const path = join(temp.dir, 'newer.sqlite');
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.exec('CREATE TABLE future (x)');
    db.close();
    await expect(openHistoryDatabase(path)).rejects.toBeInstanceOf(NewerSchemaError);
    const again = new Database(path);
    expect(again.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    expect(again.prepare("SELECT name FROM sqlite_master WHERE name = 'future'").get()).toEqual({ name: 'future' });
    again.close();
  });

  it('a failed migration step leaves the version where it was (each step is one transaction)', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE messages (x)'); // the v1 step will collide with this
    expect(() => migrate(db)).toThrow(/already exists/);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    db.close();
  });
});
