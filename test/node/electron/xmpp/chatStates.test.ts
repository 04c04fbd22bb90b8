import { describe, expect, it } from 'vitest';
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { EventBus } from '../../../../shared/ipc/eventBus';
import type { Events } from '../../../../shared/ipc/contract';
import type { BareJid } from '../../../../shared/model/jid';
import type { SessionSnapshot } from '../../../../shared/model/session';
import { ChatStatesService } from '../../../../electron/xmpp/chatStates';
import type { XmppSession } from '../../../../electron/xmpp/session';
import { NS_CHATSTATES } from '../../../../electron/xmpp/xep/xep0085ChatStates';

function setup(contacts: string[] = ['you@example.org']) {
  const sent: Element[] = [];
  let deliver: (stanza: Element) => void = () => {};
  let changeState: (s: SessionSnapshot) => void = () => {};
  const session = {
    jid: 'me@example.org/ferry',
    send: async (el: Element) => { sent.push(el); },
    onMessage: (l: (s: Element) => void) => { deliver = l; return () => {}; },
    onStateChanged: (l: (s: SessionSnapshot) => void) => { changeState = l; return () => {}; },
  } as unknown as XmppSession;
  const events = new EventBus<Events>();
  const seen: Events['chat.stateChanged'][] = [];
  events.on('chat.stateChanged', (s) => seen.push(s));
  const states = new ChatStatesService({ session, events, mayShareWith: (peer: BareJid) => contacts.includes(peer) });
  return { states, sent, seen, deliver: (s: Element) => deliver(s), changeState: (s: SessionSnapshot) => changeState(s) };
}

const stateOf = (el: Element) => el.children.filter((c): c is Element => typeof c !== 'string').map((c) => `${c.attrs.xmlns}#${c.name}`);

describe('ChatStatesService', () => {
  it('sends a standalone state to the bare JID with the state as its only child (XEP-0085 §5.6)', async () => {
    const { states, sent } = setup();
    await states.send('You@example.org/phone', 'composing');
    expect(sent[0].attrs).toEqual({ to: 'you@example.org', type: 'chat' });
    expect(stateOf(sent[0])).toEqual([`${NS_CHATSTATES}#composing`]);
  });

  it('never sends the same standalone state twice in a row (XEP-0085 §5.3)', async () => {
    const { states, sent } = setup();
    await states.send('you@example.org', 'composing');
    await states.send('you@example.org', 'composing');
    await states.send('you@example.org', 'paused');
    await states.send('you@example.org', 'composing');
    expect(sent.map((el) => stateOf(el)[0])).toEqual(['composing', 'paused', 'composing'].map((s) => `${NS_CHATSTATES}#${s}`));
  });

  it('adds <active/> to content messages for contacts, and composing may follow a sent message (§5.2)', async () => {
    const { states, sent } = setup();
    await states.send('you@example.org', 'composing');
    expect(states.messageExtras('you@example.org' as BareJid).map((el) => el.name)).toEqual(['active']);
    await states.send('you@example.org', 'composing');
    expect(sent).toHaveLength(2);
  });

  it('sends nothing to strangers (XEP-0085 §11)', async () => {
    const { states, sent } = setup([]);
    await states.send('stranger@example.org', 'composing');
    expect(states.messageExtras('stranger@example.org' as BareJid)).toEqual([]);
    expect(sent).toEqual([]);
  });

  it('stops sending to a contact whose reply carried no state (XEP-0085 §5.1)', async () => {
    const { states, sent, deliver } = setup();
    deliver(xml('message', { from: 'you@example.org/old', type: 'chat' }, xml('body', {}, 'hello')));
    await states.send('you@example.org', 'composing');
    expect(states.messageExtras('you@example.org' as BareJid)).toEqual([]);
    expect(sent).toEqual([]);
    deliver(xml('message', { from: 'you@example.org/new', type: 'chat' }, xml('body', {}, 'hi'), xml('active', { xmlns: NS_CHATSTATES })));
    await states.send('you@example.org', 'composing');
    expect(sent).toHaveLength(1);
  });

  it('emits the states peers send, but not our own devices, errors or groupchat', () => {
    const { seen, deliver } = setup();
    deliver(xml('message', { from: 'You@example.org/phone', type: 'chat' }, xml('composing', { xmlns: NS_CHATSTATES })));
    deliver(xml('message', { from: 'me@example.org/other', type: 'chat' }, xml('composing', { xmlns: NS_CHATSTATES })));
    deliver(xml('message', { from: 'you@example.org/phone', type: 'error' }, xml('paused', { xmlns: NS_CHATSTATES })));
    deliver(xml('message', { from: 'room@muc.example.org/you', type: 'groupchat' }, xml('paused', { xmlns: NS_CHATSTATES })));
    expect(seen).toEqual([{ peer: 'you@example.org', from: 'You@example.org/phone', state: 'composing' }]);
  });

  it('forgets what it sent at logout, so the next login may send composing again', async () => {
    const { states, sent, changeState } = setup();
    await states.send('you@example.org', 'composing');
    changeState({ state: 'offline', jid: null, error: null, retryInMs: null, isSecure: false });
    await states.send('you@example.org', 'composing');
    expect(sent).toHaveLength(2);
  });
});
