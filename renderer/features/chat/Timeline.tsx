import { useEffect, useMemo, useRef, type RefObject } from 'react';
import type { ChatMessage } from '../../../shared/model/session';
import { useChats } from '../../stores/chatsStore';
import { useTransfers, useTransfersWith } from '../../stores/transfersStore';
import { OfferBatchCard } from '../transfers/OfferBatchCard';
import { OfferCard } from '../transfers/OfferCard';
import { TransferCard } from '../transfers/TransferCard';
import { MessageRow } from './MessageRow';
import { canTakeFocus } from './offerFocus';
import { timelineItems, type TimelineItem } from './timelineItems';
import { useLoadOlderOnScroll } from './useLoadOlderOnScroll';
import { useRevealCard } from './useRevealCard';
import { useStickToBottom } from './useStickToBottom';

const NONE: ChatMessage[] = [];

function Row({ item }: { item: TimelineItem }) {
  if (item.kind === 'message') return <MessageRow message={item.message} />;
  if (item.kind === 'transfer') return <TransferCard transfer={item.transfer} />;
  if (item.offers.length === 1) return <OfferCard offer={item.offers[0]!} cardKey={item.key} />;
  return <OfferBatchCard offers={item.offers} cardKey={item.key} />;
}

/** The card holding the most recently arrived pending offer, if any. */
function newestOfferCard(items: TimelineItem[]): { key: string; offerId: string } | null {
  let newest: { key: string; offerId: string; at: number } | null = null;
  for (const item of items) {
    if (item.kind !== 'offers') continue;
    for (const offer of item.offers) {
      if (!newest || offer.startedAt >= newest.at) newest = { key: item.key, offerId: offer.id, at: offer.startedAt };
    }
  }
  return newest;
}

/** Gives the newest pending offer card focus when it arrives or its chat opens (rules in offerFocus.ts). */
function useOfferFocus(listRef: RefObject<HTMLElement | null>, jid: string, items: TimelineItem[]): void {
  const newest = newestOfferCard(items);
  const key = newest?.key;
  useEffect(() => {
    const list = listRef.current;
    if (!list || key === undefined) return;
    const card = [...list.querySelectorAll<HTMLElement>('[data-offer-key]')].find((el) => el.dataset.offerKey === key);
    const active = document.activeElement;
    if (!card || card.contains(active) || !canTakeFocus(active, list)) return;
    card.focus();
  }, [listRef, jid, key, newest?.offerId]);
}

function isOwn(item: TimelineItem | undefined): boolean {
  if (!item) return false;
  if (item.kind === 'message') return item.message.direction === 'outgoing';
  return item.kind === 'transfer' && item.transfer.direction === 'outgoing';
}

/**
 * The conversation with one contact: messages and file cards in one list ordered by time, oldest at the
 * top (timelineItems.ts); pending offers are cards with their answers. Opens at the newest item and
 * follows new ones while the user is at the bottom; scrolled to the top, it loads older messages and
 * keeps the view in place.
 */
export function Timeline({ jid }: { jid: string }) {
  const messages = useChats((s) => s.byPeer[jid] ?? NONE);
  const transfers = useTransfersWith(jid);
  const answered = useTransfers((s) => s.answered);
  const items = useMemo(() => timelineItems(messages, transfers, answered), [messages, transfers, answered]);
  const listRef = useRef<HTMLOListElement>(null);
  const loadOlder = useLoadOlderOnScroll(listRef, jid);
  const newest = items[items.length - 1];
  const followBottom = useStickToBottom(listRef, { jid, newestKey: newest?.key, isOwnNewest: isOwn(newest) });
  useOfferFocus(listRef, jid, items);
  useRevealCard(listRef, jid, items);
  if (items.length === 0) return <p className="empty messages-empty">No messages yet. Say hello!</p>;
  return (
    <ol className="messages timeline" role="log" aria-label="Conversation" aria-relevant="additions" ref={listRef}
      onScroll={() => { followBottom(); loadOlder(); }}>
      {items.map((item) => <Row key={item.key} item={item} />)}
    </ol>
  );
}
