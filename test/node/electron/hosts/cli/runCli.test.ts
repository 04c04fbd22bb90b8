import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../../../electron/hosts/cli/runCli';
import type { CliIo } from '../../../../../electron/hosts/cli/command';
import { FerryError } from '../../../../../shared/ipc/wireError';
import { createFakeCore, type FakeCore } from '../../../../fakes/fakeCore';
import type { CoreHandlers } from '../../../../../electron/app/core';

const SERVER = {
  domain: 'localhost', identities: [{ category: 'server', type: 'im', name: 'Prosody' }], features: ['urn:xmpp:ping'],
  proxies: [{ jid: 'proxy.localhost', host: '127.0.0.1', port: 7777 }], uploadServices: [{ jid: 'upload.localhost', maxFileSize: 1024 }], items: [],
};
const ONLINE = { state: 'online' as const, jid: 'a@localhost/cli' as never, error: null, retryInMs: null, isSecure: true };

function harness(overrides: Partial<CoreHandlers> = {}, extra: Partial<CliIo> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const cores: FakeCore[] = [];
  const io: CliIo = {
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text) },
    env: {},
    createCore: () => {
      const core = createFakeCore({ 'session.login': () => ONLINE, 'disco.server': () => SERVER, ...overrides });
      cores.push(core);
      return core;
    },
    ...extra,
  };
  return { io, out: () => out.join(''), err: () => err.join(''), cores };
}

const LOGIN = ['--jid', 'a@localhost', '--password', 'pw'];

describe('runCli: usage', () => {
  it.each([[[]], [['nope']], [['check', '--bogus']], [['check', '--timeout', 'x']], [['web', '--port', '-1']]])('%j exits 2', async (argv) => {
    const h = harness();
    expect(await runCli(argv, h.io)).toBe(2);
    expect(h.err()).toMatch(/ferry: .*\nRun ferry .*--help for usage/);
  });

  it('exits 2 when check has no JID or password, without creating a core', async () => {
    const h = harness();
    expect(await runCli(['check', '--jid', 'a@localhost'], h.io)).toBe(2);
    expect(h.err()).toContain('missing --password');
    expect(h.cores[0]?.calls ?? []).toEqual([]);
  });

  it('prints general and command help with exit 0', async () => {
    const h = harness();
    expect(await runCli(['--help'], h.io)).toBe(0);
    expect(h.out()).toMatch(/check +log in/);
    expect(await runCli(['web', '--help'], h.io)).toBe(0);
    expect(h.out()).toContain('--port P');
  });
});

describe('runCli: check', () => {
  it('logs in, prints identity, features, proxies and upload services, logs out and disposes', async () => {
    const h = harness();
    expect(await runCli(['check', ...LOGIN], h.io)).toBe(0);
    expect(h.out()).toContain('Logged in as a@localhost/cli (encrypted)');
    expect(h.out()).toContain('server/im "Prosody"');
    expect(h.out()).toContain('proxy.localhost  127.0.0.1:7777');
    expect(h.out()).toContain('upload.localhost  max 1024 bytes');
    expect(h.cores[0].calls.map((c) => c.name)).toEqual(['session.logout']);
    expect(h.cores[0].isDisposed).toBe(true);
  });

  it('prints one JSON object with --json and takes credentials from the environment', async () => {
    const h = harness({}, { env: { FERRY_JID: 'a@localhost', FERRY_PASSWORD: 'pw' } });
    expect(await runCli(['check', '--json'], h.io)).toBe(0);
    const lines = h.out().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ event: 'check', jid: 'a@localhost/cli', proxies: SERVER.proxies, features: ['urn:xmpp:ping'] });
  });

  it.each<[string, () => unknown, number]>([
    ['not-authorized', () => { throw new FerryError('not-authorized', 'wrong password'); }, 3],
    ['cannot-connect', () => { throw new FerryError('cannot-connect', 'refused'); }, 3],
    ['a failed snapshot', () => ({ ...ONLINE, state: 'failed', error: { code: 'not-authorized', message: 'no' } }), 3],
    ['internal', () => { throw new Error('boom'); }, 1],
  ])('maps a login failure (%s) to its exit code', async (_title, login, code) => {
    const h = harness({ 'session.login': login as CoreHandlers['session.login'] });
    expect(await runCli(['check', ...LOGIN, '--json'], h.io)).toBe(code);
    expect(JSON.parse(h.out().trim())).toMatchObject({ event: 'error', exitCode: code });
    expect(h.cores[0].isDisposed).toBe(true);
  });

  it('exits 4 when the login outlasts --timeout', async () => {
    const h = harness({ 'session.login': () => new Promise(() => undefined) });
    const started = Date.now();
    expect(await runCli(['check', ...LOGIN, '--timeout', '0.1'], h.io)).toBe(4);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(h.err()).toContain('did not finish within 0.1 s');
  });
});

describe('runCli: web', () => {
  let dir: string | undefined;
  afterEach(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('serves the renderer, prints a listening event and closes cleanly when told to stop', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-cli-web-'));
    mkdirSync(join(dir, 'renderer'));
    writeFileSync(join(dir, 'renderer', 'index.html'), '<title>Ferry</title>');
    let stop!: () => void;
    let listening!: (url: string) => void;
    const url = new Promise<string>((resolve) => { listening = resolve; });
    const h = harness({}, {
      staticDir: join(dir, 'renderer'),
      waitForStop: () => new Promise((resolve) => { stop = resolve; }),
      stdout: { write: (text: string) => listening(JSON.parse(text).url) },
    });
    const exit = runCli(['web', '--json', '--dir', join(dir, 'downloads')], h.io);
    const page = await fetch(await url);
    expect(await page.text()).toContain('<title>Ferry</title>');
    stop();
    expect(await exit).toBe(0);
    expect(h.cores[0].isDisposed).toBe(true);
    await expect(fetch(await url)).rejects.toThrow();
  });

  it('exits 1 with a build hint when the renderer is not built', async () => {
    const h = harness({}, { staticDir: join(tmpdir(), 'ferry-no-such-dir') });
    expect(await runCli(['web'], h.io)).toBe(1);
    expect(h.err()).toContain('npm run build');
  });
});
