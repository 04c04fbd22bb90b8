import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, xml } from '@xmpp/client';
import { startTestProsody, type LocalProsody } from '../support/prosody';
import { countInboundFromEnabled, type CountingClient } from '../../electron/xmpp/smInboundCounter';

describe('private Prosody harness', () => {
  let server: LocalProsody;
  beforeAll(async () => {
    server = await startTestProsody({ accounts: [['alice', 'alice-pw'], ['bob', 'bob-pw']], friends: [['alice', 'bob']] });
  });
  afterAll(async () => { await server?.stop(); });

  it('serves STARTTLS with a certificate the test CA signs, and the seeded mutual roster', async () => {
    const xmpp = client({ timeout: 10_000, service: server.service, domain: 'localhost', resource: 'h', username: 'alice', password: 'alice-pw' });
    countInboundFromEnabled(xmpp as unknown as CountingClient); // bare xmpp.js miscounts XEP-0198 h at login
    xmpp.reconnect.stop();
    xmpp.on('error', () => {});
    await xmpp.start();
    const roster = await xmpp.iqCaller.request(xml('iq', { type: 'get' }, xml('query', { xmlns: 'jabber:iq:roster' })));
    const item = roster.getChild('query')?.getChild('item');
    expect(item?.attrs.jid).toBe('bob@localhost');
    expect(item?.attrs.subscription).toBe('both');
    await xmpp.stop();
  });
});
