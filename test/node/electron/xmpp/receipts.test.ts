import { describe, expect, it } from 'vitest';
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { EventBus } from '../../../../shared/ipc/eventBus';
import type { Events } from '../../../../shared/ipc/contract';
import type { BareJid } from '../../../../shared/model/jid';
import { CarbonsService } from '../../../../electron/xmpp/carbons';
import { ChatService } from '../../../../electron/xmpp/chat';
import { ReceiptsService } from '../../../../electron/xmpp/receipts';
import type { XmppSession } from '../../../../electron/xmpp/session';
import { NS_RECEIPTS } from '../../../../electron/xmpp/xep/xep0184Receipts';
import { NS_CARBONS } from '../../../../electron/xmpp/xep/xep0280Carbons';

/** Just enough of XmppSession: captures sent stanzas and hands delivered ones to every listener. */
function fakeSession() {
  const sent: Element[] = [];
  const listeners: ((stanza: Element) => void)[] = [];
  const session = {
    jid: 'me@example.org/ferry',
    send: async (el: Element) => { sent.push(el); },
    onMessage: (l: (s: Element) => void) => { listeners.push(l); return () => {}; },
    onStateChanged: () => () => {},
  } as unknown as XmppSession;
  return { session, sent, deliver: (s: Element) => listeners.forEach((l) => l(s)) };
}

