import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, xml, type Client } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { OFFER_LIMITS } from '../../../electron/transfer/transferService';
import { startTestProsody, type LocalProsody } from '../../support/prosody';
import { waitFor } from '../../support/xmppWaits';
import { closePeer, loginPeer, type Peer } from './transferPair';
import { countInboundFromEnabled, type CountingClient } from '../../../electron/xmpp/smInboundCounter';

const NS_SI = 'http://jabber.org/protocol/si';
const NS_FT = 'http://jabber.org/protocol/si/profile/file-transfer';

function offer(to: string, n: number): Element {
  const methods = ['http://jabber.org/protocol/bytestreams', 'http://jabber.org/protocol/ibb']
    .map((m) => xml('option', {}, xml('value', {}, m)));
  return xml('iq', { type: 'set', to, id: `flood-${n}` },
    xml('si', { xmlns: NS_SI, id: `flood-sid-${n}`, profile: NS_FT, 'mime-type': 'text/plain' },
      xml('file', { xmlns: NS_FT, name: `f${n}.txt`, size: '10' }),
      xml('feature', { xmlns: 'http://jabber.org/protocol/feature-neg' },
        xml('x', { xmlns: 'jabber:x:data', type: 'form' }, xml('field', { var: 'stream-method', type: 'list-single' }, ...methods)))));
}

/** Polls an async check every 25 ms for at most 10 s. */
async function until<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let n = 0; n < 400; n += 1) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('offer flood (XEP-0096 offers from one entity are bounded)', () => {
  let server: LocalProsody;
  let alice: Peer;
  let mallory: Client;

  beforeAll(async () => {
    server = await startTestProsody({ accounts: [['alice', 'alice-pw'], ['mallory', 'mallory-pw']], offerTls: false });
    alice = await loginPeer(server, 'alice', { acceptPolicy: () => 'ask', discoverProxies: false });
    mallory = client({ timeout: 10_000, service: server.service, domain: 'localhost', username: 'mallory', password: 'mallory-pw', resource: 'flood' });
    countInboundFromEnabled(mallory as unknown as CountingClient); // bare xmpp.js miscounts XEP-0198 h at login
    mallory.reconnect.stop();
    mallory.on('error', () => undefined);
    await mallory.start();
  });
  afterAll(async () => {
    await mallory?.stop().catch(() => undefined);
    if (alice) await closePeer(alice);
    await server?.stop();
  });

  it('keeps at most pendingPerPeer unanswered offers per bare JID and refuses the rest with resource-constraint (RFC 6120 §8.3.3.18)', async () => {
    const errors: Element[] = [];
    mallory.on('stanza', (stanza: Element) => { if (stanza.is('iq') && stanza.attrs.type === 'error') errors.push(stanza); });
    const count = OFFER_LIMITS.pendingPerPeer + 4;
    for (let n = 0; n < count; n += 1) await mallory.send(offer(alice.jid, n));
    await waitFor(() => (errors.length >= 4 ? errors : undefined), 10_000, 'refusals of the extra offers');
    await new Promise((r) => setTimeout(r, 300));
    const offered = await alice.core.handlers['transfer.list']();
    expect(offered.filter((t) => t.state === 'offered')).toHaveLength(OFFER_LIMITS.pendingPerPeer);
    expect(errors).toHaveLength(4);
    expect(errors.map((e) => e.attrs.id)).toEqual(['flood-8', 'flood-9', 'flood-10', 'flood-11']);
    const error = errors[0].getChild('error')!;
    expect(error.attrs.type).toBe('wait');
    expect(error.getChild('resource-constraint', 'urn:ietf:params:xml:ns:xmpp-stanzas')).toBeDefined();
  });

  it('forgets the oldest ended transfers beyond keepEnded, so declined offers cannot grow the list for ever', async () => {
    const first = 100;
    const total = OFFER_LIMITS.keepEnded + 10;
    const list = async () => await alice.core.handlers['transfer.list']();
    // Alice's questions to mallory (disco#info before answering an offer) get a quick refusal instead of her timeout.
    mallory.on('stanza', (stanza: Element) => {
      if (!stanza.is('iq') || stanza.attrs.type !== 'get') return;
      void mallory.send(xml('iq', { type: 'error', to: stanza.attrs.from, id: stanza.attrs.id },
        xml('error', { type: 'cancel' }, xml('service-unavailable', { xmlns: 'urn:ietf:params:xml:ns:xmpp-stanzas' }))));
    });
    // The offers the test above left unanswered end first (they are the oldest ended ones then).
    for (const t of (await list()).filter((t) => t.state === 'offered')) await alice.core.handlers['transfer.decline']({ id: t.id });
    await until(async () => ((await list()).some((t) => t.state === 'offered') ? undefined : true), 'the earlier offers declined');
    for (let sent = 0; sent < total;) {
      const batch = Array.from({ length: Math.min(OFFER_LIMITS.pendingPerPeer, total - sent) }, (_, n) => first + sent + n);
      for (const n of batch) await mallory.send(offer(alice.jid, n));
      sent += batch.length;
      const names = new Set(batch.map((n) => `f${n}.txt`));
      const offered = await until(async () => {
        const now = (await list()).filter((t) => t.state === 'offered' && names.has(t.file.name));
        return now.length === batch.length ? now : undefined;
      }, `offers up to ${sent}`);
      for (const t of offered) await alice.core.handlers['transfer.decline']({ id: t.id });
      await until(async () => ((await list()).some((t) => t.state === 'offered') ? undefined : true), `declines up to ${sent}`);
    }
    const names = (await list()).filter((t) => t.state === 'declined').map((t) => t.file.name);
    expect(names).toHaveLength(OFFER_LIMITS.keepEnded);
    expect(names).not.toContain(`f${first}.txt`);
    expect(names).not.toContain(`f${first + 9}.txt`);
    expect(names).toContain(`f${first + 10}.txt`);
    expect(names).toContain(`f${first + total - 1}.txt`);
  });
});
