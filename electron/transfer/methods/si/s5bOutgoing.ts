
import xml from '@xmpp/xml';
import { dstAddr } from '../../../transport/socks5/codec';
import type { Expectation } from '../../../transport/socks5/listener';
import {
  buildStreamhostOffer, NS_BYTESTREAMS, parseStreamhostUsed, type Streamhost,
} from '../../../xmpp/xep/xep0065Bytestreams';
import { abortable } from '../../streams/abortable';
import type { OpenedTransport } from '../../streams/openedTransport';
import { connectAndActivateProxy } from '../../streams/s5bProxy';
import { NothingToOfferError, type OutgoingContext, type OutgoingTransport } from './transportTypes';

/** The proxies split by whether they speak the OneTeam HTTP proxy (seed 000); without a lookup none does. */
export async function splitOneteamProxies(ctx: OutgoingContext): Promise<{ plain: Streamhost[]; oneteam: Streamhost[] }> {
  const proxies = await ctx.sources.proxies();
  const lookup = ctx.sources.isOneteamProxy;
  const flags = await Promise.all(proxies.map((p) => (lookup ? lookup(p.jid).catch(() => false) : false)));
  return { plain: proxies.filter((_, i) => !flags[i]), oneteam: proxies.filter((_, i) => flags[i]) };
}

/**
 * XEP-0065 as the Requester (seed 004 §5–6): offer the direct streamhost on every usable local address
 * (loopback last) and the proxies, wait for streamhost-used, then take the direct connection or connect
 * to the proxy and activate it. In 'auto' the OneTeam proxies are left to the OneTeam transport first
 * (oneteamOutgoing.ts) and to s5bViaOneteamOutgoing after it.
 */
export const s5bOutgoing: OutgoingTransport = {
  name: 's5b',
  kind: null,
  priority: 30,
  canUse: (ctx) => ['auto', 's5b', 's5b-direct', 's5b-proxy'].includes(ctx.preference)
    && ctx.acceptedMethods.includes(NS_BYTESTREAMS),
  open: async (ctx) => {
    const useProxy = ctx.preference !== 's5b-direct';
    const split = useProxy ? await splitOneteamProxies(ctx) : { plain: [], oneteam: [] };
    const isOneteamLater = ctx.preference === 'auto' && split.oneteam.length > 0;
    const proxies = isOneteamLater ? split.plain : [...split.plain, ...split.oneteam];
    const useDirect = ctx.preference !== 's5b-proxy' && ctx.sources.directAddresses().length > 0;
    if (!useDirect && proxies.length === 0) {
      if (isOneteamLater) throw new NothingToOfferError('only OneTeam proxies, tried over HTTP first');
      throw new Error(useProxy ? 'no SOCKS5 proxy is known' : 'no local address to offer');
    }
    return await openS5b(ctx, { useDirect, proxies });
  },
};

/** Plain SOCKS5 through the OneTeam proxies, after their HTTP path failed ('auto' only). */
export const s5bViaOneteamOutgoing: OutgoingTransport = {
  name: 's5b-oneteam',
  kind: 's5b-proxy',
  priority: 15,
  canUse: (ctx) => ctx.preference === 'auto' && ctx.acceptedMethods.includes(NS_BYTESTREAMS) && !!ctx.sources.isOneteamProxy,
  open: async (ctx) => {
    const { oneteam } = await splitOneteamProxies(ctx);
    if (oneteam.length === 0) throw new NothingToOfferError('no OneTeam proxy');
    return await openS5b(ctx, { useDirect: false, proxies: oneteam });
  },
};

async function openS5b(ctx: OutgoingContext, offer: { useDirect: boolean; proxies: Streamhost[] }): Promise<OpenedTransport> {
  const hash = dstAddr(ctx.sid, ctx.ownJid, ctx.target);
  const { proxies } = offer;
  const direct = offer.useDirect ? await expectDirect(ctx, hash) : null;
  try {
    const streamhosts = [
      ...(direct ? ctx.sources.directAddresses().map((host) => ({ jid: ctx.ownJid, host, port: direct.port })) : []),
      ...proxies,
    ];
    const used = await requestStreamhostUsed(ctx, streamhosts);
    if (direct && used === ctx.ownJid) return await takeDirect(ctx, direct);
    const proxy = proxies.find((p) => p.jid === used);
    if (!proxy) throw new Error(`peer used an unknown streamhost ${used}`);
    return await activateProxy(ctx, proxy, hash);
  } finally {
    direct?.dispose();
  }
}

async function expectDirect(ctx: OutgoingContext, hash: string): Promise<Expectation> {
  return await ctx.sources.listener.expect(hash, { timeoutMs: ctx.timings.s5bResultTimeoutMs + 5_000, signal: ctx.signal });
}

/** Offers the streamhosts (logged) and resolves with the JID of the one the receiver used. */
export async function requestStreamhostUsed(ctx: OutgoingContext, streamhosts: Streamhost[]): Promise<string> {
  ctx.record.log({
    method: 'si', transport: null, outcome: 'started', reason: '',
    detail: `offered ${streamhosts.length} streamhost(s): ${streamhosts.map((h) => `${h.jid} ${h.host}:${h.port}`).join(', ')}`,
  });
  const iq = xml('iq', { type: 'set', to: ctx.target }, buildStreamhostOffer({ sid: ctx.sid, mode: 'tcp', dstAddr: null, streamhosts }));
  const result = await abortable(ctx.xmpp.request(iq, ctx.timings.s5bResultTimeoutMs), ctx.signal);
  const query = result.getChild('query', NS_BYTESTREAMS);
  const used = query ? parseStreamhostUsed(query) : null;
  if (!used?.ok) throw new Error('peer answered without a valid streamhost-used');
  return used.value.jid;
}

async function takeDirect(ctx: OutgoingContext, direct: Expectation): Promise<OpenedTransport> {
  // The target reports streamhost-used only after its SOCKS5 handshake succeeded, so the stream is there.
  const stream = await abortable(direct.stream, ctx.signal);
  return { stream, transport: 's5b-direct', detail: `direct streamhost ${ctx.ownJid}` };
}

async function activateProxy(ctx: OutgoingContext, proxy: Streamhost, hash: string): Promise<OpenedTransport> {
  const stream = await connectAndActivateProxy({
    xmpp: ctx.xmpp, proxy, sid: ctx.sid, dstAddr: hash, target: ctx.target, signal: ctx.signal,
    connectTimeoutMs: ctx.timings.s5bConnectTimeoutMs * 2, resultTimeoutMs: ctx.timings.s5bResultTimeoutMs,
  });
  return { stream, transport: 's5b-proxy', detail: `proxy ${proxy.jid} ${proxy.host}:${proxy.port}` };
}
