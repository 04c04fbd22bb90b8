import { useCallback, useMemo, useState } from 'react';
import { toBareJid } from '../../../shared/model/jid';
import type { TransferSummary } from '../../../shared/model/transfer';
import { useChats } from '../../stores/chatsStore';
import { useRoster } from '../../stores/rosterStore';
import { useSession } from '../../stores/sessionStore';
import { usePendingOffers } from '../../stores/transfersStore';
import { OfferDialog } from './OfferDialog';
import { useClosedToasts } from './closedToasts';
import { OfferToasts, toastsFor, type OfferToast } from './OfferToasts';

type Dismissed = Readonly<Record<string, true>>;

/**
 * Where the incoming offers that are not in the open chat's timeline show (issue 11): a stranger's offer
 * (not in the roster) as a modal dialog, one at a time, oldest first, since "not in your contacts" is
 * worth stopping for; every other offer of a chat that is not open, and a stranger's once its dialog was
 * closed, as a toast per sender. Closing either answers nothing; a closed toast stays closed across a page
 * reload (closedToasts.ts).
 */
export function OfferPrompts() {
  const offers = usePendingOffers();
  const openJid = useChats((s) => s.openJid);
  const items = useRoster((s) => s.items);
  const [closedDialogs, setClosedDialogs] = useState<Dismissed>({});
  const account = useSession((s) => (s.accountJid ? toBareJid(s.accountJid) : null));
  const offeredIds = useMemo(() => offers.map((o) => o.id), [offers]);
  const { closed: closedToasts, close: closeToasts } = useClosedToasts(account, offeredIds);
  const isContact = (offer: TransferSummary) => items.some((i) => i.jid === toBareJid(offer.peer) && i.subscription !== 'remove');
  const stranger = offers.find((o) => !isContact(o) && !closedDialogs[o.id]) ?? null;
  const toasts = toastsFor(offers.filter((o) => toBareJid(o.peer) !== openJid && !closedToasts.has(o.id)
    && (isContact(o) || closedDialogs[o.id])));
  const strangerId = stranger?.id;
  const closeDialog = useCallback(() => {
    if (strangerId) setClosedDialogs((set) => ({ ...set, [strangerId]: true }));
  }, [strangerId]);
  const closeToast = useCallback((toast: OfferToast) => closeToasts(toast.offers.map((o) => o.id)), [closeToasts]);
  return (
    <>
      <OfferToasts toasts={toasts} onClose={closeToast} />
      {stranger && <OfferDialog key={stranger.id} offer={stranger} onDismiss={closeDialog} />}
    </>
  );
}
