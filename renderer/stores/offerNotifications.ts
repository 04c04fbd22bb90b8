/**
 * Web host only: a browser notification for each new incoming offer; a click opens the chat at its card. The
 * permission is asked for on the first need, once per page (./notificationPermission.ts). The Electron host notifies natively.
 */
import { shownFileName } from '../../shared/model/fileDisplay';
import type { TransferSummary } from '../../shared/model/transfer';
import { formatBytes } from '../features/transfers/format';
import { whenPermitted, type PermissionSource } from './notificationPermission';
import { revealStore } from './revealStore';
import { sessionStore } from './sessionStore';
import { settingsStore } from './settingsStore';
import { selectPendingOffers, transfersStore } from './transfersStore';

/** The part of the browser's Notification the notifier uses (a fake in tests). */
export interface NotificationLike extends PermissionSource {
  new (title: string, options?: { body?: string; tag?: string }): unknown;
}

function browserNotification(): NotificationLike | null {
  return typeof Notification === 'undefined' ? null : (Notification as unknown as NotificationLike);
}

/** Within this window a peer gets no second notification: an offer flood shows one, not hundreds. */
export const OFFER_NOTIFY_WINDOW_MS = 10_000;

function bareOf(jid: string): string {
  return jid.split('/')[0].toLowerCase();
}

function notify(NotificationCtor: NotificationLike, offer: TransferSummary, pendingFromPeer: number): void {
  const bare = bareOf(offer.peer);
  try {
    // One tag per peer: a browser replaces that peer's earlier notification instead of stacking a new one.
    const shown = `${shownFileName(offer).name} (${formatBytes(offer.file.size)})`;
    const notification = new NotificationCtor(pendingFromPeer > 1 ? `${pendingFromPeer} files offered by ${bare}` : `File offered by ${offer.peer}`, {
      body: pendingFromPeer > 1 ? `latest: ${shown}` : shown,
      tag: `ferry-offers-${bare}`,
    }) as { onclick?: unknown };
    notification.onclick = () => {
      if (typeof window !== 'undefined') window.focus();
      revealStore.getState().reveal(offer.peer, offer.id);
    };
  } catch {
    // Some browsers refuse page notifications outright; the in-page dialog still shows the offer.
  }
}

/**
 * Watches the transfers store for offers not seen before, coalesced per sender's bare JID (at most one
 * notification per OFFER_NOTIFY_WINDOW_MS, counting what is pending); returns the unsubscribe function.
 */
export function watchOfferNotifications(
  getNotification: () => NotificationLike | null = browserNotification, now: () => number = Date.now,
): () => void {
  let seen = new Set<string>();
  const lastShown = new Map<string, number>();
  return transfersStore.subscribe((state) => {
    const pending = selectPendingOffers(state);
    const fresh = pending.filter((offer) => !seen.has(offer.id));
    // Only pending ids are remembered, so the set stays as small as the list of open offers.
    seen = new Set(pending.map((offer) => offer.id));
    const NotificationCtor = getNotification();
    const isWeb = sessionStore.getState().host?.kind === 'web';
    const isWanted = settingsStore.getState().settings?.notifications.offerArrived ?? true; // settings: "Someone offers me a file"
    if (!isWeb || !isWanted || !NotificationCtor || fresh.length === 0) return;
    whenPermitted(NotificationCtor, () => {
      for (const offer of fresh) {
        const bare = bareOf(offer.peer);
        const last = lastShown.get(bare);
        if (last !== undefined && now() - last < OFFER_NOTIFY_WINDOW_MS) continue;
        lastShown.set(bare, now());
        notify(NotificationCtor, offer, pending.filter((p) => bareOf(p.peer) === bare).length);
      }
    });
  });
}
