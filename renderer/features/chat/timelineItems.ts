/**
 * One conversation timeline: the messages and file cards of a chat in one list, oldest first (issue 11,
 * "Transfers in the timeline"). Pure, so the order and the grouping of offers are unit-tested alone.
 */
import type { ChatMessage } from '../../../shared/model/session';
import type { TransferSummary } from '../../../shared/model/transfer';

/**
 * Offers from one full JID that arrive within this time of the previous one, with nothing between them
 * in the timeline, are one batch when the offers carry no batch id. XEP-0096 and XEP-0234 offer files one
 * by one and carry no batch on the wire, so a receiver's batchId is null: a drop of three files arrives as
 * three offers within milliseconds.
 */
export const BATCH_WINDOW_MS = 5_000;

export type TimelineItem =
  | { kind: 'message'; key: string; at: number; message: ChatMessage }
  | { kind: 'transfer'; key: string; at: number; transfer: TransferSummary }
  /** Incoming offers still waiting for an answer here: one, or a batch shown as one grouped card. */
  | { kind: 'offers'; key: string; at: number; offers: TransferSummary[] };

/** An incoming offer not yet answered (here or by the host). */
export function isPendingOffer(transfer: TransferSummary, answered: Readonly<Record<string, true>>): boolean {
  return transfer.direction === 'incoming' && transfer.state === 'offered' && !answered[transfer.id];
}

function isSameBatch(previous: TransferSummary, next: TransferSummary): boolean {
  if (previous.batchId !== null || next.batchId !== null) return previous.batchId === next.batchId;
  return previous.peer === next.peer && next.startedAt - previous.startedAt <= BATCH_WINDOW_MS;
}

type Entry = { at: number; index: number; message: ChatMessage } | { at: number; index: number; transfer: TransferSummary };

function tieBreak(a: Entry, b: Entry): number {
  if ('message' in a && 'message' in b) return a.index - b.index;
  if ('message' in a) return -1;
  if ('message' in b) return 1;
  return a.transfer.id.localeCompare(b.transfer.id);
}

/**
 * Messages by `at`, transfers by `startedAt`. On equal times messages come first, in the order the chats
 * store keeps them (it sorts by `at`, keeping arrival order), then transfers by id, so the order is stable.
 */
function sortedEntries(messages: readonly ChatMessage[], transfers: readonly TransferSummary[]): Entry[] {
  const entries: Entry[] = [
    ...messages.map((message, index) => ({ at: message.at, index, message })),
    ...transfers.map((transfer, index) => ({ at: transfer.startedAt, index, transfer })),
  ];
  return entries.sort((a, b) => a.at - b.at || tieBreak(a, b));
}

/**
 * Merges a chat's messages and transfers into timeline items, oldest first. Pending incoming offers become
 * `offers` items; consecutive ones of one batch (same batchId, or see BATCH_WINDOW_MS) share one item,
 * placed at the first offer's time. Answered offers and every other transfer are `transfer` items.
 */
export function timelineItems(
  messages: readonly ChatMessage[], transfers: readonly TransferSummary[], answered: Readonly<Record<string, true>> = {},
): TimelineItem[] {
  const items: TimelineItem[] = [];
  for (const entry of sortedEntries(messages, transfers)) {
    if ('message' in entry) {
      items.push({ kind: 'message', key: `message:${entry.message.id}`, at: entry.at, message: entry.message });
      continue;
    }
    const { transfer } = entry;
    if (!isPendingOffer(transfer, answered)) {
      items.push({ kind: 'transfer', key: `transfer:${transfer.id}`, at: entry.at, transfer });
      continue;
    }
    const last = items[items.length - 1];
    if (last?.kind === 'offers' && isSameBatch(last.offers[last.offers.length - 1]!, transfer)) {
      last.offers.push(transfer);
    } else {
      items.push({ kind: 'offers', key: `offers:${transfer.id}`, at: entry.at, offers: [transfer] });
    }
  }
  return items;
}
