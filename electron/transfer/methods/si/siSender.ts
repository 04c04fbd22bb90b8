import xml from '@xmpp/xml';
import { XmppStanzaError } from '../../../xmpp/stanzaErrors';
import { classifySiError, NS_SI } from '../../../xmpp/xep/xep0095Si';
import { buildFileTransferOffer, NS_FILE_TRANSFER, parseFileTransferAccept, type ByteRange } from '../../../xmpp/xep/xep0096FileTransfer';
import { NS_BYTESTREAMS } from '../../../xmpp/xep/xep0065Bytestreams';
import { NS_IBB } from '../../../xmpp/xep/xep0047Ibb';
import { abortable } from '../../streams/abortable';
import { pumpFile } from '../../streams/filePump';
import type { OpenedTransport } from '../../streams/openedTransport';
import type { MethodSendContext } from '../types';
import { transportsFor } from './outgoingTransports';
import { NothingToOfferError, type DeliveredFile, type OutgoingContext } from './transportTypes';
import type { OneteamReceiptInbox } from './oneteamReceipt';
import { FALLBACK_TO_IBB_DETAIL } from '../../../../shared/model/transfer';

/** Options of one outgoing SI file transfer. */
export interface SiSendOptions extends MethodSendContext {
  sid: string;
  receipts: OneteamReceiptInbox;
}

/** The SI stream methods to offer for a transport preference (XEP-0096 §2: bytestreams before ibb). */
export function offeredMethods(preference: OutgoingContext['preference']): string[] {
  if (preference === 'ibb') return [NS_IBB];
  if (preference === 'auto') return [NS_BYTESTREAMS, NS_IBB];
  // 'oneteam' and the SOCKS5 ones: the OneTeam proxy is "an extension to xep-65 proxy" (seed 000).
  return [NS_BYTESTREAMS];
}

/**
 * Sends one file with XEP-0096: offer, then each usable transport in priority order until one carries the
 * file (S5B direct and proxies, then IBB on the same sid as Spark does). Ends the record in every case.
 */
export async function runSiSend(options: SiSendOptions): Promise<void> {
  const { record } = options;
  try {
    const accept = await negotiate(options);
    if (!accept) return;
    // The receiver asked for the rest of a file it partly has (XEP-0096 §3): say so on our side too.
    if ((accept.range?.offset ?? 0) > 0) record.setResumedFrom(accept.range!.offset);
    await sendOverTransports({ ...options, acceptedMethods: accept.methods, range: accept.range });
  } catch (error) {
    const reason = options.signal.aborted ? 'cancelled' : (error as Error).message;
    record.end(options.signal.aborted ? 'cancelled' : 'failed', { reason });
  }
}

async function negotiate(options: SiSendOptions): Promise<{ methods: string[]; range: ByteRange | null } | null> {
  const { record } = options;
  record.setState('negotiating');
  const si = buildFileTransferOffer({
    sid: options.sid, file: record.file, methods: offeredMethods(options.preference), isRangeSupported: true,
  });
  if (options.thumbnail) si.getChild('file', NS_FILE_TRANSFER)?.append(options.thumbnail);
  let result;
  try {
    result = await abortable(options.xmpp.request(xml('iq', { type: 'set', to: options.target }, si), options.timings.offerTimeoutMs), options.signal);
  } catch (error) {
    if (error instanceof XmppStanzaError && error.stanzaError) {
      const refusal = classifySiError(error.stanzaError);
      if (refusal === 'declined') { record.end('declined', { reason: 'the peer declined the file' }); return null; }
      throw new Error(refusal === 'no-valid-streams'
        ? 'the peer accepts none of the offered stream methods' : `the peer refused the offer (${error.message})`, { cause: error });
    }
    throw error;
  }
  const siElement = result.getChild('si', NS_SI);
  const accept = siElement ? parseFileTransferAccept(siElement, { fileSize: record.file.size }) : null;
  if (!accept?.ok) throw new Error(`the peer's answer to the offer is not valid: ${accept ? accept.error.text : 'no <si/>'}`);
  return { methods: accept.value.methods, range: accept.value.range };
}

async function sendOverTransports(ctx: OutgoingContext): Promise<void> {
  const { record, range } = ctx;
  const candidates = transportsFor(ctx);
  if (candidates.length === 0) throw new Error(`no usable transport for "${ctx.preference}" with what the peer accepted`);
  const reasons: string[] = [];
  for (const transport of candidates) {
    if (ctx.signal.aborted) throw new Error('cancelled');
    record.setState('connecting');
    if (transport.name === 'ibb' && reasons.length > 0) {
      record.log({ method: 'si', transport: 'ibb', outcome: 'started', reason: '', detail: `${FALLBACK_TO_IBB_DETAIL} (IBB on the same sid, as Spark does)` });
    }
    let opened: OpenedTransport | DeliveredFile;
    try {
      opened = await transport.open(ctx);
    } catch (error) {
      if (error instanceof NothingToOfferError && !ctx.signal.aborted) continue;
      const reason = ctx.signal.aborted ? 'cancelled' : (error as Error).message;
      record.log({ method: 'si', transport: transport.kind, detail: transport.name, outcome: 'failed', reason });
      reasons.push(`${transport.name}: ${reason}`);
      continue;
    }
    record.log({ method: 'si', transport: opened.transport, detail: opened.detail, outcome: 'succeeded', reason: '' });
    record.setMethod('si', opened.transport);
    if (!('stream' in opened)) {
      record.end('done', { sha256: opened.sha256 });
      return;
    }
    const offset = range?.offset ?? 0;
    const sha256 = await pumpFile({
      record, method: 'si', opened, path: ctx.path, offset, length: range?.length ?? record.file.size - offset,
      ibbStanza: ctx.ibbStanza, stallTimeoutMs: ctx.timings.stallTimeoutMs, signal: ctx.signal,
    });
    record.end('done', { sha256 });
    return;
  }
  throw new Error(`every transport failed: ${reasons.join('; ')}`);
}
