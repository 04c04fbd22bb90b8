/** The roster domain: contacts with presence, pending subscription requests, and the actions on them. */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { isAccountJid, toBareJid } from '../../shared/model/jid';
import type { RosterItem, SubscriptionRequest } from '../../shared/model/session';
import { api } from '../api';
import { createAttempt } from './attempt';

export interface RosterState {
  items: RosterItem[];
  /** Incoming requests to see our presence, waiting for Approve or Deny. */
  pending: SubscriptionRequest[];
  errorText: string | null;
  load(): Promise<void>;
  setItems(items: RosterItem[]): void;
  addRequest(request: SubscriptionRequest): void;
  approve(jid: string): Promise<void>;
  deny(jid: string): Promise<void>;
  /** Resolves true when the contact was added (the form may clear itself). */
  add(jid: string, name?: string): Promise<boolean>;
  remove(jid: string): Promise<void>;
}

/** The one roster store; reset in tests with setState(getInitialState(), true). */
export const rosterStore = createStore<RosterState>()((set, get) => {
  const attempt = createAttempt(set);
  const dropRequest = (jid: string) => set({ pending: get().pending.filter((r) => r.jid !== jid) });
  // Counts roster.changed events: a load whose snapshot was taken before one of them must not overwrite it
  // (a contact's presence that came while roster.pendingRequests was still answering showed them offline).
  let itemsVersion = 0;
  return {
    items: [],
    pending: [],
    errorText: null,

    async load() {
      const version = itemsVersion;
      await attempt(async () => {
        const [items, pending] = await Promise.all([api.invoke('roster.get'), api.invoke('roster.pendingRequests')]);
        // Requests that arrived as events meanwhile are kept beside the loaded ones.
        const arrived = get().pending.filter((r) => !pending.some((p) => p.jid === r.jid));
        set({ ...(version === itemsVersion ? { items } : {}), pending: [...pending, ...arrived] });
      });
    },

    setItems(items) {
      itemsVersion += 1;
      set({ items });
    },

    addRequest(request) {
      if (get().pending.some((r) => r.jid === request.jid)) return;
      set({ pending: [...get().pending, request] });
    },

    async approve(jid) {
      if (await attempt(() => api.invoke('roster.approve', { jid }))) dropRequest(jid);
    },

    async deny(jid) {
      if (await attempt(() => api.invoke('roster.deny', { jid }))) dropRequest(jid);
    },

    async add(jid, name) {
      const trimmed = jid.trim();
      if (!isAccountJid(trimmed)) {
        set({ errorText: `“${trimmed}” is not an address like name@example.org.` });
        return false;
      }
      const bare = toBareJid(trimmed);
      return attempt(() => api.invoke('roster.add', name?.trim() ? { jid: bare, name: name.trim() } : { jid: bare }));
    },

    async remove(jid) {
      await attempt(() => api.invoke('roster.remove', { jid }));
    },
  };
});

/** Reads the roster store through a narrow selector. */
export function useRoster<T>(selector: (state: RosterState) => T): T {
  return useStore(rosterStore, selector);
}
