/**
 * Settings end to end (issue 11): an auto-accept rule set in alice's panel takes bob's image without a
 * prompt; the dark theme chosen in the panel applies at once. Screenshots of the panel, light and dark.
 */
import { spawn } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { CLI, expect, openAs, SCREENSHOTS, test, USERS } from './fixtures';

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
  await panel.getByLabel('Contact', { exact: true }).fill('bob@localhost');
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

test('a rule for everyone takes bob\'s image without a prompt and still asks for a stranger\'s (carol), saying she is not a contact', async ({ browser, world }) => {
  const alice = await openAs(browser, world, 'alice');
  await alice.getByRole('button', { name: 'Settings' }).click();
  const panel = alice.getByRole('dialog', { name: 'Settings' });
  await panel.getByLabel('Contact', { exact: true }).fill('*');
  await panel.getByLabel('File type').fill('image/*');
  await panel.getByLabel('Up to (MB)').fill('5');
  await panel.getByRole('button', { name: 'Add rule' }).click();
  await panel.getByRole('button', { name: 'Save' }).click();
  await expect(panel.getByRole('status')).toHaveText('Saved');
  await panel.getByRole('button', { name: 'Close' }).click();

  const bob = await openAs(browser, world, 'bob');
  const aliceChat = await openChat(alice, 'Bob');
  await dropFile(bob, await openChat(bob, 'Alice'), 'everyone-rule.png', 32 * 1024);
  const taken = aliceChat.getByRole('log', { name: 'Conversation' }).getByRole('listitem').filter({ hasText: 'everyone-rule.png' });
  await expect(taken).toHaveAttribute('aria-label', 'everyone-rule.png, Done', { timeout: 30_000 });

  // carol is in nobody's roster here: her offer to alice's full JID must ask, whatever the rules say.
  const fullJid = await alice.locator('.own-jid').getAttribute('title');
  expect(fullJid).toMatch(/^alice@localhost\//);
  const photo = join(world.work, 'stranger.png');
  await writeFile(photo, Buffer.alloc(16 * 1024, 7));
  const carol = spawn(process.execPath, [CLI, 'send', '--jid', 'carol@localhost', '--password', USERS.carol,
    '--service', world.prosody.service, '--allow-plaintext', '--resource', 'cli', '--json', '--timeout', '30',
    '--method', 'si', '--to', fullJid!, photo], { stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => carol.once('close', resolve));
  try {
    const dialog = alice.getByRole('dialog', { name: 'Incoming file: stranger.png' });
    await expect(dialog).toBeVisible({ timeout: 20_000 });
    await expect(dialog).toContainText(/not in your contacts/i);
    await alice.screenshot({ path: join(SCREENSHOTS, 'settings-stranger-asks.png') });
    expect(await readdir(world.hosts.alice.downloads)).not.toContain('stranger.png');
    await dialog.getByRole('button', { name: /^Decline/ }).click();
    await expect(dialog).toBeHidden();
    expect(await exited).not.toBe(0);
  } finally {
    if (carol.exitCode === null) carol.kill('SIGTERM');
  }

  await alice.getByRole('button', { name: 'Settings' }).click();
  await panel.getByRole('button', { name: /^Remove rule/ }).click();
  await panel.getByRole('button', { name: 'Save' }).click();
  await expect(panel.getByRole('status')).toHaveText('Saved');
});
