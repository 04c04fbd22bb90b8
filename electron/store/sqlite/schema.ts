import type { Database } from 'better-sqlite3';

/**
 * Forward migrations of the history database. MIGRATIONS[n] takes a database from schema version n to
 * n + 1 (PRAGMA user_version); a new schema is one more entry, never an edit of an old one.
 */
export const MIGRATIONS: readonly ((db: Database) => void)[] = [
  // 0 → 1: messages. `seq` orders messages that share a millisecond; the partial unique indexes drop
  // duplicates by XEP-0359 ids (the server's stanza-id, else the sender's origin-id).
  (db) => db.exec(`
    CREATE TABLE messages (
      seq        INTEGER PRIMARY KEY AUTOINCREMENT,
      id         TEXT    NOT NULL,
      stanza_id  TEXT,
      origin_id  TEXT,
      peer       TEXT    NOT NULL,
      direction  TEXT    NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
      from_jid   TEXT    NOT NULL,
      to_jid     TEXT    NOT NULL,
      body       TEXT    NOT NULL,
      at         INTEGER NOT NULL
    );
    CREATE INDEX messages_by_peer_at ON messages (peer, at, seq);
    CREATE UNIQUE INDEX messages_stanza_id ON messages (stanza_id) WHERE stanza_id IS NOT NULL;
    CREATE UNIQUE INDEX messages_origin_id ON messages (peer, from_jid, origin_id) WHERE origin_id IS NOT NULL;
  `),
  // 1 → 2: settings (issue #11), one row per key with its value as JSON. Values are checked when read
  // (shared/model/settings.ts readSettings), so a hand-edited row falls back to its default.
  (db) => db.exec(`
    CREATE TABLE settings (
      key   TEXT PRIMARY KEY NOT NULL,
      value TEXT NOT NULL
    ) WITHOUT ROWID;
  `),
  // 2 → 3: indexes for a long conversation (issue #10 benchmark, 100,000 messages). Paging back finds the
  // oldest shown message by (peer, id) (cursorOf scanned the whole conversation: 25 ms at 100,000), and the
  // archive catch-up at each login reads the newest stored stanza-id (a sort of every row: 44 ms).
  (db) => db.exec(`
    CREATE INDEX messages_by_peer_id ON messages (peer, id);
    CREATE INDEX messages_stanza_by_at ON messages (at, seq) WHERE stanza_id IS NOT NULL;
  `),
  // 3 → 4: transfers (issue #10), one row per transfer: the card's whole summary as JSON (attempt log
  // included) plus the columns a restart reads without parsing it (state, bytes, the file or its .part).
  (db) => db.exec(`
    CREATE TABLE transfers (
      id         TEXT    PRIMARY KEY NOT NULL,
      direction  TEXT    NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
      peer       TEXT    NOT NULL,
      state      TEXT    NOT NULL,
      bytes      INTEGER NOT NULL,
      path       TEXT,
      part_path  TEXT,
      started_at INTEGER NOT NULL,
      ended_at   INTEGER,
      summary    TEXT    NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX transfers_by_started ON transfers (started_at);
  `),
  // 4 → 5: XEP-0184 delivery receipts (issue #10): when the peer's receipt for an outgoing message
  // arrived; NULL while none has (and for every incoming message and every message stored before).
  (db) => db.exec('ALTER TABLE messages ADD COLUMN delivered_at INTEGER;'),
  // 5 → 6: the XEP-0115 caps cache (issue #10): per verified (hash, ver), the disco#info's identities and
  // features as JSON, and when it was stored (the oldest rows go first when the cache is full).
  (db) => db.exec(`
    CREATE TABLE caps (
      hash      TEXT    NOT NULL,
      ver       TEXT    NOT NULL,
      info      TEXT    NOT NULL,
      stored_at INTEGER NOT NULL,
      PRIMARY KEY (hash, ver)
    ) WITHOUT ROWID;
    CREATE INDEX caps_by_stored_at ON caps (stored_at);
  `),
];

/** The schema this build writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** A database written by a newer Ferry: refused, never downgraded or emptied. */
export class NewerSchemaError extends Error {
  constructor(readonly found: number) {
    super(`the history database has schema ${found}, newer than this Ferry's ${SCHEMA_VERSION}; it was left as it is`);
    this.name = 'NewerSchemaError';
  }
}

/** Brings the database to SCHEMA_VERSION, each step in its own transaction with its version bump. */
export function migrate(db: Database, target: number = SCHEMA_VERSION): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) throw new NewerSchemaError(current);
  for (let version = current; version < target; version += 1) {
    db.transaction(() => {
      MIGRATIONS[version](db);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
