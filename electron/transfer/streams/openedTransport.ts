import type { TransportKind } from '../../../shared/model/transfer';
import type { ByteStream } from '../../transport/byteStream';

/** An opened transport: the stream plus which kind actually carried it. */
export interface OpenedTransport {
  stream: ByteStream;
  transport: TransportKind;
  /** What was used, for the attempt log (e.g. "proxy.localhost 127.0.0.1:7777"). */
  detail: string;
}
