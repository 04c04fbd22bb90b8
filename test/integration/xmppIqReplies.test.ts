import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, xml, type Client } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { createCoreServices, type CoreServices } from '../../electron/app/coreServices';
import { startTestProsody, type LocalProsody } from '../support/prosody';
import { waitFor } from '../support/xmppWaits';

describe('IQ replies are matched to the JID the request went to (RFC 6120 §8.1.2.1)', () => {
  let server: LocalProsody;
  let alice: CoreServices;
  const raws: Client[] = [];
  const received: Element[] = [];

  async function rawClient(user: string): Promise<Client> {
    const raw = client({ service: server.service, domain: 'localhost', resource: 'probe', username: user, password: `${user}-pw` });
    raw.reconnect.stop();
    raw.on('error', () => {});
    raws.push(raw);
    await raw.start();
    return raw;
  }

  beforeAll(async () => {
    server = await startTestProsody({ accounts: [['alice', 'alice-pw'], ['bob', 'bob-pw'], ['mallory', 'mallory-pw']] });
    alice = createCoreServices({ downloadDir: '/nonexistent', session: { loginTimeoutMs: 10_000 } });
    await alice.session.login({ jid: 'alice@localhost', password: 'alice-pw', service: server.service, resource: 'ferry' });
  });
  afterAll(async () => {
    await alice?.dispose();
    await Promise.all(raws.map((r) => r.stop().catch(() => {})));
    await server?.stop();
  });

  it('ignores a result with the right id from another JID and resolves with the addressee\'s reply', async () => {
    const bob = await rawClient('bob');
    const mallory = await rawClient('mallory');
    let answer!: () => void;
    const answered = new Promise<void>((r) => { answer = r; });
    bob.iqCallee.get('urn:example:slow', 'query', async (ctx: { stanza: Element }) => {
      received.push(ctx.stanza);
      await answered;
      return xml('query', { xmlns: 'urn:example:slow', who: 'bob' });
    });
    const aliceJid = String(alice.session.jid);
    const request = alice.session.request(
      xml('iq', { type: 'get', to: 'bob@localhost/probe', id: 'guessable-1' }, xml('query', { xmlns: 'urn:example:slow' })), 10_000);
    await waitFor(() => received.at(-1), 5000, 'bob got the request');
    // Mallory answers first, with the id the request carries; the server stamps from=mallory.
    await mallory.send(xml('iq', { type: 'result', id: 'guessable-1', to: aliceJid }, xml('query', { xmlns: 'urn:example:slow', who: 'mallory' })));
    await new Promise((r) => setTimeout(r, 300));
    answer();
    const reply = await request;
    expect(reply.attrs.from).toBe('bob@localhost/probe');
    expect(reply.getChild('query')?.attrs.who).toBe('bob');
  });

  it('a request to the server accepts its reply from the domain (no spoof check in the way)', async () => {
    const reply = await alice.session.request(xml('iq', { type: 'get', to: 'localhost' }, xml('ping', { xmlns: 'urn:xmpp:ping' })), 5000);
    expect(reply.attrs.type).toBe('result');
  });
});
