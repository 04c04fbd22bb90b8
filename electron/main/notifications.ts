import type { NotificationConstructorOptions } from 'electron';
import { formatBytes, shownFileName } from '../../shared/model/fileDisplay';
import type { Settings } from '../../shared/model/settings';
import type { TransferSummary } from '../../shared/model/transfer';
import { endedNotice, endedNoticeKind } from '../../shared/model/transferNotices';
import type { Core } from '../app/core';
import { eventChannel } from '../../shared/ipc/channels';
import { toBareJid } from '../../shared/model/jid';

/** The part of Electron's Notification class used here (a fake in tests). */
export interface NotificationLike {
  show(): void;
  on(event: 'click' | 'close', listener: () => void): unknown;
}
export type NotificationFactory = (options: NotificationConstructorOptions) => NotificationLike;

/** How many transfer ids are remembered (offers notified, transfers seen running). */
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
 * Shows a system notification for each new incoming offer, and for each transfer this process saw running
 * that then ends done or failed (transfer.updated), as far as the account's notification settings allow;
 * clicking one calls onClick with its transfer (the composition root focuses the window at that card). Returns an idempotent dispose.
 */
export function notifyTransfers(options: {
  core: Pick<Core, 'on'>;
  createNotification: NotificationFactory | null;
  /** The clicked notification's transfer (the composition root focuses the window and shows its card). */
  onClick?: (summary: TransferSummary) => void;
  keeper?: ReturnType<typeof createNotificationKeeper>;
}): () => void {
  const { createNotification } = options;
  const keeper = options.keeper ?? createNotificationKeeper();
  const offered = new RecentIds();
  // Only a transfer seen before it ended gets an end notice: a list restored at start is old news.
  const running = new RecentIds();
  // Settings: "Notify me when…" (all on until the account's settings say otherwise).
  let wanted: Settings['notifications'] = { offerArrived: true, transferDone: true, transferFailed: true };
  const unsubscribeSettings = options.core.on('settings.changed', (settings) => { wanted = settings.notifications; });
  const show = (content: NotificationConstructorOptions, summary: TransferSummary) => {
    if (!createNotification) return;
    const notification = createNotification(content);
    keeper.hold(notification);
    const { onClick } = options;
    if (onClick) notification.on('click', () => onClick(summary));
    notification.show();
  };
  const unsubscribe = options.core.on('transfer.updated', (summary) => {
    const kind = endedNoticeKind(summary);
    if (summary.endedAt === null) running.add(summary.id);
    if (summary.direction === 'incoming' && summary.state === 'offered' && !offered.has(summary.id)) {
      offered.add(summary.id);
      if (wanted.offerArrived) show(offerNotification(summary), summary);
      return;
    }
    if (!kind || !running.has(summary.id)) return;
    running.delete(summary.id);
    const notice = endedNotice(summary);
    if (notice && wanted[kind]) show(notice, summary);
  });
  let isDisposed = false;
  return () => {
    if (isDisposed) return;
    isDisposed = true;
    unsubscribe();
    unsubscribeSettings();
  };
}

/** A set of transfer ids that forgets the oldest beyond MAX_REMEMBERED_OFFERS. */
class RecentIds {
  private readonly ids = new Set<string>();
  has(id: string): boolean { return this.ids.has(id); }
  delete(id: string): void { this.ids.delete(id); }
  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size > MAX_REMEMBERED_OFFERS) this.ids.delete(this.ids.values().next().value as string);
  }
}

/** Where a reveal request goes: the window's web contents (its renderer listens for 'ui.reveal'). */
export interface RevealTarget {
  isDestroyed(): boolean;
  send(channel: string, payload: unknown): void;
}

/** Asks the window's renderer to open the chat of `summary`'s peer at its card (after a notification click). */
export function revealCard(target: RevealTarget, summary: TransferSummary): void {
  if (target.isDestroyed()) return;
  target.send(eventChannel('ui.reveal'), { peer: toBareJid(summary.peer), transferId: summary.id });
}
