import { mkdtemp, rm, stat } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FerryError } from '../../../../shared/ipc/wireError';
import { startWebHost } from '../../web/webHost';
import type { CommandSpec } from '../command';
import { EXIT } from '../exitCodes';
import { flagOption, listOption, numberOption, stringOption, UsageError } from '../options';
import type { TransferSettings } from '../../../app/transferWiring';
import type { Streamhost } from '../../../xmpp/xep/xep0065Bytestreams';

/** How long disposing the core may take before the command stops waiting. */
const DISPOSE_LIMIT_MS = 3000;

async function hasRenderer(staticDir: string): Promise<boolean> {
  try {
    return (await stat(join(staticDir, 'index.html'))).isFile();
  } catch {
    return false;
  }
}

/** `JID=HOST:PORT` → a configured streamhost (IPv6 hosts in brackets: `[::1]:7777`). */
function parseProxyAddress(text: string): Streamhost {
  const match = /^([^=\s]+)=(\[[^\]]+\]|[^:\s]+):(\d{1,5})$/.exec(text);
  const port = match ? Number(match[3]) : 0;
  if (!match || port < 1 || port > 65535) throw new UsageError(`--proxy-address wants JID=HOST:PORT, not "${text}"`);
  return { jid: match[1], host: match[2].replace(/^\[|\]$/g, ''), port };
}

/** The transfer options `ferry web` shares with `ferry send`; `--s5b-address none` offers no direct streamhost. */
function transferSettings(context: Parameters<CommandSpec['run']>[0]): TransferSettings {
  const addresses = listOption(context.args, 's5b-address').map(String);
  const proxyJids = listOption(context.args, 'proxy').map(String);
  const proxies = listOption(context.args, 'proxy-address').map((value) => parseProxyAddress(String(value)));
  return {
    ...(addresses.length > 0 ? { directAddresses: addresses.filter((a) => a !== 'none') } : {}),
    ...(proxyJids.length > 0 ? { proxyJids } : {}),
    ...(proxies.length > 0 ? { proxies } : {}),
    ...(flagOption(context.args, 'no-proxy-discovery') ? { discoverProxies: false } : {}),
  };
}

/** `ferry web`: serve the renderer and the contract on 127.0.0.1 until SIGINT or SIGTERM. */
export const WEB_COMMAND: CommandSpec = {
  name: 'web',
  summary: 'run the web host; prints its URL (http://127.0.0.1:P/?token=…)',
  options: [
    { name: 'port', kind: 'number', valueName: 'P', description: 'TCP port on 127.0.0.1 (default: a free one)', isInteger: true, min: 0, max: 65535 },
    { name: 'dir', kind: 'string', valueName: 'DOWNLOADS', description: 'where received files go (default: ~/Downloads)' },
    { name: 's5b-address', kind: 'string', valueName: 'ADDR', isRepeatable: true, description: 'address(es) to offer for the direct streamhost (default: all local; "none": no direct streamhost)' },
    { name: 'proxy', kind: 'string', valueName: 'JID', isRepeatable: true, description: 'a SOCKS5 proxy to offer besides those discovered' },
    { name: 'proxy-address', kind: 'string', valueName: 'JID=HOST:PORT', isRepeatable: true, description: 'a SOCKS5 streamhost to offer, with its address' },
    { name: 'no-proxy-discovery', kind: 'flag', description: 'do not ask the server for its SOCKS5 proxies' },
  ],
  async run(context) {
    if (!(await hasRenderer(context.staticDir))) {
      throw new FerryError('not-found', `no built renderer in ${context.staticDir}: run npm run build first`);
    }
    const downloadDir = resolve(stringOption(context.args, 'dir') ?? join(homedir(), 'Downloads'));
    const transfers = transferSettings(context);
    const log = flagOption(context.args, 'verbose') ? (line: string) => context.output.note(line) : undefined;
    const core = context.createCore({ downloadDir, log, transfers });
    const stagingDir = await mkdtemp(join(tmpdir(), 'ferry-staging-'));
    try {
      const host = await startWebHost({ core, staticDir: context.staticDir, stagingDir, port: numberOption(context.args, 'port') ?? 0 });
      context.output.result({ event: 'listening', url: host.url, port: host.port }, () => [
        `Ferry is serving on ${host.url}`,
        'Open that address in a browser on this machine. Press Ctrl-C to stop.',
      ]);
      await context.waitForStop();
      await host.close();
      context.output.note('Stopped.');
      return EXIT.ok;
    } finally {
      await Promise.race([core.dispose().catch(() => undefined), new Promise((r) => setTimeout(r, DISPOSE_LIMIT_MS).unref())]);
      await rm(stagingDir, { recursive: true, force: true });
    }
  },
};
