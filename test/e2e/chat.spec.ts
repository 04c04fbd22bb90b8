import { join } from 'node:path';
import { expect, logIn, openAs, SCREENSHOTS, test, USERS } from './fixtures';

test.describe.configure({ mode: 'serial' });

test('a wrong password is refused with a clear error', async ({ page, world }) => {
  await page.goto(world.hosts.alice.url);
  const logOut = page.getByRole('button', { name: 'Log out' });
  await expect(page.getByRole('form', { name: 'Log in' }).or(logOut)).toBeVisible();
  if (await logOut.isVisible()) await logOut.click();
  await logIn(page, world, 'alice', 'not-the-password');
  await expect(page.getByRole('alert')).toHaveText(/password/i);
  await expect(page.getByRole('form', { name: 'Log in' })).toBeVisible();
  await page.screenshot({ path: join(SCREENSHOTS, 'login-error.png') });
});

test('alice and bob log in, see each other online, and chat both ways', async ({ browser, world }) => {
  const alice = await openAs(browser, world, 'alice');
  const bob = await openAs(browser, world, 'bob');

  const bobRow = alice.getByRole('list', { name: 'Contacts' }).getByRole('listitem').filter({ hasText: 'Bob' });
  await expect(bobRow).toContainText('Online');
  await alice.screenshot({ path: join(SCREENSHOTS, 'alice-roster.png') });

  await bobRow.getByRole('button').click();
  const aliceBox = alice.getByLabel('Message to Bob');
  await aliceBox.fill('Hello Bob, ready for the file?');
  await aliceBox.press('Enter');
  await expect(aliceBox).toHaveValue('');
  await expect(alice.getByRole('log', { name: 'Messages' })).toContainText('Hello Bob, ready for the file?');

  const aliceRow = bob.getByRole('list', { name: 'Contacts' }).getByRole('listitem').filter({ hasText: 'Alice' });
  await expect(aliceRow).toContainText('Online');
  await expect(aliceRow.getByLabel('1 unread')).toBeVisible();
  await expect(bob).toHaveTitle('Ferry (1 unread)');
  await aliceRow.getByRole('button').click();
  await expect(bob).toHaveTitle('Ferry');
  await expect(bob.getByRole('log', { name: 'Messages' })).toContainText('Hello Bob, ready for the file?');

  const bobBox = bob.getByLabel('Message to Alice');
  await bobBox.fill('Yes, send it over!');
  await bobBox.press('Enter');
  await expect(bob.getByRole('log', { name: 'Messages' })).toContainText('Yes, send it over!');
  await bob.screenshot({ path: join(SCREENSHOTS, 'bob-chat.png') });

  await expect(alice.getByRole('log', { name: 'Messages' })).toContainText('Yes, send it over!');
  await alice.screenshot({ path: join(SCREENSHOTS, 'alice-chat.png') });
});

test('the web host remembers the address (never the password) when asked, and fills the form with it', async ({ page, world }) => {
  await page.goto(world.hosts.alice.url);
  const form = page.getByRole('form', { name: 'Log in' });
  const logOut = page.getByRole('button', { name: 'Log out' });
  await expect(form.or(logOut)).toBeVisible();
  if (await logOut.isVisible()) await logOut.click();
  await form.getByLabel('Address (JID)').fill('alice@localhost');
  await form.getByLabel('Password').fill(USERS.alice);
  await form.getByText('Advanced').click();
  await form.getByLabel('Service URL').fill(world.prosody.service);
  await form.getByLabel('Allow plaintext on loopback').check();
  await form.getByLabel(/Remember my address/).check();
  await form.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText(/^Online/);
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.reload();
  await expect(form.getByLabel('Address (JID)')).toHaveValue('alice@localhost');
  await expect(form.getByLabel('Password')).toHaveValue('');
  await expect(form.getByLabel('Service URL')).toHaveValue(world.prosody.service);
  await expect(form.getByLabel(/Remember my address/)).toBeChecked();
  await page.screenshot({ path: join(SCREENSHOTS, 'login-remembered-address.png') });
  await form.getByLabel('Password').fill(USERS.alice);
  await form.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText(/^Online/);
});
