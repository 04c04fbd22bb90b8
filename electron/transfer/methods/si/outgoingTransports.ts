import { ibbOutgoing } from './ibbOutgoing';
import { oneteamOutgoing } from './oneteamOutgoing';
import { s5bOutgoing, s5bViaOneteamOutgoing } from './s5bOutgoing';
import type { OutgoingContext, OutgoingTransport } from './transportTypes';

/**
 * Every outgoing transport Ferry has, as data; the order of attempts comes from `priority`: SOCKS5 direct and
 * plain proxies (30), the OneTeam HTTP proxy (20), plain SOCKS5 through that same proxy (15), IBB (10).
 */
export const OUTGOING_TRANSPORTS: readonly OutgoingTransport[] = [s5bOutgoing, oneteamOutgoing, s5bViaOneteamOutgoing, ibbOutgoing];

/** The transports to try for this context, best first. */
export function transportsFor(ctx: OutgoingContext, table: readonly OutgoingTransport[] = OUTGOING_TRANSPORTS): OutgoingTransport[] {
  return table.filter((t) => t.canUse(ctx)).sort((a, b) => b.priority - a.priority);
}
