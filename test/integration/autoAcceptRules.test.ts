import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Core } from '../../electron/app/core';
import { createCore } from '../../electron/app/createCore';
import type { CliIo } from '../../electron/hosts/cli/command';
import { runCli } from '../../electron/hosts/cli/runCli';
import { defaultSettings, type Settings } from '../../shared/model/settings';
import type { TransferSummary } from '../../shared/model/transfer';
import { startTestProsody, type LocalProsody } from '../support/prosody';
import { waitFor } from '../support/xmppWaits';
import { randomFile, scratchDir, sha256Of } from './transfer/transferPair';

// Issue 11 "Settings": auto-accept rules per contact, media type and size, never for strangers; the
// download folder from the settings; the CLI reading the same rules from --data-dir, its flags overriding.
const RULES: Settings['autoAccept'] = [
  { contact: 'bob@localhost', mediaType: 'image/*', maxSizeBytes: 10_000_000 },
  // Matches anyone's image: a stranger's must still ask.
  { contact: '*', mediaType: 'image/*', maxSizeBytes: 10_000_000 },
];

interface Account { core: Core; latest: Map<string, TransferSummary> }

describe('auto-accept rules and the download folder from the settings (real Prosody)', () => {
  let server: LocalProsody;
  const temp: string[] = [];
  const cores: Core[] = [];
  const src = scratchDir();
  const dir = (name: string): string => { const d = mkdtempSync(join(tmpdir(), `ferry-${name}-`)); temp.push(d); return d; };

  beforeAll(async () => {
    server = await startTestProsody({ accounts: [['alice', 'alice-pw'], ['bob', 'bob-pw'], ['carol', 'carol-pw']], friends: [['alice', 'bob']], offerTls: false });
  });
  afterEach(async () => { await Promise.all(cores.splice(0).map((core) => core.dispose())); });
  afterAll(async () => {
    await server?.stop();
    for (const d of [...temp, src]) rmSync(d, { recursive: true, force: true });
  });

  async function login(user: string, options: { dataDir?: string; downloadDir?: string } = {}): Promise<Account> {
    const core = createCore({
      downloadDir: options.downloadDir ?? dir(`${user}-rx`), dataDir: options.dataDir, session: { loginTimeoutMs: 10_000 },
      transfers: { directAddresses: ['127.0.0.1'], discoverProxies: false },
    });
    cores.push(core);
    const latest = new Map<string, TransferSummary>();
    core.on('transfer.updated', (t) => latest.set(t.id, t));
    await core.handlers['session.login']({ jid: `${user}@localhost`, password: `${user}-pw`, service: server.service, resource: 'ferry', allowPlaintext: true });
    return { core, latest };
  }

  const incoming = (account: Account, name: string): TransferSummary | undefined =>
    [...account.latest.values()].find((t) => t.direction === 'incoming' && t.file.name === name);

  it('takes bob\'s image without a prompt into the settings\' folder; bob\'s 50 MB video and a stranger\'s image still ask, the stranger\'s saying why; the settings survive a restart', async () => {
    const dataDir = dir('alice-data');
    const chosen = dir('alice-chosen');
    const alice = await login('alice', { dataDir });
    expect(await alice.core.handlers['settings.get']()).toEqual(defaultSettings());
    const changes: Settings[] = [];
    alice.core.on('settings.changed', (s) => changes.push(s));
    const wanted: Settings = { ...defaultSettings(), autoAccept: RULES, downloadDir: chosen };
    await alice.core.handlers['settings.set'](wanted);
    expect(changes).toEqual([wanted]);

    const bob = await login('bob');
    const carol = await login('carol');
    const photo = randomFile(src, 'photo.png', 200_000);
    const video = randomFile(src, 'movie.mp4', 50 * 1024 * 1024);
    await bob.core.handlers['transfer.send']({ to: 'alice@localhost/ferry', paths: [photo.path], method: 'si' });
    const took = await waitFor(() => { const t = incoming(alice, 'photo.png'); return t?.state === 'done' || t?.state === 'failed' ? t : undefined; }, 20_000, 'photo received');
    expect(took.state).toBe('done');
    expect(took.path).toBe(join(chosen, 'photo.png'));
    expect(sha256Of(took.path!)).toBe(photo.sha256);
    expect(took.attempts).toContainEqual(expect.objectContaining({ detail: expect.stringMatching(/^accepted by your rule: bob@localhost, image\/\*/) }));

    await bob.core.handlers['transfer.send']({ to: 'alice@localhost/ferry', paths: [video.path], method: 'si' });
    await carol.core.handlers['transfer.send']({ to: 'alice@localhost/ferry', paths: [photo.path], method: 'si' });
    const big = await waitFor(() => incoming(alice, 'movie.mp4'), 10_000, 'video offered');
    const strangers = await waitFor(() => [...alice.latest.values()].find((t) => t.direction === 'incoming' && t.peer.startsWith('carol@')), 10_000, 'carol offered');
    await new Promise((resolve) => setTimeout(resolve, 1500)); // a rule would have accepted by now
    expect(alice.latest.get(big.id)!.state).toBe('offered');
    expect(alice.latest.get(strangers.id)!.state).toBe('offered');
    expect(alice.latest.get(strangers.id)!.attempts).toContainEqual(expect.objectContaining({
      detail: 'carol@localhost is not in your contacts: offers from strangers always ask',
    }));
    expect(existsSync(join(chosen, 'movie.mp4'))).toBe(false);
    await alice.core.handlers['transfer.decline']({ id: big.id });
    await alice.core.handlers['transfer.decline']({ id: strangers.id });

    await alice.core.dispose();
    const again = await login('alice', { dataDir });
    expect(await again.core.handlers['settings.get']()).toEqual(wanted);
  }, 60_000);

  it('the SOCKS5 port range and extra proxies from the settings reach the candidates (XEP-0065 §5.3.1, §6)', async () => {
    const alice = await login('alice', { dataDir: dir('alice-net') });
    const bob = await login('bob', { dataDir: dir('bob-net') });
    await bob.core.handlers['settings.set']({ ...defaultSettings(), autoAccept: [{ contact: 'alice@localhost', mediaType: '*', maxSizeBytes: 10_000_000 }] });
    const first = 20000 + Math.floor(Math.random() * 20000);
    await alice.core.handlers['settings.set']({ ...defaultSettings(), socks5Ports: { first, last: first + 20 }, extraProxies: ['proxy.localhost'] });
    const direct = randomFile(src, 'ranged.bin', 50_000);
    await alice.core.handlers['transfer.send']({ to: 'bob@localhost/ferry', paths: [direct.path], method: 'si', transport: 's5b-direct' });
    const got = await waitFor(() => { const t = incoming(bob, 'ranged.bin'); return t?.state === 'done' || t?.state === 'failed' ? t : undefined; }, 20_000, 'direct done');
    expect(got.state, got.reason ?? '').toBe('done');
    const used = got.attempts.find((a) => a.outcome === 'succeeded' && a.transport === 's5b-direct');
    const port = Number(/:(\d+)$/.exec(used?.detail ?? '')?.[1]);
    expect(port).toBeGreaterThanOrEqual(first);
    expect(port).toBeLessThanOrEqual(first + 20);
    // Proxy discovery is off in these cores: the only proxy is the one the settings name.
    const relayed = randomFile(src, 'relayed.bin', 50_000);
    await alice.core.handlers['transfer.send']({ to: 'bob@localhost/ferry', paths: [relayed.path], method: 'si', transport: 's5b-proxy' });
    const viaProxy = await waitFor(() => { const t = incoming(bob, 'relayed.bin'); return t?.state === 'done' || t?.state === 'failed' ? t : undefined; }, 20_000, 'proxy done');
    expect(viaProxy.state, viaProxy.reason ?? '').toBe('done');
    expect(viaProxy.transport).toBe('s5b-proxy');
    expect(viaProxy.attempts).toContainEqual(expect.objectContaining({ outcome: 'succeeded', detail: expect.stringMatching(/^proxy\.localhost /) }));
  }, 60_000);

  function cli(argv: string[]): { code: Promise<number>; lines: () => Record<string, unknown>[]; online: () => boolean; err: () => string } {
    const out: string[] = [];
    const err: string[] = [];
    let isOnline = false;
    const io: CliIo = {
      stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) }, env: {},
      createCore: (options) => {
        const core = createCore(options);
        core.on('session.changed', (s) => { isOnline = s.state === 'online'; });
        return core;
      },
      waitForStop: () => new Promise(() => undefined),
    };
    const code = runCli(argv, io);
    return { code, lines: () => out.join('').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>), online: () => isOnline, err: () => err.join('') };
  }

  async function storeSettings(dataDir: string, settings: Settings): Promise<void> {
    const alice = await login('alice', { dataDir });
    await alice.core.handlers['settings.set'](settings);
    await alice.core.dispose();
  }

  const aliceCli = (dataDir: string, extra: string[]) => cli(['receive', '--jid', 'alice@localhost', '--password', 'alice-pw', '--service', server.service,
    '--allow-plaintext', '--resource', 'cli', '--data-dir', dataDir, '--json', '--timeout', '30', '--count', '1', ...extra]);

  it('ferry receive without --dir/--accept uses the stored folder and rules: bob\'s image is taken, his video declined', async () => {
    const dataDir = dir('cli-data');
    const chosen = dir('cli-chosen');
    await storeSettings(dataDir, { ...defaultSettings(), autoAccept: RULES, downloadDir: chosen });
    const bob = await login('bob');
    const photo = randomFile(src, 'cli-photo.jpg', 100_000);
    const video = randomFile(src, 'cli-movie.mp4', 100_000);

    const first = aliceCli(dataDir, []);
    await waitFor(() => first.online(), 15_000, 'cli online');
    await bob.core.handlers['transfer.send']({ to: 'alice@localhost/cli', paths: [photo.path], method: 'si' });
    expect(await first.code, first.err()).toBe(0);
    expect(first.lines().at(-1)).toMatchObject({ event: 'done', path: join(chosen, 'cli-photo.jpg') });

    const second = aliceCli(dataDir, []);
    await waitFor(() => second.online(), 15_000, 'cli online');
    await bob.core.handlers['transfer.send']({ to: 'alice@localhost/cli', paths: [video.path], method: 'si' });
    // Nobody to ask on the command line: what no rule takes is declined, and --count 1 then exits 1 (EXIT.failed).
    expect(await second.code, JSON.stringify(second.lines())).toBe(1);
    expect(second.lines().at(-1)).toMatchObject({ event: 'failed', state: 'declined' });
    expect(existsSync(join(chosen, 'cli-movie.mp4'))).toBe(false);
  }, 60_000);

  it('ferry receive --dir and --accept override the stored folder and rules', async () => {
    const dataDir = dir('cli-data2');
    const chosen = dir('cli-chosen2');
    const flagDir = dir('cli-flag');
    await storeSettings(dataDir, { ...defaultSettings(), autoAccept: RULES, downloadDir: chosen });
    const bob = await login('bob');
    const video = randomFile(src, 'flag-movie.mp4', 100_000);
    const run = aliceCli(dataDir, ['--dir', flagDir, '--accept', 'all']);
    await waitFor(() => run.online(), 15_000, 'cli online');
    await bob.core.handlers['transfer.send']({ to: 'alice@localhost/cli', paths: [video.path], method: 'si' });
    expect(await run.code, run.err()).toBe(0);
    expect(run.lines().at(-1)).toMatchObject({ event: 'done', path: join(flagDir, 'flag-movie.mp4') });
    expect(existsSync(join(chosen, 'flag-movie.mp4'))).toBe(false);
  }, 60_000);
});
