/**
 * Worker fixtures for the e2e specs: one private Prosody (alice and bob, friends, plaintext on loopback)
 * and one web host per user (`node bin/ferry.cjs web --port 0 --json --dir DOWNLOADS`), each stopped by
 * its own PID. Hosts offer only 127.0.0.1 for direct SOCKS5 streamhosts. `noS5bHosts` are carol's and
 * dave's hosts (friends): neither offers a direct streamhost or discovers a proxy, so a Jingle session
 * between them has no SOCKS5 candidate on either side and must replace its transport with IBB (XEP-0260
 * §2.6). `fallbackHost` is erin's host (dave's friend): no direct streamhost, no proxy discovery, and one
 * configured proxy on a closed port, so her transfers to dave must fall back to IBB after that candidate
 * failed. (A receiver with a direct candidate, like bob, would let Jingle's S5B work, so erin sends to dave.)
 * The world's Prosody always declares the Kontalk test component (`KONTALK_JID`, seed 002: no public server
 * runs one), which costs a config block and a port; the `kontalk` worker fixture connects the component
 * itself (test/support/kontalkComponent.ts) only for the specs that ask for it.
 */
import { test as base, expect, type Browser, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { isProsodyInstalled, startProsody, type LocalProsody } from '../../scripts/lib/localProsody.mjs';
import { startKontalkComponent, type KontalkComponent } from '../support/kontalkComponent';

export const USERS = { alice: 'alice-pw', bob: 'bob-pw', erin: 'erin-pw', carol: 'carol-pw', dave: 'dave-pw' } as const;
export type User = keyof typeof USERS;
/** The users whose web host every world starts. */
export type HostUser = 'alice' | 'bob';

/** The Kontalk upload component every world's Prosody declares (seed 002), connected by the `kontalk` fixture. */
const KONTALK_JID = 'kontalk.localhost';
const KONTALK_SECRET = 'kontalk-e2e-secret';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CLI = join(ROOT, 'bin', 'ferry.cjs');
const HOST_START_MS = 20_000;
const HOST_STOP_MS = 5_000;

export interface WebHostProcess {
  url: string;
  child: ChildProcess;
  /** The host's download folder (`--dir`). */
  downloads: string;
  /** What the host wrote to stderr, for failure messages. */
  stderr: () => string;
}

export interface World {
  prosody: LocalProsody;
  hosts: Record<HostUser, WebHostProcess>;
  /** The worker's scratch folder (download folders live here). */
  work: string;
}

/** Every host offers only loopback for the direct streamhost: tests never offer other addresses. */
const LOOPBACK_ONLY = ['--s5b-address', '127.0.0.1'];
/** No direct streamhost and no proxy: this host has no SOCKS5 candidate to offer at all. */
const NO_S5B = ['--s5b-address', 'none', '--no-proxy-discovery'];

/**
 * Spawns one web host and resolves with the URL from its `{"event":"listening"}` line. Its history lives in
 * `DOWNLOADS-data`, so a host started again with the same download folder finds the same store.
 */
export function startWebHost(downloads: string, extraArgs: string[] = LOOPBACK_ONLY): Promise<WebHostProcess> {
  // Each host keeps its history in this run's folder, never in the user's data dir (HOME is inherited).
  const child = spawn(process.execPath, [CLI, 'web', '--port', '0', '--json', '--dir', downloads, '--data-dir', `${downloads}-data`, ...extraArgs], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => { errors = (errors + chunk.toString()).slice(-4000); });
  return new Promise((resolveHost, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      stopProcess(child).finally(() => reject(new Error(`web host ${why}; stderr:\n${errors}`)));
    };
    const timer = setTimeout(() => fail(`did not print its URL within ${HOST_START_MS} ms`), HOST_START_MS);
    child.once('exit', (code) => fail(`exited with ${code}`));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let event: { event?: string; url?: string };
      try { event = JSON.parse(line); } catch { return; }
      if (event.event !== 'listening' || typeof event.url !== 'string') return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolveHost({ url: event.url, child, downloads, stderr: () => errors });
    });
  });
}

