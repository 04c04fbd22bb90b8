import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CoreOptions } from '../../../../../../electron/app/coreServices';
import { runCli } from '../../../../../../electron/hosts/cli/runCli';
import type { CliIo } from '../../../../../../electron/hosts/cli/command';
import { createFakeCore } from '../../../../../fakes/fakeCore';

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
