import { describe, expect, it } from 'vitest';
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { EventBus } from '../../../../shared/ipc/eventBus';
import type { Events } from '../../../../shared/ipc/contract';
import type { ChatMessage, SessionSnapshot } from '../../../../shared/model/session';
import type { FullJid } from '../../../../shared/model/jid';
import { ChatService } from '../../../../electron/xmpp/chat';
import type { XmppSession } from '../../../../electron/xmpp/session';
import type { HistoryMessage, HistoryStore, HistoryStores } from '../../../../electron/store/historyStore';

/** A HistoryStores port over arrays, one per account, that outlive the service (like files). */
function fakeStores(failWith?: Error) {
  const accounts = new Map<string, HistoryMessage[]>();
  const opened: string[] = [];
  let closed = 0;
  const stores: HistoryStores = {
    async open(account) {
      opened.push(account);
      if (failWith) throw failWith;
      const rows = accounts.get(account) ?? [];
      accounts.set(account, rows);
      const store: HistoryStore = {
        append: (m) => { rows.push(m); },
        page: (peer, { limit }) => ({ messages: rows.filter((m) => m.peer === peer).slice(-limit), before: null }),
        latestStanzaId: () => null,
        oldestStanzaId: () => null,
        cursorOf: () => null,
        markDelivered: (peer, id, at) => {
          const row = rows.find((m) => m.peer === peer && m.id === id && m.direction === 'outgoing' && m.deliveredAt == null);
          if (row) row.deliveredAt = at;
          return row !== undefined;
        },
        flush: () => {},
        close: () => { closed += 1; },
      };
      return { store, notice: null };
    },
  };
  return { stores, accounts, opened, closed: () => closed };
}

const ONLINE: SessionSnapshot = { state: 'online', jid: 'me@example.org/ferry' as FullJid, error: null, retryInMs: null, isSecure: true };
const OFFLINE: SessionSnapshot = { state: 'offline', jid: null, error: null, retryInMs: null, isSecure: false };

/** Just enough of XmppSession for ChatService: captures sent stanzas, lets the test deliver messages. */
function fakeSession() {
  const sent: Element[] = [];
  let deliver: (stanza: Element) => void = () => {};
  let changeState: (s: SessionSnapshot) => void = () => {};
  const session = {
    jid: 'me@example.org/ferry',
    send: async (el: Element) => { sent.push(el); },
    onMessage: (l: (s: Element) => void) => { deliver = l; return () => {}; },
    onStateChanged: (l: (s: SessionSnapshot) => void) => { changeState = l; return () => {}; },
  } as unknown as XmppSession;
  return { session, sent, deliver: (s: Element) => deliver(s), changeState: (s: SessionSnapshot) => changeState(s) };
}

const message = (attrs: Record<string, string>, body?: string) => xml('message', attrs, ...(body === undefined ? [] : [xml('body', {}, body)]));

