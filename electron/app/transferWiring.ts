import { FerryError } from '../../shared/ipc/wireError';
import { isFullJid, toBareJid } from '../../shared/model/jid';
import { localAddresses, Socks5Listener } from '../transport/socks5/listener';
import { TransferService, type AcceptDecision } from '../transfer/transferService';
import type { TransferTimings, TransportPreference } from '../transfer/ports';
import { discoverServer, queryProxyAddress } from '../xmpp/serverDiscovery';
import { NS_SI } from '../xmpp/xep/xep0095Si';
import { NS_FILE_TRANSFER } from '../xmpp/xep/xep0096FileTransfer';
import { NS_BYTESTREAMS, type Streamhost } from '../xmpp/xep/xep0065Bytestreams';
import { NS_IBB } from '../xmpp/xep/xep0047Ibb';
import type { DiscoService } from '../xmpp/disco';
import type { PeerDiscovery } from '../xmpp/peerDiscovery';
import type { PresenceService } from '../xmpp/presence';
import type { XmppSession } from '../xmpp/session';

/** Transfer settings a host may pass (CLI flags, tests). */
export interface TransferSettings {
  /** Addresses offered for the direct streamhost; default: every usable local address, loopback last. */
  directAddresses?: string[];
  /** Proxies the user configured (JIDs; their address is asked with XEP-0065 §4), added to those discovered. */
  proxyJids?: string[];
  /** Streamhosts the user configured with their address (jid, host, port), offered as proxies. */
  proxies?: Streamhost[];
  /** Ask the server for its proxies (default true). */
  discoverProxies?: boolean;
  /** Incoming offers: decide before asking (CLI --accept). */
  acceptPolicy?(offer: { from: string; name: string; size: number }): AcceptDecision;
  receivePreference?: TransportPreference;
  timings?: Partial<TransferTimings>;
}

interface Deps {
  session: XmppSession;
  disco: DiscoService;
  presence: PresenceService;
  peers: PeerDiscovery;
  downloadDir: string;
  settings: TransferSettings;
  onUpdated: ConstructorParameters<typeof TransferService>[0]['onUpdated'];
}

/** The features the SI slice really implements (disco#info and caps). */
export const SI_FEATURES = [NS_SI, NS_FILE_TRANSFER, NS_BYTESTREAMS, NS_IBB];

/** Builds the transfer service with its SOCKS5 listener, proxy discovery and peer resolution. */
export function createTransferService(deps: Deps): { service: TransferService; dispose(): void } {
  const listener = new Socks5Listener();
  const removeFeatures = SI_FEATURES.map((ns) => deps.disco.addFeature(ns));
  let proxies: Promise<Streamhost[]> | null = null;
  const unsubscribe = deps.session.onStateChanged((s) => { if (s.state !== 'online') proxies = null; });
  const service = new TransferService({
    xmpp: deps.session,
    downloadDir: deps.downloadDir,
    sources: {
      listener,
      directAddresses: () => deps.settings.directAddresses ?? localAddresses(),
      proxies: () => (proxies ??= findProxies(deps)),
    },
    resolvePeer: (to) => resolvePeer(deps, to),
    acceptPolicy: deps.settings.acceptPolicy,
    receivePreference: deps.settings.receivePreference,
    timings: deps.settings.timings,
    onUpdated: deps.onUpdated,
  });
  return {
    service,
    dispose() {
      service.dispose();
      unsubscribe();
      for (const remove of removeFeatures) remove();
      listener.dispose();
    },
  };
}

async function findProxies(deps: Deps): Promise<Streamhost[]> {
  const asked = (await Promise.all((deps.settings.proxyJids ?? []).map((jid) => queryProxyAddress(deps.session, jid)))).flat();
  const configured = [...(deps.settings.proxies ?? []), ...asked];
  const discovered = deps.settings.discoverProxies === false ? [] : await discoverServer(deps).then((info) => info.proxies, () => []);
  const seen = new Set<string>();
  return [...configured, ...discovered].filter((p) => {
    const key = `${p.jid} ${p.host}:${p.port}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A full JID as given, or the best online resource of a bare JID that advertises SI file transfer. */
async function resolvePeer(deps: Deps, to: string): Promise<string> {
  if (isFullJid(to)) return to;
  const bare = toBareJid(to);
  const resources = deps.presence.resourcesOf(bare);
  if (resources.length === 0) throw new FerryError('not-found', `${bare} is offline: file transfer needs an online contact`);
  for (const { resource } of resources) {
    const full = `${bare}/${resource}`;
    const features = await deps.peers.features(full).catch(() => null);
    if (features?.features.includes(NS_FILE_TRANSFER)) return full;
  }
  throw new FerryError('bad-request', `no online resource of ${bare} supports XEP-0096 file transfer`);
}
