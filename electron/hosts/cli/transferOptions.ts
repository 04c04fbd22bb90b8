import type { TransferSettings } from '../../app/transferWiring';
import type { Streamhost } from '../../xmpp/xep/xep0065Bytestreams';
import { flagOption, listOption, UsageError, type OptionSpec, type ParsedArgs } from './options';

/** Options that shape S5B candidates; shared by `send`, `receive` and `web`. */
export const STREAMHOST_OPTIONS: readonly OptionSpec[] = [
  { name: 'proxy', kind: 'string', valueName: 'JID', isRepeatable: true, description: 'a SOCKS5 proxy to offer besides those discovered (its address is asked)' },
  { name: 'proxy-address', kind: 'string', valueName: 'JID=HOST:PORT', isRepeatable: true, description: 'a SOCKS5 proxy with a known address' },
  { name: 'no-proxy-discovery', kind: 'flag', description: "do not ask the server for its proxies" },
  { name: 's5b-address', kind: 'string', valueName: 'ADDR', isRepeatable: true, description: "address(es) offered for the direct streamhost (default: all local; 'none' offers no direct streamhost)" },
];

const PROXY_ADDRESS_RE = /^([^=\s]+)=(\[[0-9a-fA-F:.]+\]|[^:\s]+):(\d{1,5})$/;

function parseProxyAddress(text: string): Streamhost {
  const match = PROXY_ADDRESS_RE.exec(text);
  const port = match ? Number(match[3]) : 0;
  if (!match || port < 1 || port > 65535) throw new UsageError(`--proxy-address wants JID=HOST:PORT (e.g. proxy.example=10.0.0.1:7777), not "${text}"`);
  return { jid: match[1], host: match[2].replace(/^\[|\]$/g, ''), port };
}

/** The transfer settings the streamhost options describe; options not given leave the core's defaults. */
export function streamhostSettings(args: ParsedArgs): TransferSettings {
  const addresses = listOption(args, 's5b-address').map(String);
  const proxyJids = listOption(args, 'proxy').map(String);
  const proxies = listOption(args, 'proxy-address').map((value) => parseProxyAddress(String(value)));
  return {
    ...(addresses.length > 0 ? { directAddresses: addresses.filter((a) => a !== 'none') } : {}),
    ...(proxyJids.length > 0 ? { proxyJids } : {}),
    ...(proxies.length > 0 ? { proxies } : {}),
    ...(flagOption(args, 'no-proxy-discovery') ? { discoverProxies: false } : {}),
  };
}
