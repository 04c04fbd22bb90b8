import { randomUUID } from 'node:crypto';
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import type { EventBus } from '../../shared/ipc/eventBus';
import type { Events } from '../../shared/ipc/contract';
import { FerryError } from '../../shared/ipc/wireError';
import { parseJid, toBareJid, type BareJid } from '../../shared/model/jid';
import type { ChatMessage } from '../../shared/model/session';
import type { HistoryMessage, HistoryStore, HistoryStores } from '../store/historyStore';
import type { XmppSession } from './session';
import { readFileLink } from './xep/xep0066Oob';
import { receiptRequest } from './xep/xep0184Receipts';
import { readDelayStamp } from './xep/xep0203Delay';
import { NS_SID, readStanzaIds } from './xep/xep0359StanzaIds';

/** What chat needs around it. */
export interface ChatDeps {
  session: XmppSession;
  events: EventBus<Events>;
  /** Messages kept per contact; older ones are dropped. Default 500. */
  historyLimit?: number;
  now?: () => number;
  /** The history store; without one, history lives in memory and is forgotten at logout. */
  stores?: HistoryStores;
  log?: (line: string) => void;
  /** Extra children for each sent message, by peer (XEP-0085 `<active/>` for contacts). */
  messageExtras?: (peer: BareJid) => Element[];
}

const DEFAULT_HISTORY_LIMIT = 500;

/** How a message reached us when it did not come straight from its sender (carbons, the archive). */
export interface IngestOptions {
  direction: 'incoming' | 'outgoing';
  /** The original time a forwarder gave (XEP-0297 delay); else the message's own delay, else now. */
  stamp?: number | null;
  /** The archive id (XEP-0313 result id, the same as our server's XEP-0359 stanza-id). */
  stanzaId?: string | null;
  /** False for pages read back on request (they are returned, not announced). Default true. */
  isAnnounced?: boolean;
}
const INCOMING_TYPES = new Set(['chat', 'normal']);

/**
 * One-to-one messages (RFC 6121 §5): sends type 'chat', records every message sent and received, and emits
 * 'chat.received' for incoming messages with a body (not for file links: those become file offers). With
 * `stores`, messages go to the account's history store (opened when the session is online, closed when it
 * goes offline), so they survive logouts and restarts; without, a bounded in-memory history per bare JID
 * survives reconnects, not logouts.
 */
export class ChatService {
  private readonly histories = new Map<BareJid, ChatMessage[]>();
  /** The account's store while online; `opening` settles once it is open (or failed to open). */
  private store: HistoryStore | null = null;
  private opening: Promise<void> | null = null;
  /** Messages recorded while the store was still opening, written once it is. */
  private waiting: HistoryMessage[] = [];
  private readonly disposers: (() => void)[] = [];
  private readonly limit: number;
  private readonly now: () => number;

  constructor(private readonly deps: ChatDeps) {
    this.limit = deps.historyLimit ?? DEFAULT_HISTORY_LIMIT;
    this.now = deps.now ?? Date.now;
    this.disposers.push(
      deps.session.onMessage((stanza) => this.onMessage(stanza)),
      deps.session.onStateChanged((snapshot) => {
        if (snapshot.state === 'online') this.openStore();
        if (snapshot.state === 'offline') this.forget();
      }),
    );
  }

  /** Sends a chat message to a bare or full JID and records it. */
  async send(to: string, body: string): Promise<ChatMessage> {
    const parts = parseJid(to);
    if (!parts || !parts.local) throw new FerryError('bad-request', `not a contact address: ${to}`);
    const own = this.deps.session.jid;
    if (!own) throw new FerryError('not-connected', 'not connected to the server');
    const id = randomUUID();
    const peer = toBareJid(to);
    // XEP-0359 origin-id (= the message id): the archive's copy of this message is then dropped as a duplicate.
    // XEP-0184 §5.1 (Bare JID): a receipt MAY be requested of a bare JID; nothing depends on one arriving.
    await this.deps.session.send(xml('message', { to, type: 'chat', id }, xml('body', {}, body), xml('origin-id', { xmlns: NS_SID, id }),
      receiptRequest(), ...(this.deps.messageExtras?.(peer) ?? [])));
    return this.record({ id, peer, direction: 'outgoing', from: own, to, body, at: this.now(), originId: id, stanzaId: null, deliveredAt: null });
  }

  /** The latest messages with one contact (at most historyLimit), oldest first. */
  async history(jid: string): Promise<ChatMessage[]> {
    const bare = parseJid(jid) ? toBareJid(jid) : null;
    if (!bare) return [];
    if (this.opening) await this.opening;
    if (this.store) return this.store.page(bare, { limit: this.limit }).messages.map(toChatMessage);
    return [...(this.histories.get(bare) ?? [])];
  }

  /** The messages with one contact older than the stored message `beforeId`, oldest first (empty when it is unknown). */
  async historyBefore(jid: string, beforeId: string, limit: number): Promise<ChatMessage[]> {
    const bare = parseJid(jid) ? toBareJid(jid) : null;
    const store = await this.openedStore();
    if (!bare) return [];
    if (!store) {
      const list = this.histories.get(bare) ?? [];
      const index = list.findIndex((m) => m.id === beforeId);
      return index < 0 ? [] : list.slice(Math.max(0, index - limit), index);
    }
    const before = store.cursorOf(bare, beforeId);
    return before ? store.page(bare, { limit, before }).messages.map(toChatMessage) : [];
  }

