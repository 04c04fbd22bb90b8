import { join } from 'node:path';
import type { BareJid } from '../../../shared/model/jid';
import { historyFileName } from '../accountFile';
import type { HistoryStores, OpenedHistory } from '../historyStore';
import { openHistoryDatabase } from './openHistoryDatabase';
import { SqliteHistoryStore } from './sqliteHistoryStore';

/** Options of the SQLite history: the data folder, and where write errors of the batch timer go. */
export interface SqliteHistoryOptions {
  dataDir: string;
  log?: (line: string) => void;
  flushDelayMs?: number;
  /** The thread's load since the previous call, 0–1 (sqliteHistoryStore.ts StoreOptions; tests set it). */
  threadLoad?: () => number;
}

/** The path of one account's database in the data folder. */
export function historyPath(dataDir: string, account: BareJid): string {
  return join(dataDir, 'history', historyFileName(account));
}

/** One SQLite database per account under `<dataDir>/history/`. */
export function createSqliteHistoryStores(options: SqliteHistoryOptions): HistoryStores {
  return {
    async open(account: BareJid): Promise<OpenedHistory> {
      const { db, notice } = await openHistoryDatabase(historyPath(options.dataDir, account));
      if (notice) options.log?.(notice);
      const store = new SqliteHistoryStore(db, {
        flushDelayMs: options.flushDelayMs,
        threadLoad: options.threadLoad,
        onError: (error) => options.log?.(`history: a batch of messages could not be written: ${String(error)}`),
      });
      return { store, notice };
    },
  };
}
