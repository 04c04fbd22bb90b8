import { toBareJid } from '../../shared/model/jid';
import { XmppStanzaError } from '../xmpp/stanzaErrors';
import { stanzaError } from '../xmpp/xep/stanzaErrors';
import type { TransferRecord } from './transferRecord';

/**
 * Bounds against an offer flood (any entity that knows the full JID can offer): unanswered offers per sender's
 * bare JID and in all, and how many ended transfers stay in memory (the oldest ended ones are forgotten).
 */
export const OFFER_LIMITS = { pendingPerPeer: 8, pendingTotal: 32, keepEnded: 200 } as const;

/**
 * Refuses a new offer from `from` when it or everyone together already has too many unanswered ones: RFC 6120
 * §8.3.3.18 resource-constraint (type wait), "lacking the system resources needed to process the request".
 */
export function checkOfferLimits(from: string, records: Iterable<TransferRecord>): void {
  const pending = [...records].filter((r) => r.direction === 'incoming' && r.state === 'offered');
  const bare = toBareJid(from);
  const fromPeer = pending.filter((r) => toBareJid(r.peer) === bare).length;
  if (fromPeer >= OFFER_LIMITS.pendingPerPeer || pending.length >= OFFER_LIMITS.pendingTotal) {
    const text = fromPeer >= OFFER_LIMITS.pendingPerPeer
      ? `too many unanswered offers from ${bare} (${OFFER_LIMITS.pendingPerPeer})`
      : `too many unanswered offers (${OFFER_LIMITS.pendingTotal})`;
    throw new XmppStanzaError(stanzaError('resource-constraint', { type: 'wait', text }));
  }
}

/** The ended records beyond OFFER_LIMITS.keepEnded, oldest first (in the order `records` holds them). */
export function endedBeyondLimit(records: Iterable<TransferRecord>): TransferRecord[] {
  const ended = [...records].filter((r) => r.isEnded);
  return ended.slice(0, Math.max(0, ended.length - OFFER_LIMITS.keepEnded));
}
