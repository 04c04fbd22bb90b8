import type { ServerInfo } from '../../shared/model/session';
import type { DiscoService } from '../xmpp/disco';
import { hasOneteamProxy } from '../xmpp/xep/oneteamBsProxy';

/** How many JIDs outside server discovery (configured proxies, streamhosts in peers' offers) are asked per session. */
const MAX_ASKED_JIDS = 64;

/**
 * Which proxies speak the OneTeam HTTP bytestream proxy (seed 000: "It must publish <feature
 * var='http://oneteam.im/bs-proxy'/> in disco#info"). A proxy found by server discovery is known from the
 * disco#info discovery already asked; any other JID (a configured proxy, a streamhost in a peer's offer) is
 * asked once, with the disco query's own timeout, and at most MAX_ASKED_JIDS of them per session. Every
 * failure reads as "not a OneTeam proxy". `reset()` forgets it all (the session went offline).
 */
export function createOneteamProxyLookup(deps: { disco: Pick<DiscoService, 'queryInfo'>; serverInfo(): Promise<ServerInfo> }): {
  isOneteamProxy(jid: string): Promise<boolean>;
  reset(): void;
} {
  let asked = new Map<string, Promise<boolean>>();
  const fromServer = async (jid: string): Promise<boolean | null> => {
    const info = await deps.serverInfo().catch(() => null);
    const item = info?.items.find((i) => i.jid === jid);
    return item && item.identities.some((id) => id.category === 'proxy' && id.type === 'bytestreams') ? hasOneteamProxy(item) : null;
  };
  const lookUp = async (jid: string): Promise<boolean> => {
    const known = await fromServer(jid);
    if (known !== null) return known;
    return await deps.disco.queryInfo(jid).then(hasOneteamProxy, () => false);
  };
  return {
    isOneteamProxy(jid) {
      const cached = asked.get(jid);
      if (cached) return cached;
      if (asked.size >= MAX_ASKED_JIDS) return fromServer(jid).then((known) => known ?? false);
      const answer = lookUp(jid);
      asked.set(jid, answer);
      return answer;
    },
    reset() { asked = new Map(); },
  };
}
