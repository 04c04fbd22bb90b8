import type { Database } from 'better-sqlite3';
import type { BareJid } from '../../../shared/model/jid';
import type { CapsStore, CapsStores, StoredCaps, StoredCapsIdentity } from '../capsStore';
import { openHistoryDatabase } from './openHistoryDatabase';
import { historyPath } from './sqliteHistoryStores';

/** How many vers are kept; beyond it the oldest stored go first (a client release is one ver, so this is ample). */
export const MAX_STORED_CAPS = 1000;

interface CapsOptions {
  log?: (line: string) => void;
  limit?: number;
  now?: () => number;
}

/** The caps cache as rows of the account's database (`caps`: hash, ver, JSON info, stored_at; schema 6). */
export class SqliteCapsStore implements CapsStore {
  private isClosed = false;
  private readonly limit: number;
  private readonly now: () => number;
  private readonly log: (line: string) => void;

  constructor(private readonly db: Database, options: CapsOptions = {}) {
    this.limit = options.limit ?? MAX_STORED_CAPS;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => {});
  }

  get(hash: string, ver: string): StoredCaps | null {
    const row = this.db.prepare('SELECT info FROM caps WHERE hash = ? AND ver = ?').get(hash, ver) as { info: string } | undefined;
    if (!row) return null;
    const caps = readCaps(row.info);
    if (!caps) this.log(`caps: the stored answer for ${hash} ${ver} cannot be read; the peer will be asked again`);
    return caps;
  }

  put(hash: string, ver: string, caps: StoredCaps): void {
    const info = JSON.stringify({ identities: caps.identities, features: caps.features });
    this.db.transaction(() => {
      this.db.prepare(`INSERT INTO caps (hash, ver, info, stored_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (hash, ver) DO UPDATE SET info = excluded.info, stored_at = excluded.stored_at`).run(hash, ver, info, this.now());
      this.db.prepare(`DELETE FROM caps WHERE (hash, ver) IN
        (SELECT hash, ver FROM caps ORDER BY stored_at DESC LIMIT -1 OFFSET ?)`).run(this.limit);
    })();
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.db.close();
  }
}

/** The stored JSON as StoredCaps, or null when it is not one (a hand-edited or damaged row). */
function readCaps(text: string): StoredCaps | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const { identities, features } = (value ?? {}) as { identities?: unknown; features?: unknown };
  if (!Array.isArray(features) || !features.every((f) => typeof f === 'string')) return null;
  if (!Array.isArray(identities) || !identities.every(isIdentity)) return null;
  return { identities, features };
}

function isIdentity(value: unknown): value is StoredCapsIdentity {
  if (typeof value !== 'object' || value === null) return false;
  const { category, type, name, lang } = value as Record<string, unknown>;
  return typeof category === 'string' && typeof type === 'string'
    && (name === undefined || typeof name === 'string') && (lang === undefined || typeof lang === 'string');
}

/** Each account's caps cache, in its history database under `<dataDir>/history/`. */
export function createSqliteCapsStores(options: { dataDir: string } & CapsOptions): CapsStores {
  return {
    async open(account: BareJid): Promise<CapsStore> {
      const { db, notice } = await openHistoryDatabase(historyPath(options.dataDir, account));
      if (notice) options.log?.(notice);
      return new SqliteCapsStore(db, options);
    },
  };
}
