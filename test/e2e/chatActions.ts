/** What the specs do in a chat: open it, drop a file on it, find a file's card. */
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, SCREENSHOTS } from './fixtures';

/** Deterministic, incompressible-looking bytes. */
export function bytesOf(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i += 1) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

/** Opens the chat with the contact whose roster row shows `name`, once they are online. */
export async function openChat(page: Page, name: string): Promise<Locator> {
  const row = page.getByRole('list', { name: 'Contacts' }).getByRole('listitem').filter({ hasText: name });
  await expect(row).toContainText('Online');
  await row.getByRole('button').click();
  return page.getByRole('region', { name: `Chat with ${name}` });
}

/** Drops one file made from `bytes` on the target as a file manager would: dragenter, dragover, drop. */
export async function dropFile(page: Page, target: Locator, file: { name: string; bytes: Buffer; screenshot?: string }): Promise<void> {
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
export function card(chat: Locator, name: string): Locator {
  return chat.getByRole('log', { name: 'Conversation' }).getByRole('listitem').filter({ hasText: name });
}
