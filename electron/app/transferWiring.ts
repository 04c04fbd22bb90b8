import { FerryError } from '../../shared/ipc/wireError';
import { isFullJid, toBareJid } from '../../shared/model/jid';
import { localAddresses, Socks5Listener } from '../transport/socks5/listener';
import { TransferService, type AcceptDecision, type OfferForPolicy } from '../transfer/transferService';
import { DEFAULT_TIMINGS, type TransferTimings, type TransportPreference } from '../transfer/ports';
import { discoverServer, queryProxyAddress } from '../xmpp/serverDiscovery';
import type { Streamhost } from '../xmpp/xep/xep0065Bytestreams';
import { createSiMethod } from '../transfer/methods/si/siMethod';
import { createJingleMethod, jingleTimingsFrom } from '../transfer/methods/jingle/jingleMethod';
import type { PeerCandidate } from '../transfer/methods/methodTable';
import type { TransferMethod, UploadServiceInfo } from '../transfer/methods/types';
import { createHttpUploadMethod } from '../transfer/methods/httpUpload/httpUploadMethod';
import { createKontalkMethod } from '../transfer/methods/kontalk/kontalkMethod';
import { discoverKontalkUpload } from '../xmpp/kontalkDiscovery';
import { registerLinkReceiver } from '../transfer/methods/links/linkReceiver';
import { createOfferThumbnails } from '../transfer/thumbnails/offerThumbnails';
import { BobService } from '../xmpp/bob';
import { readUploadService } from '../xmpp/xep/xep0363HttpUpload';
import type { ServerInfo } from '../../shared/model/session';
import type { DiscoService } from '../xmpp/disco';
import type { PeerDiscovery } from '../xmpp/peerDiscovery';
import type { PresenceService } from '../xmpp/presence';
import { createOneteamProxyLookup } from './oneteamProxies';
import type { XmppSession } from '../xmpp/session';
import type { Settings } from '../../shared/model/settings';

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
  /** The XEP-0363 upload service to use (a JID; CLI --upload-service), instead of the one discovery finds. */
  uploadService?: string;
  /** The host's download folder wins over the one in the settings (a CLI --dir flag). */
  isDownloadDirFixed?: boolean;
  /** Incoming offers: decide before asking (CLI --accept); replaces the settings' auto-accept rules. */
  acceptPolicy?(offer: OfferForPolicy): AcceptDecision;
  receivePreference?: TransportPreference;
  timings?: Partial<TransferTimings>;
}

interface Deps {
  session: XmppSession;
  /** The account's settings as they are now (download folder, rules, SOCKS5 ports, addresses, proxies). */
  userSettings: () => Settings;
  /** The accept policy built from the rules (app/acceptRules.ts); a host's acceptPolicy replaces it. */
  acceptPolicy: (offer: OfferForPolicy) => AcceptDecision;
  disco: DiscoService;
  presence: PresenceService;
  peers: PeerDiscovery;
  downloadDir: string;
  settings: TransferSettings;
  onUpdated: ConstructorParameters<typeof TransferService>[0]['onUpdated'];
  onPartKept?: ConstructorParameters<typeof TransferService>[0]['onPartKept'];
  findRequestedFile?: ConstructorParameters<typeof TransferService>[0]['findRequestedFile'];
}

/** The method table: every way Ferry agrees on a file with a peer (transfer/methods/). */
function createMethods(settings: TransferSettings): TransferMethod[] {
  return [createJingleMethod({ timings: jingleTimingsFrom({ ...DEFAULT_TIMINGS, ...settings.timings }) }), createSiMethod()];
}

/** What the account's server offers, asked once per session (proxies, upload services). */
type ServerLookups = { proxies(): Promise<Streamhost[]>; upload(): Promise<UploadServiceInfo | null>; kontalk(): Promise<UploadServiceInfo | null> };

