import { describe, expect, it } from 'vitest';
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { EventBus } from '../../../../shared/ipc/eventBus';
import type { Events } from '../../../../shared/ipc/contract';
import type { RosterItem, SessionSnapshot, SubscriptionRequest } from '../../../../shared/model/session';
import { RosterService } from '../../../../electron/xmpp/roster';
import type { IqHandler, XmppSession } from '../../../../electron/xmpp/session';
import { NS_ROSTER } from '../../../../electron/xmpp/xep/rfc6121Roster';

/** Just enough of XmppSession for RosterService: captures the push handler and outgoing stanzas. */
function setup() {
  const sent: Element[] = [];
  let pushHandler: IqHandler | null = null;
  let deliverPresence: (s: Element) => void = () => {};
  const session = {
    jid: 'me@example.org/ferry',
    send: async (el: Element) => { sent.push(el); },
    request: async () => xml('iq', { type: 'result' }, xml('query', { xmlns: NS_ROSTER })),
    handleIq: (_t: string, _ns: string, _n: string, h: IqHandler) => { pushHandler = h; return () => {}; },
    onPresence: (l: (s: Element) => void) => { deliverPresence = l; return () => {}; },
    onStateChanged: (_l: (s: SessionSnapshot) => void) => () => {},
  } as unknown as XmppSession;
  const events = new EventBus<Events>();
  const changes: RosterItem[][] = [];
  const requests: SubscriptionRequest[] = [];
  events.on('roster.changed', (items) => changes.push(items));
  events.on('roster.subscriptionRequested', (r) => requests.push(r));
  const roster = new RosterService({ session, events, presence: { resourcesOf: () => [], onChanged: () => () => {} } });
  const push = async (from: string | undefined, item: Element) => {
    const stanza = xml('iq', { type: 'set', id: 'p1', ...(from ? { from } : {}) }, xml('query', { xmlns: NS_ROSTER }, item));
    return await pushHandler!({ element: stanza.getChild('query')!, stanza, from: from ?? '' });
  };
  return { roster, sent, changes, requests, push, presence: (s: Element) => deliverPresence(s) };
}

describe('RosterService', () => {
  it('applies a push from the own bare JID and a removal push (RFC 6121 §2.1.6)', async () => {
    const t = setup();
    await t.push('me@example.org', xml('item', { jid: 'you@example.org', subscription: 'both', name: 'You' }));
    expect(t.roster.list()).toEqual([{ jid: 'you@example.org', name: 'You', subscription: 'both', isPending: false, groups: [], resources: [] }]);
    await t.push(undefined, xml('item', { jid: 'you@example.org', subscription: 'remove' }));
    expect(t.roster.list()).toEqual([]);
    expect(t.changes).toHaveLength(2);
  });

  it('refuses a push from anyone else with service-unavailable and changes nothing', async () => {
    const t = setup();
    await expect(t.push('evil@example.net', xml('item', { jid: 'x@example.org' }))).rejects.toMatchObject({ condition: 'service-unavailable' });
    expect(t.roster.list()).toEqual([]);
    expect(t.changes).toEqual([]);
  });

  it('lists an incoming subscribe once as pending, approves with subscribed + subscribe back', async () => {
    const t = setup();
    t.presence(xml('presence', { from: 'you@example.org', type: 'subscribe' }));
    t.presence(xml('presence', { from: 'you@example.org/x', type: 'subscribe' }));
    expect(t.requests).toEqual([{ jid: 'you@example.org' }]);
    expect(t.roster.pendingRequests()).toEqual([{ jid: 'you@example.org' }]);
    await t.roster.approve('you@example.org');
    expect(t.sent.map((s) => [s.attrs.to, s.attrs.type])).toEqual([['you@example.org', 'subscribed'], ['you@example.org', 'subscribe']]);
    expect(t.roster.pendingRequests()).toEqual([]);
  });

  it('denies with unsubscribed (RFC 6121 §3.2.1)', async () => {
    const t = setup();
    t.presence(xml('presence', { from: 'you@example.org', type: 'subscribe' }));
    await t.roster.deny('you@example.org');
    expect(t.sent.map((s) => s.attrs.type)).toEqual(['unsubscribed']);
    expect(t.roster.pendingRequests()).toEqual([]);
  });

  it('approves at once a request from a contact we asked first (mutual add)', async () => {
    const t = setup();
    await t.push(undefined, xml('item', { jid: 'you@example.org', subscription: 'none', ask: 'subscribe' }));
    t.presence(xml('presence', { from: 'you@example.org', type: 'subscribe' }));
    await new Promise((r) => setTimeout(r, 0));
    expect(t.requests).toEqual([]);
    expect(t.sent.map((s) => s.attrs.type)).toEqual(['subscribed']);
  });
});
