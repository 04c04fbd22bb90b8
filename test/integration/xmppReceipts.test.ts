import { client, xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Events } from '../../shared/ipc/contract';
import type { ChatMessage, RosterItem } from '../../shared/model/session';
import type { Core } from '../../electron/app/core';
import { createCore } from '../../electron/app/createCore';
import { startTestProsody, type LocalProsody } from '../support/prosody';
import { waitFor } from '../support/xmppWaits';
import { tempDir } from '../support/historyFixtures';
import { defaultSettings } from '../../shared/model/settings';

type Client = ReturnType<typeof client>;
const NS_RECEIPTS = 'urn:xmpp:receipts';
const NS_CHATSTATES = 'http://jabber.org/protocol/chatstates';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ACCOUNTS: [string, string][] = ['alice', 'bob', 'carol', 'dave', 'mallory'].map((u) => [u, `${u}-pw`]);

// Issue #10: XEP-0184 delivery receipts and XEP-0085 chat states between Ferry cores and plain clients,
// against a Prosody with mod_mam and mod_carbons (their copies must not count as receipts or messages).
describe('delivery receipts and chat states against a private Prosody', () => {
  let server: LocalProsody;
  const cores: Core[] = [];
  const clients: Client[] = [];
  const temps: (() => void)[] = [];

  async function login(user: string, dataDir?: string): Promise<Core> {
    const core = createCore({ downloadDir: '/nonexistent', dataDir, session: { loginTimeoutMs: 10_000 } });
    cores.push(core);
    await core.handlers['session.login']({ jid: `${user}@localhost`, password: `${user}-pw`, service: server.service, resource: 'ferry' });
    return core;
  }

  /** Waits until the core's roster has `jid` (receipts and states are for contacts only). */
  async function rosterHas(core: Core, jid: string): Promise<void> {
    const has = { value: false };
    for (let round = 0; round < 200 && !has.value; round += 1) {
      has.value = (await core.handlers['roster.get']()).some((i: RosterItem) => i.jid === jid);
      if (!has.value) await sleep(25);
    }
    expect(has.value, `${jid} in the roster`).toBe(true);
  }

  /** A plain client that answers nothing by itself: records every message it gets. */
  async function plainClient(user: string, resource = 'plain'): Promise<{ xmpp: Client; messages: Element[] }> {
    const xmpp = client({ timeout: 10_000, service: server.service, domain: 'localhost', resource, username: user, password: `${user}-pw` });
    xmpp.reconnect.stop();
    xmpp.on('error', () => {});
    const messages: Element[] = [];
    xmpp.on('stanza', (stanza) => { if (stanza.is('message')) messages.push(stanza); });
    clients.push(xmpp);
    await xmpp.start();
    await xmpp.send(xml('presence'));
    return { xmpp, messages };
  }

  function recordEvents<K extends keyof Events>(core: Core, name: K): Events[K][] {
    const seen: Events[K][] = [];
    core.on(name, (payload) => seen.push(payload));
    return seen;
  }

  function data(): string {
    const temp = tempDir();
    temps.push(temp.cleanup);
    return temp.dir;
  }

  beforeAll(async () => {
    server = await startTestProsody({ accounts: ACCOUNTS, friends: [['alice', 'bob'], ['carol', 'dave']], archive: true });
  });
  afterEach(async () => {
    await Promise.all(cores.splice(0).map((c) => c.dispose()));
    await Promise.all(clients.splice(0).map((c) => c.stop().catch(() => {})));
    for (const cleanup of temps.splice(0)) cleanup();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('receipts both ways between two Ferry cores; the mark is stored and survives a restart, the archive adds no copies (XEP-0184 §5, §6)', async () => {
    const aliceDir = data();
    const alice = await login('alice', aliceDir);
    const bob = await login('bob', data());
    await rosterHas(alice, 'bob@localhost');
    await rosterHas(bob, 'alice@localhost');
    const aliceDelivered = recordEvents(alice, 'chat.delivered');
    const bobDelivered = recordEvents(bob, 'chat.delivered');
    const toBob = await alice.handlers['chat.send']({ to: 'bob@localhost', body: 'did you get this?' });
    expect(toBob.deliveredAt).toBeNull();
    const mark = await waitFor(() => aliceDelivered.find((d) => d.id === toBob.id), 10_000, "bob's receipt");
    expect(mark.peer).toBe('bob@localhost');
    const toAlice = await bob.handlers['chat.send']({ to: 'alice@localhost', body: 'yes' });
    await waitFor(() => bobDelivered.find((d) => d.id === toAlice.id), 10_000, "alice's receipt");
    const stored = await alice.handlers['chat.history']({ jid: 'bob@localhost' });
    expect(stored.map((m) => [m.direction, m.body, m.deliveredAt ?? 'none'])).toEqual([['outgoing', 'did you get this?', mark.deliveredAt], ['incoming', 'yes', 'none']]);

    await alice.dispose(); // a restart: a new core on the same data folder
    const again = await login('alice', aliceDir);
    const reread = await again.handlers['chat.history']({ jid: 'bob@localhost' }); // after the archive catch-up
    expect(reread.map((m) => [m.id, m.body, m.deliveredAt ?? 'none'])).toEqual([[toBob.id, 'did you get this?', mark.deliveredAt], [toAlice.id, 'yes', 'none']]);
  });

  it("bob's receipt for a message alice sent from another device reaches the core as a carbon and marks it there (XEP-0280 §6, §7; XEP-0184 §6)", async () => {
    const alice = await login('alice', data());
    const bob = await login('bob');
    await rosterHas(bob, 'alice@localhost'); // bob answers contacts only
    const seen: ChatMessage[] = recordEvents(alice, 'chat.received');
    const delivered = recordEvents(alice, 'chat.delivered');
    const phone = await plainClient('alice', 'phone'); // alice's other device: asks, answers nothing
    await sleep(500); // the core enables carbons just after login (disco#info, then the enable IQ)
    await phone.xmpp.send(xml('message', { to: 'bob@localhost/ferry', type: 'chat', id: 'from-phone-1' },
      xml('body', {}, 'sent from my phone'), xml('request', { xmlns: NS_RECEIPTS })));
    const copy = await waitFor(() => seen.find((m) => m.id === 'from-phone-1'), 10_000, 'the sent carbon at the core');
    expect(copy).toMatchObject({ direction: 'outgoing', peer: 'bob@localhost', deliveredAt: null });
    // Bob's core answers the phone (type chat, §5.2); the server copies that receipt to the core.
    const atPhone = await waitFor(() => phone.messages.find((m) => m.getChild('received', NS_RECEIPTS)), 10_000, "bob's receipt at the phone");
    expect(atPhone.attrs.from).toBe('bob@localhost/ferry');
    const mark = await waitFor(() => delivered.find((d) => d.id === 'from-phone-1'), 10_000, 'the receipt carbon marking it at the core');
    expect(mark.peer).toBe('bob@localhost');
    const stored = await alice.handlers['chat.history']({ jid: 'bob@localhost' }); // with the archive of the first test
    expect(stored.filter((m) => m.id === 'from-phone-1').map((m) => [m.direction, m.deliveredAt])).toEqual([['outgoing', mark.deliveredAt]]);
    await sleep(500);
    // The core answered neither the request in the sent carbon nor anything else: the phone got bob's receipt only.
    expect(phone.messages.filter((m) => m.getChild('received', NS_RECEIPTS)).map((m) => m.attrs.from)).toEqual(['bob@localhost/ferry']);
    expect(delivered).toHaveLength(1);
  });

  it('a receipt from a third party is ignored; the peer\'s own marks it (XEP-0184 §8)', async () => {
    const carol = await login('carol');
    await rosterHas(carol, 'dave@localhost');
    const dave = await plainClient('dave'); // a client that answers no requests by itself
    const mallory = await plainClient('mallory');
    const delivered = recordEvents(carol, 'chat.delivered');
    const sent = await carol.handlers['chat.send']({ to: 'dave@localhost/plain', body: 'for dave' });
    const got = await waitFor(() => dave.messages.find((m) => m.getChildText('body') === 'for dave'), 10_000, 'dave got it');
    expect(got.attrs.id).toBe(sent.id);
    expect(got.getChild('request', NS_RECEIPTS)).toBeDefined(); // §5.1: every sent message asks
    expect(got.getChild('active', NS_CHATSTATES)).toBeDefined(); // XEP-0085 §5.2: and is active (dave is a contact)
    await mallory.xmpp.send(xml('message', { to: 'carol@localhost/ferry' }, xml('received', { xmlns: NS_RECEIPTS, id: sent.id })));
    await mallory.xmpp.send(xml('message', { to: 'carol@localhost/ferry', type: 'chat' }, xml('body', {}, 'after the forged receipt')));
    await sleep(500);
    expect(delivered).toEqual([]);
    expect((await carol.handlers['chat.history']({ jid: 'dave@localhost' }))[0].deliveredAt).toBeNull();
    await dave.xmpp.send(xml('message', { to: 'carol@localhost/ferry' }, xml('received', { xmlns: NS_RECEIPTS, id: sent.id })));
    await waitFor(() => delivered.find((d) => d.id === sent.id), 10_000, "dave's receipt");
    expect((await carol.handlers['chat.history']({ jid: 'dave@localhost' }))[0].deliveredAt).toEqual(expect.any(Number));
  });

  it('answers a receipt request from a contact but not from a stranger (XEP-0184 §8: presence leak)', async () => {
    const carol = await login('carol');
    await rosterHas(carol, 'dave@localhost');
    const dave = await plainClient('dave');
    const mallory = await plainClient('mallory');
    const ask = (id: string) => xml('message', { to: 'carol@localhost/ferry', type: 'chat', id }, xml('body', {}, 'receipt please'), xml('request', { xmlns: NS_RECEIPTS }));
    await mallory.xmpp.send(ask('from-stranger'));
    await dave.xmpp.send(ask('from-contact'));
    const receipt = await waitFor(() => dave.messages.find((m) => m.getChild('received', NS_RECEIPTS)), 10_000, "carol's receipt to dave");
    expect(receipt.getChild('received', NS_RECEIPTS)?.attrs.id).toBe('from-contact');
    expect(receipt.getChild('request', NS_RECEIPTS)).toBeUndefined(); // §5.4: never a request in an ack
    await sleep(500);
    expect(mallory.messages.filter((m) => m.getChild('received', NS_RECEIPTS))).toEqual([]);
    // A receipt is not a message: neither conversation stores one.
    expect((await carol.handlers['chat.history']({ jid: 'dave@localhost' })).map((m) => m.body)).toEqual(['receipt please']);
  });

  it('typing is seen and cleared between two Ferry cores, never stored, and not sent to strangers (XEP-0085 §5)', async () => {
    const alice = await login('alice');
    const bob = await login('bob');
    await rosterHas(alice, 'bob@localhost');
    const mallory = await plainClient('mallory');
    const states = recordEvents(bob, 'chat.stateChanged');
    const received: ChatMessage[] = recordEvents(bob, 'chat.received');
    await alice.handlers['chat.state']({ to: 'bob@localhost', state: 'composing' });
    await alice.handlers['chat.state']({ to: 'bob@localhost', state: 'composing' }); // §5.3: not repeated
    await waitFor(() => states.find((s) => s.state === 'composing'), 10_000, 'composing at bob');
    await alice.handlers['chat.state']({ to: 'bob@localhost', state: 'paused' });
    await waitFor(() => states.find((s) => s.state === 'paused'), 10_000, 'paused at bob');
    await alice.handlers['chat.send']({ to: 'bob@localhost', body: 'typed it' });
    await waitFor(() => received.find((m) => m.body === 'typed it'), 10_000, 'the message at bob');
    expect(states.map((s) => [s.peer, s.from, s.state])).toEqual([
      ['alice@localhost', 'alice@localhost/ferry', 'composing'], ['alice@localhost', 'alice@localhost/ferry', 'paused'],
      ['alice@localhost', 'alice@localhost/ferry', 'active'],
    ]);
    await alice.handlers['chat.state']({ to: 'mallory@localhost', state: 'composing' });
    await sleep(500);
    expect(mallory.messages).toEqual([]);
    expect((await bob.handlers['chat.history']({ jid: 'alice@localhost' })).map((m) => m.body)).toEqual(['typed it']);
  });

  it('with "Tell contacts when I am typing" off, no state goes out, not even <active/> in a message (XEP-0085 §5.1)', async () => {
    const alice = await login('alice', data());
    const bob = await login('bob');
    await rosterHas(alice, 'bob@localhost');
    await alice.handlers['settings.set']({ ...defaultSettings(), sendChatStates: false });
    const states = recordEvents(bob, 'chat.stateChanged');
    const received: ChatMessage[] = recordEvents(bob, 'chat.received');
    await alice.handlers['chat.state']({ to: 'bob@localhost', state: 'composing' });
    await alice.handlers['chat.send']({ to: 'bob@localhost', body: 'quietly typed' });
    await waitFor(() => received.find((m) => m.body === 'quietly typed'), 10_000, 'the message at bob');
    await sleep(300);
    expect(states).toEqual([]);
    await alice.handlers['settings.set']({ ...defaultSettings(), sendChatStates: true });
    await alice.handlers['chat.state']({ to: 'bob@localhost', state: 'composing' });
    await waitFor(() => states.find((s) => s.state === 'composing'), 10_000, 'composing at bob once the switch is on');
  });
});
