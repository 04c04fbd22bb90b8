import { parseJid, toBareJid } from '../../shared/model/jid';
import type { PeerFeatures, ServerIdentity } from '../../shared/model/session';
import type { CapsStore } from '../store/capsStore';
import type { DiscoService } from './disco';
import type { PresenceService } from './presence';
import type { DiscoIdentity, DiscoInfo } from './xep/xep0030Disco';
import { isVerifiedCaps } from './xep/xep0115Caps';

const MAX_CACHED_VERS = 500;

/**
 * What a peer can do: disco#info of its best resource, answered from a cache keyed by XEP-0115 ver when
 * the peer announced caps. Only a ver that verifies against the received info is cached (XEP-0115 §5.4),
 * so one lying peer cannot poison the answer for others. With a store (the account's database), a verified
 * answer is also kept there and a ver missing from memory is looked up there first, so a peer seen before
 * a restart is not asked again. A store that fails is logged and treated as a miss.
 */
export class PeerDiscovery {
  private readonly byVer = new Map<string, DiscoInfo>();

  constructor(private readonly deps: {
    disco: Pick<DiscoService, 'queryInfo'>;
    presence: Pick<PresenceService, 'bestResource' | 'capsOf'>;
    /** The account's caps store, once open (null without a data folder). */
    store?: () => Promise<CapsStore | null>;
    log?: (line: string) => void;
  }) {}

  /** Features of a full JID, or of a bare JID's best available resource (the account itself when offline). */
  async features(jid: string): Promise<PeerFeatures> {
    const parts = parseJid(jid);
    const target = parts?.resource ? jid : this.deps.presence.bestResource(jid) ?? toBareJid(jid);
    const caps = this.deps.presence.capsOf(target);
    const key = caps ? `${caps.hash} ${caps.ver}` : null;
    const cached = caps && key ? this.byVer.get(key) ?? await this.fromStore(caps.hash, caps.ver, key) : undefined;
    if (cached) return toPeerFeatures(target, cached);
    const info = await this.deps.disco.queryInfo(target, caps ? `${caps.node}#${caps.ver}` : undefined);
    if (caps && key && isVerifiedCaps(info, caps)) {
      this.remember(key, info);
      await this.toStore(caps.hash, caps.ver, info);
    }
    return toPeerFeatures(target, info);
  }

  /** True once a verified answer for this ver is cached. */
  isCached(hash: string, ver: string): boolean {
    return this.byVer.has(`${hash} ${ver}`);
  }

  private async fromStore(hash: string, ver: string, key: string): Promise<DiscoInfo | undefined> {
    try {
      const stored = (await this.deps.store?.())?.get(hash, ver);
      if (!stored) return undefined;
      const info: DiscoInfo = { identities: stored.identities, features: stored.features, forms: [] };
      this.remember(key, info);
      return info;
    } catch (error) {
      this.deps.log?.(`caps: the stored answer for ${hash} ${ver} could not be read: ${String(error)}`);
      return undefined;
    }
  }

  private async toStore(hash: string, ver: string, info: DiscoInfo): Promise<void> {
    try {
      (await this.deps.store?.())?.put(hash, ver, { identities: info.identities, features: info.features });
    } catch (error) {
      this.deps.log?.(`caps: the answer for ${hash} ${ver} could not be stored: ${String(error)}`);
    }
  }

  private remember(key: string, info: DiscoInfo): void {
    if (this.byVer.size >= MAX_CACHED_VERS) {
      const oldest = this.byVer.keys().next().value;
      if (oldest !== undefined) this.byVer.delete(oldest);
    }
    this.byVer.set(key, info);
  }
}

function toPeerFeatures(jid: string, info: DiscoInfo): PeerFeatures {
  return { jid, features: [...info.features], identities: info.identities.map(toServerIdentity) };
}

/** The contract's identity shape (name always present). */
export function toServerIdentity(identity: DiscoIdentity): ServerIdentity {
  return { category: identity.category, type: identity.type, name: identity.name ?? '' };
}
