import type { Database } from 'better-sqlite3';

/**
 * Forward migrations of the history database. MIGRATIONS[n] takes a database from schema version n to
 * n + 1 (PRAGMA user_version); a new schema is one more entry, never an edit of an old one. The tables
 * for transfers (issue #10) come as later migrations.
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
  // 2 → 3: XEP-0184 delivery receipts (issue #10): when the peer's receipt for an outgoing message
  // arrived; NULL while none has (and for every incoming message and every message stored before).
  (db) => db.exec('ALTER TABLE messages ADD COLUMN delivered_at INTEGER;'),
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
