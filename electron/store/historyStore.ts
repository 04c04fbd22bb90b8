/**
 * The storage port for chat history (issue #10). The core sees only these types; the SQLite
 * implementation lives in electron/store/sqlite/ and is built by the composition root. Settings and
 * transfers get their own ports in later slices.
 */
import type { BareJid } from '../../shared/model/jid';
import type { ChatMessage } from '../../shared/model/session';

/** One stored message: what the UI shows plus the ids used to drop duplicates (XEP-0359). */
export interface HistoryMessage extends ChatMessage {
  /** The stanza's `to` (for outgoing messages the address it was sent to). */
  to: string;
  /** `<origin-id/>` set by the sending client, when present. */
  originId: string | null;
  /** `<stanza-id/>` set by our own server (its `by` is the account's bare JID), when present. */
  stanzaId: string | null;
}

/** Where a page of history ends: the oldest message of the page before (exclusive). */
export interface HistoryCursor {
  at: number;
  seq: number;
}

/** A page of one conversation, oldest first; `before` reads the page older than this one. */
export interface HistoryPage {
  messages: HistoryMessage[];
  before: HistoryCursor | null;
}

/** One account's history. Writes are queued and written in batches; reads see every queued write. */
export interface HistoryStore {
  /** Queues a message; a duplicate (same stanza id, or same origin id from the same sender) is dropped on write. */
  append(message: HistoryMessage): void;
  /** The latest `limit` messages with `peer` (older than `before` when given), oldest first. */
  page(peer: BareJid, options: { limit: number; before?: HistoryCursor }): HistoryPage;
  /**
   * The newest stored XEP-0359 stanza id of the account's server (any peer): where an archive catch-up
   * (XEP-0313) starts after a login. Null when no stored message has one.
   */
  latestStanzaId(): string | null;
  /** The oldest stored stanza id of one conversation: where paging back through the server archive starts. */
  oldestStanzaId(peer: BareJid): string | null;
  /** The position of the newest stored message with `peer` whose id is `id`, for paging before it; null when unknown. */
  cursorOf(peer: BareJid, id: string): HistoryCursor | null;
  /**
   * Marks the outgoing message `id` sent to `peer` delivered at `at` (XEP-0184). False when there is no
   * such outgoing message with that peer, or it was marked already (the first receipt's time is kept).
   */
  markDelivered(peer: BareJid, id: string, at: number): boolean;
  /** Writes every queued message now, in one transaction. */
  flush(): void;
  /** Flushes and closes the database. Idempotent. */
  close(): void;
}

/** An opened store and what happened on the way (a damaged file moved aside), for the log and the user. */
export interface OpenedHistory {
  store: HistoryStore;
  /** A sentence for the user when the file had to be moved aside, else null. */
  notice: string | null;
}

/** Opens the store of one account (one database per account). */
export interface HistoryStores {
  open(account: BareJid): Promise<OpenedHistory>;
}