describe('ChatService', () => {
  it('sends type chat and records the outgoing message under the bare JID', async () => {
    const fake = fakeSession();
    const chat = new ChatService({ session: fake.session, events: new EventBus<Events>(), now: () => 42 });
    const sent = await chat.send('You@Example.org/phone', 'hi');
    expect(fake.sent[0].attrs).toMatchObject({ to: 'You@Example.org/phone', type: 'chat', id: sent.id });
    expect(fake.sent[0].getChildText('body')).toBe('hi');
    expect(sent).toEqual({ id: sent.id, peer: 'you@example.org', direction: 'outgoing', from: 'me@example.org/ferry', body: 'hi', at: 42, deliveredAt: null });
    expect(await chat.history('you@example.org')).toEqual([sent]);
  });

  it('emits chat.received for chat and normal messages with a body, and nothing else', () => {
    const fake = fakeSession();
    const events = new EventBus<Events>();
    const received: ChatMessage[] = [];
    events.on('chat.received', (m) => received.push(m));
    new ChatService({ session: fake.session, events });
    fake.deliver(message({ from: 'you@example.org/a', type: 'chat', id: 'm1' }, 'one'));
    fake.deliver(message({ from: 'you@example.org/a' }, 'two'));
    fake.deliver(message({ from: 'you@example.org/a', type: 'chat' }));
    fake.deliver(message({ from: 'room@muc.example.org/x', type: 'groupchat' }, 'no'));
    fake.deliver(message({ from: 'you@example.org/a', type: 'error' }, 'no'));
    expect(received.map((m) => [m.id, m.body, m.peer])).toEqual([['m1', 'one', 'you@example.org'], [expect.any(String), 'two', 'you@example.org']]);
  });

  it('keeps only the last historyLimit messages per contact and forgets them on logout', async () => {
    const fake = fakeSession();
    const chat = new ChatService({ session: fake.session, events: new EventBus<Events>(), historyLimit: 3 });
    for (let i = 0; i < 5; i += 1) fake.deliver(message({ from: 'you@example.org/a', type: 'chat' }, String(i)));
    expect((await chat.history('you@example.org')).map((m) => m.body)).toEqual(['2', '3', '4']);
    fake.changeState({ state: 'offline', jid: null, error: null, retryInMs: null, isSecure: false });
    expect(await chat.history('you@example.org')).toEqual([]);
  });

  describe('with a history store', () => {
    it('writes sent and received messages to the account\'s store, with their XEP-0359 ids, and reads history from it', async () => {
      const fake = fakeSession();
      const backing = fakeStores();
      const chat = new ChatService({ session: fake.session, events: new EventBus<Events>(), stores: backing.stores, now: () => 7 });
      fake.changeState(ONLINE);
      const sent = await chat.send('you@example.org', 'out');
      fake.deliver(xml('message', { from: 'you@example.org/a', to: 'me@example.org/ferry', type: 'chat', id: 'r1' }, xml('body', {}, 'in'),
        xml('stanza-id', { xmlns: 'urn:xmpp:sid:0', by: 'me@example.org', id: 'S1' }),
        xml('stanza-id', { xmlns: 'urn:xmpp:sid:0', by: 'you@example.org', id: 'FORGED' }),
        xml('origin-id', { xmlns: 'urn:xmpp:sid:0', id: 'O1' })));
      expect(backing.opened).toEqual(['me@example.org']);
      expect(await chat.history('you@example.org')).toEqual([sent, { id: 'r1', peer: 'you@example.org', direction: 'incoming', from: 'you@example.org/a', body: 'in', at: 7 }]);
      expect(backing.accounts.get('me@example.org')!.map((m) => [m.id, m.to, m.stanzaId, m.originId])).toEqual([
        [sent.id, 'you@example.org', null, sent.id], ['r1', 'me@example.org/ferry', 'S1', 'O1'],
      ]);
    });

    it('closes the store at logout and reads the same conversation after the next login', async () => {
      const fake = fakeSession();
      const backing = fakeStores();
      const chat = new ChatService({ session: fake.session, events: new EventBus<Events>(), stores: backing.stores });
      fake.changeState(ONLINE);
      fake.deliver(message({ from: 'you@example.org/a', type: 'chat', id: 'r1' }, 'kept'));
      await chat.history('you@example.org');
      fake.changeState(OFFLINE);
      expect(backing.closed()).toBe(1);
      expect(await chat.history('you@example.org')).toEqual([]);
      fake.changeState(ONLINE);
      expect((await chat.history('you@example.org')).map((m) => m.body)).toEqual(['kept']);
      chat.dispose();
      expect(backing.closed()).toBe(2);
    });

    it('a message that arrives while the store opens is written once it is open', async () => {
      const fake = fakeSession();
      const backing = fakeStores();
      const chat = new ChatService({ session: fake.session, events: new EventBus<Events>(), stores: backing.stores });
      fake.changeState(ONLINE);
      fake.deliver(message({ from: 'you@example.org/a', type: 'chat', id: 'early' }, 'early'));
      expect((await chat.history('you@example.org')).map((m) => m.id)).toEqual(['early']);
      expect(backing.accounts.get('me@example.org')!.map((m) => m.id)).toEqual(['early']);
    });

    it('keeps messages in memory and logs why when the store cannot be opened', async () => {
      const fake = fakeSession();
      const backing = fakeStores(new Error('disk on fire'));
      const lines: string[] = [];
      const chat = new ChatService({ session: fake.session, events: new EventBus<Events>(), stores: backing.stores, log: (l) => lines.push(l) });
      fake.changeState(ONLINE);
      fake.deliver(message({ from: 'you@example.org/a', type: 'chat', id: 'r1' }, 'still shown'));
      expect((await chat.history('you@example.org')).map((m) => m.body)).toEqual(['still shown']);
      expect(lines).toEqual(['history store could not be opened: disk on fire']);
    });
  });
});