/** Builds the transfer service with its SOCKS5 listener, proxy and upload discovery, and peer resolution. */
export function createTransferService(deps: Deps): { service: TransferService; dispose(): Promise<void> } {
  const listener = new Socks5Listener({ portRange: () => deps.userSettings().socks5Ports });
  const methods = createMethods(deps.settings);
  const bob = new BobService(deps.session);
  const removeFeatures = [...methods.flatMap((method) => method.features), ...bob.features].map((ns) => deps.disco.addFeature(ns));
  let proxies: Promise<Streamhost[]> | null = null;
  let proxiesFor = '';
  let upload: Promise<UploadServiceInfo | null> | null = null;
  let kontalk: Promise<UploadServiceInfo | null> | null = null;
  let server: Promise<ServerInfo> | null = null;
  const serverInfo = (): Promise<ServerInfo> => (server ??= discoverServer(deps));
  const oneteam = createOneteamProxyLookup({ disco: deps.disco, serverInfo });
  const unsubscribe = deps.session.onStateChanged((s) => {
    if (s.state !== 'online') { proxies = null; upload = null; kontalk = null; server = null; oneteam.reset(); }
  });
  const lookups: ServerLookups = {
    proxies: () => {
      // The user's extra proxies may change between transfers: ask again when they did.
      const extra = deps.userSettings().extraProxies.join(' ');
      if (extra !== proxiesFor) { proxies = null; proxiesFor = extra; }
      return (proxies ??= findProxies(deps, serverInfo));
    },
    upload: () => (upload ??= findUploadService(deps, serverInfo)),
    kontalk: () => (kontalk ??= serverInfo().then((info) => discoverKontalkUpload(deps.disco, info)).then(
      (found) => (found ? { jid: found.jid, node: found.node, maxFileSize: null } : null), () => null)),
  };
  const service = new TransferService({
    xmpp: deps.session,
    downloadDir: deps.downloadDir,
    currentDownloadDir: () => (deps.settings.isDownloadDirFixed ? null : deps.userSettings().downloadDir),
    sources: {
      listener,
      directAddresses: () => deps.settings.directAddresses ?? withExtraAddresses(localAddresses(), deps.userSettings().extraAddresses),
      proxies: lookups.proxies,
      isOneteamProxy: oneteam.isOneteamProxy,
    },
    methods,
    serverMethods: [createHttpUploadMethod({ service: lookups.upload }), createKontalkMethod({ service: lookups.kontalk })],
    receivers: [registerLinkReceiver],
    thumbnails: createOfferThumbnails(bob),
    methodOrder: () => deps.userSettings().methodOrder,
    peerCandidates: (to) => peerCandidates(deps, to),
    acceptPolicy: deps.acceptPolicy,
    receivePreference: deps.settings.receivePreference,
    timings: deps.settings.timings,
    onUpdated: deps.onUpdated,
    onPartKept: deps.onPartKept,
    findRequestedFile: deps.findRequestedFile,
  });
  return {
    service,
    async dispose() {
      const stopped = service.dispose();
      unsubscribe();
      for (const remove of removeFeatures) remove();
      bob.dispose();
      listener.dispose();
      await stopped;
    },
  };
}

async function findProxies(deps: Deps, serverInfo: () => Promise<ServerInfo>): Promise<Streamhost[]> {
  const jids = [...new Set([...(deps.settings.proxyJids ?? []), ...deps.userSettings().extraProxies])];
  const asked = (await Promise.all(jids.map((jid) => queryProxyAddress(deps.session, jid).catch(() => [])))).flat();
  const configured = [...(deps.settings.proxies ?? []), ...asked];
  const discovered = deps.settings.discoverProxies === false ? [] : await serverInfo().then((info) => info.proxies, () => []);
  const seen = new Set<string>();
  return [...configured, ...discovered].filter((p) => {
    const key = `${p.jid} ${p.host}:${p.port}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The user's extra addresses (an external IP) after the local ones that are not loopback, loopback still last. */
function withExtraAddresses(local: string[], extra: readonly string[]): string[] {
  const isLoopback = (address: string): boolean => address.startsWith('127.') || address === '::1';
  return [...new Set([...local.filter((a) => !isLoopback(a)), ...extra, ...local.filter(isLoopback)])];
}

/** The upload service the user named (its limit read from its disco#info), or the first one the server lists. */
async function findUploadService(deps: Deps, serverInfo: () => Promise<ServerInfo>): Promise<UploadServiceInfo | null> {
  const named = deps.settings.uploadService;
  if (named) {
    const info = await deps.disco.queryInfo(named).catch(() => null);
    return { jid: named, maxFileSize: (info ? readUploadService(info) : null)?.maxFileSize ?? null };
  }
  return await serverInfo().then((info) => info.uploadServices[0] ?? null, () => null);
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
