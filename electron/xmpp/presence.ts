import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { EventBus } from '../../shared/ipc/eventBus';
import { parseJid, toBareJid, type BareJid } from '../../shared/model/jid';
import type { ResourcePresence, Show } from '../../shared/model/session';
import type { XmppSession } from './session';
import { parseCaps, type Caps } from './xep/xep0115Caps';

/** What presence needs from disco: the `<c/>` to put in every presence, and news when it changes. */
export interface CapsSource {
  capsElement(): Element;
  onChanged(listener: () => void): () => void;
}

interface TrackedResource extends ResourcePresence {
  caps: Caps | null;
}

const SHOWS: readonly Show[] = ['chat', 'away', 'xa', 'dnd'];

/**
 * Own presence (show/status, with XEP-0115 caps in every presence) and contacts' available resources
 * (RFC 6121 §4). Contacts' presence is forgotten whenever the session is not online.
 */
export class PresenceService {
  private own: { show: Show; status: string } = { show: 'available', status: '' };
  private readonly contacts = new Map<BareJid, Map<string, TrackedResource>>();
  private readonly bus = new EventBus<{ changed: BareJid }>();
  private readonly disposers: (() => void)[] = [];

  constructor(private readonly deps: { session: XmppSession; caps: CapsSource }) {
    this.disposers.push(
      deps.session.onPresence((stanza) => this.onPresence(stanza)),
      deps.session.onStateChanged((snapshot) => {
        if (snapshot.state !== 'online') this.forgetAll();
      }),
      deps.caps.onChanged(() => void this.announce().catch(() => {})),
    );
  }

  /** Sets own show/status; sent at once when online, else with the next initial presence. */
  async set(show: Show, status = ''): Promise<void> {
    this.own = { show, status };
    await this.announce();
  }

  /** Sends own presence (with caps) when online; a no-op otherwise. */
  async announce(): Promise<void> {
    if (!this.deps.session.isOnline) return;
    await this.deps.session.send(buildOwnPresence(this.own, this.deps.caps.capsElement()));
  }

  /** A contact's available resources, highest priority first. */
  resourcesOf(jid: string): ResourcePresence[] {
    const resources = [...(this.contacts.get(toBareJid(jid))?.values() ?? [])];
    return resources
      .sort((a, b) => b.priority - a.priority)
      .map(({ resource, show, status, priority }) => ({ resource, show, status, priority }));
  }

  /** The full JID of a contact's best available resource (highest priority), or null when offline. */
  bestResource(jid: string): string | null {
    const bare = toBareJid(jid);
    const [best] = this.resourcesOf(bare);
    if (!best) return null;
    return best.resource ? `${bare}/${best.resource}` : bare;
  }

  /** The XEP-0115 caps a full JID last announced, or null. */
  capsOf(fullJid: string): Caps | null {
    const parts = parseJid(fullJid);
    if (!parts) return null;
    return this.contacts.get(toBareJid(fullJid))?.get(parts.resource)?.caps ?? null;
  }

  /** Called with a bare JID whenever that contact's resources change. */
  onChanged(listener: (jid: BareJid) => void): () => void {
    return this.bus.on('changed', listener);
  }

  dispose(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
    this.bus.clear();
  }

  private onPresence(stanza: Element): void {
    const from = String(stanza.attrs.from ?? '');
    const parts = parseJid(from);
    const type = stanza.attrs.type as string | undefined;
    if (!parts || (type !== undefined && type !== 'unavailable')) return; // subscriptions: see roster.ts
    const bare = toBareJid(from);
    const resources = this.contacts.get(bare) ?? new Map<string, TrackedResource>();
    if (type === 'unavailable') {
      // An unavailable presence from the bare JID means every resource went away.
      if (parts.resource) resources.delete(parts.resource);
      else resources.clear();
    } else {
      resources.set(parts.resource, { resource: parts.resource, ...parseAvailable(stanza), caps: parseCaps(stanza) });
    }
    if (resources.size > 0) this.contacts.set(bare, resources);
    else this.contacts.delete(bare);
    this.bus.emit('changed', bare);
  }

  private forgetAll(): void {
    const jids = [...this.contacts.keys()];
    this.contacts.clear();
    for (const jid of jids) this.bus.emit('changed', jid);
  }
}

/** show/status/priority of an available presence (RFC 6121 §4.7.2); a missing show means 'available'. */
export function parseAvailable(stanza: Element): { show: Show; status: string; priority: number } {
  const showText = stanza.getChildText('show') ?? '';
  const show = SHOWS.includes(showText as Show) ? showText as Show : 'available';
  const priority = Number.parseInt(stanza.getChildText('priority') ?? '0', 10);
  // "The value MUST be an integer between -128 and +127" (RFC 6121 §4.7.2.3).
  const bounded = Number.isFinite(priority) ? Math.max(-128, Math.min(127, priority)) : 0;
  return { show, status: stanza.getChildText('status') ?? '', priority: bounded };
}

function buildOwnPresence(own: { show: Show; status: string }, caps: Element): Element {
  const show = own.show === 'available' ? [] : [xml('show', {}, own.show)];
  const status = own.status ? [xml('status', {}, own.status)] : [];
  return xml('presence', {}, ...show, ...status, caps);
}
