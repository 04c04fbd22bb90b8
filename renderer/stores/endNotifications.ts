/**
 * Web host only: a browser notification when a transfer this page saw running ends done or failed, as far as
 * the account's settings allow ("Notify me when…"). The permission is asked for on the first need (once per
 * page, ./notificationPermission.ts); a click brings the page forward with that contact's chat open at the card. The Electron host notifies natively.
 */
import { endedNotice, endedNoticeKind } from '../../shared/model/transferNotices';
import type { TransferSummary } from '../../shared/model/transfer';
import { whenPermitted, type PermissionSource } from './notificationPermission';
import type { NotificationLike } from './offerNotifications';
import { revealStore } from './revealStore';
import { sessionStore } from './sessionStore';
import { settingsStore } from './settingsStore';
import { transfersStore } from './transfersStore';

/** The browser's Notification with what asking needs (a fake in tests). */
export type AskingNotificationLike = NotificationLike & PermissionSource;

function browserNotification(): AskingNotificationLike | null {
  return typeof Notification === 'undefined' ? null : (Notification as unknown as AskingNotificationLike);
}

function show(NotificationCtor: AskingNotificationLike, summary: TransferSummary): void {
  const notice = endedNotice(summary);
  if (!notice) return;
  try {
    const shown = new NotificationCtor(notice.title, { body: notice.body, tag: `ferry-ended-${summary.id}` }) as { onclick?: unknown };
    shown.onclick = () => {
      if (typeof window !== 'undefined') window.focus();
      revealStore.getState().reveal(summary.peer, summary.id);
    };
  } catch {
    // Some browsers refuse page notifications outright; the card in the chat still says it.
  }
}

/** Watches the transfers store; returns the unsubscribe function. */
export function watchEndNotifications(getNotification: () => AskingNotificationLike | null = browserNotification): () => void {
  const running = new Set<string>();
  return transfersStore.subscribe((state) => {
    const ended: TransferSummary[] = [];
    for (const summary of Object.values(state.byId)) {
      if (summary.endedAt === null) running.add(summary.id);
      else if (running.delete(summary.id) && endedNoticeKind(summary)) ended.push(summary);
    }
    const NotificationCtor = getNotification();
    const wanted = settingsStore.getState().settings?.notifications;
    const isWeb = sessionStore.getState().host?.kind === 'web';
    const toShow = ended.filter((summary) => wanted?.[endedNoticeKind(summary)!] ?? true);
    if (!isWeb || !NotificationCtor || toShow.length === 0) return;
    whenPermitted(NotificationCtor, () => toShow.forEach((summary) => show(NotificationCtor, summary)));
  });
}
