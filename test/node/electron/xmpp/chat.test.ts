import { describe, expect, it } from 'vitest';
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { EventBus } from '../../../../shared/ipc/eventBus';
import type { Events } from '../../../../shared/ipc/contract';
import type { ChatMessage, SessionSnapshot } from '../../../../shared/model/session';
import { ChatService } from '../../../../electron/xmpp/chat';
import type { XmppSession } from '../../../../electron/xmpp/session';

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
    expect(sent).toEqual({ id: sent.id, peer: 'you@example.org', direction: 'outgoing', from: 'me@example.org/ferry', body: 'hi', at: 42 });
    expect(chat.history('you@example.org')).toEqual([sent]);
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

  it('keeps only the last historyLimit messages per contact and forgets them on logout', () => {
    const fake = fakeSession();
    const chat = new ChatService({ session: fake.session, events: new EventBus<Events>(), historyLimit: 3 });
    for (let i = 0; i < 5; i += 1) fake.deliver(message({ from: 'you@example.org/a', type: 'chat' }, String(i)));
    expect(chat.history('you@example.org').map((m) => m.body)).toEqual(['2', '3', '4']);
    fake.changeState({ state: 'offline', jid: null, error: null, retryInMs: null, isSecure: false });
    expect(chat.history('you@example.org')).toEqual([]);
  });
});
