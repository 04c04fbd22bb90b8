import { randomBytes } from 'node:crypto';
import { NS_SI } from '../../../xmpp/xep/xep0095Si';
import { NS_FILE_TRANSFER } from '../../../xmpp/xep/xep0096FileTransfer';
import { NS_BYTESTREAMS } from '../../../xmpp/xep/xep0065Bytestreams';
import { NS_IBB } from '../../../xmpp/xep/xep0047Ibb';
import type { TransferRecord } from '../../transferRecord';
import type { MethodSendContext, OutgoingHandle, TransferMethod } from '../types';
import { IncomingSiTransfer, tellPeerCancelled } from './siReceiver';
import { registerSiRouter } from './siRouter';
import { runSiSend } from './siSender';
import { createReceiptInbox, type OneteamReceipt } from './oneteamReceipt';

/** The features the SI method really implements (disco#info and caps). */
export const SI_FEATURES = [NS_SI, NS_FILE_TRANSFER, NS_BYTESTREAMS, NS_IBB] as const;

interface Outgoing { record: TransferRecord; abort: AbortController; sid: string; receipts: ReturnType<typeof createReceiptInbox> }

/**
 * XEP-0095/0096 stream initiation as one entry of the method table: what Spark, Smack and Pidgin speak.
 * Keeps its own index of live transfers by (sid, peer) for its stanzas and for ferry-cancel notices.
 */
export function createSiMethod(): TransferMethod {
  const incomingBySid = new Map<string, IncomingSiTransfer>();
  const outgoing = new Set<Outgoing>();

  const onPeerCancel = (sid: string, from: string): void => {
    const incoming = incomingBySid.get(`${sid} ${from}`);
    if (incoming) { incoming.peerCancelled(from); return; }
    for (const entry of outgoing) {
      if (entry.sid !== sid || entry.record.peer !== from) continue;
      entry.record.end('cancelled', { reason: `cancelled by ${from}` });
      entry.abort.abort();
    }
  };

  const onOneteamReceipt = (receipt: OneteamReceipt, from: string): void => {
    for (const entry of outgoing) if (entry.sid === receipt.sid && entry.record.peer === from) entry.receipts.deliver(receipt);
  };

  return {
    name: 'si',
    priority: 10,
    features: SI_FEATURES,
    canSend: (features) => features.has(NS_FILE_TRANSFER),
    describe: () => 'the peer advertises XEP-0096 stream-initiation file transfer',
    send(ctx: MethodSendContext): OutgoingHandle {
      const sid = `ferry-${randomBytes(12).toString('hex')}`;
      const abort = new AbortController();
      ctx.signal.addEventListener('abort', () => abort.abort(), { once: true });
      const entry: Outgoing = { record: ctx.record, abort, sid, receipts: createReceiptInbox() };
      outgoing.add(entry);
      const done = runSiSend({ ...ctx, sid, signal: abort.signal, receipts: entry.receipts }).finally(() => outgoing.delete(entry));
      return {
        done,
        cancelByUser() {
          const { record } = ctx;
          // Tell a Ferry peer who ended it (ferryCancel.ts), then close: the notice goes first, the reset a moment later.
          const told = record.state !== 'offered' ? tellPeerCancelled(ctx.xmpp, record.peer, sid) : Promise.resolve();
          record.end('cancelled', { reason: 'cancelled' });
          void told.then(() => abort.abort());
        },
      };
    },
    register(env) {
      return registerSiRouter(env.xmpp, {
        onOffer: (offer, from, fileElement) => env.host.offer({ method: 'si', from, file: offer.file, fileElement }, (deps) => {
          const key = `${offer.sid} ${from}`;
          const transfer = new IncomingSiTransfer({
            xmpp: env.xmpp, record: deps.record, sid: offer.sid, initiator: from, ownJid: deps.ownJid,
            offeredMethods: [...offer.methods], preference: deps.preference, timings: deps.timings,
            openFile: (dir) => deps.openFile(dir, { sha256: null, isRangeSupported: offer.isRangeSupported }),
            expectIbb: (onOpen) => env.ibb.expect(offer.sid, from, onOpen),
            isOneteamProxy: env.sources.isOneteamProxy,
          });
          incomingBySid.set(key, transfer);
          const unindex = deps.record.onUpdated(() => {
            if (!deps.record.isEnded) return;
            if (incomingBySid.get(key) === transfer) incomingBySid.delete(key);
            unindex();
          });
          return transfer;
        }),
        find: (sid, from) => incomingBySid.get(`${sid} ${from}`),
        onPeerCancel,
        findByOneteamSidHash: (sidHash) => [...incomingBySid.values()].find((t) => t.oneteamSidHash === sidHash),
        onOneteamReceipt,
      });
    },
  };
}
