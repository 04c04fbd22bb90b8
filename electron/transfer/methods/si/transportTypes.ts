import type { TransportKind } from '../../../../shared/model/transfer';
import type { ByteRange } from '../../../xmpp/xep/xep0096FileTransfer';
import type { MethodSendContext } from '../types';
import type { OpenedTransport } from '../../streams/openedTransport';
import type { OneteamReceiptInbox } from './oneteamReceipt';

/** Everything one outgoing SI transport attempt needs; the sid and JIDs are exactly those of the SI exchange. */
export interface OutgoingContext extends MethodSendContext {
  sid: string;
  /** Stream methods the receiver accepted (SI namespaces). */
  acceptedMethods: string[];
  /** The part of the file the receiver asked for (XEP-0096 §3), null for all of it. */
  range: ByteRange | null;
  /** Where the OneTeam transport hears whether the receiver's download worked (oneteamReceipt.ts). */
  receipts: OneteamReceiptInbox;
}

/** A transport that carried the whole file itself (the OneTeam POST), rather than handing a stream to the pump. */
export interface DeliveredFile {
  transport: TransportKind;
  detail: string;
  /** The sha-256 of the bytes sent. */
  sha256: string;
}

/** Thrown by `open` when the transport has nothing to offer this time (no such proxy): skipped, not a failure. */
export class NothingToOfferError extends Error {}

/** One entry of SI's transport table: data, not an if-chain (STYLE.md). */
export interface OutgoingTransport {
  name: 's5b' | 'oneteam' | 's5b-oneteam' | 'ibb';
  /** What a failed attempt is logged as (null: it depends on the streamhost the receiver would have used). */
  kind: TransportKind | null;
  /** Higher goes first. */
  priority: number;
  canUse(ctx: OutgoingContext): boolean;
  open(ctx: OutgoingContext): Promise<OpenedTransport | DeliveredFile>;
}
