/**
 * The storage port for the XEP-0115 caps cache (issue #10, "known peers' features"): the disco#info a
 * verified caps ver stands for, kept across restarts so a peer seen before is not asked again. The core
 * sees only these types; the SQLite side is electron/store/sqlite/sqliteCapsStore.ts.
 */
import type { BareJid } from '../../shared/model/jid';

/** One identity of a stored answer (XEP-0030 §3.1). */
export interface StoredCapsIdentity {
  category: string;
  type: string;
  name?: string;
  lang?: string;
}

/** What a caps ver stands for: the identities and features of the disco#info it was verified against. */
export interface StoredCaps {
  identities: StoredCapsIdentity[];
  features: string[];
}

/** One account's caps cache. Callers store only answers whose ver they verified (XEP-0115 §5.4). */
export interface CapsStore {
  /** The stored answer for this hash and ver, or null (never stored, or a row that cannot be read: logged). */
  get(hash: string, ver: string): StoredCaps | null;
  /** Stores (or replaces) the answer; the oldest rows beyond the store's limit are dropped. */
  put(hash: string, ver: string, caps: StoredCaps): void;
  /** Closes the database. Idempotent. */
  close(): void;
}

/** Opens the caps cache of one account (it lives in the account's database). */
export interface CapsStores {
  open(account: BareJid): Promise<CapsStore>;
}
