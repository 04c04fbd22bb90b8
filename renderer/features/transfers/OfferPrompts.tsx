import { useCallback, useState } from 'react';
import { toBareJid } from '../../../shared/model/jid';
import type { TransferSummary } from '../../../shared/model/transfer';
import { useChats } from '../../stores/chatsStore';
import { useRoster } from '../../stores/rosterStore';
import { usePendingOffers } from '../../stores/transfersStore';
import { OfferDialog } from './OfferDialog';
import { OfferToasts, toastsFor, type OfferToast } from './OfferToasts';

type Dismissed = Readonly<Record<string, true>>;

function withIds(set: Dismissed, offers: readonly TransferSummary[]): Dismissed {
  return { ...set, ...Object.fromEntries(offers.map((o) => [o.id, true as const])) };
}

/**
 * Where the incoming offers that are not in the open chat's timeline show (issue 11): a stranger's offer
 * (not in the roster) as a modal dialog, one at a time, oldest first, since "not in your contacts" is
 * worth stopping for; every other offer of a chat that is not open, and a stranger's once its dialog was
 * closed, as a toast per sender. Closing either answers nothing.
 */
export function OfferPrompts() {
  const offers = usePendingOffers();
  const openJid = useChats((s) => s.openJid);
  const items = useRoster((s) => s.items);
  const [closedDialogs, setClosedDialogs] = useState<Dismissed>({});
  const [closedToasts, setClosedToasts] = useState<Dismissed>({});
  const isContact = (offer: TransferSummary) => items.some((i) => i.jid === toBareJid(offer.peer) && i.subscription !== 'remove');
  const stranger = offers.find((o) => !isContact(o) && !closedDialogs[o.id]) ?? null;
  const toasts = toastsFor(offers.filter((o) => toBareJid(o.peer) !== openJid && !closedToasts[o.id]
    && (isContact(o) || closedDialogs[o.id])));
  const strangerId = stranger?.id;
  const closeDialog = useCallback(() => {
    if (strangerId) setClosedDialogs((set) => ({ ...set, [strangerId]: true }));
  }, [strangerId]);
  const closeToast = useCallback((toast: OfferToast) => setClosedToasts((set) => withIds(set, toast.offers)), []);
  return (
    <>
      <OfferToasts toasts={toasts} onClose={closeToast} />
      {stranger && <OfferDialog key={stranger.id} offer={stranger} onDismiss={closeDialog} />}
    </>
  );
}
