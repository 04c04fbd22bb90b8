import xml, { type Element } from '@xmpp/xml';
import type { EventBus } from '../../shared/ipc/eventBus';
import type { Events } from '../../shared/ipc/contract';
import { FerryError } from '../../shared/ipc/wireError';
import { parseJid, toBareJid, type BareJid } from '../../shared/model/jid';
import type { ChatState } from '../../shared/model/session';
import type { XmppSession } from './session';
import { readFileLink } from './xep/xep0066Oob';
import { chatStateElement, readChatState } from './xep/xep0085ChatStates';

/** What chat states need around them. */
export interface ChatStatesDeps {
  session: Pick<XmppSession, 'jid' | 'send' | 'onMessage' | 'onStateChanged'>;
  events: EventBus<Events>;
  /**
   * Whether states may go to this contact: XEP-0085 §11 (Security Considerations) says they SHOULD NOT be
   * revealed to partners not trusted with them; Ferry sends them to those allowed to see its presence.
   */
  mayShareWith: (peer: BareJid) => boolean;
  log?: (line: string) => void;
}

/**
 * XEP-0085 for the session: sends the states the composer reports, adds `<active/>` to messages sent to
 * contacts, and emits 'chat.stateChanged' for states peers send. States are never stored.
 */
export class ChatStatesService {
  private readonly disposers: (() => void)[] = [];
  /** The last state sent to each peer (standalone or in a message) during this login. */
  private readonly lastSent = new Map<BareJid, ChatState>();
  /** Peers whose last content message said whether they use chat states (unknown: assumed yes). */
  private readonly usesStates = new Map<BareJid, boolean>();

  constructor(private readonly deps: ChatStatesDeps) {
    this.disposers.push(
      deps.session.onMessage((stanza) => this.onMessage(stanza)),
      deps.session.onStateChanged((snapshot) => {
        if (snapshot.state !== 'offline') return;
        this.lastSent.clear();
        this.usesStates.clear();
      }),
    );
  }

  /**
   * Sends a standalone state to a contact's bare JID. Skipped when the peer is no contact, and when it is
   * the state sent last: §5.3 (Repetition): a client MUST NOT send a second instance of any given
   * standalone notification.
   */
  async send(to: string, state: ChatState): Promise<void> {
    if (!parseJid(to)?.local) throw new FerryError('bad-request', `not a contact address: ${to}`);
    if (!this.deps.session.jid) throw new FerryError('not-connected', 'not connected to the server');
    const peer = toBareJid(to);
    if (!this.mayShareWith(peer) || this.lastSent.get(peer) === state) return;
    this.lastSent.set(peer, state);
    // §5.6 (Syntax): a standalone notification MUST NOT contain any child element but the state.
    await this.deps.session.send(xml('message', { to: peer, type: 'chat' }, chatStateElement(state)));
  }

  /** The children for a content message to `peer`: §5.2, every content message SHOULD contain `<active/>`. */
  messageExtras(peer: BareJid): Element[] {
    if (!this.mayShareWith(peer)) return [];
    this.lastSent.set(peer, 'active');
    return [chatStateElement('active')];
  }

  /**
   * §5.1 (Support Requirements): if the Contact replies but does not include a chat state notification
   * extension, the User MUST NOT send subsequent chat state notifications to the Contact.
   */
  private mayShareWith(peer: BareJid): boolean {
    return this.usesStates.get(peer) !== false && this.deps.mayShareWith(peer);
  }

  /** Unsubscribes. Idempotent. */
  dispose(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
  }

  private onMessage(stanza: Element): void {
    const state = readChatState(stanza);
    const from = String(stanza.attrs.from ?? '');
    const own = this.deps.session.jid;
    if (!parseJid(from)?.local) return;
    const peer = toBareJid(from);
    if (own && toBareJid(own) === peer) return; // our own other devices
    const type = stanza.attrs.type ?? 'normal';
    // A shared file's link message (XEP-0066) is sent by the transfer code, which adds no state.
    const isContent = (type === 'chat' || type === 'normal') && typeof stanza.getChildText('body') === 'string' && !readFileLink(stanza);
    if (isContent) this.usesStates.set(peer, state !== null);
    if (!state) return;
    this.deps.events.emit('chat.stateChanged', { peer, from, state });
  }
}
