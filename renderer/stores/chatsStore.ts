/** The chats domain: messages per bare JID, the open chat, sending. */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { toBareJid } from '../../shared/model/jid';
import type { ChatMessage } from '../../shared/model/session';
import { api, toWireError } from '../api';
import { errorText } from './errorText';

export interface ChatsState {
  /** Messages per bare JID, oldest first, unique by id. */
  byPeer: Record<string, ChatMessage[]>;
  unread: Record<string, number>;
  openJid: string | null;
  errorText: string | null;
  open(jid: string): Promise<void>;
  close(): void;
  /** Sends to the open chat; resolves true when the host accepted the message. */
  send(body: string): Promise<boolean>;
  receive(message: ChatMessage): void;
}

function merge(list: ChatMessage[], incoming: ChatMessage[]): ChatMessage[] {
  const seen = new Set(list.map((m) => m.id));
  const added = incoming.filter((m) => !seen.has(m.id));
  if (added.length === 0) return list;
  return [...list, ...added].sort((a, b) => a.at - b.at);
}

/** The one chats store; reset in tests with setState(getInitialState(), true). */
export const chatsStore = createStore<ChatsState>()((set, get) => {
  const append = (peer: string, messages: ChatMessage[]) =>
    set((state) => ({ byPeer: { ...state.byPeer, [peer]: merge(state.byPeer[peer] ?? [], messages) } }));
  return {
    byPeer: {},
    unread: {},
    openJid: null,
    errorText: null,

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

    receive(message) {
      const peer = toBareJid(message.peer);
      append(peer, [message]);
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
