/**
 * The window title counts what waits for the user: unread messages and files offered but not answered,
 * "Ferry (3)" (the browser tab, and the Electron window, whose title follows the page's). Plain "Ferry"
 * when nothing waits.
 */
import { chatsStore } from './chatsStore';
import { selectPendingOffers, transfersStore } from './transfersStore';

export const BASE_TITLE = 'Ferry';

/** What the title says for this many unread messages and pending offers. */
export function titleFor(unread: number, offers: number): string {
  const parts = [unread > 0 ? `${unread} unread` : null, offers > 0 ? `${offers} ${offers === 1 ? 'file' : 'files'} offered` : null].filter(Boolean);
  return parts.length === 0 ? BASE_TITLE : `${BASE_TITLE} (${parts.join(', ')})`;
}

/** Keeps document.title up to date; returns the unsubscribe function (which puts the plain title back). */
export function watchWindowTitle(doc: Pick<Document, 'title'> = document): () => void {
  const update = () => {
    const unread = Object.values(chatsStore.getState().unread).reduce((sum, n) => sum + n, 0);
    const title = titleFor(unread, selectPendingOffers(transfersStore.getState()).length);
    if (doc.title !== title) doc.title = title;
  };
  const offs = [chatsStore.subscribe(update), transfersStore.subscribe(update)];
  update();
  return () => { offs.forEach((off) => off()); doc.title = BASE_TITLE; };
}
