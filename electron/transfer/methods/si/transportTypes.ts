import type { MethodSendContext } from '../types';
import type { OpenedTransport } from '../../streams/openedTransport';

/** Everything one outgoing SI transport attempt needs; the sid and JIDs are exactly those of the SI exchange. */
export interface OutgoingContext extends Omit<MethodSendContext, 'path'> {
  sid: string;
  /** Stream methods the receiver accepted (SI namespaces). */
  acceptedMethods: string[];
}

/** One entry of SI's transport table: data, not an if-chain (STYLE.md). */
export interface OutgoingTransport {
  name: 's5b' | 'ibb';
  /** Higher goes first. */
  priority: number;
  canUse(ctx: OutgoingContext): boolean;
  open(ctx: OutgoingContext): Promise<OpenedTransport>;
}
