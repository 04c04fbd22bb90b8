import { client, xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { join } from 'node:path';
import { countInboundFromEnabled, type CountingClient } from '../../electron/xmpp/smInboundCounter';
import { expect, openAs, SCREENSHOTS, test } from './fixtures';

/** A bare @xmpp/client account driven by the test: the stranger who asks alice for her presence. */
async function connectStranger(service: string, user: string, password: string) {
  const xmpp = client({ service, domain: 'localhost', resource: 'e2e', username: user, password });
  xmpp.reconnect.stop();
  // Bare xmpp.js miscounts XEP-0198 h around <enabled/> and Prosody then closes the stream ("Client acknowledged
  // less stanzas than already acknowledged"): carol went offline before alice's 'subscribed' (smInboundCounter.ts).
  countInboundFromEnabled(xmpp as unknown as CountingClient);
  xmpp.on('error', () => undefined);
  const presences: Element[] = [];
  xmpp.on('stanza', (stanza: Element) => { if (stanza.is('presence')) presences.push(stanza); });
  await xmpp.start();
  // Prosody sends subscription news only to resources that fetched the roster ("interested" ones).
  await xmpp.iqCaller.request(xml('iq', { type: 'get' }, xml('query', { xmlns: 'jabber:iq:roster' })), 5000);
  await xmpp.send(xml('presence'));
  return { xmpp, presences };
}

test('a subscription request shows with Approve, and approving answers the requester', async ({ browser, world }) => {
  world.prosody.register('carol', 'carol-pw');
  const alice = await openAs(browser, world, 'alice');
  const carol = await connectStranger(world.prosody.service, 'carol', 'carol-pw');
  try {
    await carol.xmpp.send(xml('presence', { to: 'alice@localhost', type: 'subscribe' }));
    const requests = alice.getByRole('region', { name: 'Subscription requests' });
    await expect(requests).toContainText('carol@localhost wants to see your presence');
    await alice.screenshot({ path: join(SCREENSHOTS, 'alice-request.png') });

    await alice.getByRole('button', { name: 'Approve carol@localhost' }).click();
    await expect(requests).toBeHidden();
    await expect.poll(() => carol.presences.some((p) => p.attrs.type === 'subscribed' && p.attrs.from?.startsWith('alice@localhost')),
      { timeout: 15_000 }).toBe(true);
    const carolRow = alice.getByRole('list', { name: 'Contacts' }).getByRole('listitem').filter({ hasText: 'carol' });
    await expect(carolRow).toBeVisible();
  } finally {
    await carol.xmpp.stop().catch(() => undefined);
  }
});

test('adding a contact puts it in the roster, waiting for approval', async ({ browser, world }) => {
  world.prosody.register('dave', 'dave-pw');
  const alice = await openAs(browser, world, 'alice');
  await alice.getByLabel('Contact address').fill('dave@localhost');
  await alice.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(alice.getByLabel('Contact address')).toHaveValue('');
  const daveRow = alice.getByRole('list', { name: 'Contacts' }).getByRole('listitem').filter({ hasText: 'dave' });
  await expect(daveRow).toContainText('Waiting for approval');
  await alice.screenshot({ path: join(SCREENSHOTS, 'alice-added-contact.png') });
});
