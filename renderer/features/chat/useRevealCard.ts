import { useEffect, type RefObject } from 'react';
import { revealStore, useReveal } from '../../stores/revealStore';
import type { TimelineItem } from './timelineItems';

/** How long a revealed card keeps its mark. */
export const REVEAL_MARK_MS = 2_500;

function holds(item: TimelineItem, transferId: string): boolean {
  if (item.kind === 'transfer') return item.transfer.id === transferId;
  return item.kind === 'offers' && item.offers.some((offer) => offer.id === transferId);
}

/**
 * Scrolls the conversation to the card a notification or toast asked for (revealStore) once the timeline has
 * it, marks it for REVEAL_MARK_MS (class `is-revealed`) and moves focus to it when it is an offer card (so
 * Enter accepts). A request for another chat waits for that chat.
 */
export function useRevealCard(listRef: RefObject<HTMLElement | null>, jid: string, items: TimelineItem[]): void {
  const target = useReveal((s) => s.target);
  const isHere = target !== null && target.jid === jid && items.some((item) => holds(item, target.transferId));
  useEffect(() => {
    const list = listRef.current;
    if (!target || !list || !isHere) return;
    const card = [...list.querySelectorAll<HTMLElement>('[data-transfer-ids]')]
      .find((el) => (el.dataset.transferIds ?? '').split(' ').includes(target.transferId));
    revealStore.getState().done();
    if (!card) return;
    // Not undone when the request clears (the next render): the scroll waits one frame so that it comes after
    // the stick-to-bottom effect of this render, and the mark goes by itself.
    requestAnimationFrame(() => {
      card.scrollIntoView?.({ block: 'center' });
      if (card.tabIndex >= 0) card.focus({ preventScroll: true });
    });
    card.classList.add('is-revealed');
    setTimeout(() => card.classList.remove('is-revealed'), REVEAL_MARK_MS);
  }, [listRef, jid, target, isHere]);
}
