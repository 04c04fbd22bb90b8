/**
 * Settings end to end (issue 11): an auto-accept rule set in alice's panel takes bob's image without a
 * prompt; the dark theme chosen in the panel applies at once. Screenshots of the panel, light and dark.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, openAs, SCREENSHOTS, test } from './fixtures';

test.describe.configure({ mode: 'serial' });

async function openChat(page: Page, name: string): Promise<Locator> {
  const row = page.getByRole('list', { name: 'Contacts' }).getByRole('listitem').filter({ hasText: name });
  await expect(row).toContainText('Online');
  await row.getByRole('button').click();
  return page.getByRole('region', { name: `Chat with ${name}` });
}

async function dropFile(page: Page, target: Locator, name: string, size: number): Promise<void> {
  const dataTransfer = await page.evaluateHandle(({ fileName, length }) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(length).map((_, i) => (i * 31) & 255)], fileName, { type: 'image/png' }));
    return transfer;
  }, { fileName: name, length: size });
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await target.dispatchEvent('drop', { dataTransfer });
}

async function lightness(page: Page): Promise<number> {
  const colour = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  const [r, g, b] = (colour.match(/\d+/g) ?? []).slice(0, 3).map(Number);
  return (r! + g! + b!) / 3;
}

test('an auto-accept rule from the panel takes bob\'s image without a prompt; the dark theme applies at once', async ({ browser, world }) => {
  const alice = await openAs(browser, world, 'alice');
  await alice.setViewportSize({ width: 1280, height: 800 });
  await alice.getByRole('button', { name: 'Settings' }).click();
  const panel = alice.getByRole('dialog', { name: 'Settings' });
  await expect(panel).toBeVisible();
  await panel.getByLabel('Light').check();
  await alice.screenshot({ path: join(SCREENSHOTS, 'settings-light.png') });
  await panel.getByLabel('Contact').fill('bob@localhost');
  await panel.getByLabel('File type').fill('image/*');
  await panel.getByLabel('Up to (MB)').fill('5');
  await panel.getByRole('button', { name: 'Add rule' }).click();
  await expect(panel.getByRole('list', { name: 'Auto-accept rules' })).toContainText('image/* from bob@localhost');

  await panel.getByLabel('Dark').check();
  expect(await lightness(alice)).toBeLessThan(60);
  await alice.screenshot({ path: join(SCREENSHOTS, 'settings-dark.png') });
  await panel.getByRole('button', { name: 'Save' }).click();
  await expect(panel.getByRole('status')).toHaveText('Saved');
  await panel.getByRole('button', { name: 'Close' }).click();
  await expect(panel).toBeHidden();
  await expect(alice.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await lightness(alice)).toBeLessThan(60);

  const bob = await openAs(browser, world, 'bob');
  const aliceChat = await openChat(alice, 'Bob');
  const bobChat = await openChat(bob, 'Alice');
  const name = 'rule-sunset.png';
  await dropFile(bob, bobChat, name, 64 * 1024);
  const card = aliceChat.getByRole('log', { name: 'Conversation' }).getByRole('listitem').filter({ hasText: name });
  await expect(card).toHaveAttribute('aria-label', `${name}, Done`, { timeout: 30_000 });
  await expect(alice.getByRole('listitem', { name: `Incoming file: ${name}` })).toHaveCount(0);
  await expect(alice.getByRole('dialog', { name: `Incoming file: ${name}` })).toHaveCount(0);
  expect(await readdir(world.hosts.alice.downloads)).toContain(name);
  await alice.screenshot({ path: join(SCREENSHOTS, 'settings-rule-took-file.png') });

  // Back to the defaults, so the other specs on these hosts see offers as before.
  await alice.getByRole('button', { name: 'Settings' }).click();
  await panel.getByRole('button', { name: /^Remove rule/ }).click();
  await panel.getByLabel('Like the system').check();
  await panel.getByRole('button', { name: 'Save' }).click();
  await expect(panel.getByRole('status')).toHaveText('Saved');
});
