/**
 * Web host only: a browser notification for each new incoming offer, and only when the user already
 * granted the permission (Ferry never prompts on its own). The Electron host notifies natively.
 */
import { shownFileName } from '../../shared/model/fileDisplay';
import type { TransferSummary } from '../../shared/model/transfer';
import { formatBytes } from '../features/transfers/format';
import { sessionStore } from './sessionStore';
import { selectPendingOffers, transfersStore } from './transfersStore';

/** The part of the browser's Notification the notifier uses (a fake in tests). */
export interface NotificationLike {
  readonly permission: string;
  new (title: string, options?: { body?: string; tag?: string }): unknown;
}

function browserNotification(): NotificationLike | null {
  return typeof Notification === 'undefined' ? null : (Notification as unknown as NotificationLike);
}

function notify(NotificationCtor: NotificationLike, offer: TransferSummary): void {
  try {
    new NotificationCtor(`File offered by ${offer.peer}`, {
      body: `${shownFileName(offer).name} (${formatBytes(offer.file.size)})`, tag: `ferry-offer-${offer.id}`,
    });
  } catch {
    // Some browsers refuse page notifications outright; the in-page dialog still shows the offer.
  }
}

/** Watches the transfers store for offers not seen before; returns the unsubscribe function. */
export function watchOfferNotifications(getNotification: () => NotificationLike | null = browserNotification): () => void {
  const seen = new Set<string>();
  return transfersStore.subscribe((state) => {
    for (const offer of selectPendingOffers(state)) {
      if (seen.has(offer.id)) continue;
      seen.add(offer.id);
      const NotificationCtor = getNotification();
      const isWeb = sessionStore.getState().host?.kind === 'web';
      if (isWeb && NotificationCtor?.permission === 'granted') notify(NotificationCtor, offer);
    }
  });
}
