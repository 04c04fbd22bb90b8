import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CoreOptions } from '../../../../../../electron/app/coreServices';
import { runCli } from '../../../../../../electron/hosts/cli/runCli';
import type { CliIo } from '../../../../../../electron/hosts/cli/command';
import type { FullJid } from '../../../../../../shared/model/jid';
import type { SessionSnapshot } from '../../../../../../shared/model/session';
import { createFakeCore, type FakeCore } from '../../../../../fakes/fakeCore';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-web-options-'));
  mkdirSync(join(dir, 'renderer'));
  writeFileSync(join(dir, 'renderer', 'index.html'), '<title>Ferry</title>');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `ferry web ARGS`, stops it as soon as it listens, and returns the exit code and the core's options. */
async function runWeb(args: string[]): Promise<{ exit: number; options: CoreOptions[]; err: string }> {
  const options: CoreOptions[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: { write: () => undefined },
    stderr: { write: (text: string) => err.push(text) },
    env: {},
    staticDir: join(dir, 'renderer'),
    waitForStop: () => Promise.resolve(),
    createCore: (given) => {
      options.push(given);
      return createFakeCore({});
    },
  };
  const exit = await runCli(['web', '--json', '--dir', join(dir, 'downloads'), ...args], io);
  return { exit, options, err: err.join('') };
}

describe('ferry web: transfer options (as ferry send has them)', () => {
  it('passes --s5b-address, --proxy, --proxy-address and --no-proxy-discovery to the core', async () => {
    const { exit, options } = await runWeb([
      '--s5b-address', '127.0.0.1', '--s5b-address', '::1', '--proxy', 'proxy.example',
      '--proxy-address', 'dead.localhost=127.0.0.1:9', '--proxy-address', 'six.localhost=[::1]:7777', '--no-proxy-discovery',
    ]);
    expect(exit).toBe(0);
    expect(options[0].transfers).toEqual({
      directAddresses: ['127.0.0.1', '::1'], proxyJids: ['proxy.example'], discoverProxies: false, isDownloadDirFixed: true,
      proxies: [{ jid: 'dead.localhost', host: '127.0.0.1', port: 9 }, { jid: 'six.localhost', host: '::1', port: 7777 }],
    });
  });

  it('--s5b-address none offers no direct streamhost; no options leave the defaults (--dir fixes the download folder)', async () => {
    expect((await runWeb(['--s5b-address', 'none'])).options[0].transfers).toEqual({ directAddresses: [], isDownloadDirFixed: true });
    expect((await runWeb([])).options[0].transfers).toEqual({ isDownloadDirFixed: true });
  });

  it.each(['dead.localhost', 'dead.localhost=127.0.0.1', 'x=127.0.0.1:0', 'x=127.0.0.1:70000'])('refuses --proxy-address %s with exit 2', async (value) => {
    const { exit, err } = await runWeb(['--proxy-address', value]);
    expect(exit).toBe(2);
    expect(err).toContain('JID=HOST:PORT');
  });
});

describe('ferry web: the data folder (where history is kept)', () => {
  it('passes --data-dir to the core, resolved to an absolute path', async () => {
    const { exit, options } = await runWeb(['--data-dir', join(dir, 'data')]);
    expect(exit).toBe(0);
    expect(options[0].dataDir).toBe(join(dir, 'data'));
  });

  it('without --data-dir and with no HOME in its environment, keeps no history', async () => {
    expect((await runWeb([])).options[0].dataDir).toBeUndefined();
  });
});

describe('ferry web --jid/--password: logs the account in at start (issue #10, scripted and kiosk use)', () => {
  /** Runs `ferry web ARGS` on a given fake core; stdout lines parsed as JSON. */
  async function runWith(core: FakeCore, args: string[]): Promise<{ exit: number; lines: Record<string, unknown>[]; err: string; cores: number }> {
    let cores = 0;
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: (text: string) => err.push(text) },
      env: {},
      staticDir: join(dir, 'renderer'),
      waitForStop: () => {
        core.calls.push({ name: 'stopped', args: undefined });
        return Promise.resolve();
      },
      createCore: () => {
        cores += 1;
        return core;
      },
    };
    const exit = await runCli(['web', '--json', '--dir', join(dir, 'downloads'), ...args], io);
    const lines = out.join('').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
    return { exit, lines, err: err.join(''), cores };
  }
  const online: SessionSnapshot = { state: 'online', jid: 'alice@localhost/kiosk' as FullJid, error: null, retryInMs: null, isSecure: false };

  it('logs in with the common options before it prints the URL, and names the account in the listening line', async () => {
    const core = createFakeCore({ 'session.login': (args) => { core.calls.push({ name: 'session.login', args }); return online; } });
    const { exit, lines } = await runWith(core, [
      '--jid', 'alice@localhost', '--password', 'alice-pw', '--service', 'xmpp://127.0.0.1:5999', '--resource', 'kiosk', '--allow-plaintext',
    ]);
    expect(exit).toBe(0);
    expect(core.calls.map((c) => c.name)).toEqual(['session.login', 'stopped']);
    expect(core.calls[0].args).toEqual({ jid: 'alice@localhost', password: 'alice-pw', service: 'xmpp://127.0.0.1:5999', resource: 'kiosk', allowPlaintext: true });
    expect(lines[0]).toMatchObject({ event: 'listening', jid: 'alice@localhost/kiosk' });
  });

  it('without --password it logs nothing in (a FERRY_JID in the environment alone does not)', async () => {
    const core = createFakeCore({});
    const { exit, lines } = await runWith(core, ['--jid', 'alice@localhost']);
    expect(exit).toBe(0);
    expect(core.calls.some((c) => c.name === 'session.login')).toBe(false);
    expect(lines[0]).not.toHaveProperty('jid');
  });

  it('--password without --jid is a usage error (exit 2) and builds no core', async () => {
    const { exit, err, cores } = await runWith(createFakeCore({}), ['--password', 'pw']);
    expect(exit).toBe(2);
    expect(err).toContain('missing --jid');
    expect(cores).toBe(0);
  });

  it('a login the server refuses exits 3 without serving, and the core is disposed', async () => {
    const refused: SessionSnapshot = { ...online, state: 'failed', jid: null, error: { code: 'not-authorized', message: 'not-authorized' } };
    const core = createFakeCore({ 'session.login': () => refused });
    const { exit, lines, err } = await runWith(core, ['--jid', 'alice@localhost', '--password', 'wrong']);
    expect(exit).toBe(3);
    expect(lines.some((l) => l.event === 'listening')).toBe(false);
    expect(err + JSON.stringify(lines)).toContain('not-authorized');
    expect(core.isDisposed).toBe(true);
  });
});
