/**
 * Transfers in the conversation timeline (issue 11): alice drops three files on bob's chat at once; bob
 * gets one grouped offer card in the timeline and takes all three with "Accept all"; both sides end with
 * three done, verified cards between the messages sent before and after. A thumbnail that finishes loading in
 * the last card scrolls the timeline to its end again while the user was at the bottom.
 */
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import sharp from 'sharp';
import { dropFile } from './chatActions';
import { expect, openAs, SCREENSHOTS, test } from './fixtures';

test.describe.configure({ mode: 'serial' });

async function openChat(page: Page, name: string): Promise<Locator> {
  const row = page.getByRole('list', { name: 'Contacts' }).getByRole('listitem').filter({ hasText: name });
  await expect(row).toContainText('Online');
  await row.getByRole('button').click();
  return page.getByRole('region', { name: `Chat with ${name}` });
}

/** Drops several files at once on the target, as a file manager would. */
async function dropFiles(target: Locator, page: Page, files: { name: string; size: number }[]): Promise<void> {
  const dataTransfer = await page.evaluateHandle((list) => {
    const transfer = new DataTransfer();
    list.forEach(({ name, size }, i) => transfer.items.add(new File([new Uint8Array(size).fill(i + 1)], name, { type: 'application/octet-stream' })));
    return transfer;
  }, files);
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await target.dispatchEvent('drop', { dataTransfer });
}

async function say(page: Page, peerName: string, text: string): Promise<void> {
  const box = page.getByLabel(`Message to ${peerName}`);
  await box.fill(text);
  await box.press('Enter');
  await expect(box).toHaveValue('');
}

/** The timeline's rows, top to bottom: a message's text or a card's accessible name. */
function rows(chat: Locator): Promise<string[]> {
  return chat.getByRole('log', { name: 'Conversation' }).evaluate((log) => [...log.children].map((li) => (li.classList.contains('message')
    ? li.querySelector('p')?.textContent ?? '' : li.getAttribute('aria-label') ?? '')));
}

test('three files dropped at once are one offer card; Accept all takes them, and the cards sit between the messages before and after', async ({ browser, world }) => {
  const alice = await openAs(browser, world, 'alice');
  const bob = await openAs(browser, world, 'bob');
  await alice.setViewportSize({ width: 1280, height: 800 });
  await bob.setViewportSize({ width: 1280, height: 800 });
  const aliceChat = await openChat(alice, 'Bob');
  const bobChat = await openChat(bob, 'Alice');
  const stamp = Date.now();
  const before = `Three files coming ${stamp}`;
  const after = `Sent all three ${stamp}`;
  const names = ['alpha', 'beta', 'gamma'].map((n) => `${n}-${stamp}.bin`);

  await say(alice, 'Bob', before);
  await expect(bobChat.getByRole('log', { name: 'Conversation' })).toContainText(before);
  await dropFiles(aliceChat, alice, names.map((name, i) => ({ name, size: (i + 1) * 64 * 1024 })));

  const batch = bobChat.getByRole('listitem', { name: '3 incoming files' });
  await expect(batch).toBeVisible();
  await expect(batch).toContainText('Alice');
  await expect(batch).toContainText('wants to send you 3 files');
  await expect(batch).toBeFocused();
  await expect(bob.getByRole('dialog')).toHaveCount(0);
  await bob.screenshot({ path: join(SCREENSHOTS, 'timeline-batch-offer.png') });
  await batch.getByRole('button', { name: 'Accept all' }).click();
  await expect(batch).toBeHidden();

  for (const chat of [aliceChat, bobChat]) {
    for (const name of names) {
      const card = chat.getByRole('listitem', { name: `${name}, Done` });
      await expect(card).toBeVisible({ timeout: 30_000 });
      await expect(card.locator('.transfer-check')).toHaveText('verified');
    }
  }
  await say(alice, 'Bob', after);
  await expect(bobChat.getByRole('log', { name: 'Conversation' })).toContainText(after);
  for (const chat of [aliceChat, bobChat]) {
    const list = await rows(chat);
    const at = (text: string) => list.findIndex((row) => row.includes(text));
    const cards = names.map((name) => at(`${name}, Done`));
    expect(cards.every((i) => i > at(before) && i < at(after))).toBe(true);
  }
  await alice.screenshot({ path: join(SCREENSHOTS, 'timeline-done-alice.png') });
  await bob.screenshot({ path: join(SCREENSHOTS, 'timeline-done-bob.png') });
});

