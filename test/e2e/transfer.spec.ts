/**
 * File transfer end to end (issue 3): a file dropped on a chat in one browser arrives, verified, in the
 * other user's download folder. Both Ferry peers advertise Jingle file transfer, so `auto` picks Jingle.
 * The other two force the IBB fallback (STYLE.md): dave's host has no SOCKS5 candidate, erin's only a proxy
 * on a closed port, carol's none; with no candidate that works on either side the Jingle session replaces
 * its transport with IBB, and the cards say so.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bytesOf, card, dropFile, openChat } from './chatActions';
import { DEAD_PROXY_JID, expect, openAs, SCREENSHOTS, test } from './fixtures';

test.describe.configure({ mode: 'serial' });

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The sha-256 of the one file in `dir` whose name is `name`. */
async function savedHash(dir: string, name: string): Promise<string> {
  expect(await readdir(dir)).toContain(name);
  return sha256(await readFile(join(dir, name)));
}

test('alice drops a file on bob\'s chat, bob accepts, both see it done and the bytes arrive intact', async ({ browser, world }) => {
  const name = 'holiday-photos.bin';
  const bytes = bytesOf(1536 * 1024, 7);
  const alice = await openAs(browser, world, 'alice');
  const bob = await openAs(browser, world, 'bob');
  const bobChat = await openChat(bob, 'Alice');
  const aliceChat = await openChat(alice, 'Bob');

  await dropFile(alice, aliceChat, { name, bytes, screenshot: 'transfer-drop.png' });
  await expect(card(aliceChat, name)).toBeVisible();

  const offer = bobChat.getByRole('listitem', { name: `Incoming file: ${name}` });
  await expect(offer).toContainText(/Alice \(alice@localhost\/.*\) wants to send you a file/);
  await expect(offer).toContainText('1.5 MB');
  await expect(offer).toContainText('application/octet-stream');
  await expect(offer.getByRole('button', { name: /Save to/ })).toHaveCount(0);
  await bob.screenshot({ path: join(SCREENSHOTS, 'transfer-offer.png') });
  await offer.getByRole('button', { name: 'Accept' }).click();
  await expect(offer).toBeHidden();

  for (const chat of [aliceChat, bobChat]) {
    const done = card(chat, name);
    await expect(done).toHaveAttribute('aria-label', `${name}, Done`, { timeout: 30_000 });
    await expect(done.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
    await expect(done).toContainText(/Jingle · SOCKS5 (direct|proxy)/);
    await expect(done.locator('.transfer-hash')).toHaveAttribute('title', `sha-256 ${sha256(bytes)}`);
  }
  await expect(card(bobChat, name)).toContainText(`Saved to ${join(world.hosts.bob.downloads, name)}`);
  await expect(card(bobChat, name).getByRole('button', { name: 'Open' })).toHaveCount(0);
  await alice.screenshot({ path: join(SCREENSHOTS, 'transfer-done-alice.png') });
  await bob.screenshot({ path: join(SCREENSHOTS, 'transfer-done-bob.png') });

  expect(await savedHash(world.hosts.bob.downloads, name)).toBe(sha256(bytes));
});

test('with S5B impossible, the transfer falls back to in-band and the attempt log names the dead candidate', async ({ browser, world, fallbackHost, noS5bHosts }) => {
  const name = 'fallback-notes.bin';
  const bytes = bytesOf(96 * 1024, 11);
  const erin = await openAs(browser, world, 'erin', fallbackHost);
  const dave = await openAs(browser, world, 'dave', noS5bHosts.dave);
  const daveChat = await openChat(dave, 'erin');
  const erinChat = await openChat(erin, 'Dave');

  await dropFile(erin, erinChat, { name, bytes });
  const offer = daveChat.getByRole('listitem', { name: `Incoming file: ${name}` });
  await offer.getByRole('button', { name: 'Accept' }).click();

  const received = card(daveChat, name);
  await expect(card(erinChat, name)).toHaveAttribute('aria-label', `${name}, Done`, { timeout: 30_000 });
  await expect(received).toHaveAttribute('aria-label', `${name}, Done`, { timeout: 30_000 });
  await expect(card(erinChat, name)).toContainText('Jingle · in-band');
  await expect(received).toContainText('Jingle · in-band');

  // dave tried erin's only candidate, the proxy on a closed port (XEP-0260 §2.4), and logged why it failed.
  // The attempt log is a technical detail: behind the card's Details toggle.
  await received.getByText('Details', { exact: true }).click();
  await received.getByText(/^Attempt log/).click();
  const log = received.getByRole('table');
  await expect(log).toBeVisible();
  await expect(log.getByRole('row').filter({ hasText: DEAD_PROXY_JID }).filter({ hasText: 'failed' })).toHaveCount(1);
  await dave.screenshot({ path: join(SCREENSHOTS, 'transfer-fallback-log.png') });

  expect(await savedHash(noS5bHosts.dave.downloads, name)).toBe(sha256(bytes));
});

test('a Jingle transfer with no SOCKS5 candidate on either side falls back to in-band, and both cards say so and "verified"', async ({ browser, world, noS5bHosts }) => {
  const name = 'jingle-fallback.bin';
  const bytes = bytesOf(200 * 1024, 13);
  const carol = await openAs(browser, world, 'carol', noS5bHosts.carol);
  const dave = await openAs(browser, world, 'dave', noS5bHosts.dave);
  const daveChat = await openChat(dave, 'Carol');
  const carolChat = await openChat(carol, 'Dave');

  await dropFile(carol, carolChat, { name, bytes });
  const offer = daveChat.getByRole('listitem', { name: `Incoming file: ${name}` });
  await offer.getByRole('button', { name: 'Accept' }).click();

  for (const chat of [carolChat, daveChat]) {
    const ended = card(chat, name);
    await expect(ended).toHaveAttribute('aria-label', `${name}, Done`, { timeout: 30_000 });
    await expect(ended.locator('.transfer-route')).toHaveText('Jingle · in-band');
    await expect(ended.locator('.transfer-fallback')).toHaveText('SOCKS5 failed → in-band');
    await expect(ended.locator('.transfer-check')).toHaveText('verified');
    await expect(ended).not.toContainText('resumed');
  }
  await carol.screenshot({ path: join(SCREENSHOTS, 'transfer-jingle-fallback-carol.png') });
  await dave.screenshot({ path: join(SCREENSHOTS, 'transfer-jingle-fallback-dave.png') });

  expect(await savedHash(noS5bHosts.dave.downloads, name)).toBe(sha256(bytes));
});
