import { client, xml } from '@xmpp/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../shared/model/session';
import type { Core } from '../../electron/app/core';
import { createCore } from '../../electron/app/createCore';
import { runCli } from '../../electron/hosts/cli/runCli';
import { startTestProsody, type LocalProsody } from '../support/prosody';
import { waitFor } from '../support/xmppWaits';
import { tempDir } from '../support/historyFixtures';

type Client = ReturnType<typeof client>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// Each test has its own pair of accounts: the archive of one test is not seen by the next.
const ACCOUNTS: [string, string][] = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'].map((u) => [u, `${u}-pw`]);

// Issue #10: XEP-0313 archive catch-up and paging, XEP-0280 carbons, XEP-0203 delay, against a Prosody
// with mod_mam and mod_carbons.
describe('archive and carbons against a private Prosody (mod_mam, mod_carbons)', () => {
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

  /** A second device of an account: a bare @xmpp/client, online with presence. */
  async function aliceOtherDevice(user = 'alice'): Promise<{ xmpp: Client; bodies: string[] }> {
    const xmpp = client({ timeout: 10_000, service: server.service, domain: 'localhost', resource: 'phone', username: user, password: `${user}-pw` });
    xmpp.reconnect.stop();
    xmpp.on('error', () => {});
    const bodies: string[] = [];
    xmpp.on('stanza', (stanza) => { const body = stanza.is('message') ? stanza.getChildText('body') : null; if (body) bodies.push(body); });
    clients.push(xmpp);
    await xmpp.start();
    await xmpp.send(xml('presence'));
    return { xmpp, bodies };
  }

  function data(): string {
    const temp = tempDir();
    temps.push(temp.cleanup);
    return temp.dir;
  }

  beforeAll(async () => {
    server = await startTestProsody({ accounts: ACCOUNTS, friends: [['alice', 'bob'], ['carol', 'dave'], ['erin', 'frank']], archive: true });
  });
  afterEach(async () => {
    await Promise.all(cores.splice(0).map((c) => c.dispose()));
    await Promise.all(clients.splice(0).map((c) => c.stop().catch(() => {})));
    for (const cleanup of temps.splice(0)) cleanup();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('a message sent from another resource of the account appears as outgoing, one received there as incoming (XEP-0280 §6, §7)', async () => {
    const alice = await login('alice', data());
    const bob = await login('bob');
    const seen: ChatMessage[] = [];
    alice.on('chat.received', (m) => seen.push(m));
    const phone = await aliceOtherDevice();
    await sleep(500); // carbons are enabled just after login (disco#info, then the enable IQ)
    await phone.xmpp.send(xml('message', { to: 'bob@localhost', type: 'chat', id: 'from-phone-1' }, xml('body', {}, 'sent from my phone')));
    const sent = await waitFor(() => seen.find((m) => m.body === 'sent from my phone'), 10_000, 'the sent carbon');
    expect(sent).toMatchObject({ direction: 'outgoing', peer: 'bob@localhost', from: 'alice@localhost/phone' });
    await bob.handlers['chat.send']({ to: 'alice@localhost/phone', body: 'to the phone only' });
    const received = await waitFor(() => seen.find((m) => m.body === 'to the phone only'), 10_000, 'the received carbon');
    expect(received).toMatchObject({ direction: 'incoming', peer: 'bob@localhost' });
    // bob forges a sent carbon (outer from bob, not alice's bare JID): ignored (§11, CVE-2017-5589).
    const mallory = client({ timeout: 10_000, service: server.service, domain: 'localhost', resource: 'forger', username: 'bob', password: 'bob-pw' });
    mallory.reconnect.stop();
    mallory.on('error', () => {});
    clients.push(mallory);
    await mallory.start();
    await mallory.send(xml('message', { to: 'alice@localhost/ferry' }, xml('sent', { xmlns: 'urn:xmpp:carbons:2' },
      xml('forwarded', { xmlns: 'urn:xmpp:forward:0' }, xml('message', { xmlns: 'jabber:client', from: 'alice@localhost/phone', to: 'bob@localhost', type: 'chat' }, xml('body', {}, 'forged words'))))));
    await mallory.send(xml('message', { to: 'alice@localhost/ferry', type: 'chat' }, xml('body', {}, 'after the forgery')));
    await waitFor(() => seen.find((m) => m.body === 'after the forgery'), 10_000, 'the plain message after the forgery');
    const history = (await alice.handlers['chat.history']({ jid: 'bob@localhost' })).map((m) => [m.direction, m.body]);
    expect(history).toEqual([['outgoing', 'sent from my phone'], ['incoming', 'to the phone only'], ['incoming', 'after the forgery']]);
  });

  it('after being offline, what offline storage and the archive both deliver is stored once, with its original time (XEP-0203, XEP-0313)', async () => {
    const dir = data();
    const first = await login('carol', dir);
    const dave = await login('dave');
    await dave.handlers['chat.send']({ to: 'carol@localhost', body: 'before' });
    await sleep(300);
    expect((await first.handlers['chat.history']({ jid: 'dave@localhost' })).map((m) => m.body)).toEqual(['before']);
    await first.handlers['session.logout'](undefined);
    await sleep(1100); // Prosody's delay stamps have whole seconds: keep 'before' in an earlier second
    const sentAt = Date.now();
    for (const n of [1, 2, 3]) await dave.handlers['chat.send']({ to: 'carol@localhost', body: `while away ${n}` });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const loggedInAt = Date.now();
    const carol = await login('carol', dir);
    await carol.handlers['chat.history']({ jid: 'dave@localhost' }); // after the catch-up
    await sleep(1000); // offline storage delivers too, once presence is sent: let it arrive
    const history = await carol.handlers['chat.history']({ jid: 'dave@localhost' });
    expect(history.map((m) => m.body)).toEqual(['before', 'while away 1', 'while away 2', 'while away 3']);
    for (const m of history.slice(1)) expect(m.at).toBeLessThan(sentAt + 1000); // the stamp, not the login time
    expect(history[1].at).toBeLessThan(loggedInAt - 1000);
  });

  it('fetches from the archive what another resource received while this one was logged out (no offline storage; XEP-0313 §4)', async () => {
    const dir = data();
    const first = await login('erin', dir);
    const frank = await login('frank');
    await frank.handlers['chat.send']({ to: 'erin@localhost', body: 'seen here' });
    await sleep(300);
    await first.handlers['session.logout'](undefined);
    const phone = await aliceOtherDevice('erin');
    await sleep(1100);
    const sentAt = Date.now();
    for (const n of [1, 2]) await frank.handlers['chat.send']({ to: 'erin@localhost', body: `to the phone ${n}` });
    await waitFor(() => phone.bodies.length >= 2 || undefined, 10_000, 'the phone got both');
    await sleep(1100);
    const erin = await login('erin', dir);
    const history = await erin.handlers['chat.history']({ jid: 'frank@localhost' });
    expect(history.map((m) => m.body)).toEqual(['seen here', 'to the phone 1', 'to the phone 2']);
    for (const m of history.slice(1)) expect(Math.abs(m.at - sentAt)).toBeLessThan(1500);
  });

  it('pages back through the archive when the store runs out (XEP-0313 §4.1.3 with XEP-0059 before)', async () => {
    const frank = await login('frank');
    const phone = await aliceOtherDevice('dave'); // online, so offline storage does not hold them for dave
    for (let n = 0; n < 120; n += 1) await frank.handlers['chat.send']({ to: 'dave@localhost', body: `old ${n}` });
    await waitFor(() => phone.bodies.length >= 120 || undefined, 10_000, 'the phone got all');
    const dave = await login('dave', data()); // a new device: nothing stored, the catch-up takes the latest page only
    const seen: string[] = [];
    let page = await dave.handlers['chat.history']({ jid: 'frank@localhost' });
    expect(page.map((m) => m.body)).toEqual(Array.from({ length: 50 }, (_, n) => `old ${n + 70}`));
    for (let round = 0; round < 5 && page.length > 0; round += 1) {
      seen.unshift(...page.map((m) => m.body));
      page = await dave.handlers['chat.history']({ jid: 'frank@localhost', before: page[0].id });
    }
    expect(page).toEqual([]);
    expect(seen).toEqual(Array.from({ length: 120 }, (_, n) => `old ${n}`));
  });

  it('ferry history with credentials logs in, fetches the archive into the store, then prints it oldest first; without, it prints the store', async () => {
    const bob = await login('bob');
    const phone = await aliceOtherDevice(); // online: the messages go to it, and to the archive
    for (const n of [1, 2]) await bob.handlers['chat.send']({ to: 'alice@localhost', body: `for the cli ${n}` });
    await waitFor(() => phone.bodies.filter((b) => b.startsWith('for the cli')).length === 2 || undefined, 10_000, 'the phone got both');
    const dir = data();
    const history = async (extra: string[]) => {
      const out: string[] = [];
      const code = await runCli(['history', '--json', '--jid', 'alice@localhost', '--with', 'bob@localhost', '--data-dir', dir, ...extra],
        { stdout: { write: (text: string) => out.push(text) }, stderr: { write: () => true }, env: {} });
      expect(code).toBe(0);
      return out.join('').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
    };
    const fetched = await history(['--password', 'alice-pw', '--service', server.service, '--resource', 'cli']);
    expect(fetched.slice(-2).map((line) => line.body)).toEqual(['for the cli 1', 'for the cli 2']);
    for (const line of fetched) expect(Object.keys(line).sort()).toEqual(['at', 'body', 'event', 'from', 'id', 'to']);
    expect(await history([])).toEqual(fetched);
  });
});
