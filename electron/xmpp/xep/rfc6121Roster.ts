// RFC 6121: XMPP Instant Messaging and Presence, §2 Roster Management — https://www.rfc-editor.org/rfc/rfc6121
// (not a XEP, but the same kind of pure codec: Element in, typed value out; typed value in, Element out)
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { isAccountJid, parseJid, toBareJid, type BareJid } from '../../../shared/model/jid';

export const NS_ROSTER = 'jabber:iq:roster';

/** The subscription attribute (§2.1.2.5); 'remove' only appears in sets and pushes. */
export type Subscription = 'none' | 'to' | 'from' | 'both' | 'remove';

/**
 * A roster item as the server stores it: shared/model/session's RosterItem without presence (declared here
 * because the lint zone of xep/ refuses any import path ending in "session").
 */
export interface RosterEntry {
  jid: BareJid;
  name: string;
  subscription: Subscription;
  /** ask='subscribe': an outgoing subscription request is pending (§2.1.2.2). */
  isPending: boolean;
  groups: string[];
}

const SUBSCRIPTIONS: readonly Subscription[] = ['none', 'to', 'from', 'both', 'remove'];

/** `<query xmlns='jabber:iq:roster'/>` for the roster get of §2.1.3. */
export function buildRosterGet(): Element {
  return xml('query', { xmlns: NS_ROSTER });
}

/** A roster set adding or updating one item (§2.3), or removing it with subscription='remove' (§2.5). */
export function buildRosterSet(item: { jid: string; name?: string; groups?: string[]; isRemove?: boolean }): Element {
  const attrs: Record<string, string> = { jid: toBareJid(item.jid) };
  if (item.isRemove) attrs.subscription = 'remove';
  else if (item.name) attrs.name = item.name;
  const groups = item.isRemove ? [] : (item.groups ?? []).map((g) => xml('group', {}, g));
  return xml('query', { xmlns: NS_ROSTER }, xml('item', attrs, ...groups));
}

/**
 * Reads the items of a roster result or push. Items without a usable bare JID are skipped; an unknown
 * subscription value is read as 'none' ("the default value is 'none'", §2.1.2.5).
 */
export function parseRosterQuery(query: Element): RosterEntry[] {
  return query.getChildren('item').flatMap((item) => {
    const jid = String(item.attrs.jid ?? '');
    const parts = parseJid(jid);
    if (!parts || parts.resource) return [];
    const subscription = SUBSCRIPTIONS.includes(item.attrs.subscription) ? item.attrs.subscription as Subscription : 'none';
    return [{
      jid: toBareJid(jid),
      name: String(item.attrs.name ?? ''),
      subscription,
      isPending: item.attrs.ask === 'subscribe',
      groups: item.getChildren('group').map((g) => g.text()),
    }];
  });
}

/** A roster push that may be applied, or why it must not. */
export type RosterPush = { kind: 'push'; item: RosterEntry } | { kind: 'rejected'; reason: 'untrusted-sender' | 'bad-request' };

/**
 * Checks and reads a roster push (`<iq type='set'><query xmlns='jabber:iq:roster'><item/></query></iq>`).
 * "A receiving client MUST ignore the stanza unless it has no 'from' attribute (i.e., implicitly from the
 * bare JID of the user's account) or it has a 'from' attribute whose value matches the user's bare JID"
 * (§2.1.6). "The server MUST include exactly one <item/> child": anything else is a bad request.
 */
export function parseRosterPush(iq: Element, ownBareJid: string): RosterPush {
  const from = iq.attrs.from;
  if (from !== undefined && from !== '' && (!isAccountJid(from) || toBareJid(from) !== toBareJid(ownBareJid))) {
    return { kind: 'rejected', reason: 'untrusted-sender' };
  }
  const query = iq.getChild('query', NS_ROSTER);
  const items = query ? query.getChildren('item') : [];
  if (!query || items.length !== 1) return { kind: 'rejected', reason: 'bad-request' };
  const [item] = parseRosterQuery(query);
  return item ? { kind: 'push', item } : { kind: 'rejected', reason: 'bad-request' };
}
