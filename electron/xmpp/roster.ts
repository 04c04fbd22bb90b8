import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import type { EventBus } from '../../shared/ipc/eventBus';
import type { Events } from '../../shared/ipc/contract';
import { FerryError } from '../../shared/ipc/wireError';
import { isAccountJid, toBareJid, type BareJid } from '../../shared/model/jid';
import type { RosterItem, SubscriptionRequest } from '../../shared/model/session';
import type { PresenceService } from './presence';
import type { XmppSession } from './session';
import { XmppStanzaError } from './stanzaErrors';
import { buildRosterGet, buildRosterSet, NS_ROSTER, parseRosterPush, parseRosterQuery, type RosterEntry } from './xep/rfc6121Roster';

/** What the roster needs around it. */
export interface RosterDeps {
  session: XmppSession;
  presence: Pick<PresenceService, 'resourcesOf' | 'onChanged'>;
  events: EventBus<Events>;
  log?: (line: string) => void;
}

/**
 * The account's roster (RFC 6121 §2) and subscription requests (§3): fetched on every login, kept current
 * by roster pushes, joined with contacts' presence. Emits 'roster.changed' and 'roster.subscriptionRequested'.
 */
export class RosterService {
  private readonly items = new Map<BareJid, RosterEntry>();
  private readonly pending = new Set<BareJid>();
  private readonly loadedListeners = new Set<() => void>();
  private readonly disposers: (() => void)[] = [];

  constructor(private readonly deps: RosterDeps) {
    this.disposers.push(
      deps.session.handleIq('set', NS_ROSTER, 'query', ({ stanza }) => this.onPush(stanza)),
      deps.session.onPresence((stanza) => this.onSubscriptionPresence(stanza)),
      deps.presence.onChanged((jid) => {
        if (this.items.has(jid)) this.emitChanged();
      }),
      deps.session.onStateChanged((snapshot) => {
        if (snapshot.state === 'online') void this.fetch();
        if (snapshot.state === 'offline') this.clear();
      }),
    );
  }

  /** Items with their online resources, sorted by JID. */
  list(): RosterItem[] {
    return [...this.items.values()]
      .sort((a, b) => a.jid.localeCompare(b.jid))
      .map((item) => ({ ...item, groups: [...item.groups], resources: this.deps.presence.resourcesOf(item.jid) }));
  }

  /** Incoming subscription requests not yet approved or denied. */
  pendingRequests(): SubscriptionRequest[] {
    return [...this.pending].map((jid) => ({ jid }));
  }

  /** Called after each roster fetch (successful or not): the moment to send initial presence (RFC 6121 §2.2). */
  onLoaded(listener: () => void): () => void {
    this.loadedListeners.add(listener);
    return () => this.loadedListeners.delete(listener);
  }

  /** Fetches the whole roster (RFC 6121 §2.1.3) and replaces the local copy. */
  async fetch(): Promise<void> {
    try {
      const result = await this.deps.session.request(xml('iq', { type: 'get' }, buildRosterGet()));
      const query = result.getChild('query', NS_ROSTER);
      this.items.clear();
      for (const item of query ? parseRosterQuery(query) : []) this.items.set(item.jid, item);
      this.emitChanged();
    } catch (error) {
      this.deps.log?.(`roster fetch failed: ${String(error)}`);
    } finally {
      for (const listener of [...this.loadedListeners]) listener();
    }
  }

  /** Adds (or renames) a contact and asks to see their presence (RFC 6121 §2.3 and §3.1.1). */
  async add(jid: string, name?: string): Promise<void> {
    const bare = accountJid(jid);
    await this.deps.session.request(xml('iq', { type: 'set' }, buildRosterSet({ jid: bare, name })));
    await this.deps.session.send(xml('presence', { to: bare, type: 'subscribe' }));
  }

  /** Removes a contact; the server also cancels both subscriptions (RFC 6121 §2.5.2). */
  async remove(jid: string): Promise<void> {
    await this.deps.session.request(xml('iq', { type: 'set' }, buildRosterSet({ jid: accountJid(jid), isRemove: true })));
  }

  /** Approves a subscription request (RFC 6121 §3.1.4) and, unless already there, asks for theirs back. */
  async approve(jid: string): Promise<void> {
    const bare = accountJid(jid);
    await this.deps.session.send(xml('presence', { to: bare, type: 'subscribed' }));
    this.resolvePending(bare);
    const item = this.items.get(bare);
    const isSubscribedToThem = item !== undefined && (item.subscription === 'to' || item.subscription === 'both' || item.isPending);
    if (!isSubscribedToThem) await this.deps.session.send(xml('presence', { to: bare, type: 'subscribe' }));
  }

  /** Denies a subscription request (RFC 6121 §3.2.1). */
  async deny(jid: string): Promise<void> {
    const bare = accountJid(jid);
    await this.deps.session.send(xml('presence', { to: bare, type: 'unsubscribed' }));
    this.resolvePending(bare);
  }

  dispose(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
    this.loadedListeners.clear();
  }

  private onPush(stanza: Element): undefined {
    const own = this.deps.session.jid;
    if (!own) throw new XmppStanzaError('service-unavailable');
    const push = parseRosterPush(stanza, own);
    if (push.kind === 'rejected') {
      this.deps.log?.(`roster push rejected (${push.reason}) from ${String(stanza.attrs.from)}`);
      throw new XmppStanzaError(push.reason === 'bad-request' ? 'bad-request' : 'service-unavailable');
    }
    if (push.item.subscription === 'remove') this.items.delete(push.item.jid);
    else this.items.set(push.item.jid, push.item);
    this.emitChanged();
    return undefined;
  }

  private onSubscriptionPresence(stanza: Element): void {
    const from = String(stanza.attrs.from ?? '');
    if (!isAccountJid(toBareJidOrEmpty(from))) return;
    const bare = toBareJid(from);
    if (stanza.attrs.type === 'unsubscribe') this.resolvePending(bare);
    if (stanza.attrs.type !== 'subscribe') return;
    const item = this.items.get(bare);
    // We asked them first (they are pending or already 'to'): their request completes a mutual add.
    if (item && (item.isPending || item.subscription === 'to')) {
      void this.approve(bare).catch((error: unknown) => this.deps.log?.(`auto-approve failed: ${String(error)}`));
      return;
    }
    if (this.pending.has(bare)) return;
    this.pending.add(bare);
    this.deps.events.emit('roster.subscriptionRequested', { jid: bare });
  }

  private resolvePending(jid: BareJid): void {
    this.pending.delete(jid);
  }

  private clear(): void {
    this.items.clear();
    this.pending.clear();
    this.emitChanged();
  }

  private emitChanged(): void {
    this.deps.events.emit('roster.changed', this.list());
  }
}

function accountJid(jid: string): BareJid {
  const bare = toBareJidOrEmpty(jid);
  if (!isAccountJid(bare)) throw new FerryError('bad-request', `not a contact address: ${jid}`);
  return bare as BareJid;
}

function toBareJidOrEmpty(jid: string): string {
  try {
    return toBareJid(jid);
  } catch {
    return '';
  }
}
