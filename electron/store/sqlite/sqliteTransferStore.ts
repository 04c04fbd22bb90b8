import type { Database, Statement } from 'better-sqlite3';
import type { BareJid } from '../../../shared/model/jid';
import type { TransferState, TransferSummary } from '../../../shared/model/transfer';
import type { TransferStore, TransferStores } from '../transferStore';
import { openHistoryDatabase } from './openHistoryDatabase';
import { historyPath } from './sqliteHistoryStores';

/** Queued summaries are written this long after the first one was queued. */
export const TRANSFER_FLUSH_DELAY_MS = 200;

const STATES: readonly TransferState[] = [
  'offered', 'negotiating', 'connecting', 'transferring', 'verifying', 'done', 'failed', 'cancelled', 'declined', 'interrupted',
];

interface TransferRow {
  id: string; direction: string; state: string; bytes: number; path: string | null; part_path: string | null; summary: string;
}

/** A row back as a summary; the columns win over the JSON. Null (with why) for a row that is not one. */
function fromRow(row: TransferRow): TransferSummary | string {
  let value: unknown;
  try { value = JSON.parse(row.summary); } catch { return 'its summary is not JSON'; }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'its summary is not an object';
  const summary = value as Partial<TransferSummary>;
  if (summary.id !== row.id || (row.direction !== 'incoming' && row.direction !== 'outgoing')) return 'its summary names another transfer';
  if (!STATES.includes(row.state as TransferState)) return `its state "${row.state}" is unknown`;
  if (typeof summary.file !== 'object' || summary.file === null || typeof summary.peer !== 'string') return 'its summary has no file or peer';
  return {
    ...(summary as TransferSummary), direction: row.direction, state: row.state as TransferState, bytes: row.bytes, path: row.path,
    partPath: row.part_path, attempts: Array.isArray(summary.attempts) ? summary.attempts : [],
  };
}

/**
 * TransferStore over one open database (migrated to schema 4 or later). put() only queues, keyed by id: the queue
 * is written in one transaction TRANSFER_FLUSH_DELAY_MS after the first put, so no caller waits for the
 * disk. all() flushes first. A batch that fails stays queued for the next flush (its error is logged).
 */
export class SqliteTransferStore implements TransferStore {
  private readonly queue = new Map<string, TransferSummary>();
  private timer: NodeJS.Timeout | null = null;
  private isClosed = false;
  private readonly upsert: Statement;
  private readonly select: Statement;
  private readonly remove: Statement;
  private readonly writeBatch: (summaries: TransferSummary[]) => void;

  constructor(private readonly db: Database, private readonly options: { flushDelayMs?: number; log?: (line: string) => void } = {}) {
    this.upsert = db.prepare(`INSERT INTO transfers (id, direction, peer, state, bytes, path, part_path, started_at, ended_at, summary)
      VALUES (@id, @direction, @peer, @state, @bytes, @path, @partPath, @startedAt, @endedAt, @summary)
      ON CONFLICT (id) DO UPDATE SET state = excluded.state, bytes = excluded.bytes, path = excluded.path,
        part_path = excluded.part_path, ended_at = excluded.ended_at, summary = excluded.summary`);
    this.select = db.prepare('SELECT id, direction, state, bytes, path, part_path, summary FROM (SELECT * FROM transfers ORDER BY started_at DESC LIMIT ?) ORDER BY started_at ASC');
    this.remove = db.prepare('DELETE FROM transfers WHERE id = ?');
    this.writeBatch = db.transaction((summaries: TransferSummary[]) => {
      for (const s of summaries) {
        this.upsert.run({
          id: s.id, direction: s.direction, peer: s.peer, state: s.state, bytes: Math.floor(s.bytes), path: s.path,
          partPath: s.partPath ?? null, startedAt: s.startedAt, endedAt: s.endedAt, summary: JSON.stringify(s),
        });
      }
    });
  }

  put(summary: TransferSummary): void {
    if (this.isClosed) return;
    this.queue.set(summary.id, summary);
    this.timer ??= setTimeout(() => this.flushFromTimer(), this.options.flushDelayMs ?? TRANSFER_FLUSH_DELAY_MS);
  }

  all(limit: number): TransferSummary[] {
    this.flush();
    const rows = this.select.all(Math.max(1, Math.floor(limit))) as TransferRow[];
    const summaries: TransferSummary[] = [];
    for (const row of rows) {
      const read = fromRow(row);
      if (typeof read === 'string') this.options.log?.(`transfers: the stored transfer ${row.id} is not shown: ${read}`);
      else summaries.push(read);
    }
    return summaries;
  }

  delete(id: string): void {
    this.queue.delete(id);
    if (!this.isClosed) this.remove.run(id);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.queue.size === 0 || this.isClosed) return;
    const batch = [...this.queue.values()];
    this.queue.clear();
    try {
      this.writeBatch(batch);
    } catch (error) {
      for (const summary of batch) if (!this.queue.has(summary.id)) this.queue.set(summary.id, summary);
      throw error;
    }
  }

  close(): void {
    if (this.isClosed) return;
    try {
      this.flush();
    } finally {
      this.isClosed = true;
      this.db.close();
    }
  }

  private flushFromTimer(): void {
    try {
      this.flush();
    } catch (error) {
      this.options.log?.(`transfers: a batch could not be written (kept for the next try): ${String(error)}`);
    }
  }
}

/** Each account's transfers, in its database under `<dataDir>/history/`. */
export function createSqliteTransferStores(options: { dataDir: string; log?: (line: string) => void; flushDelayMs?: number }): TransferStores {
  return {
    async open(account: BareJid): Promise<TransferStore> {
      const { db, notice } = await openHistoryDatabase(historyPath(options.dataDir, account));
      if (notice) options.log?.(notice);
      return new SqliteTransferStore(db, { log: options.log, flushDelayMs: options.flushDelayMs });
    },
  };
}
