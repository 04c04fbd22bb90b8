import { FerryError } from '../../shared/ipc/wireError';
import { isFullJid, toBareJid } from '../../shared/model/jid';
import { localAddresses, Socks5Listener } from '../transport/socks5/listener';
import { TransferService, type AcceptDecision } from '../transfer/transferService';
import { DEFAULT_TIMINGS, type TransferTimings, type TransportPreference } from '../transfer/ports';
import { discoverServer, queryProxyAddress } from '../xmpp/serverDiscovery';
import type { Streamhost } from '../xmpp/xep/xep0065Bytestreams';
import { createSiMethod } from '../transfer/methods/si/siMethod';
import { createJingleMethod, jingleTimingsFrom } from '../transfer/methods/jingle/jingleMethod';
import type { PeerCandidate } from '../transfer/methods/methodTable';
import type { TransferMethod } from '../transfer/methods/types';
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

/** The method table: every way Ferry agrees on a file with a peer (transfer/methods/). */
function createMethods(settings: TransferSettings): TransferMethod[] {
  return [createJingleMethod({ timings: jingleTimingsFrom({ ...DEFAULT_TIMINGS, ...settings.timings }) }), createSiMethod()];
}

/** Builds the transfer service with its SOCKS5 listener, proxy discovery and peer resolution. */
export function createTransferService(deps: Deps): { service: TransferService; dispose(): Promise<void> } {
  const listener = new Socks5Listener();
  const methods = createMethods(deps.settings);
  const removeFeatures = methods.flatMap((method) => method.features).map((ns) => deps.disco.addFeature(ns));
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
    methods,
    peerCandidates: (to) => peerCandidates(deps, to),
    acceptPolicy: deps.settings.acceptPolicy,
    receivePreference: deps.settings.receivePreference,
    timings: deps.settings.timings,
    onUpdated: deps.onUpdated,
  });
  return {
    service,
    async dispose() {
      const stopped = service.dispose();
      unsubscribe();
      for (const remove of removeFeatures) remove();
      listener.dispose();
      await stopped;
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

/** A full JID as given, or every online resource of a bare JID, each with its disco#info features. */
async function peerCandidates(deps: Deps, to: string): Promise<PeerCandidate[]> {
  const featuresOf = async (jid: string): Promise<PeerCandidate> => ({
    jid, features: await deps.peers.features(jid).then((f) => f.features, () => null),
  });
  if (isFullJid(to)) return [await featuresOf(to)];
  const bare = toBareJid(to);
  const resources = deps.presence.resourcesOf(bare);
  if (resources.length === 0) throw new FerryError('not-found', `${bare} is offline: file transfer needs an online contact`);
  return await Promise.all(resources.map(({ resource }) => featuresOf(`${bare}/${resource}`)));
}
