import { NS_IBB } from '../../../xmpp/xep/xep0047Ibb';
import { openIbbSender } from '../../streams/ibbSession';
import type { OpenedTransport } from '../../streams/openedTransport';
import type { OutgoingContext, OutgoingTransport } from './transportTypes';

/**
 * XEP-0047 on the SI sid (streams/ibbSession.ts). It is also the fallback after S5B failed, on the same
 * sid, whatever method the receiver chose (Spark, seed 001).
 */
export const ibbOutgoing: OutgoingTransport = {
  name: 'ibb',
  kind: 'ibb',
  priority: 10,
  canUse: (ctx) => ['auto', 'ibb'].includes(ctx.preference)
    && (ctx.acceptedMethods.includes(NS_IBB) || ctx.preference === 'auto'),
  open: openIbb,
};

async function openIbb(ctx: OutgoingContext): Promise<OpenedTransport> {
  const stream = await openIbbSender({
    xmpp: ctx.xmpp, registry: ctx.ibb, sid: ctx.sid, target: ctx.target, blockSize: ctx.blockSize,
    stanza: ctx.ibbStanza, ackTimeoutMs: ctx.timings.ibbAckTimeoutMs, signal: ctx.signal,
  });
  return { stream, transport: 'ibb', detail: `IBB in <${ctx.ibbStanza}/>, block-size ${ctx.blockSize}` };
}
