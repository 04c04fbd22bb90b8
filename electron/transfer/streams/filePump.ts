import type { TransferMethod } from '../../../shared/model/transfer';
import { watchStall, type ByteStream } from '../../transport/byteStream';
import type { IbbStanzaKind } from '../../xmpp/xep/xep0047Ibb';
import { SharedFileSource } from '../fileSource';
import type { TransferRecord } from '../transferRecord';
import type { OpenedTransport } from './openedTransport';

/** After the last byte: how long to let the peer (or a proxy) drain before the socket is released. */
const DRAIN_GRACE_MS = 30_000;

/** One file (or its requested range) over an opened bytestream, for any method. */
export interface FilePumpOptions {
  record: TransferRecord;
  method: TransferMethod;
  opened: OpenedTransport;
  path: string;
  offset: number;
  length: number;
  /** For IBB: which stanza carries the data (delivery evidence differs). */
  ibbStanza: IbbStanzaKind;
  stallTimeoutMs: number;
  signal: AbortSignal;
  /** Called with the sha-256 of the bytes sent right after the last one went out (Jingle sends its checksum then). */
  onSent?(sha256: string): void;
}

/**
 * Streams the file into the transport, hashing the same bytes on the hashing thread, and resolves with
 * their sha-256 once the stream ended cleanly after the last byte (the receiver closed, or every IBB
 * `<iq/>` block was acknowledged). Rejects with the reason otherwise. The caller ends the record.
 */
export async function pumpFile(options: FilePumpOptions): Promise<string> {
  const { record, opened, offset, length } = options;
  const { stream } = opened;
  record.setState('transferring');
  const progress = stream.onProgress((p) => record.progress(offset + p.sent));
  const onAbort = (): void => stream.fail('cancelled');
  options.signal.addEventListener('abort', onAbort, { once: true });
  const source = new SharedFileSource(options.path, { start: offset, length });
  const stall = watchStall(stream, options.stallTimeoutMs, (reason) => stream.fail(reason));
  try {
    await stream.pipeFrom(source);
    stall.dispose();
    const sha256 = await source.digest();
    record.progress(offset + length);
    options.onSent?.(sha256);
    await waitForPeerClose(stream);
    // Done only when the stream ended cleanly: a receiver that reset it after our last write (disk full,
    // a failed commit) did not get the file, whatever the socket accepted.
    if (stream.state === 'failed') throw new Error(stream.failureReason ?? 'the stream failed after the last byte');
    if (opened.transport === 'ibb' && options.ibbStanza === 'message') logMessageEvidence(options, stream);
    else if (stream.state !== 'closed') {
      record.log({
        method: options.method, transport: opened.transport, outcome: 'succeeded', reason: '',
        detail: `sent: every byte went out, but the receiver did not close the stream within ${DRAIN_GRACE_MS / 1000} s`,
      });
    }
    return sha256;
  } catch (error) {
    const sentInFull = !options.signal.aborted && opened.transport === 'ibb' && stream.progress.sent >= length;
    if (sentInFull && options.ibbStanza === 'iq') {
      // Every IBB <iq/> block was acknowledged: the receiver has the file; only the <close/> got lost.
      record.log({ method: options.method, transport: 'ibb', detail: 'close', outcome: 'failed', reason: (error as Error).message });
      return await source.digest();
    }
    if (sentInFull) {
      // Every <message/> went out but the <close/> got no result: no evidence either way, so "sent".
      logMessageEvidence(options, stream, (error as Error).message);
      return await source.digest();
    }
    throw new Error(options.signal.aborted ? 'cancelled' : `the stream broke after ${record.bytes} bytes: ${(error as Error).message}`, { cause: error });
  } finally {
    stall.dispose();
    options.signal.removeEventListener('abort', onAbort);
    progress.dispose();
    stream.dispose();
  }
}

/**
 * IBB in <message/> (XEP-0047 §4): messages are not acknowledged, so the only delivery evidence is the
 * receiver's result to our `<close/>` (it comes after every data message on the same route). Says which
 * of the two it was in the attempt log: "delivered" only with that evidence, otherwise "sent".
 */
function logMessageEvidence(options: FilePumpOptions, stream: ByteStream, closeFailure: string | null = null): void {
  const isConfirmed = closeFailure === null && stream.state === 'closed';
  options.record.log({
    method: options.method, transport: 'ibb', outcome: 'succeeded', reason: closeFailure ?? '',
    detail: isConfirmed ? 'delivered: the receiver acknowledged the <close/> after the last <message/>'
      : 'sent: every <message/> went out, but the receiver did not acknowledge the <close/> (IBB messages have no acknowledgement)',
  });
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