function setup(contacts: string[] = ['you@example.org']) {
  const fake = fakeSession();
  const events = new EventBus<Events>();
  const delivered: Events['chat.delivered'][] = [];
  events.on('chat.delivered', (d) => delivered.push(d));
  const chat = new ChatService({ session: fake.session, events, now: () => 7 });
  new ReceiptsService({ session: fake.session, chat, maySeePresence: (peer: BareJid) => contacts.includes(peer) });
  return { fake, chat, delivered };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const receipt = (from: string, id: string) => xml('message', { from, id: 'r1' }, xml('received', { xmlns: NS_RECEIPTS, id }));
const request = (attrs: Record<string, string>) => xml('message', attrs, xml('body', {}, 'hi'), xml('request', { xmlns: NS_RECEIPTS }));

const OWN_BARE = 'me@example.org';
const wrap = (inner: Element) => xml('forwarded', { xmlns: 'urn:xmpp:forward:0' }, inner);
const carbon = (direction: 'received' | 'sent', from: string, inner: Element) =>
  xml('message', { from, to: 'me@example.org/ferry', type: 'chat' }, xml(direction, { xmlns: NS_CARBONS }, wrap(inner)));
const archived = (inner: Element) => xml('message', { from: OWN_BARE }, xml('result', { xmlns: 'urn:xmpp:mam:2', queryid: 'q', id: 'a1' }, wrap(inner)));
/** The peer's receipt for `id`, sent to our other device (as Ferry answers: type chat, so the server copies it). */
const receiptTo = (id: string, from = 'you@example.org/phone') =>
  xml('message', { from, to: 'me@example.org/other', type: 'chat', id: `receipt-${id}` }, xml('received', { xmlns: NS_RECEIPTS, id }));
const fromOtherDevice = (id: string) => xml('message', { from: 'me@example.org/other', to: 'you@example.org', type: 'chat', id },
  xml('body', {}, 'sent from the phone'), xml('request', { xmlns: NS_RECEIPTS }));

/** setup() plus the carbons service, which records the sent carbon as our outgoing message. */
function setupWithCarbons() {
  const ready = setup();
  new CarbonsService({ session: ready.fake.session, disco: { queryInfo: () => Promise.reject(new Error('unused')) }, chat: ready.chat });
  return ready;
}

describe('ReceiptsService', () => {
  it('every sent chat message requests a receipt and has an id (XEP-0184 §5.1, §6)', async () => {
    const { fake, chat } = setup();
    const sent = await chat.send('you@example.org', 'hi');
    expect(fake.sent[0].attrs.id).toBe(sent.id);
    expect(fake.sent[0].getChild('request', NS_RECEIPTS)).toBeDefined();
  });

  it("marks the message delivered when the peer's receipt arrives, once, and emits chat.delivered (XEP-0184 §6)", async () => {
    const { fake, chat, delivered } = setup();
    const sent = await chat.send('you@example.org', 'hi');
    fake.deliver(receipt('You@example.org/phone', sent.id));
    fake.deliver(receipt('you@example.org/laptop', sent.id));
    await settle();
    expect(delivered).toEqual([{ peer: 'you@example.org', id: sent.id, deliveredAt: 7 }]);
    expect((await chat.history('you@example.org'))[0].deliveredAt).toBe(7);
  });

  it('ignores a receipt from a third party for our message id (XEP-0184 §8)', async () => {
    const { fake, chat, delivered } = setup();
    const sent = await chat.send('you@example.org', 'hi');
    fake.deliver(receipt('mallory@example.org/x', sent.id));
    await settle();
    expect(delivered).toEqual([]);
    expect((await chat.history('you@example.org'))[0].deliveredAt).toBeNull();
  });

  it('answers a request from a contact with only <received id/>, of the same type (XEP-0184 §5.2)', () => {
    const { fake } = setup();
    fake.deliver(request({ from: 'you@example.org/phone', to: 'me@example.org/ferry', id: 'abc', type: 'chat' }));
    expect(fake.sent).toHaveLength(1);
    const answer = fake.sent[0];
    expect(answer.attrs).toMatchObject({ to: 'you@example.org/phone', type: 'chat' });
    expect(answer.children).toHaveLength(1);
    expect(answer.getChild('received', NS_RECEIPTS)?.attrs.id).toBe('abc');
    expect(answer.getChild('request', NS_RECEIPTS)).toBeUndefined();
  });

  it('does not answer strangers (§8: not authorized to view our presence), errors, groupchat, or receipts', () => {
    const { fake } = setup();
    fake.deliver(request({ from: 'stranger@example.org/x', id: 'a1', type: 'chat' }));
    fake.deliver(request({ from: 'you@example.org/phone', id: 'a2', type: 'error' }));
    fake.deliver(request({ from: 'room@muc.example.org/you', id: 'a3', type: 'groupchat' }));
    const loop = receipt('you@example.org/phone', 'x');
    loop.append(xml('request', { xmlns: NS_RECEIPTS }));
    fake.deliver(loop);
    expect(fake.sent).toEqual([]);
  });

  it('never answers a request in a carbon or an archive copy, even from a contact (XEP-0184 §5.5, XEP-0280 §10.4)', async () => {
    const { fake, chat, delivered } = setup();
    const sent = await chat.send('you@example.org', 'hi');
    fake.deliver(carbon('received', OWN_BARE, request({ from: 'you@example.org/phone', to: 'me@example.org/phone', id: 'c1', type: 'chat' })));
    fake.deliver(archived(request({ from: 'you@example.org/phone', to: OWN_BARE, id: 'c2', type: 'chat' })));
    fake.deliver(archived(receiptTo(sent.id))); // an archived receipt is history, not news
    await settle();
    expect(delivered).toEqual([]);
    expect(fake.sent).toHaveLength(1); // only our own message
  });

  it("a received carbon of the peer's receipt marks the message our other device sent, like a direct receipt (XEP-0280 §6, §7; XEP-0184 §6)", async () => {
    const { fake, chat, delivered } = setupWithCarbons();
    fake.deliver(carbon('sent', OWN_BARE, fromOtherDevice('x1')));
    fake.deliver(carbon('received', OWN_BARE, receiptTo('x1')));
    fake.deliver(carbon('received', OWN_BARE, receiptTo('x1'))); // once only
    await settle();
    expect(delivered).toEqual([{ peer: 'you@example.org', id: 'x1', deliveredAt: 7 }]);
    expect((await chat.history('you@example.org')).map((m) => [m.id, m.direction, m.deliveredAt])).toEqual([['x1', 'outgoing', 7]]);
    expect(fake.sent).toEqual([]); // a receipt is not answered
  });

  it('a forged carbon, a sent carbon of our own receipt, or a third party\'s receipt marks nothing (XEP-0280 §11, XEP-0184 §8)', async () => {
    const { fake, chat, delivered } = setupWithCarbons();
    fake.deliver(carbon('sent', OWN_BARE, fromOtherDevice('x1')));
    fake.deliver(carbon('received', 'you@example.org', receiptTo('x1'))); // CVE-2017-5589: a contact's forged carbon
    fake.deliver(carbon('received', 'me@example.org/other', receiptTo('x1'))); // §11: the bare JID only
    fake.deliver(carbon('sent', OWN_BARE, xml('message', { from: 'me@example.org/other', to: 'you@example.org/phone', type: 'chat' },
      xml('received', { xmlns: NS_RECEIPTS, id: 'x1' })))); // our other device acknowledged something of the peer's
    fake.deliver(carbon('received', OWN_BARE, receiptTo('x1', 'mallory@example.org/x')));
    await settle();
    expect(delivered).toEqual([]);
    expect((await chat.history('you@example.org'))[0].deliveredAt).toBeNull();
    expect(fake.sent).toEqual([]);
  });
});
