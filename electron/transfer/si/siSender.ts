import xml from '@xmpp/xml';
import { XmppStanzaError } from '../../xmpp/stanzaErrors';
import { classifySiError } from '../../xmpp/xep/xep0095Si';
import { NS_SI } from '../../xmpp/xep/xep0095Si';
import { buildFileTransferOffer, parseFileTransferAccept, type ByteRange } from '../../xmpp/xep/xep0096FileTransfer';
import { NS_BYTESTREAMS } from '../../xmpp/xep/xep0065Bytestreams';
import { NS_IBB } from '../../xmpp/xep/xep0047Ibb';
import { watchStall, type ByteStream } from '../../transport/byteStream';
import { SharedFileSource } from '../fileSource';
import { abortable } from '../methods/s5bOutgoing';
import { transportsFor } from '../methods/outgoingTransports';
import type { OpenedTransport, OutgoingContext } from '../methods/types';

/** After the last byte: how long to let the peer (or a proxy) drain before the socket is released. */
const DRAIN_GRACE_MS = 30_000;

/** Options of one outgoing SI file transfer. */
export interface SiSendOptions extends Omit<OutgoingContext, 'acceptedMethods'> {
  path: string;
}

/** The SI stream methods to offer for a transport preference (XEP-0096 §2: bytestreams before ibb). */
export function offeredMethods(preference: OutgoingContext['preference']): string[] {
  if (preference === 'ibb') return [NS_IBB];
  if (preference === 'auto') return [NS_BYTESTREAMS, NS_IBB];
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
    await sendOverTransports({ ...options, acceptedMethods: accept.methods }, accept.range);
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

async function sendOverTransports(ctx: SiSendOptions & { acceptedMethods: string[] }, range: ByteRange | null): Promise<void> {
  const { record } = ctx;
  const candidates = transportsFor(ctx);
  if (candidates.length === 0) throw new Error(`no usable transport for "${ctx.preference}" with what the peer accepted`);
  const reasons: string[] = [];
  for (const transport of candidates) {
    if (ctx.signal.aborted) throw new Error('cancelled');
    record.setState('connecting');
    let opened: OpenedTransport;
    try {
      opened = await transport.open(ctx);
    } catch (error) {
      const reason = ctx.signal.aborted ? 'cancelled' : (error as Error).message;
      record.log({ method: 'si', transport: transport.name === 'ibb' ? 'ibb' : null, detail: transport.name, outcome: 'failed', reason });
      reasons.push(`${transport.name}: ${reason}`);
      continue;
    }
    record.log({ method: 'si', transport: opened.transport, detail: opened.detail, outcome: 'succeeded', reason: '' });
    record.setMethod('si', opened.transport);
    await pumpFile(ctx, opened, range);
    return;
  }
  throw new Error(`every transport failed: ${reasons.join('; ')}`);
}

async function pumpFile(ctx: SiSendOptions, opened: OpenedTransport, range: ByteRange | null): Promise<void> {
  const { record } = ctx;
  const { stream } = opened;
  const offset = range?.offset ?? 0;
  const length = range?.length ?? record.file.size - offset;
  record.setState('transferring');
  const progress = stream.onProgress((p) => record.progress(offset + p.sent));
  const onAbort = (): void => stream.fail('cancelled');
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  // The bytes as they go out, hashed on the hashing thread off the same memory (no copy): the sha-256 the
  // receiver must match.
  const source = new SharedFileSource(ctx.path, { start: offset, length });
  const stall = watchStall(stream, ctx.timings.stallTimeoutMs, (reason) => stream.fail(reason));
  try {
    await stream.pipeFrom(source);
    stall.dispose();
    const sha256 = await source.digest();
    record.progress(offset + length);
    await waitForPeerClose(stream);
    // Done only when the stream ended cleanly: a receiver that reset it after our last write (disk full,
    // a failed commit) did not get the file, whatever the socket accepted.
    if (stream.state === 'failed') throw new Error(stream.failureReason ?? 'the stream failed after the last byte');
    if (opened.transport === 'ibb' && ctx.ibbStanza === 'message') logMessageEvidence(record, stream);
    else if (stream.state !== 'closed') {
      record.log({
        method: 'si', transport: opened.transport, outcome: 'succeeded', reason: '',
        detail: `sent: every byte went out, but the receiver did not close the stream within ${DRAIN_GRACE_MS / 1000} s`,
      });
    }
    record.end('done', { sha256 });
  } catch (error) {
    if (!ctx.signal.aborted && isAcknowledgedInFull(ctx, opened, length)) {
      // Every IBB <iq/> block was acknowledged: the receiver has the file; only the <close/> got lost.
      record.log({ method: 'si', transport: 'ibb', detail: 'close', outcome: 'failed', reason: (error as Error).message });
      record.end('done', { sha256: await source.digest() });
      return;
    }
    if (!ctx.signal.aborted && isMessageSentInFull(ctx, opened, length)) {
      // Every <message/> went out but the <close/> got no result: no evidence either way, so "sent".
      logMessageEvidence(record, stream, (error as Error).message);
      record.end('done', { sha256: await source.digest() });
      return;
    }
    throw new Error(ctx.signal.aborted ? 'cancelled' : `the stream broke after ${record.bytes} bytes: ${(error as Error).message}`, { cause: error });
  } finally {
    stall.dispose();
    ctx.signal.removeEventListener('abort', onAbort);
    progress.dispose();
    stream.dispose();
  }
}

/**
 * IBB in <message/> (XEP-0047 §4): messages are not acknowledged, so the only delivery evidence is the
 * receiver's result to our `<close/>` (it comes after every data message on the same route). Says which
 * of the two it was in the attempt log: "delivered" only with that evidence, otherwise "sent".
 */
function logMessageEvidence(record: SiSendOptions['record'], stream: ByteStream, closeFailure: string | null = null): void {
  const isConfirmed = closeFailure === null && stream.state === 'closed';
  record.log({
    method: 'si', transport: 'ibb', outcome: 'succeeded', reason: closeFailure ?? '',
    detail: isConfirmed ? 'delivered: the receiver acknowledged the <close/> after the last <message/>'
      : 'sent: every <message/> went out, but the receiver did not acknowledge the <close/> (IBB messages have no acknowledgement)',
  });
}

/** IBB in <message/>: every block was written to the server (nothing more can be known). */
function isMessageSentInFull(ctx: SiSendOptions, opened: OpenedTransport, length: number): boolean {
  return opened.transport === 'ibb' && ctx.ibbStanza === 'message' && opened.stream.progress.sent >= length;
}

/** IBB in <iq/>: `sent` counts acknowledged blocks, so all of them means the peer has every byte. */
function isAcknowledgedInFull(ctx: SiSendOptions, opened: OpenedTransport, length: number): boolean {
  return opened.transport === 'ibb' && ctx.ibbStanza === 'iq' && opened.stream.progress.sent >= length;
}

/** Gives the receiver (or a proxy holding the tail, DESIGN.md) time to take the last bytes and close. */
async function waitForPeerClose(stream: ByteStream): Promise<void> {
  if (stream.state === 'closed' || stream.state === 'failed') return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, DRAIN_GRACE_MS);
    const sub = stream.onStateChange((state) => {
      if (state === 'closed' || state === 'failed') { clearTimeout(timer); sub.dispose(); resolve(); }
    });
  });
}
