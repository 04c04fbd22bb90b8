import { buildAddressQuery, NS_BYTESTREAMS, parseAddressResult } from './xep/xep0065Bytestreams';
import xml from '@xmpp/xml';
import { FerryError } from '../../shared/ipc/wireError';
import { parseJid } from '../../shared/model/jid';
import type { ServerInfo, ServiceInfo } from '../../shared/model/session';
import type { DiscoService } from './disco';
import { toServerIdentity } from './peerDiscovery';
import type { XmppSession } from './session';
import { readUploadService } from './xep/xep0363HttpUpload';
import { hasIdentity, type DiscoInfo, type DiscoItem } from './xep/xep0030Disco';

/** XEP-0065 SOCKS5 Bytestreams. */

/** Items beyond this many are listed without their disco#info (a server with hundreds of MUC rooms, say). */
const MAX_ITEMS_QUERIED = 50;
const QUERY_TIMEOUT_MS = 10_000;

type Service = { item: DiscoItem; info: DiscoInfo };

/**
 * What the account's server offers (XEP-0030 §4: items of the domain, then disco#info of each): the
 * XEP-0065 proxies with their network address, and the XEP-0363 upload services with their size limit.
 * An item that does not answer is listed without identities or features rather than failing the whole.
 */
export async function discoverServer(deps: { session: XmppSession; disco: Pick<DiscoService, 'queryInfo' | 'queryItems'> }): Promise<ServerInfo> {
  const own = deps.session.jid;
  if (!own) throw new FerryError('not-connected', 'not connected to the server');
  const domain = parseJid(own)!.domain;
  const [info, items] = await Promise.all([deps.disco.queryInfo(domain), deps.disco.queryItems(domain).catch(() => [])]);
  const services = await Promise.all(items.map(async (item, index): Promise<Service> => {
    if (index >= MAX_ITEMS_QUERIED) return { item, info: emptyInfo() };
    const itemInfo = await deps.disco.queryInfo(item.jid, item.node).catch(() => emptyInfo());
    return { item, info: itemInfo };
  }));
  const proxyServices = services.filter((s) => hasIdentity(s.info, 'proxy', 'bytestreams'));
  const proxies = (await Promise.all(proxyServices.map((s) => queryProxyAddress(deps.session, s.item.jid)))).flat();
  return {
    domain,
    identities: info.identities.map(toServerIdentity),
    features: [...info.features],
    proxies,
    uploadServices: services.flatMap((s) => {
      const upload = readUploadService(s.info);
      return upload ? [{ jid: s.item.jid, maxFileSize: upload.maxFileSize }] : [];
    }),
    items: services.map((s): ServiceInfo => ({
      jid: s.item.jid, identities: s.info.identities.map(toServerIdentity), features: [...s.info.features],
    })),
  };
}

/**
 * XEP-0065 (version 1.8.2) "Requesting the network address" of a proxy: an IQ get with an empty
 * bytestreams query; the result lists `<streamhost jid host port/>`. A proxy that fails to answer is skipped.
 */
export async function queryProxyAddress(session: XmppSession, jid: string): Promise<ServerInfo['proxies']> {
  try {
    const result = await session.request(xml('iq', { type: 'get', to: jid }, buildAddressQuery()), QUERY_TIMEOUT_MS);
    const query = result.getChild('query', NS_BYTESTREAMS);
    const streamhosts = query ? parseAddressResult(query) : null;
    return streamhosts?.ok ? streamhosts.value : [];
  } catch {
    return [];
  }
}

function emptyInfo(): DiscoInfo {
  return { identities: [], features: [], forms: [] };
}
