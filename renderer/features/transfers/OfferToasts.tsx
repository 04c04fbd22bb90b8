import type { KeyboardEvent } from 'react';
import { shownFileName } from '../../../shared/model/fileDisplay';
import { toBareJid } from '../../../shared/model/jid';
import type { TransferSummary } from '../../../shared/model/transfer';
import { revealStore } from '../../stores/revealStore';
import { useRoster } from '../../stores/rosterStore';
import { displayName } from '../roster/presence';

/** One toast per sender: the offers of one bare JID not yet dismissed, oldest first. */
export interface OfferToast {
  peer: string;
  offers: TransferSummary[];
}

/** Groups offers by their sender's bare JID, in the order their first offer arrived. */
export function toastsFor(offers: readonly TransferSummary[]): OfferToast[] {
  const byPeer = new Map<string, TransferSummary[]>();
  for (const offer of offers) {
    const peer = toBareJid(offer.peer);
    byPeer.set(peer, [...(byPeer.get(peer) ?? []), offer]);
  }
  return [...byPeer].map(([peer, list]) => ({ peer, offers: list }));
}

function Toast({ toast, onClose }: { toast: OfferToast; onClose: () => void }) {
  const name = useRoster((s) => {
    const item = s.items.find((i) => i.jid === toast.peer);
    return item ? displayName(item) : toast.peer;
  });
  const what = toast.offers.length === 1 ? shownFileName(toast.offers[0]!).name : `${toast.offers.length} files`;
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    onClose();
  };
  return (
    <div className="toast" role="status" onKeyDown={onKeyDown}>
      <p className="toast-text"><strong>{name}</strong> wants to send you {what}</p>
      <button type="button" className="small primary" onClick={() => revealStore.getState().reveal(toast.peer, toast.offers[toast.offers.length - 1]!.id)}>Open chat</button>
      <button type="button" className="small ghost" aria-label={`Close: ${name} wants to send you ${what}`} onClick={onClose}>×</button>
    </div>
  );
}

/**
 * Offers of chats that are not open, as toasts ("Bob wants to send you report.pdf — Open chat"): Open
 * chat opens its chat scrolled to the newest offer's card (revealStore); × or Esc closes a toast without answering (the roster row
 * still counts the offer, and its chat still shows it).
 */
export function OfferToasts({ toasts, onClose }: { toasts: OfferToast[]; onClose: (toast: OfferToast) => void }) {
  if (toasts.length === 0) return null;
  return (
    <section className="toasts" aria-label="Incoming files">
      {toasts.map((toast) => <Toast key={toast.peer} toast={toast} onClose={() => onClose(toast)} />)}
    </section>
  );
}
