import { randomUUID } from 'node:crypto';
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import type { EventBus } from '../../shared/ipc/eventBus';
import type { Events } from '../../shared/ipc/contract';
import { FerryError } from '../../shared/ipc/wireError';
import { parseJid, toBareJid, type BareJid } from '../../shared/model/jid';
import type { ChatMessage } from '../../shared/model/session';
import type { XmppSession } from './session';
import { readFileLink } from './xep/xep0066Oob';

/** What chat needs around it. */
export interface ChatDeps {
  session: XmppSession;
  events: EventBus<Events>;
  /** Messages kept per contact; older ones are dropped. Default 500. */
  historyLimit?: number;
  now?: () => number;
}

const DEFAULT_HISTORY_LIMIT = 500;
const INCOMING_TYPES = new Set(['chat', 'normal']);

/**
 * One-to-one messages (RFC 6121 §5): sends type 'chat', keeps a bounded in-memory history per bare JID and
 * emits 'chat.received' for incoming messages with a body (not for file links: those become file offers). History survives reconnects, not logouts.
 */
export class ChatService {
  private readonly histories = new Map<BareJid, ChatMessage[]>();
  private readonly disposers: (() => void)[] = [];
  private readonly limit: number;
  private readonly now: () => number;

  constructor(private readonly deps: ChatDeps) {
    this.limit = deps.historyLimit ?? DEFAULT_HISTORY_LIMIT;
    this.now = deps.now ?? Date.now;
    this.disposers.push(
      deps.session.onMessage((stanza) => this.onMessage(stanza)),
      deps.session.onStateChanged((snapshot) => {
        if (snapshot.state === 'offline') this.histories.clear();
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
    await this.deps.session.send(xml('message', { to, type: 'chat', id }, xml('body', {}, body)));
    return this.record({ id, peer: toBareJid(to), direction: 'outgoing', from: own, body, at: this.now() });
  }

  /** The kept messages with one contact, oldest first. */
  history(jid: string): ChatMessage[] {
    const bare = parseJid(jid) ? toBareJid(jid) : null;
    return bare ? [...(this.histories.get(bare) ?? [])] : [];
  }

  dispose(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
  }

  private onMessage(stanza: Element): void {
    const type = String(stanza.attrs.type ?? 'normal');
    const body = stanza.getChildText('body');
    const from = String(stanza.attrs.from ?? '');
    if (!INCOMING_TYPES.has(type) || body === null || !parseJid(from)) return;
    // A file shared by link (body = the URL) is an incoming file card (transfer/methods/links/), not a message.
    if (readFileLink(stanza)) return;
    const message = this.record({
      id: String(stanza.attrs.id ?? randomUUID()), peer: toBareJid(from), direction: 'incoming', from, body, at: this.now(),
    });
    this.deps.events.emit('chat.received', message);
  }

  private record(message: ChatMessage): ChatMessage {
    const history = this.histories.get(message.peer) ?? [];
    history.push(message);
    if (history.length > this.limit) history.splice(0, history.length - this.limit);
    this.histories.set(message.peer, history);
    return { ...message };
  }
}
