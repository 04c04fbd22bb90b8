import { NS_KONTALK_UPLOAD, hasKontalkUpload, type KontalkUploadService } from './xep/kontalkUpload';
import type { ServerInfo } from '../../shared/model/session';
import type { DiscoService } from './disco';

/**
 * Seed 002 "Sending": the upload feature on the server's disco#info, or on one of its disco#items (a
 * deployment may run it as a component), then disco#items on the extension's node of that entity for the
 * upload services. The first service with a node is used; null when there is none.
 */
export async function discoverKontalkUpload(
  disco: Pick<DiscoService, 'queryItems'>, server: Pick<ServerInfo, 'domain' | 'features' | 'items'>,
): Promise<KontalkUploadService | null> {
  const hosts = [
    ...(hasKontalkUpload(server) ? [server.domain] : []),
    ...server.items.filter((item) => hasKontalkUpload(item)).map((item) => item.jid),
  ];
  for (const host of hosts) {
    const items = await disco.queryItems(host, NS_KONTALK_UPLOAD).catch(() => []);
    const service = items.find((item) => item.node !== undefined && item.node !== '');
    if (service) return { jid: service.jid, node: service.node!, name: service.name ?? null };
  }
  return null;
}
