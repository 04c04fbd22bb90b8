import type { Database, Statement } from 'better-sqlite3';
import type { BareJid } from '../../../shared/model/jid';
import type { HistoryCursor, HistoryMessage, HistoryPage, HistoryStore } from '../historyStore';

/** Queued messages are written this long after the first one was queued… */
export const FLUSH_DELAY_MS = 50;
/** …or as soon as this many are queued. */
export const FLUSH_BATCH_SIZE = 256;
/** The most a page may hold. */
const MAX_PAGE = 1000;
/** The most messages kept queued while writes fail (the oldest beyond are dropped, and said so). */
const MAX_QUEUED = 10_000;

interface MessageRow {
  seq: number; id: string; stanza_id: string | null; origin_id: string | null; peer: string;
  direction: 'incoming' | 'outgoing'; from_jid: string; to_jid: string; body: string; at: number;
  delivered_at: number | null;
}

function fromRow(row: MessageRow): HistoryMessage {
  return {
    id: row.id, peer: row.peer as BareJid, direction: row.direction, from: row.from_jid, to: row.to_jid,
    body: row.body, at: row.at, originId: row.origin_id, stanzaId: row.stanza_id,
    ...(row.direction === 'outgoing' ? { deliveredAt: row.delivered_at } : {}),
  };
}

/**
 * HistoryStore over one open better-sqlite3 database (already migrated). append() only queues: the
 * queue is written in one transaction after FLUSH_DELAY_MS or at FLUSH_BATCH_SIZE messages, so a burst
 * of messages costs one fsync-bound commit, and a crash loses at most the queue, never half a batch.
 * Reads flush first, so they see every append.
 */
export class SqliteHistoryStore implements HistoryStore {
  private queue: HistoryMessage[] = [];
  private timer: NodeJS.Timeout | null = null;
  private isClosed = false;
  private readonly insert: Statement;
  private readonly latest: Statement;
  private readonly older: Statement;
  private readonly newestStanzaId: Statement;
  private readonly oldestStanzaIdOf: Statement;
  private readonly positionOf: Statement;
  private readonly delivered: Statement;
  private readonly writeBatch: (messages: HistoryMessage[]) => void;

  constructor(private readonly db: Database, private readonly options: { flushDelayMs?: number; onError?: (error: unknown) => void } = {}) {
    this.insert = db.prepare(`INSERT OR IGNORE INTO messages (id, stanza_id, origin_id, peer, direction, from_jid, to_jid, body, at)
      VALUES (@id, @stanzaId, @originId, @peer, @direction, @from, @to, @body, @at)`);
    const select = 'SELECT * FROM messages WHERE peer = @peer';
    this.latest = db.prepare(`${select} ORDER BY at DESC, seq DESC LIMIT @limit`);
    this.older = db.prepare(`${select} AND (at < @at OR (at = @at AND seq < @seq)) ORDER BY at DESC, seq DESC LIMIT @limit`);
    this.newestStanzaId = db.prepare('SELECT stanza_id FROM messages WHERE stanza_id IS NOT NULL ORDER BY at DESC, seq DESC LIMIT 1').pluck();
    this.oldestStanzaIdOf = db.prepare('SELECT stanza_id FROM messages WHERE peer = ? AND stanza_id IS NOT NULL ORDER BY at ASC, seq ASC LIMIT 1').pluck();
    this.positionOf = db.prepare('SELECT at, seq FROM messages WHERE peer = ? AND id = ? ORDER BY seq DESC LIMIT 1');
    this.delivered = db.prepare(`UPDATE messages SET delivered_at = @at
      WHERE peer = @peer AND id = @id AND direction = 'outgoing' AND delivered_at IS NULL`);
    this.writeBatch = db.transaction((messages: HistoryMessage[]) => {
      for (const m of messages) {
        this.insert.run({ id: m.id, stanzaId: m.stanzaId, originId: m.originId, peer: m.peer, direction: m.direction, from: m.from, to: m.to, body: m.body, at: m.at });
      }
    });
  }

  append(message: HistoryMessage): void {
    if (this.isClosed) throw new Error('the history store is closed');
    this.queue.push({ ...message });
    if (this.queue.length >= FLUSH_BATCH_SIZE) this.flush();
    else this.timer ??= setTimeout(() => this.flushFromTimer(), this.options.flushDelayMs ?? FLUSH_DELAY_MS);
  }

  page(peer: BareJid, options: { limit: number; before?: HistoryCursor }): HistoryPage {
    this.flush();
    const limit = Math.max(1, Math.min(MAX_PAGE, Math.floor(options.limit)));
    const params = { peer, limit: limit + 1, at: options.before?.at, seq: options.before?.seq };
    const rows = (options.before ? this.older : this.latest).all(options.before ? params : { peer, limit: limit + 1 }) as MessageRow[];
    const page = rows.slice(0, limit).reverse();
    const oldest = page[0];
    return { messages: page.map(fromRow), before: rows.length > limit && oldest ? { at: oldest.at, seq: oldest.seq } : null };
  }

  latestStanzaId(): string | null {
    this.flush();
    return (this.newestStanzaId.get() as string | undefined) ?? null;
  }

  oldestStanzaId(peer: BareJid): string | null {
    this.flush();
    return (this.oldestStanzaIdOf.get(peer) as string | undefined) ?? null;
  }

  cursorOf(peer: BareJid, id: string): HistoryCursor | null {
    this.flush();
    return (this.positionOf.get(peer, id) as HistoryCursor | undefined) ?? null;
  }

  markDelivered(peer: BareJid, id: string, at: number): boolean {
    this.flush();
    return this.delivered.run({ peer, id, at }).changes > 0;
  }

  /** Writes the queue in one transaction. When that fails (disk full, locked too long), the messages stay queued for the next flush. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    try {
      this.writeBatch(batch);
    } catch (error) {
      const kept = [...batch, ...this.queue];
      this.queue = kept.slice(-MAX_QUEUED);
      if (kept.length > MAX_QUEUED) this.options.onError?.(new Error(`${kept.length - MAX_QUEUED} queued messages were dropped`));
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
      this.options.onError?.(error);
    }
  }
}
