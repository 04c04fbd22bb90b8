import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, RosterItem, SubscriptionRequest } from '../../shared/model/session';
import type { Core } from '../../electron/app/core';
import { createCore } from '../../electron/app/createCore';
import { startTestProsody, type LocalProsody } from '../support/prosody';
import { waitFor } from '../support/xmppWaits';

const ACCOUNTS: [string, string][] = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'].map((u) => [u, `${u}-pw`]);

describe('roster, subscriptions and chat through createCore (RFC 6121)', () => {
  let server: LocalProsody;
  const cores: Core[] = [];

  async function login(user: string, resource = 'ferry'): Promise<Core> {
    const core = createCore({ downloadDir: '/nonexistent', session: { loginTimeoutMs: 10_000 } });
    cores.push(core);
    await core.handlers['session.login']({ jid: `${user}@localhost`, password: `${user}-pw`, service: server.service, resource });
    return core;
  }
  const item = (core: Core, jid: string) => async () =>
    (await core.handlers['roster.get']()).find((i: RosterItem) => i.jid === jid);

  beforeAll(async () => {
    server = await startTestProsody({ accounts: ACCOUNTS, friends: [['alice', 'bob']] });
  });
  afterEach(async () => {
    await Promise.all(cores.splice(0).map((c) => c.dispose()));
  });
  afterAll(async () => { await server?.stop(); });

  it('fetches the roster on login and fills a contact\'s resources from presence (RFC 6121 §2.1.3, §4)', async () => {
    const alice = await login('alice');
    const bobItem = await pollAsync(item(alice, 'bob@localhost'));
    expect(bobItem).toMatchObject({ name: 'Bob', subscription: 'both', groups: ['Friends'], isPending: false });
    await login('bob', 'laptop');
    const online = await pollAsync(async () => {
      const bob = await item(alice, 'bob@localhost')();
      return bob && bob.resources.length > 0 ? bob : undefined;
    });
    expect(online.resources).toEqual([{ resource: 'laptop', show: 'available', status: '', priority: 0 }]);
    await cores[1].handlers['presence.set']({ show: 'away', status: 'lunch' });
    const away = await pollAsync(async () => {
      const bob = await item(alice, 'bob@localhost')();
      return bob?.resources[0]?.show === 'away' ? bob : undefined;
    });
    expect(away.resources[0]).toMatchObject({ show: 'away', status: 'lunch' });
  });

  it('applies roster pushes: an add and a remove from one resource reach the other (RFC 6121 §2.1.6)', async () => {
    const desk = await login('alice', 'desk');
    const phone = await login('alice', 'phone');
    const changes: RosterItem[][] = [];
    phone.on('roster.changed', (items) => changes.push(items));
    await desk.handlers['roster.add']({ jid: 'zoe@localhost', name: 'Zoe' });
    const zoe = await pollAsync(item(phone, 'zoe@localhost'));
    expect(zoe).toMatchObject({ name: 'Zoe', subscription: 'none' });
    expect(changes.some((items) => items.some((i) => i.jid === 'zoe@localhost'))).toBe(true);
    await desk.handlers['roster.remove']({ jid: 'zoe@localhost' });
    await pollAsync(async () => ((await item(phone, 'zoe@localhost')()) ? undefined : true));
  });

  it('lists an incoming subscription request as pending; approving makes the subscription mutual (RFC 6121 §3.1)', async () => {
    const carol = await login('carol');
    const dave = await login('dave');
    const requests: SubscriptionRequest[] = [];
    dave.on('roster.subscriptionRequested', (r) => requests.push(r));
    await carol.handlers['roster.add']({ jid: 'dave@localhost' });
    await waitFor(() => requests.length > 0 || undefined, 5000, 'subscription request');
    expect(requests).toEqual([{ jid: 'carol@localhost' }]);
    expect(await dave.handlers['roster.pendingRequests']()).toEqual([{ jid: 'carol@localhost' }]);
    await dave.handlers['roster.approve']({ jid: 'carol@localhost' });
    expect(await dave.handlers['roster.pendingRequests']()).toEqual([]);
    await pollAsync(async () => ((await item(carol, 'dave@localhost')())?.subscription === 'both' || undefined));
    await pollAsync(async () => ((await item(dave, 'carol@localhost')())?.subscription === 'both' || undefined));
  });

  it('denying a request leaves the requester without a subscription (RFC 6121 §3.2)', async () => {
    const erin = await login('erin');
    const frank = await login('frank');
    await erin.handlers['roster.add']({ jid: 'frank@localhost' });
    await pollAsync(async () => (await frank.handlers['roster.pendingRequests']()).length > 0 || undefined);
    await frank.handlers['roster.deny']({ jid: 'erin@localhost' });
    const denied = await pollAsync(async () => {
      const f = await item(erin, 'frank@localhost')();
      return f && !f.isPending ? f : undefined;
    });
    expect(denied.subscription).toBe('none');
    expect(await frank.handlers['roster.pendingRequests']()).toEqual([]);
  });

  it('exchanges chat messages both ways and keeps history per bare JID (RFC 6121 §5)', async () => {
    const alice = await login('alice');
    const bob = await login('bob');
    const toBob: ChatMessage[] = [];
    const toAlice: ChatMessage[] = [];
    bob.on('chat.received', (m) => toBob.push(m));
    alice.on('chat.received', (m) => toAlice.push(m));
    const sent = await alice.handlers['chat.send']({ to: 'bob@localhost', body: 'hello bob' });
    expect(sent).toMatchObject({ peer: 'bob@localhost', direction: 'outgoing', body: 'hello bob', from: 'alice@localhost/ferry' });
    await waitFor(() => toBob.length > 0 || undefined, 5000, 'message to bob');
    expect(toBob[0]).toMatchObject({ peer: 'alice@localhost', direction: 'incoming', from: 'alice@localhost/ferry', body: 'hello bob', id: sent.id });
    await bob.handlers['chat.send']({ to: toBob[0].from, body: 'hi alice' });
    await waitFor(() => toAlice.length > 0 || undefined, 5000, 'message to alice');
    expect(toAlice[0]).toMatchObject({ peer: 'bob@localhost', direction: 'incoming', body: 'hi alice' });
    const history = await alice.handlers['chat.history']({ jid: 'bob@localhost/whatever' });
    expect(history.map((m) => [m.direction, m.body])).toEqual([['outgoing', 'hello bob'], ['incoming', 'hi alice']]);
  });
});

/** Polls an async check until it yields a value (bounded: 10 s). */
async function pollAsync<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms`);
}
