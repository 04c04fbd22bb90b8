import { XmppStanzaError } from '../../../xmpp/stanzaErrors';
import { stanzaError, type ParseResult } from '../../../xmpp/xep/stanzaErrors';
import { NS_SI } from '../../../xmpp/xep/xep0095Si';
import { NS_FILE_TRANSFER, parseFileTransferOffer, type FileTransferOffer } from '../../../xmpp/xep/xep0096FileTransfer';
import type { Element } from '@xmpp/xml';
import { NS_BYTESTREAMS, parseStreamhostOffer } from '../../../xmpp/xep/xep0065Bytestreams';
import type { TransferXmpp } from '../../ports';
import type { IncomingSiTransfer } from './siReceiver';
import { parseFerryCancel } from './ferryCancel';
import { NS_ONETEAM_BS_PROXY } from '../../../xmpp/xep/oneteamBsProxy';
import { parseOneteamReceipt, type OneteamReceipt } from './oneteamReceipt';

/** What the router needs from the SI method. */
export interface SiRouterTarget {
  /** A new offer arrived; returns the transfer that will answer it. */
  /** `fileElement`: the offer's XEP-0096 `<file/>` (its XEP-0264 thumbnail, if any). */
  onOffer(offer: FileTransferOffer, from: string, fileElement: Element | undefined): IncomingSiTransfer;
  /** The incoming transfer for (sid, sender), if any. */
  find(sid: string, from: string): IncomingSiTransfer | undefined;
  /** The peer of transfer `sid` said it cancelled it (ferryCancel.ts). */
  onPeerCancel(sid: string, from: string): void;
  /** The incoming transfer a OneTeam proxy's SIDHASH names, if any. */
  findByOneteamSidHash(sidHash: string): IncomingSiTransfer | undefined;
  /** The receiver of our transfer said how its OneTeam download went (oneteamReceipt.ts). */
  onOneteamReceipt(receipt: OneteamReceipt, from: string): void;
}

function orThrow<T>(result: ParseResult<T>): T {
  if (!result.ok) throw new XmppStanzaError(result.error);
  return result.value;
}

/**
 * Routes SI offers, XEP-0065 streamhost offers and ferry-cancel notices to incoming transfers by (sid,
 * sender). XEP-0047 goes through the shared IBB router (streams/ibbRouter.ts). Returns dispose.
 */
export function registerSiRouter(xmpp: TransferXmpp, target: SiRouterTarget): () => void {
  const disposers = [
    xmpp.handleIq('set', NS_SI, 'si', async ({ element, from }) => {
      const offer = orThrow(parseFileTransferOffer(element));
      return await target.onOffer(offer, from, element.getChild('file', NS_FILE_TRANSFER)).answerOffer();
    }),
    xmpp.handleIq('set', NS_BYTESTREAMS, 'query', async ({ element, from }) => {
      const offer = orThrow(parseStreamhostOffer(element));
      if (offer.mode !== 'tcp') throw new XmppStanzaError(stanzaError('not-acceptable', { text: 'only mode tcp' }));
      const transfer = target.find(offer.sid, from);
      if (!transfer) throw new XmppStanzaError(stanzaError('not-acceptable'));
      return await transfer.answerStreamhosts(offer);
    }),
    // Seed 000 II.2 <activated sidhash url/> and III <progress sidhash total sent/>, pushed by the proxy.
    ...(['activated', 'progress'] as const).map((name) => xmpp.handleIq('set', NS_ONETEAM_BS_PROXY, name, ({ element, from }) => {
      const sidHash = typeof element.attrs.sidhash === 'string' ? element.attrs.sidhash.toLowerCase() : '';
      if (!target.findByOneteamSidHash(sidHash)?.onOneteamPush(from, element)) throw new XmppStanzaError(stanzaError('item-not-found'));
      return undefined;
    })),
    xmpp.onMessage((stanza) => {
      const from = stanza.attrs.from;
      if (typeof from !== 'string') return;
      const cancelled = parseFerryCancel(stanza);
      if (cancelled !== null) target.onPeerCancel(cancelled, from);
      const receipt = parseOneteamReceipt(stanza);
      if (receipt) target.onOneteamReceipt(receipt, from);
    }),
  ];
  return () => { for (const dispose of disposers) dispose(); };
}
