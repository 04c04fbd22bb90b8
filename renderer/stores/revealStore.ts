/**
 * "Show me that file": a notification or a toast was clicked, so the chat with that contact opens and its
 * timeline scrolls to the transfer's card and marks it for a moment (issue #11: "a click opens the chat at
 * that card"). The request waits here until the timeline has the card (the chat's history may still be
 * loading) and is dropped once shown; a request for a chat that is not shown waits for it.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { toBareJid } from '../../shared/model/jid';
import { chatsStore } from './chatsStore';
import { transfersViewStore } from './transfersViewStore';

export interface RevealTarget {
  /** The contact's bare JID, lower case. */
  jid: string;
  transferId: string;
}

export interface RevealState {
  target: RevealTarget | null;
  /** Opens the chat with `peer` (bare or full JID) and asks its timeline to show the transfer's card. */
  reveal(peer: string, transferId: string): void;
  /** The timeline showed it. */
  done(): void;
}

export const revealStore = createStore<RevealState>()((set) => ({
  target: null,
  reveal(peer, transferId) {
    const jid = toBareJid(peer);
    set({ target: { jid, transferId } });
    transfersViewStore.getState().close();
    if (chatsStore.getState().openJid !== jid) void chatsStore.getState().open(jid);
  },
  done() {
    set({ target: null });
  },
}));

export function useReveal<T>(selector: (state: RevealState) => T): T {
  return useStore(revealStore, selector);
}
