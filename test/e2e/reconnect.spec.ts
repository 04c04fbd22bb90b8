import { join } from 'node:path';
import { expect, openAs, SCREENSHOTS, test } from './fixtures';

test('the header counts down while the server is away, then shows online again', async ({ browser, world }) => {
  const alice = await openAs(browser, world, 'alice');
  await openAs(browser, world, 'bob');
  const status = alice.getByRole('status', { name: 'Connection' });

  await world.prosody.pause();
  try {
    await expect(status).toHaveText(/Reconnecting in \d+ s/);
    await expect(alice.getByRole('banner')).toContainText('alice@localhost');
    await alice.screenshot({ path: join(SCREENSHOTS, 'alice-reconnecting.png') });
  } finally {
    await world.prosody.resume();
  }
  await expect(status).toHaveText(/^Online/, { timeout: 45_000 });
  const bobRow = alice.getByRole('list', { name: 'Contacts' }).getByRole('listitem').filter({ hasText: 'Bob' });
  await expect(bobRow).toContainText('Online', { timeout: 45_000 });
});
