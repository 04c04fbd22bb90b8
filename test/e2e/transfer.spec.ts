/**
 * File transfer end to end (issue 3): a file dropped on a chat in one browser arrives, verified, in the
 * other user's download folder. The second test gives erin only dead SOCKS5 candidates (no direct streamhost,
 * a proxy on a closed port): Jingle still connects through bob's candidate, and bob's log names the dead ones.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { DEAD_PROXY_JID, expect, openAs, SCREENSHOTS, test } from './fixtures';

test.describe.configure({ mode: 'serial' });

/** Deterministic, incompressible-looking bytes. */
function bytesOf(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i += 1) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Opens the chat with the contact whose roster row shows `name`, once they are online. */
async function openChat(page: Page, name: string): Promise<Locator> {
  const row = page.getByRole('list', { name: 'Contacts' }).getByRole('listitem').filter({ hasText: name });
  await expect(row).toContainText('Online');
  await row.getByRole('button').click();
  return page.getByRole('region', { name: `Chat with ${name}` });
}

/** Drops one file made from `bytes` on the target as a file manager would: dragenter, dragover, drop. */
async function dropFile(page: Page, target: Locator, file: { name: string; bytes: Buffer; screenshot?: string }): Promise<void> {
  const { name, bytes } = file;
  const dataTransfer = await page.evaluateHandle(({ fileName, base64 }) => {
    const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([data], fileName, { type: 'application/octet-stream' }));
    return transfer;
  }, { fileName: name, base64: bytes.toString('base64') });
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await expect(target).toHaveClass(/drop-target--active/);
  if (file.screenshot) await page.screenshot({ path: join(SCREENSHOTS, file.screenshot) });
  await target.dispatchEvent('drop', { dataTransfer });
  await expect(target).not.toHaveClass(/drop-target--active/);
}

/** The card of one file in a chat. */
function card(chat: Locator, name: string): Locator {
  return chat.getByRole('list', { name: 'Transfers' }).getByRole('listitem').filter({ hasText: name });
}

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

  const offer = bob.getByRole('dialog', { name: `Incoming file: ${name}` });
  await expect(offer).toContainText('From Alice');
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
    // Two Ferries both advertise Jingle file transfer: the method table picks it over SI.
    await expect(done).toContainText(/Jingle · SOCKS5 (direct|proxy)/);
    await expect(done.locator('.transfer-hash')).toHaveAttribute('title', `sha-256 ${sha256(bytes)}`);
  }
  await expect(card(bobChat, name)).toContainText(`Saved to ${join(world.hosts.bob.downloads, name)}`);
  await expect(card(bobChat, name).getByRole('button', { name: 'Open' })).toHaveCount(0);
  await alice.screenshot({ path: join(SCREENSHOTS, 'transfer-done-alice.png') });
  await bob.screenshot({ path: join(SCREENSHOTS, 'transfer-done-bob.png') });

  expect(await savedHash(world.hosts.bob.downloads, name)).toBe(sha256(bytes));
});

test('with erin\'s SOCKS5 candidates dead, Jingle connects through bob\'s (XEP-0260 §2.4) and bob\'s attempt log names the dead ones', async ({ browser, world, fallbackHost }) => {
  const name = 'fallback-notes.bin';
  const bytes = bytesOf(96 * 1024, 11);
  const erin = await openAs(browser, world, 'erin', fallbackHost);
  const bob = await openAs(browser, world, 'bob');
  const bobChat = await openChat(bob, 'erin');
  const erinChat = await openChat(erin, 'Bob');

  await dropFile(erin, erinChat, { name, bytes });
  const offer = bob.getByRole('dialog', { name: `Incoming file: ${name}` });
  await offer.getByRole('button', { name: 'Accept' }).click();

  const sent = card(erinChat, name);
  const received = card(bobChat, name);
  await expect(sent).toHaveAttribute('aria-label', `${name}, Done`, { timeout: 30_000 });
  await expect(received).toHaveAttribute('aria-label', `${name}, Done`, { timeout: 30_000 });
  await expect(sent).toContainText('Jingle · SOCKS5 direct');
  await expect(received).toContainText('Jingle · SOCKS5 direct');

  await received.getByText(/^Attempt log/).click();
  const log = received.getByRole('table');
  await expect(log).toBeVisible();
  await expect(log).toContainText(DEAD_PROXY_JID);
  await expect(log.getByRole('row').filter({ hasText: 'failed' }).first()).toBeVisible();
  await bob.screenshot({ path: join(SCREENSHOTS, 'transfer-fallback-log.png') });

  expect(await savedHash(world.hosts.bob.downloads, name)).toBe(sha256(bytes));
});
