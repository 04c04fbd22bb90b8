/**
 * The storage port for transfers (issue #10): every transfer the card shows, kept across restarts. The core
 * sees only these types; the SQLite side is electron/store/sqlite/sqliteTransferStore.ts.
 */
import type { BareJid } from '../../shared/model/jid';
import type { TransferSummary } from '../../shared/model/transfer';

/** One account's transfers. Writes are queued and written in batches off the caller's path. */
export interface TransferStore {
  /** Queues the latest summary of a transfer (a later one for the same id replaces it in the queue). */
  put(summary: TransferSummary): void;
  /**
   * Every stored transfer, oldest first, at most `limit` (the newest). A row that cannot be read is left
   * in the file and reported through the store's log, never dropped silently.
   */
  all(limit: number): TransferSummary[];
  /** Forgets a transfer (Remove from list, or replaced by its resume). */
  delete(id: string): void;
  /** Writes the queue now, in one transaction. */
  flush(): void;
  /** Flushes and closes. Idempotent. */
  close(): void;
}

/** Opens the transfers of one account (they live in the account's database). */
export interface TransferStores {
  open(account: BareJid): Promise<TransferStore>;
}
