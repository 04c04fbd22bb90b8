import type { Element } from '@xmpp/xml';
import { XmppStanzaError } from '../../xmpp/stanzaErrors';
import { IbbBlockRefused, type IbbStream } from '../../transport/ibb/ibbStream';
import { stanzaError, type ParseResult } from '../../xmpp/xep/stanzaErrors';
import { NS_SI } from '../../xmpp/xep/xep0095Si';
import { parseFileTransferOffer, type FileTransferOffer } from '../../xmpp/xep/xep0096FileTransfer';
import { NS_BYTESTREAMS, parseStreamhostOffer } from '../../xmpp/xep/xep0065Bytestreams';
import {
  checkBlockSize, DATA_ERRORS, MAX_BLOCK_SIZE_BYTES, NS_IBB, parseClose, parseData, parseOpen, type IbbData,
} from '../../xmpp/xep/xep0047Ibb';
import type { TransferXmpp } from '../ports';
import type { IncomingSiTransfer } from './siReceiver';
import { parseFerryCancel } from './ferryCancel';

/** What the router needs from the transfer service. */
export interface SiRouterTarget {
  /** A new offer arrived; returns the transfer that will answer it. */
  onOffer(offer: FileTransferOffer, from: string): IncomingSiTransfer;
  /** The incoming transfer for (sid, sender), if any. */
  find(sid: string, from: string): IncomingSiTransfer | undefined;
  /** The outgoing IBB stream for (sid, receiver), if any: the receiver may send `<close/>` too. */
  findOutgoingIbb(sid: string, from: string): IbbStream | undefined;
  /** The peer of transfer `sid` said it cancelled it (ferryCancel.ts). */
  onPeerCancel(sid: string, from: string): void;
  /** A full JID went offline. */
  onPeerUnavailable(jid: string): void;
}

function orThrow<T>(result: ParseResult<T>): T {
  if (!result.ok) throw new XmppStanzaError(result.error);
  return result.value;
}

/**
 * Routes SI, S5B and IBB stanzas to incoming transfers by (sid, sender): the glue between the session's
 * IQ/message streams and IncomingSiTransfer. Returns dispose.
 */
export function registerSiRouter(xmpp: TransferXmpp, target: SiRouterTarget): () => void {
  const incoming = (sid: string, from: string, notFound = stanzaError('item-not-found', { type: 'cancel' })): IncomingSiTransfer => {
    const transfer = target.find(sid, from);
    if (!transfer) throw new XmppStanzaError(notFound);
    return transfer;
  };
  const disposers = [
    xmpp.handleIq('set', NS_SI, 'si', async ({ element, from }) => {
      const offer = orThrow(parseFileTransferOffer(element));
      return await target.onOffer(offer, from).answerOffer();
    }),
    xmpp.handleIq('set', NS_BYTESTREAMS, 'query', async ({ element, from }) => {
      const offer = orThrow(parseStreamhostOffer(element));
      if (offer.mode !== 'tcp') throw new XmppStanzaError(stanzaError('not-acceptable', { text: 'only mode tcp' }));
      return await incoming(offer.sid, from, stanzaError('not-acceptable')).answerStreamhosts(offer);
    }),
    xmpp.handleIq('set', NS_IBB, 'open', ({ element, from }) => {
      const open = orThrow(parseOpen(element));
      const tooLarge = checkBlockSize(open, MAX_BLOCK_SIZE_BYTES);
      if (tooLarge) throw new XmppStanzaError(tooLarge);
      incoming(open.sid, from, stanzaError('not-acceptable')).acceptIbbOpen(open);
      return undefined;
    }),
    xmpp.handleIq('set', NS_IBB, 'data', async ({ element, from }) => {
      await pushData(incoming, orThrow(parseData(element)), from);
      return undefined;
    }),
    xmpp.handleIq('set', NS_IBB, 'close', ({ element, from }) => {
      const { sid } = orThrow(parseClose(element));
      const outgoing = target.findOutgoingIbb(sid, from);
      if (outgoing) outgoing.peerClosed();
      else incoming(sid, from).ibbStream?.peerClosed();
      return undefined;
    }),
    xmpp.onMessage((stanza) => {
      const cancelled = parseFerryCancel(stanza);
      if (cancelled !== null && typeof stanza.attrs.from === 'string') target.onPeerCancel(cancelled, stanza.attrs.from);
      else routeMessageData(stanza, incoming);
    }),
    xmpp.onPresence((stanza) => {
      if (stanza.attrs.type === 'unavailable' && typeof stanza.attrs.from === 'string') target.onPeerUnavailable(stanza.attrs.from);
    }),
  ];
  return () => { for (const dispose of disposers) dispose(); };
}

type Lookup = (sid: string, from: string) => IncomingSiTransfer;

async function pushData(incoming: Lookup, data: IbbData, from: string): Promise<void> {
  const stream = incoming(data.sid, from).ibbStream;
  if (!stream) throw new XmppStanzaError(DATA_ERRORS['unknown-session']);
  try {
    await stream.pushBlock(data.seq, data.base64);
  } catch (error) {
    if (error instanceof IbbBlockRefused && error.reason in DATA_ERRORS) {
      throw new XmppStanzaError(DATA_ERRORS[error.reason as keyof typeof DATA_ERRORS]);
    }
    throw new XmppStanzaError(stanzaError('unexpected-request', { type: 'cancel', text: (error as Error).message }));
  }
}

/** XEP-0047 §4: data in `<message/>` stanzas (Spark, seed 001). No acknowledgement exists; errors close the stream. */
function routeMessageData(stanza: Element, incoming: Lookup): void {
  const element = stanza.getChild('data', NS_IBB);
  if (!element || stanza.attrs.type === 'error') return;
  const data = parseData(element);
  if (!data.ok) return;
  try {
    const stream = incoming(data.value.sid, String(stanza.attrs.from ?? '')).ibbStream;
    void stream?.pushBlock(data.value.seq, data.value.base64).catch(() => undefined);
  } catch {
    // Unknown sid in a message: nothing to answer.
  }
}