  /**
   * Marks our outgoing message `id` to `peer` delivered (XEP-0184) and emits 'chat.delivered'. The
   * message is looked up under the receipt sender's bare JID, so nobody else can mark it (§8). Returns
   * false for an unknown id, another peer's message, or one already marked.
   */
  async markDelivered(peer: BareJid, id: string): Promise<boolean> {
    const store = await this.openedStore();
    const at = this.now();
    let isMarked = false;
    if (store) {
      try {
        isMarked = store.markDelivered(peer, id, at);
      } catch (error) {
        this.deps.log?.(`history store could not mark a message delivered: ${String(error)}`);
      }
    } else {
      const message = this.histories.get(peer)?.find((m) => m.id === id && m.direction === 'outgoing');
      isMarked = message !== undefined && message.deliveredAt == null;
      if (message && isMarked) message.deliveredAt = at;
    }
    if (isMarked) this.deps.events.emit('chat.delivered', { peer, id, deliveredAt: at });
    return isMarked;
  }

  /** The account's store once it is open; null without one (no data dir, offline, failed to open). */
  async openedStore(): Promise<HistoryStore | null> {
    if (this.opening) await this.opening;
    return this.store;
  }

  /**
   * Records a message that reached us forwarded (a carbon, an archive result) or straight from its sender,
   * and announces it as 'chat.received' (outgoing ones too: sent from another device). Returns null for
   * what is not a chat message (no body, an error, a file link).
   */
  ingest(stanza: Element, options: IngestOptions): ChatMessage | null {
    const type = String(stanza.attrs.type ?? 'normal');
    const body = stanza.getChildText('body');
    const from = String(stanza.attrs.from ?? '');
    const to = String(stanza.attrs.to ?? '');
    const peerJid = options.direction === 'incoming' ? from : to;
    if (!INCOMING_TYPES.has(type) || body === null || !parseJid(from) || !parseJid(peerJid)) return null;
    // A file shared by link (body = the URL) is an incoming file card (transfer/methods/links/), not a message.
    if (readFileLink(stanza)) return null;
    const own = this.deps.session.jid ?? '';
    const ids = readStanzaIds(stanza, own ? toBareJid(own) : '');
    // XEP-0203: offline storage keeps the original time; a stamp in the future (a forged one) is now.
    const at = Math.min(this.now(), options.stamp ?? readDelayStamp(stanza) ?? Number.POSITIVE_INFINITY);
    const message = this.record({
      id: String(stanza.attrs.id ?? options.stanzaId ?? randomUUID()), peer: toBareJid(peerJid), direction: options.direction, from,
      to: to || own, body, at, originId: ids.originId, stanzaId: options.stanzaId ?? ids.stanzaId,
    });
    if (options.isAnnounced !== false) this.deps.events.emit('chat.received', message);
    return message;
  }

  /** Unsubscribes and closes the store (writing what is queued). Idempotent. */
  dispose(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
    this.forget();
  }

  private openStore(): void {
    const { stores } = this.deps;
    const own = this.deps.session.jid;
    if (!stores || !own || this.opening) return;
    const opening = stores.open(toBareJid(own)).then(
      ({ store }) => {
        if (this.opening !== opening) return store.close(); // went offline meanwhile
        for (const message of this.waiting.splice(0)) store.append(message);
        this.store = store;
      },
      (error: unknown) => {
        // The session goes on; messages stay in memory (and are lost at logout) until the next login.
        this.deps.log?.(`history store could not be opened: ${error instanceof Error ? error.message : String(error)}`);
        if (this.opening !== opening) return;
        this.opening = null;
        for (const message of this.waiting.splice(0)) this.keepInMemory(message);
      },
    );
    this.opening = opening;
  }

  /** Offline: closes the store, drops the in-memory history. */
  private forget(): void {
    this.histories.clear();
    this.waiting = [];
    this.opening = null;
    const store = this.store;
    this.store = null;
    try {
      store?.close();
    } catch (error) {
      this.deps.log?.(`history store could not be closed: ${String(error)}`);
    }
  }

  private onMessage(stanza: Element): void {
    this.ingest(stanza, { direction: 'incoming' });
  }

  private record(message: HistoryMessage): ChatMessage {
    if (this.store) this.appendToStore(this.store, message);
    else if (this.opening) this.waiting.push(message);
    else this.keepInMemory(message);
    return toChatMessage(message);
  }

  private appendToStore(store: HistoryStore, message: HistoryMessage): void {
    try {
      store.append(message);
    } catch (error) {
      this.deps.log?.(`history store refused a message: ${String(error)}`);
    }
  }

  private keepInMemory(message: HistoryMessage): void {
    const history = this.histories.get(message.peer) ?? [];
    history.push(toChatMessage(message));
    if (history.length > this.limit) history.splice(0, history.length - this.limit);
    this.histories.set(message.peer, history);
  }
}

/** The UI's view of a stored message. */
function toChatMessage(message: HistoryMessage): ChatMessage {
  const shown: ChatMessage = { id: message.id, peer: message.peer, direction: message.direction, from: message.from, body: message.body, at: message.at };
  if (message.direction === 'outgoing') shown.deliveredAt = message.deliveredAt ?? null;
  return shown;
}
