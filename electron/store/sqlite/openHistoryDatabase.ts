/**
 * better-sqlite3 is a native module: it is kept out of the bundles (vite.node.config.ts,
 * vite.electron.config.ts), shipped unpacked beside the asar (build/electron-builder.json) and loaded
 * here on first use, so a host that never opens history never loads it.
 */
import { existsSync, renameSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { migrate, NewerSchemaError } from './schema';

type DatabaseConstructor = typeof BetterSqlite3;

/** Loads better-sqlite3 on first call (Node's module cache makes later calls cheap). */
async function loadSqlite(): Promise<DatabaseConstructor> {
  const loaded = (await import('better-sqlite3')) as { default?: DatabaseConstructor } & Partial<DatabaseConstructor>;
  const constructor = loaded.default ?? (loaded as DatabaseConstructor);
  if (typeof constructor !== 'function') throw new Error('better-sqlite3 has no callable export');
  return constructor;
}

/** How long a locked database is waited for (another Ferry process writing) before opening fails. */
const BUSY_TIMEOUT_MS = 5000;

/** The file is not a healthy database: the one case where it is moved aside. */
class DamagedDatabaseError extends Error {}

/**
 * SQLite's answers that mean the bytes are not a (healthy) database. Anything else (busy, locked, no
 * permission, I/O error) says nothing about the file's content, so it is never a reason to move it.
 */
function isDamage(error: unknown): boolean {
  if (error instanceof DamagedDatabaseError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'));
}

/** Opens, checks and migrates; throws when the file is not a usable database. */
function openChecked(Database: DatabaseConstructor, path: string, timeoutMs: number): BetterSqlite3.Database {
  const db = new Database(path, { timeout: timeoutMs });
  try {
    db.pragma('journal_mode = WAL');
    // NORMAL with WAL: a power loss may drop the last commits, never corrupt the file (sqlite.org/wal.html).
    db.pragma('synchronous = NORMAL');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new DamagedDatabaseError(`quick_check says: ${String(check)}`);
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The name a damaged file is moved to: `<file>.corrupt-20261202T055212Z`. */
export function asideName(path: string, now: Date): string {
  return `${path}.corrupt-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
}

/** Moves the database and its WAL/SHM files aside; returns where the database went. */
function moveAside(path: string, now: Date): string {
  const target = asideName(path, now);
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(path + suffix)) renameSync(path + suffix, target + suffix);
  }
  return target;
}

/**
 * Opens the history database at `path` (creating its folder), in WAL mode and at the current schema. A
 * file that is not a SQLite database or is damaged (SQLITE_NOTADB, SQLITE_CORRUPT, a failed quick_check)
 * is renamed with a timestamp suffix and a new one is started, and the notice says where the old one went;
 * it is never emptied in place. Any other failure (a database from a newer Ferry, locked longer than
 * `timeoutMs`, no permission, a file that cannot be moved) is an error and nothing is touched.
 */
export async function openHistoryDatabase(
  path: string,
  options: { now?: () => Date; timeoutMs?: number } = {},
): Promise<{ db: BetterSqlite3.Database; notice: string | null }> {
  const Database = await loadSqlite();
  const timeoutMs = options.timeoutMs ?? BUSY_TIMEOUT_MS;
  await mkdir(dirname(path), { recursive: true });
  try {
    return { db: openChecked(Database, path, timeoutMs), notice: null };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (error instanceof NewerSchemaError) throw error;
    if (!isDamage(error)) throw new Error(`the history database ${path} could not be opened (${reason}); it was left as it is`, { cause: error });
    let target: string;
    try {
      target = moveAside(path, (options.now ?? (() => new Date()))());
    } catch (moveError) {
      throw new Error(`the history database ${path} cannot be read (${reason}) and could not be moved aside: ${String(moveError)}`, { cause: moveError });
    }
    const db = openChecked(Database, path, timeoutMs);
    return { db, notice: `The history database ${path} could not be read (${reason}). It was moved to ${target} and a new one was started.` };
  }
}

