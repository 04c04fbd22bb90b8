/** The chats domain: messages per bare JID, the open chat, sending. */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { toBareJid } from '../../shared/model/jid';
import type { ChatMessage, ChatState } from '../../shared/model/session';
import { api, toWireError } from '../api';
import { errorText } from './errorText';

export interface ChatsState {
  /** Messages per bare JID, oldest first, unique by id. */
  byPeer: Record<string, ChatMessage[]>;
  unread: Record<string, number>;
  /** False once the host said there is nothing older for that peer (store and server archive). */
  hasOlder: Record<string, boolean>;
  /** Peers whose older page is being read. */
  loadingOlder: Record<string, boolean>;
  openJid: string | null;
  errorText: string | null;
  /** Peers shown as typing (XEP-0085 composing), with when their `composing` arrived (ms since epoch). */
  typingSince: Record<string, number>;
  open(jid: string): Promise<void>;
  close(): void;
  /** Sends to the open chat; resolves true when the host accepted the message. */
  send(body: string): Promise<boolean>;
  receive(message: ChatMessage): void;
  /** Marks a held outgoing message delivered (the host's 'chat.delivered'). */
  markDelivered(delivered: { peer: string; id: string; deliveredAt: number }): void;
  /** A peer's chat state: composing shows them typing; any other state stops it. */
  receiveState(change: { peer: string; state: ChatState }): void;
  /** Stops showing peer as typing, when `since` is still the composing shown (the bounded timeout). */
  stopTyping(peer: string, since: number): void;
  /** Tells a peer our chat state; failures are dropped (a state is a hint, not a message). */
  sendState(to: string, state: ChatState): Promise<void>;
  /** Reads the page before the oldest message held for peer (the host asks the server archive when its store runs out). */
  loadOlder(jid: string): Promise<void>;
}

function merge(list: ChatMessage[], incoming: ChatMessage[]): ChatMessage[] {
  const seen = new Set(list.map((m) => m.id));
  const added = incoming.filter((m) => !seen.has(m.id));
  if (added.length === 0) return list;
  return [...list, ...added].sort((a, b) => a.at - b.at);
}

function without(record: Record<string, number>, key: string): Record<string, number> {
  const { [key]: _dropped, ...rest } = record;
  return rest;
}

/** The one chats store; reset in tests with setState(getInitialState(), true). */
export const chatsStore = createStore<ChatsState>()((set, get) => {
  const append = (peer: string, messages: ChatMessage[]) =>
    set((state) => ({ byPeer: { ...state.byPeer, [peer]: merge(state.byPeer[peer] ?? [], messages) } }));
  return {
    byPeer: {},
    unread: {},
    hasOlder: {},
    loadingOlder: {},
    openJid: null,
    errorText: null,
    typingSince: {},

    async open(jid) {
      const peer = toBareJid(jid);
      set((state) => ({ openJid: peer, errorText: null, unread: { ...state.unread, [peer]: 0 } }));
      try {
        append(peer, await api.invoke('chat.history', { jid: peer }));
      } catch (error) {
        set({ errorText: errorText(toWireError(error)) });
      }
    },

    close() {
      set({ openJid: null });
    },

    async send(body) {
      const to = get().openJid;
      const text = body.trim();
      if (!to || text === '') return false;
      try {
        const sent = await api.invoke('chat.send', { to, body: text });
        append(toBareJid(sent.peer), [sent]);
        set({ errorText: null });
        return true;
      } catch (error) {
        set({ errorText: errorText(toWireError(error)) });
        return false;
      }
    },

    async loadOlder(jid) {
      const peer = toBareJid(jid);
      const oldest = get().byPeer[peer]?.[0];
      if (!oldest || get().hasOlder[peer] === false || get().loadingOlder[peer]) return;
      set((state) => ({ loadingOlder: { ...state.loadingOlder, [peer]: true } }));
      try {
        const older = await api.invoke('chat.history', { jid: peer, before: oldest.id });
        append(peer, older);
        if (older.length === 0) set((state) => ({ hasOlder: { ...state.hasOlder, [peer]: false } }));
      } catch (error) {
        set({ errorText: errorText(toWireError(error)) });
      } finally {
        set((state) => ({ loadingOlder: { ...state.loadingOlder, [peer]: false } }));
      }
    },

    markDelivered({ peer, id, deliveredAt }) {
      const bare = toBareJid(peer);
      const list = get().byPeer[bare];
      if (!list?.some((m) => m.id === id && m.direction === 'outgoing')) return;
      const marked = list.map((m) => (m.id === id && m.direction === 'outgoing' && m.deliveredAt == null ? { ...m, deliveredAt } : m));
      set((state) => ({ byPeer: { ...state.byPeer, [bare]: marked } }));
    },

    receiveState({ peer, state }) {
      const bare = toBareJid(peer);
      if (state === 'composing') return set((s) => ({ typingSince: { ...s.typingSince, [bare]: Date.now() } }));
      if (get().typingSince[bare] !== undefined) set((s) => ({ typingSince: without(s.typingSince, bare) }));
    },

    stopTyping(peer, since) {
      if (get().typingSince[peer] === since) set((s) => ({ typingSince: without(s.typingSince, peer) }));
    },

    async sendState(to, state) {
      await api.invoke('chat.state', { to, state }).catch(() => {});
    },

    receive(message) {
      const peer = toBareJid(message.peer);
      append(peer, [message]);
      // A message from them ends their typing.
      if (message.direction === 'incoming' && get().typingSince[peer] !== undefined) set((s) => ({ typingSince: without(s.typingSince, peer) }));
      if (peer !== get().openJid && message.direction === 'incoming') {
        set((state) => ({ unread: { ...state.unread, [peer]: (state.unread[peer] ?? 0) + 1 } }));
      }
    },
  };
});

/** Reads the chats store through a narrow selector. */
export function useChats<T>(selector: (state: ChatsState) => T): T {
  return useStore(chatsStore, selector);
}
