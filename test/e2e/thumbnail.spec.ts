/**
 * Thumbnails end to end (issue: "a Kontalk image send shows the thumbnail in bob's offer before download,
 * and the image after it"). alice sends a real JPEG with `ferry send --method kontalk` (seed 002: upload
 * to the server's Kontalk service, then a body-less message with the jabber:x:oob link and the thumbnail
 * as IBB <data/>); bob, logged in in the web UI, sees the preview Ferry re-encoded in the offer while
 * nothing is fetched, accepts, and his Done card still shows the image.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import sharp from 'sharp';
import { CLI, expect, openAs, ROOT, SCREENSHOTS, test, USERS, type World } from './fixtures';

const CLI_TIMEOUT_S = 30;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A photo-like 1600×1000 JPEG (sky gradient, sun, hills) rendered from SVG by sharp. */
async function sunsetJpeg(path: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1000">
    <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#1d3b78"/><stop offset="1" stop-color="#f08a3c"/></linearGradient></defs>
    <rect width="1600" height="1000" fill="url(#sky)"/>
    <circle cx="1100" cy="620" r="170" fill="#ffd45c"/>
    <path d="M0 1000 L420 520 L760 820 L1080 480 L1600 1000 Z" fill="#243024"/>
  </svg>`;
  await sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toFile(path);
  return await readFile(path);
}

interface CliRun { code: number | null; lines: Record<string, unknown>[]; stderr: string }

/** `node bin/ferry.cjs send … --json FILE` as alice, as a process; resolves when it exits. */
function sendAsAlice(world: World, args: string[]): Promise<CliRun> {
  const child = spawn(process.execPath, [CLI, 'send', '--jid', 'alice@localhost', '--password', USERS.alice,
    '--service', world.prosody.service, '--allow-plaintext', '--resource', 'cli', '--json',
    '--timeout', String(CLI_TIMEOUT_S), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4000); });
  return new Promise((done) => child.once('close', (code) => {
    const lines = out.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
    done({ code, lines, stderr });
  }));
}

/** The preview image inside `scope`, once it is visible and decoded (naturalWidth > 0). */
async function expectDecodedPreview(scope: Locator, name: string): Promise<void> {
  const image = scope.getByRole('img', { name: `Preview of ${name}` });
  await expect(image).toBeVisible();
  await expect(image).toHaveAttribute('src', /^data:image\/png;base64,/);
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
}

/** Opens the chat with the contact whose roster row shows `name`. */
async function openChat(page: Page, name: string): Promise<Locator> {
  await page.getByRole('list', { name: 'Contacts' }).getByRole('listitem').filter({ hasText: name }).getByRole('button').click();
  return page.getByRole('region', { name: `Chat with ${name}` });
}

test('a Kontalk image send shows the thumbnail in bob\'s offer before download, and the image after it', async ({ browser, world, kontalk }) => {
  const bob = await openAs(browser, world, 'bob');
  const bobChat = await openChat(bob, 'Alice');
  const source = join(world.work, 'sunset.jpg');
  const bytes = await sunsetJpeg(source);
  // Other specs in this worker may have saved files for bob already: what counts is what this send adds.
  const downloads = world.hosts.bob.downloads;
  const listDownloads = async () => (existsSync(downloads) ? await readdir(downloads) : []);
  const before = await listDownloads();
  const uploadsBefore = kontalk.uploads.length;

  const sent = await sendAsAlice(world, ['--method', 'kontalk', '--to', 'bob@localhost', source]);
  expect(sent.code, `${JSON.stringify(sent.lines)}\n${sent.stderr}`).toBe(0);
  expect(sent.lines.at(-1)).toMatchObject({ event: 'done', method: 'kontalk', transport: 'http' });
  expect(kontalk.uploads).toHaveLength(uploadsBefore + 1);
  const upload = kontalk.uploads.at(-1)!;
  expect(upload).toMatchObject({ node: 'kontalkbox', mediaType: 'image/jpeg', sha256: sha256(bytes) });
  const { url } = upload;
  expect(sent.lines.at(-1)!.url).toBe(url);
  // The offer is named after the link's last path segment (the component's upload id), with the extension
  // of the link's media type (image/jpeg) since that id has none.
  const name = `${new URL(url).pathname.split('/').pop()!}.jpg`;

  const offer = bobChat.getByRole('listitem', { name: `Incoming file: ${name}` });
  await expect(offer).toContainText(/Alice \(alice@localhost\/.*\) wants to send you a file/);
  await expect(offer).toContainText(`as a link on 127.0.0.1:${kontalk.httpPort}`);
  await expectDecodedPreview(offer, name);
  // Nothing was fetched before the accept: bob's download folder gained no file, not even a .part.
  expect(await listDownloads()).toEqual(before);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await bob.screenshot({ path: join(SCREENSHOTS, 'thumbnail-kontalk-offer.png') });

  await offer.getByRole('button', { name: 'Accept' }).click();
  await expect(offer).toBeHidden();
  const done = bobChat.getByRole('log', { name: 'Conversation' }).getByRole('listitem').filter({ hasText: name });
  await expect(done).toHaveAttribute('aria-label', `${name}, Done`, { timeout: 30_000 });
  await expect(done.locator('.transfer-hash')).toHaveAttribute('title', `sha-256 ${sha256(bytes)}`);
  await expectDecodedPreview(done, name);
  await bob.screenshot({ path: join(SCREENSHOTS, 'thumbnail-kontalk-done.png') });

  expect((await listDownloads()).filter((entry) => !before.includes(entry))).toEqual([name]);
  expect(sha256(await readFile(join(downloads, name)))).toBe(sha256(bytes));
});
