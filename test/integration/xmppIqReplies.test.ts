import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, xml, type Client } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { createCoreServices, type CoreServices } from '../../electron/app/coreServices';
import { countInboundFromEnabled, type CountingClient } from '../../electron/xmpp/smInboundCounter';
import { NS_DISCO_INFO } from '../../electron/xmpp/xep/xep0030Disco';
import { startTestProsody, type LocalProsody } from '../support/prosody';
import { waitFor } from '../support/xmppWaits';

const NS_SLOW = 'urn:example:slow';

describe('IQ replies are checked against the JID the request went to (RFC 6120 §8.1.2.1, §10.1)', () => {
  let server: LocalProsody;
  let alice: CoreServices;
  let bob: Client;
  let mallory: Client;
  const raws: Client[] = [];
  /** Requests bob got, each with a function that sends bob's real answer. */
  const atBob: { stanza: Element; answer: () => void }[] = [];
  const logLines: string[] = [];

  async function rawClient(user: string): Promise<Client> {
    const raw = client({ timeout: 10_000, service: server.service, domain: 'localhost', resource: 'probe', username: user, password: `${user}-pw` });
    raw.reconnect.stop();
    countInboundFromEnabled(raw as unknown as CountingClient); // bare xmpp.js miscounts XEP-0198 h at login
    raw.on('error', () => {});
    raws.push(raw);
    await raw.start();
    return raw;
  }

  beforeAll(async () => {
    server = await startTestProsody({ accounts: [['alice', 'alice-pw'], ['bob', 'bob-pw'], ['mallory', 'mallory-pw']] });
    alice = createCoreServices({ downloadDir: '/nonexistent', session: { loginTimeoutMs: 10_000 }, log: (line) => logLines.push(line) });
    await alice.session.login({ jid: 'alice@localhost', password: 'alice-pw', service: server.service, resource: 'ferry' });
    bob = await rawClient('bob');
    mallory = await rawClient('mallory');
    // Bob answers only when the test says so, so a forged reply can arrive first.
    bob.iqCallee.get(NS_SLOW, 'query', async (ctx: { stanza: Element }) => {
      await new Promise<void>((answer) => atBob.push({ stanza: ctx.stanza, answer }));
      return xml('query', { xmlns: NS_SLOW, who: 'bob' });
    });
  });
  afterAll(async () => {
    await alice?.dispose();
    await Promise.all(raws.map((r) => r.stop().catch(() => {})));
    await server?.stop();
  });

  /** Sends a slow request from Ferry to bob and returns it with the id bob saw (the test learns it as an attacker could). */
  async function slowRequestToBob(): Promise<{ reply: Promise<Element>; id: string; answer: () => void }> {
    const before = atBob.length;
    const reply = alice.session.request(xml('iq', { type: 'get', to: 'bob@localhost/probe' }, xml('query', { xmlns: NS_SLOW })), 10_000);
    reply.catch(() => {});
    const seen = await waitFor(() => atBob[before], 5000, 'bob got the request');
    return { reply, id: String(seen.stanza.attrs.id), answer: seen.answer };
  }
  const settled = async (promise: Promise<unknown>, ms: number) =>
    await Promise.race([promise.then(() => true, () => true), new Promise((r) => setTimeout(() => r(false), ms))]);

  it('ignores a forged result with the pending id from another account and resolves with the addressee\'s reply', async () => {
    const { reply, id, answer } = await slowRequestToBob();
    // Mallory answers first with the id the request carries; the server stamps from=mallory@localhost/probe.
    await mallory.send(xml('iq', { type: 'result', id, to: String(alice.session.jid) }, xml('query', { xmlns: NS_SLOW, who: 'mallory' })));
    expect(await settled(reply, 500)).toBe(false);
    answer();
    const result = await reply;
    expect(result.attrs.from).toBe('bob@localhost/probe');
    expect(result.getChild('query')?.attrs.who).toBe('bob');
    expect(logLines.some((line) => line.includes('mallory@localhost/probe'))).toBe(true);
  });

  it('ignores a forged error reply too (it does not reject the request)', async () => {
    const { reply, id, answer } = await slowRequestToBob();
    await mallory.send(xml('iq', { type: 'error', id, to: String(alice.session.jid) },
      xml('error', { type: 'cancel' }, xml('item-not-found', { xmlns: 'urn:ietf:params:xml:ns:xmpp-stanzas' }))));
    expect(await settled(reply, 500)).toBe(false);
    answer();
    expect((await reply).getChild('query')?.attrs.who).toBe('bob');
  });

  it('still takes the server\'s replies: no from for the roster, the domain for a ping, the bare JID for disco', async () => {
    const roster = await alice.session.request(xml('iq', { type: 'get' }, xml('query', { xmlns: 'jabber:iq:roster' })), 5000);
    expect(roster.attrs.type).toBe('result');
    const pong = await alice.session.request(xml('iq', { type: 'get', to: 'localhost' }, xml('ping', { xmlns: 'urn:xmpp:ping' })), 5000);
    expect(pong.attrs.type).toBe('result');
    const own = await alice.session.request(xml('iq', { type: 'get', to: 'alice@localhost' }, xml('query', { xmlns: NS_DISCO_INFO })), 5000);
    expect(own.attrs.type).toBe('result');
  });

  it('an error the server sends for an absent addressee still rejects the request (from is the addressee)', async () => {
    const error = await alice.session.request(
      xml('iq', { type: 'get', to: 'bob@localhost/nobody' }, xml('query', { xmlns: NS_SLOW })), 5000).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'XmppStanzaError' });
  });
});
