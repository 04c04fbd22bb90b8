import type { Database, Statement } from 'better-sqlite3';
import type { BareJid } from '../../../shared/model/jid';
import type { HistoryCursor, HistoryMessage, HistoryPage, HistoryStore } from '../historyStore';
import { eventLoopMeter } from './threadLoad';

/** Queued messages are written this long after the first one was queued, at most this many per transaction… */
export const FLUSH_DELAY_MS = 50;
export const FLUSH_BATCH_SIZE = 256;
/**
 * …and while more are queued, one more batch every FLUSH_PACE_MS. A burst (an archive catch-up, a busy
 * group) then costs whatever else runs on this thread, a file transfer above all, a batch's 2–3 ms per pace
 * instead of the whole write at once (10,000 messages in one go take 80–160 ms of the thread).
 */
export const FLUSH_PACE_MS = 100;
/**
 * While the thread is busier than this (the share of the last pace its event loop spent running callbacks:
 * 0.40–0.52 while a 256 MiB Jingle transfer is received at 400–500 MB/s, near 0 for an idle or chatting
 * client), a batch waits, at most HOLD_MAX_MS since the last one was written: whatever is written during a
 * transfer that keeps every core busy comes out of it (issue 10's bench: 10,000 appends during a 256 MiB
 * transfer, 17 % slower written at once, within 5 % held; bench/README.md, "Ninth session").
 */
export const BUSY_LOAD = 0.25;
export const HOLD_MAX_MS = 5_000;
/** The most a page may hold. */
const MAX_PAGE = 1000;
/**
 * The most messages kept queued: at this many an append writes them all at once (so a long burst cannot
 * grow the queue without bound), and while writes fail the oldest beyond are dropped, and said so.
 */
export const MAX_QUEUED = 20_000;

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

export interface StoreOptions {
  flushDelayMs?: number;
  /** The thread's load since the previous call, 0–1 (default: this thread's event loop, threadLoad.ts). */
  threadLoad?: () => number;
  onError?: (error: unknown) => void;
}

/**
 * HistoryStore over one open better-sqlite3 database (already migrated). append() only queues: the
 * queue is written FLUSH_DELAY_MS after the first append, FLUSH_BATCH_SIZE messages per transaction, one
 * transaction every FLUSH_PACE_MS while more are queued (at MAX_QUEUED, all at once), held while the thread is
 * busy (BUSY_LOAD, HOLD_MAX_MS). A crash loses at most
 * the queue, never half a batch; what came from the archive comes again at the next login, which asks for
 * what followed the newest stored stanza-id. Reads and flush() write the whole queue first, so they see
 * every append.
 */
export class SqliteHistoryStore implements HistoryStore {
  private queue: HistoryMessage[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** How long the queue has waited for the thread to calm down since a batch was last written. */
  private heldMs = 0;
  private readonly threadLoad: () => number;
  private isClosed = false;
  private readonly insert: Statement;
  private readonly latest: Statement;
  private readonly older: Statement;
  private readonly newestStanzaId: Statement;
  private readonly oldestStanzaIdOf: Statement;
  private readonly positionOf: Statement;
  private readonly delivered: Statement;
  private readonly writeBatch: (messages: HistoryMessage[]) => void;

  constructor(private readonly db: Database, private readonly options: StoreOptions = {}) {
    this.threadLoad = options.threadLoad ?? eventLoopMeter();
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
    if (this.queue.length >= MAX_QUEUED) {
      this.flush();
    } else if (!this.timer) {
      this.threadLoad(); // the first batch looks at the thread's load from now on
      this.timer = setTimeout(() => this.writeNextBatch(), this.options.flushDelayMs ?? FLUSH_DELAY_MS);
    }
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

  /** Writes the whole queue in one transaction. When that fails (disk full, locked too long), the messages stay queued for the next flush. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.heldMs = 0;
    this.write(this.queue.length);
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

  /** The first `count` queued messages in one transaction; on failure they stay queued, first. */
  private write(count: number): void {
    if (count === 0) return;
    const batch = this.queue.splice(0, count);
    try {
      this.writeBatch(batch);
    } catch (error) {
      const kept = [...batch, ...this.queue];
      this.queue = kept.slice(-MAX_QUEUED);
      if (kept.length > MAX_QUEUED) this.options.onError?.(new Error(`${kept.length - MAX_QUEUED} queued messages were dropped`));
      throw error;
    }
  }

  /**
   * One batch from the timer, unless the thread is busy (then it waits, at most HOLD_MAX_MS), and the next
   * FLUSH_PACE_MS later while more are queued; a failed write waits for the next append or read.
   */
  private writeNextBatch(): void {
    this.timer = null;
    if (this.threadLoad() > BUSY_LOAD && this.heldMs < HOLD_MAX_MS) {
      this.heldMs += FLUSH_PACE_MS;
      this.timer = setTimeout(() => this.writeNextBatch(), FLUSH_PACE_MS);
      return;
    }
    this.heldMs = 0;
    try {
      this.write(Math.min(FLUSH_BATCH_SIZE, this.queue.length));
    } catch (error) {
      this.options.onError?.(error);
      return;
    }
    if (this.queue.length > 0 && !this.isClosed) this.timer = setTimeout(() => this.writeNextBatch(), FLUSH_PACE_MS);
  }
}
