import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { EventBus } from '../../shared/ipc/eventBus';
import type { XmppSession } from './session';
import { XmppStanzaError } from './stanzaErrors';
import {
  buildInfoQuery, buildInfoResult, buildItemsQuery, buildItemsResult, NS_DISCO_INFO, NS_DISCO_ITEMS,
  parseInfo, parseItems, type DiscoIdentity, type DiscoInfo, type DiscoItem,
} from './xep/xep0030Disco';
import { buildCaps, capsVer, NS_CAPS, type Caps } from './xep/xep0115Caps';

/** XEP-0199 XMPP Ping; xmpp.js's client answers pings itself, Ferry only advertises the feature. */
export const NS_PING = 'urn:xmpp:ping';
/** The XEP-0115 node naming this software ("a URI that uniquely identifies a software application"). */
export const FERRY_CAPS_NODE = 'https://ferry.invalid/caps';

const FERRY_IDENTITY: DiscoIdentity = { category: 'client', type: 'pc', name: 'Ferry' };
const BASE_FEATURES = [NS_DISCO_INFO, NS_DISCO_ITEMS, NS_CAPS, NS_PING];

/** Options for DiscoService; all optional. */
export interface DiscoOptions {
  node?: string;
  identity?: DiscoIdentity;
  /** Bound on each outgoing disco query. Default 10 s. */
  queryTimeoutMs?: number;
}

/**
 * Ferry's own service discovery (XEP-0030) and entity capabilities (XEP-0115): a feature registry that
 * later modules extend with addFeature(), answers to disco#info (also at node '<caps node>#<ver>') and
 * disco#items, the `<c/>` for presence, and the outgoing disco#info/#items queries.
 */
export class DiscoService {
  private readonly features = new Map<string, number>();
  private readonly bus = new EventBus<{ changed: void }>();
  private readonly disposers: (() => void)[] = [];
  private readonly node: string;
  private readonly identity: DiscoIdentity;
  private readonly queryTimeoutMs: number;

  constructor(private readonly session: XmppSession, options: DiscoOptions = {}) {
    this.node = options.node ?? FERRY_CAPS_NODE;
    this.identity = options.identity ?? FERRY_IDENTITY;
    this.queryTimeoutMs = options.queryTimeoutMs ?? 10_000;
    for (const feature of BASE_FEATURES) this.features.set(feature, 1);
    this.disposers.push(
      session.handleIq('get', NS_DISCO_INFO, 'query', ({ element }) => this.answerInfo(element)),
      session.handleIq('get', NS_DISCO_ITEMS, 'query', ({ element }) => buildItemsResult([], element.attrs.node)),
    );
  }

  /** Advertises a feature until the returned function is called; presence is re-sent with the new ver. */
  addFeature(ns: string): () => void {
    const count = this.features.get(ns) ?? 0;
    this.features.set(ns, count + 1);
    if (count === 0) this.bus.emit('changed', undefined);
    let isDisposed = false;
    return () => {
      if (isDisposed) return;
      isDisposed = true;
      const left = (this.features.get(ns) ?? 1) - 1;
      if (left > 0) {
        this.features.set(ns, left);
        return;
      }
      this.features.delete(ns);
      this.bus.emit('changed', undefined);
    };
  }

  /** What Ferry answers to disco#info. */
  ownInfo(): DiscoInfo {
    return { identities: [{ ...this.identity }], features: [...this.features.keys()].sort(), forms: [] };
  }

  /** The caps Ferry announces now (sha-1 ver over ownInfo()). */
  caps(): Caps {
    return { hash: 'sha-1', node: this.node, ver: capsVer(this.ownInfo()) };
  }

  /** The `<c/>` for the next presence. */
  capsElement(): Element {
    return buildCaps(this.caps());
  }

  /** Called when the feature set (and so the caps ver) changed. */
  onChanged(listener: () => void): () => void {
    return this.bus.on('changed', listener);
  }

  /** disco#info of any entity; XmppStanzaError when it answers with an error. */
  async queryInfo(jid: string, node?: string): Promise<DiscoInfo> {
    const result = await this.session.request(xml('iq', { type: 'get', to: jid }, buildInfoQuery(node)), this.queryTimeoutMs);
    const query = result.getChild('query', NS_DISCO_INFO);
    return query ? parseInfo(query) : { identities: [], features: [], forms: [] };
  }

  /** disco#items of any entity. */
  async queryItems(jid: string, node?: string): Promise<DiscoItem[]> {
    const result = await this.session.request(xml('iq', { type: 'get', to: jid }, buildItemsQuery(node)), this.queryTimeoutMs);
    const query = result.getChild('query', NS_DISCO_ITEMS);
    return query ? parseItems(query) : [];
  }

  dispose(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
    this.bus.clear();
  }

  /**
   * No node: the full info. Node '<node>#<ver>' for the current ver: the same info, node mirrored (XEP-0115
   * §6.2, XEP-0030 §3.2). Any other node: item-not-found (XEP-0030 §3.1 error conditions).
   */
  private answerInfo(query: Element): Element {
    const node = query.attrs.node as string | undefined;
    if (node === undefined) return buildInfoResult(this.ownInfo());
    if (node === `${this.node}#${this.caps().ver}`) return buildInfoResult({ ...this.ownInfo(), node });
    throw new XmppStanzaError('item-not-found');
  }
}
