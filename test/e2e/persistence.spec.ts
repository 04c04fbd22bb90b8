/**
 * Nothing is forgotten (issue 10): a page reload and a logout + login keep the conversation and its transfer
 * cards; the history survives a restart of the web host process (same data folder), and a host started
 * with --jid/--password shows a page that is already logged in, with what arrived while no page was open. A card
 * Interrupted by a logout mid-transfer stays Interrupted, with Resume, after a reload and after logout + login.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { bytesOf, card, dropFile, openChat } from './chatActions';
import { startSlowRelay } from '../support/tcpTap';
import { expect, logIn, openAs, SCREENSHOTS, startWebHost, stopProcess, test, type WebHostProcess } from './fixtures';

test.describe.configure({ mode: 'serial' });

/** Sends one message in the open chat and waits until it shows. */
async function say(page: Page, to: string, body: string): Promise<void> {
  const box = page.getByLabel(`Message to ${to}`);
  await box.fill(body);
  await box.press('Enter');
  await expect(box).toHaveValue('');
  await expect(page.getByRole('log', { name: 'Conversation' })).toContainText(body);
}

test('a page reload and a logout + login keep the conversation and the finished transfer card', async ({ browser, world }) => {
  const stamp = Date.now().toString(36); // the hosts keep their history across specs and retries: unique bodies
  const [question, answer, name] = [`Kept after a reload? ${stamp}`, `It should be ${stamp}`, `kept-${stamp}.bin`];
  const alice = await openAs(browser, world, 'alice');
  const bob = await openAs(browser, world, 'bob');
  const aliceChat = await openChat(alice, 'Bob');
  const bobChat = await openChat(bob, 'Alice');
  await say(alice, 'Bob', question);
  await expect(bob.getByRole('log', { name: 'Conversation' })).toContainText(question);
  await say(bob, 'Alice', answer);
  await expect(alice.getByRole('log', { name: 'Conversation' })).toContainText(answer);

  await dropFile(alice, aliceChat, { name, bytes: bytesOf(64 * 1024, 17) });
  await bobChat.getByRole('listitem', { name: `Incoming file: ${name}` }).getByRole('button', { name: 'Accept' }).click();
  await expect(card(aliceChat, name)).toHaveAttribute('aria-label', `${name}, Done`, { timeout: 30_000 });
  await expect(card(bobChat, name)).toHaveAttribute('aria-label', `${name}, Done`, { timeout: 30_000 });

  /** What alice must see again: both messages, in order, and the card still done. */
  const expectKept = async () => {
    const chat = await openChat(alice, 'Bob');
    const log = alice.getByRole('log', { name: 'Conversation' });
    await expect(log).toContainText(question);
    await expect(log).toContainText(answer);
    expect((await log.innerText()).indexOf(question)).toBeLessThan((await log.innerText()).indexOf(answer));
    await expect(card(chat, name)).toHaveAttribute('aria-label', `${name}, Done`);
  };

  await alice.reload();
  await expect(alice.getByRole('status', { name: 'Connection' })).toHaveText(/^Online/);
  await expectKept();
  await alice.screenshot({ path: join(SCREENSHOTS, 'persist-after-reload.png') });

  await alice.getByRole('button', { name: 'Log out' }).click();
  await expect(alice.getByRole('form', { name: 'Log in' })).toBeVisible();
  await logIn(alice, world, 'alice');
  await expect(alice.getByRole('status', { name: 'Connection' })).toHaveText(/^Online/);
  await expectKept();
  await alice.screenshot({ path: join(SCREENSHOTS, 'persist-after-relogin.png') });
});

test('the history survives a restart of the web host; started with --jid/--password the page is logged in at once', async ({ browser, world }) => {
  const stamp = Date.now().toString(36);
  const downloads = join(world.work, `dave-restart-${stamp}-downloads`); // same folder, same data dir on restart
  const hosts: WebHostProcess[] = [];
  try {
    hosts.push(await startWebHost(join(world.work, `carol-restart-${stamp}-downloads`)));
    hosts.push(await startWebHost(downloads));
    const carol = await openAs(browser, world, 'carol', hosts[0]);
    const dave = await openAs(browser, world, 'dave', hosts[1]);
    await openChat(carol, 'Dave');
    await openChat(dave, 'Carol');
    await say(carol, 'Dave', `Before the restart ${stamp}`);
    await expect(dave.getByRole('log', { name: 'Conversation' })).toContainText(`Before the restart ${stamp}`);
    await say(dave, 'Carol', `Reply before the restart ${stamp}`);
    await dave.context().close();

    await stopProcess(hosts[1].child);
    const login = ['--jid', 'dave@localhost', '--password', 'dave-pw', '--service', world.prosody.service, '--allow-plaintext'];
    hosts[1] = await startWebHost(downloads, ['--s5b-address', '127.0.0.1', ...login]);
    // Sent while the restarted host has no page open: it must be stored all the same.
    await say(carol, 'Dave', `While no page was open ${stamp}`);

    const page = await (await browser.newContext()).newPage();
    await page.goto(hosts[1].url);
    await expect(page.getByRole('status', { name: 'Connection' })).toHaveText(/^Online/);
    await expect(page.getByRole('form', { name: 'Log in' })).toHaveCount(0);
    await openChat(page, 'Carol');
    const log = page.getByRole('log', { name: 'Conversation' });
    for (const body of [`Before the restart ${stamp}`, `Reply before the restart ${stamp}`, `While no page was open ${stamp}`]) {
      await expect(log).toContainText(body);
    }
    await page.screenshot({ path: join(SCREENSHOTS, 'persist-after-host-restart.png') });
  } finally {
    await Promise.all(hosts.map((host) => stopProcess(host.child)));
  }
});

