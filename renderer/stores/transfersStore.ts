/** The transfers domain: the latest TransferSummary per id, fed by 'transfer.updated'. */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { toBareJid } from '../../shared/model/jid';
import type { TransferSummary } from '../../shared/model/transfer';
import { api, toWireError } from '../api';
import { errorText } from './errorText';

export interface TransfersState {
  byId: Record<string, TransferSummary>;
  errorText: string | null;
  load(): Promise<void>;
  upsert(summary: TransferSummary): void;
}

/** The one transfers store; reset in tests with setState(getInitialState(), true). */
export const transfersStore = createStore<TransfersState>()((set) => ({
  byId: {},
  errorText: null,

  async load() {
    try {
      const list = await api.invoke('transfer.list');
      set((state) => ({ byId: { ...state.byId, ...Object.fromEntries(list.map((t) => [t.id, t])) } }));
    } catch (error) {
      set({ errorText: errorText(toWireError(error)) });
    }
  },

  upsert(summary) {
    set((state) => ({ byId: { ...state.byId, [summary.id]: summary } }));
  },
}));

/** Transfers with one contact (any of its resources), newest first. */
export function selectTransfersWith(peer: string): (state: TransfersState) => TransferSummary[] {
  const bare = toBareJid(peer);
  return (state) =>
    Object.values(state.byId)
      .filter((t) => toBareJid(t.peer) === bare)
      .sort((a, b) => b.startedAt - a.startedAt);
}

/** Reads the transfers store through a narrow selector. */
export function useTransfers<T>(selector: (state: TransfersState) => T): T {
  return useStore(transfersStore, selector);
}

/** The transfers with one contact; re-renders only when that list changes. */
export function useTransfersWith(peer: string): TransferSummary[] {
  return useStore(transfersStore, useShallow(selectTransfersWith(peer)));
}
