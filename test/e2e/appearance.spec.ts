import { join } from 'node:path';
import { openChat } from './chatActions';
import { expect, openAs, SCREENSHOTS, test } from './fixtures';

/** The page's background colour as the browser computed it, as [r, g, b]. */
async function backgroundOf(page: import('@playwright/test').Page): Promise<number[]> {
  const colour = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  return (colour.match(/\d+/g) ?? []).slice(0, 3).map(Number);
}

test('the web host serves its icon, and the page follows the OS light or dark setting', async ({ browser, world }) => {
  for (const colorScheme of ['light', 'dark'] as const) {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    const icon = page.waitForResponse((r) => r.url().includes('favicon'));
    await page.goto(world.hosts.alice.url);
    expect((await icon).status()).toBe(200);
    await expect(page.getByRole('button', { name: 'Log in' })).toBeVisible();
    const [r, g, b] = await backgroundOf(page);
    const lightness = (r! + g! + b!) / 3;
    if (colorScheme === 'dark') expect(lightness).toBeLessThan(60);
    else expect(lightness).toBeGreaterThan(200);
    await context.close();
  }
});

test('the theme setting overrides the OS setting both ways, from the one palette', async ({ browser, world }) => {
  for (const [colorScheme, theme] of [['light', 'dark'], ['dark', 'light']] as const) {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    await page.goto(world.hosts.alice.url);
    await expect(page.getByRole('button', { name: 'Log in' })).toBeVisible();
    await page.evaluate((t) => { document.documentElement.dataset.theme = t; }, theme);
    const [r, g, b] = await backgroundOf(page);
    const lightness = (r! + g! + b!) / 3;
    if (theme === 'dark') expect(lightness).toBeLessThan(60);
    else expect(lightness).toBeGreaterThan(200);
    await context.close();
  }
});

test('at 900×600 the open chat keeps most of the height for the conversation, with nothing cut off sideways', async ({ browser, world }) => {
  const bob = await openAs(browser, world, 'bob');
  const alice = await openAs(browser, world, 'alice');
  await alice.setViewportSize({ width: 900, height: 600 });
  const chat = await openChat(alice, 'Bob');
  const box = chat.getByLabel('Message to Bob');
  for (const n of [1, 2, 3]) {
    await box.fill(`line ${n} at 900 by 600`);
    await box.press('Enter');
  }
  const conversation = chat.getByRole('log', { name: 'Conversation' });
  await expect(conversation).toContainText('line 3 at 900 by 600');
  const height = (await conversation.boundingBox())?.height ?? 0;
  expect(height, 'conversation height at 900×600').toBeGreaterThan(300);
  expect(await alice.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(900);
  await expect(box).toBeInViewport();
  await expect(chat.getByRole('button', { name: /Send file/ })).toBeInViewport();
  await alice.screenshot({ path: join(SCREENSHOTS, 'layout-900x600.png') });
  await bob.context().close();
  await alice.context().close();
});
