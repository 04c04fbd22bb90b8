import { join } from 'node:path';
import { expect, openAs, SCREENSHOTS, test } from './fixtures';

test.describe.configure({ mode: 'serial' });

// Issue #10: XEP-0085 typing and XEP-0184 "Delivered" in the real renderer, two web hosts, one Prosody.
test('bob sees "Alice is typing…" while she types, then her message; alice sees it Delivered', async ({ browser, world }) => {
  const alice = await openAs(browser, world, 'alice');
  const bob = await openAs(browser, world, 'bob');
  await alice.getByRole('list', { name: 'Contacts' }).getByRole('listitem').filter({ hasText: 'Bob' }).getByRole('button').click();
  await bob.getByRole('list', { name: 'Contacts' }).getByRole('listitem').filter({ hasText: 'Alice' }).getByRole('button').click();

  const aliceBox = alice.getByLabel('Message to Bob');
  await aliceBox.pressSequentially('Typing a receipt test', { delay: 20 });
  const typing = bob.getByRole('status').filter({ hasText: 'is typing' });
  await expect(typing).toHaveText('Alice is typing…');
  await bob.screenshot({ path: join(SCREENSHOTS, 'bob-sees-typing.png') });

  await aliceBox.press('Enter');
  const sent = alice.getByRole('log', { name: 'Conversation' }).getByRole('listitem').filter({ hasText: 'Typing a receipt test' });
  await expect(sent).toContainText('Delivered');
  await expect(bob.getByRole('log', { name: 'Conversation' })).toContainText('Typing a receipt test');
  await expect(bob.getByText('Alice is typing…')).toHaveCount(0);
  await alice.screenshot({ path: join(SCREENSHOTS, 'alice-delivered.png') });
});
