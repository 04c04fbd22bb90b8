/**
 * Issue 11, card actions by state and the Transfers view: a declined file is retried from its card and
 * arrives; the received file is downloaded through the web host's /download; the Transfers view across
 * contacts filters and clears the finished items.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, openAs, SCREENSHOTS, test } from './fixtures';

test.describe.configure({ mode: 'serial' });

const sha256 = (bytes: Buffer | Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function openChat(page: Page, name: string): Promise<Locator> {
  const row = page.getByRole('list', { name: 'Contacts' }).getByRole('listitem').filter({ hasText: name });
  await expect(row).toContainText('Online');
  await row.getByRole('button').click();
  return page.getByRole('region', { name: `Chat with ${name}` });
}

async function dropFile(page: Page, target: Locator, name: string, bytes: Buffer): Promise<void> {
  const dataTransfer = await page.evaluateHandle(({ fileName, base64 }) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], fileName, { type: 'application/octet-stream' }));
    return transfer;
  }, { fileName: name, base64: bytes.toString('base64') });
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await target.dispatchEvent('drop', { dataTransfer });
}

/** The card of `name` in the state given (aria-label "<name>, <State>"). */
function card(chat: Locator, name: string, state: string): Locator {
  return chat.getByRole('log', { name: 'Conversation' }).getByRole('listitem', { name: `${name}, ${state}`, exact: true });
}

test('a declined file is retried from its card, arrives, and bob downloads it through the web host', async ({ browser, world }) => {
  const name = 'retry-me.bin';
  const bytes = Buffer.from(Array.from({ length: 256 * 1024 }, (_, i) => (i * 7919) % 251));
  const alice = await openAs(browser, world, 'alice');
  const bob = await openAs(browser, world, 'bob');
  const aliceChat = await openChat(alice, 'Bob');
  const bobChat = await openChat(bob, 'Alice');

  await dropFile(alice, aliceChat, name, bytes);
  const firstOffer = bobChat.getByRole('listitem', { name: `Incoming file: ${name}` });
  await firstOffer.getByRole('button', { name: 'Decline' }).click();
  const declined = card(aliceChat, name, 'Declined');
  await expect(declined).toBeVisible({ timeout: 20_000 });
  await alice.screenshot({ path: join(SCREENSHOTS, 'retry-declined.png') });

  await declined.getByRole('button', { name: 'Retry' }).click();
  const secondOffer = bobChat.getByRole('listitem', { name: `Incoming file: ${name}` });
  await secondOffer.getByRole('button', { name: 'Accept' }).click();
  await expect(card(aliceChat, name, 'Done')).toBeVisible({ timeout: 30_000 });
  await expect(card(aliceChat, name, 'Declined')).toBeVisible();
  const received = card(bobChat, name, 'Done');
  await expect(received).toBeVisible({ timeout: 30_000 });
  await expect(received.locator('.transfer-check')).toHaveText('verified');
  await received.getByText('Details', { exact: true }).click();
  await alice.screenshot({ path: join(SCREENSHOTS, 'retry-done-alice.png') });
  await bob.screenshot({ path: join(SCREENSHOTS, 'retry-done-bob.png') });

  const [download] = await Promise.all([bob.waitForEvent('download'), received.getByRole('link', { name: 'Download' }).click()]);
  expect(download.suggestedFilename()).toBe(name);
  expect(sha256(await readFile(await download.path()))).toBe(sha256(bytes));
});

test('the Transfers view lists transfers across contacts, filters them, and clears the finished ones', async ({ browser, world }) => {
  const alice = await openAs(browser, world, 'alice');
  await alice.getByRole('button', { name: /^Transfers/ }).click();
  const view = alice.getByRole('dialog', { name: 'Transfers' });
  const list = view.getByRole('list', { name: 'All transfers' });
  await expect(list.getByRole('listitem', { name: /^retry-me\.bin, to Bob, declined$/ })).toBeVisible();
  await expect(list.getByRole('listitem', { name: /^retry-me\.bin, to Bob, done$/ })).toBeVisible();
  await view.getByLabel('State').selectOption('failed');
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await alice.screenshot({ path: join(SCREENSHOTS, 'transfers-view-failed-filter.png') });
  await view.getByLabel('State').selectOption('all');
  await alice.screenshot({ path: join(SCREENSHOTS, 'transfers-view-before-clear.png') });
  const ended = await list.getByRole('listitem').count();
  expect(ended).toBeGreaterThanOrEqual(2);
  await view.getByRole('button', { name: `Clear finished (${ended})` }).click();
  await expect(view.getByText('No transfers here.')).toBeVisible();
  await expect(view.getByRole('status')).toHaveText('Nothing is moving.');
  await alice.screenshot({ path: join(SCREENSHOTS, 'transfers-view-cleared.png') });
  await view.getByRole('button', { name: 'Close' }).click();
  await expect(view).toBeHidden();
  const chat = await openChat(alice, 'Bob');
  await expect(chat.getByRole('listitem', { name: /^retry-me\.bin, / })).toHaveCount(0);
});
