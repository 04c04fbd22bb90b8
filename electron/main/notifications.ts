import type { NotificationConstructorOptions } from 'electron';
import { formatBytes, shownFileName } from '../../shared/model/fileDisplay';
import type { TransferSummary } from '../../shared/model/transfer';
import type { Core } from '../app/core';

/** The part of Electron's Notification class used here (a fake in tests). */
export interface NotificationLike {
  show(): void;
  on(event: 'click' | 'close', listener: () => void): unknown;
}
export type NotificationFactory = (options: NotificationConstructorOptions) => NotificationLike;

/** How many offer ids are remembered to avoid notifying twice. */
const MAX_REMEMBERED_OFFERS = 1000;

/** The notification text for an incoming offer. */
export function offerNotification(summary: TransferSummary): NotificationConstructorOptions {
  const peer = summary.peer.split('/')[0];
  return { title: `${peer} wants to send you a file`, body: `${shownFileName(summary).name} (${formatBytes(summary.file.size)})` };
}

/**
 * Holds a strong reference to every shown notification until it is clicked or closed. Electron's
 * Notification is garbage-collected once nothing in JS refers to it, and then its 'click' never fires.
 */
export function createNotificationKeeper(): { hold(notification: NotificationLike): void; readonly size: number } {
  const live = new Set<NotificationLike>();
  return {
    hold(notification) {
      live.add(notification);
      const release = () => { live.delete(notification); };
      notification.on('click', release);
      notification.on('close', release);
    },
    get size() { return live.size; },
  };
}

/**
 * Shows one system notification per new incoming offer (transfer.updated, incoming, offered); clicking
 * it calls onClick (the composition root focuses the window). Returns an idempotent dispose.
 */
export function notifyIncomingOffers(options: {
  core: Pick<Core, 'on'>;
  createNotification: NotificationFactory | null;
  onClick?: () => void;
  keeper?: ReturnType<typeof createNotificationKeeper>;
}): () => void {
  const { createNotification } = options;
  const keeper = options.keeper ?? createNotificationKeeper();
  const seen = new Set<string>();
  // Settings: "Someone offers me a file" (on until the account's settings say otherwise).
  let isWanted = true;
  const unsubscribeSettings = options.core.on('settings.changed', (settings) => { isWanted = settings.notifications.offerArrived; });
  const unsubscribe = options.core.on('transfer.updated', (summary) => {
    if (!createNotification || !isWanted || summary.direction !== 'incoming' || summary.state !== 'offered' || seen.has(summary.id)) return;
    seen.add(summary.id);
    if (seen.size > MAX_REMEMBERED_OFFERS) seen.delete(seen.values().next().value as string);
    const notification = createNotification(offerNotification(summary));
    keeper.hold(notification);
    if (options.onClick) notification.on('click', options.onClick);
    notification.show();
  });
  let isDisposed = false;
  return () => {
    if (isDisposed) return;
    isDisposed = true;
    unsubscribe();
    unsubscribeSettings();
  };
}