/** SIGTERM by PID, SIGKILL after a bound; resolves once the process is gone. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const gone = new Promise<void>((done) => child.once('exit', () => done()));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => { if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL'); }, HOST_STOP_MS);
  await gone;
  clearTimeout(timer);
}

async function buildWorld(work: string, hosts: WebHostProcess[]): Promise<World> {
  if (!isProsodyInstalled()) throw new Error('The e2e tests need Prosody: bash scripts/setup.sh (apt-get install prosody).');
  if (!existsSync(CLI) || !existsSync(join(ROOT, 'dist', 'renderer', 'index.html'))) {
    throw new Error('Build first: npm run build (bin/ferry.cjs and dist/renderer are needed).');
  }
  const prosody = await startProsody({
    accounts: Object.entries(USERS), friends: [['alice', 'bob'], ['carol', 'dave'], ['erin', 'dave']], offerTls: false,
    components: [{ jid: KONTALK_JID, secret: KONTALK_SECRET }],
  });
  try {
    const alice = await startWebHost(join(work, 'alice-downloads'));
    hosts.push(alice);
    const bob = await startWebHost(join(work, 'bob-downloads'));
    hosts.push(bob);
    return { prosody, hosts: { alice, bob }, work };
  } catch (error) {
    await prosody.stop();
    throw error;
  }
}

/** A loopback TCP port nothing listens on (bound, read, closed). */
function closedPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Where erin's host offers its only (dead) SOCKS5 streamhost. */
export const DEAD_PROXY_JID = 'dead.localhost';

/** The users of `noS5bHosts`. */
export type NoS5bUser = 'carol' | 'dave';

interface WorkerFixtures {
  world: World;
  fallbackHost: WebHostProcess;
  noS5bHosts: Record<NoS5bUser, WebHostProcess>;
  /** The Kontalk upload service (seed 002) on the world's Prosody, as `KONTALK_JID`. */
  kontalk: KontalkComponent;
}

export const test = base.extend<object, WorkerFixtures>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from this pattern
  world: [async ({}, use) => {
    const work = mkdtempSync(join(tmpdir(), 'ferry-e2e-'));
    const hosts: WebHostProcess[] = [];
    let world: World | null = null;
    try {
      world = await buildWorld(work, hosts);
      await use(world);
    } finally {
      await Promise.all(hosts.map((h) => stopProcess(h.child)));
      await world?.prosody.stop();
      rmSync(work, { recursive: true, force: true });
    }
  }, { scope: 'worker', timeout: 90_000 }],
  fallbackHost: [async ({ world }, use) => {
    const port = await closedPort();
    const host = await startWebHost(join(world.work, 'erin-downloads'), [
      '--s5b-address', 'none', '--no-proxy-discovery', '--proxy-address', `${DEAD_PROXY_JID}=127.0.0.1:${port}`,
    ]);
    try {
      await use(host);
    } finally {
      await stopProcess(host.child);
    }
  }, { scope: 'worker', timeout: 30_000 }],
  noS5bHosts: [async ({ world }, use) => {
    const started: WebHostProcess[] = [];
    try {
      for (const user of ['carol', 'dave'] as const) started.push(await startWebHost(join(world.work, `${user}-downloads`), NO_S5B));
      await use({ carol: started[0]!, dave: started[1]! });
    } finally {
      await Promise.all(started.map((h) => stopProcess(h.child)));
    }
  }, { scope: 'worker', timeout: 45_000 }],
  kontalk: [async ({ world }, use) => {
    const component = await startKontalkComponent({ prosody: world.prosody, jid: KONTALK_JID, secret: KONTALK_SECRET });
    try {
      await use(component);
    } finally {
      await component.stop();
    }
  }, { scope: 'worker', timeout: 20_000 }],
});

export { expect };

/** Where the specs keep their screenshots (kept as CI artifacts). */
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');

/** Fills the login form, Advanced included (service URL, plaintext on loopback), and submits it. */
export async function logIn(page: Page, world: World, user: User, password: string = USERS[user]): Promise<void> {
  const form = page.getByRole('form', { name: 'Log in' });
  await form.getByLabel('Address (JID)').fill(`${user}@localhost`);
  await form.getByLabel('Password').fill(password);
  const service = form.getByLabel('Service URL');
  if (!(await service.isVisible())) await form.getByText('Advanced').click();
  await service.fill(world.prosody.service);
  await form.getByLabel('Allow plaintext on loopback').check();
  await form.getByRole('button', { name: 'Log in' }).click();
}

/**
 * A fresh browser context on the user's web host, logged in and online. The host keeps its session
 * across page loads, so the form is filled only when the host is not logged in yet.
 */
export async function openAs(browser: Browser, world: World, user: User, host?: WebHostProcess): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto((host ?? world.hosts[user as HostUser]).url);
  const form = page.getByRole('form', { name: 'Log in' });
  const status = page.getByRole('status', { name: 'Connection' });
  await expect(form.or(status)).toBeVisible();
  if (await form.isVisible()) await logIn(page, world, user);
  await expect(status).toHaveText(/^Online/);
  return page;
}
