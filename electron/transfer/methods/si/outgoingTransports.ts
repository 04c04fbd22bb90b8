import { ibbOutgoing } from './ibbOutgoing';
import { s5bOutgoing } from './s5bOutgoing';
import type { OutgoingContext, OutgoingTransport } from './transportTypes';

/** Every outgoing transport Ferry has, as data; the order of attempts comes from `priority`. */
export const OUTGOING_TRANSPORTS: readonly OutgoingTransport[] = [s5bOutgoing, ibbOutgoing];

/** The transports to try for this context, best first (S5B direct+proxy, then IBB). */
export function transportsFor(ctx: OutgoingContext, table: readonly OutgoingTransport[] = OUTGOING_TRANSPORTS): OutgoingTransport[] {
  return table.filter((t) => t.canUse(ctx)).sort((a, b) => b.priority - a.priority);
}