test('a card interrupted by a logout mid-transfer stays Interrupted with Resume after a reload and after logout + login (issue #10)', async ({ browser, world }) => {
  const stamp = Date.now().toString(36);
  const name = `interrupted-${stamp}.bin`;
  // S5B only through proxy65 behind a 256 KiB/s relay (no direct streamhost on either side): 4 MiB takes ~16 s,
  // so the receiver's logout lands mid-transfer.
  const relay = await startSlowRelay(world.prosody.ports.proxy65, 256 * 1024);
  const hosts: WebHostProcess[] = [];
  try {
    hosts.push(await startWebHost(join(world.work, `carol-slow-${stamp}-downloads`),
      ['--s5b-address', 'none', '--no-proxy-discovery', '--proxy-address', `${world.prosody.proxyJid}=127.0.0.1:${relay.port}`]));
    hosts.push(await startWebHost(join(world.work, `dave-slow-${stamp}-downloads`), ['--s5b-address', 'none', '--no-proxy-discovery']));
    const carol = await openAs(browser, world, 'carol', hosts[0]);
    const dave = await openAs(browser, world, 'dave', hosts[1]);
    const carolChat = await openChat(carol, 'Dave');
    let daveChat = await openChat(dave, 'Carol');
    await dropFile(carol, carolChat, { name, bytes: bytesOf(4 * 1024 * 1024, 23) });
    await daveChat.getByRole('listitem', { name: `Incoming file: ${name}` }).getByRole('button', { name: 'Accept' }).click();
    await expect(card(daveChat, name)).toHaveAttribute('aria-label', `${name}, Transferring`, { timeout: 30_000 });
    const progress = card(daveChat, name).getByRole('progressbar');
    await expect.poll(async () => Number(await progress.getAttribute('aria-valuenow')), { timeout: 15_000 }).toBeGreaterThanOrEqual(3);

    // The logout asks first and says what happens to what is being received.
    await dave.getByRole('button', { name: 'Log out' }).click();
    await expect(dave.getByRole('alertdialog')).toContainText('files being received are kept and can be resumed');
    await dave.getByRole('button', { name: 'Stop transfers and log out' }).click();
    await expect(dave.getByRole('form', { name: 'Log in' })).toBeVisible();
    // Carol's side is told who ended it.
    await expect(card(carolChat, name)).toHaveAttribute('aria-label', `${name}, Cancelled`, { timeout: 15_000 });
    await expect(card(carolChat, name)).toContainText('dave@localhost');

    /** Dave's card: Interrupted, with Resume. */
    const expectInterrupted = async (what: string) => {
      daveChat = await openChat(dave, 'Carol');
      const kept = card(daveChat, name);
      await expect(kept, what).toHaveAttribute('aria-label', `${name}, Interrupted`);
      await expect(kept.getByRole('button', { name: 'Resume' }), what).toBeVisible();
      await kept.scrollIntoViewIfNeeded();
    };
    await logIn(dave, world, 'dave');
    await expect(dave.getByRole('status', { name: 'Connection' })).toHaveText(/^Online/);
    await expectInterrupted('after the logout and login');
    await dave.reload();
    await expect(dave.getByRole('status', { name: 'Connection' })).toHaveText(/^Online/);
    await expectInterrupted('after a reload');
    await dave.screenshot({ path: join(SCREENSHOTS, 'persist-interrupted-after-reload.png') });
    await dave.getByRole('button', { name: 'Log out' }).click(); // nothing runs now: no question
    await expect(dave.getByRole('form', { name: 'Log in' })).toBeVisible();
    await logIn(dave, world, 'dave');
    await expect(dave.getByRole('status', { name: 'Connection' })).toHaveText(/^Online/);
    await expectInterrupted('after another logout and login');
    await dave.screenshot({ path: join(SCREENSHOTS, 'persist-interrupted-after-relogin.png') });
  } finally {
    await Promise.all(hosts.map((host) => stopProcess(host.child)));
    await relay.close();
  }
});
