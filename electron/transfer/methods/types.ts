import type { TransportKind } from '../../../shared/model/transfer';
import type { ByteStream } from '../../transport/byteStream';
import type { IbbStream } from '../../transport/ibb/ibbStream';
import type { TransferRecord } from '../transferRecord';
import type { StreamhostSources, TransferTimings, TransferXmpp, TransportPreference } from '../ports';

/** Everything one outgoing transport attempt needs; the sid and JIDs are exactly those of the SI exchange. */
export interface OutgoingContext {
  xmpp: TransferXmpp;
  record: TransferRecord;
  sid: string;
  /** Our full JID as used in the IQ exchange (XEP-0065 DST.ADDR input). */
  ownJid: string;
  /** The peer's full JID. */
  target: string;
  /** Stream methods the receiver accepted (SI namespaces). */
  acceptedMethods: string[];
  preference: TransportPreference;
  ibbStanza: 'iq' | 'message';
  blockSize: number;
  sources: StreamhostSources;
  timings: TransferTimings;
  signal: AbortSignal;
  /** Lets the stanza router find this transfer's outgoing IBB stream (a `<close/>` from the peer). */
  registerIbb(stream: IbbStream): () => void;
}

/** An opened transport: the stream plus which kind actually carried it. */
export interface OpenedTransport {
  stream: ByteStream;
  transport: TransportKind;
  /** What was used, for the attempt log (e.g. "proxy.localhost 127.0.0.1:7777"). */
  detail: string;
}

/** One entry of the method table: data, not an if-chain (STYLE.md). */
export interface OutgoingTransport {
  name: 's5b' | 'ibb';
  /** Higher goes first. */
  priority: number;
  canUse(ctx: OutgoingContext): boolean;
  open(ctx: OutgoingContext): Promise<OpenedTransport>;
}