test('an offer while the chat is closed is a toast; Open chat opens the chat at that card, focused and marked (issue 11 "a click opens the chat at that card")', async ({ browser, world }) => {
  const alice = await openAs(browser, world, 'alice');
  const bob = await openAs(browser, world, 'bob');
  const aliceChat = await openChat(alice, 'Bob');
  const name = `toast-${Date.now()}.bin`;
  await dropFiles(aliceChat, alice, [{ name, size: 32 * 1024 }]);

  const toast = bob.getByRole('status').filter({ hasText: 'wants to send you' });
  await expect(toast).toContainText(name);
  await toast.getByRole('button', { name: 'Open chat' }).click();
  const bobChat = bob.getByRole('region', { name: 'Chat with Alice' });
  const card = bobChat.getByRole('listitem', { name: `Incoming file: ${name}` });
  await expect(card).toBeInViewport();
  await expect(card).toBeFocused();
  await expect(card).toHaveClass(/is-revealed/);
  await bob.screenshot({ path: join(SCREENSHOTS, 'timeline-toast-reveal.png') });
  await bob.keyboard.press('Enter');
  await expect(bobChat.getByRole('listitem', { name: `${name}, Done` })).toBeVisible({ timeout: 30_000 });
});

test('a thumbnail that finishes loading in the last card keeps the timeline at its end while the user was at the bottom (issue 11)', async ({ browser, world }) => {
  const alice = await openAs(browser, world, 'alice');
  const bob = await openAs(browser, world, 'bob');
  await bob.setViewportSize({ width: 1100, height: 560 });
  const aliceChat = await openChat(alice, 'Bob');
  const bobChat = await openChat(bob, 'Alice');
  const stamp = Date.now();
  const log = bobChat.getByRole('log', { name: 'Conversation' });
  for (let n = 0; n < 8; n += 1) await say(alice, 'Bob', `Filling the conversation ${n} ${stamp}`);
  await expect(log).toContainText(`Filling the conversation 7 ${stamp}`);
  /** Pixels of content below the visible part of bob's timeline. */
  const belowView = () => log.evaluate((list) => list.scrollHeight - list.scrollTop - list.clientHeight);
  await expect.poll(belowView).toBeLessThanOrEqual(2);
  expect(await log.evaluate((list) => list.scrollHeight > list.clientHeight), 'the timeline scrolls').toBe(true);

  // A tall image: the offer's XEP-0264 thumbnail is up to 128 px high, and only decoded after the card rendered.
  const name = `tall-${stamp}.png`;
  const png = await sharp({ create: { width: 300, height: 900, channels: 3, background: { r: 40, g: 120, b: 200 } } }).png().toBuffer();
  await dropFile(alice, aliceChat, { name, bytes: png });
  const offer = bobChat.getByRole('listitem', { name: `Incoming file: ${name}` });
  const preview = offer.getByRole('img', { name: `Preview of ${name}` });
  await expect(preview).toBeVisible();
  await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalHeight > 0)).toBe(true);
  await expect.poll(belowView).toBeLessThanOrEqual(2);
  await expect(offer.getByRole('button', { name: 'Accept' })).toBeInViewport();
  await bob.screenshot({ path: join(SCREENSHOTS, 'timeline-thumbnail-bottom.png') });
  await offer.getByRole('button', { name: 'Decline' }).click();
});
