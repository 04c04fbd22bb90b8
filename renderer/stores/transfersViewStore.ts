/**
 * The Transfers view (issue 11): whether it is open, its filters, and "Clear finished". The transfers
 * themselves stay in transfersStore; this store only chooses which of them the view shows.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { toBareJid } from '../../shared/model/jid';
import { isTerminal, type TransferSummary } from '../../shared/model/transfer';
import { transfersStore, type TransfersState } from './transfersStore';

/** Active: not ended yet (offers included); done: arrived; failed: failed, declined or cancelled. */
export type StateFilter = 'all' | 'active' | 'done' | 'failed';
export type DirectionFilter = 'all' | 'incoming' | 'outgoing';

export interface TransfersFilter {
  state: StateFilter;
  direction: DirectionFilter;
  /** A contact's bare JID, or 'all'. */
  contact: string;
}

export interface TransfersViewState {
  isOpen: boolean;
  filter: TransfersFilter;
  /** Why the last Clear finished could not forget every transfer. */
  errorText: string | null;
  open(): void;
  close(): void;
  setFilter(patch: Partial<TransfersFilter>): void;
  /** Forgets (transfer.remove) every ended transfer the filter shows; running ones stay. */
  clearFinished(): Promise<void>;
}

const ALL: TransfersFilter = { state: 'all', direction: 'all', contact: 'all' };

function safeBare(peer: string): string {
  try { return toBareJid(peer); } catch { return peer; }
}

function matchesState(filter: StateFilter, transfer: TransferSummary): boolean {
  switch (filter) {
    case 'all': return true;
    case 'active': return !isTerminal(transfer.state);
    case 'done': return transfer.state === 'done';
    case 'failed': return transfer.state === 'failed' || transfer.state === 'declined' || transfer.state === 'cancelled';
  }
}

/** The transfers a filter shows, across contacts, newest first. */
export function filterTransfers(byId: TransfersState['byId'], filter: TransfersFilter): TransferSummary[] {
  return Object.values(byId)
    .filter((t) => matchesState(filter.state, t))
    .filter((t) => filter.direction === 'all' || t.direction === filter.direction)
    .filter((t) => filter.contact === 'all' || safeBare(t.peer) === filter.contact)
    .sort((a, b) => b.startedAt - a.startedAt);
}

/** Every contact some transfer is with (bare JIDs, sorted), for the contact filter. */
export function transferContacts(byId: TransfersState['byId']): string[] {
  return [...new Set(Object.values(byId).map((t) => safeBare(t.peer)))].sort();
}

/** The one Transfers view store; reset in tests with setState(getInitialState(), true). */
export const transfersViewStore = createStore<TransfersViewState>()((set, get) => ({
  isOpen: false,
  filter: ALL,
  errorText: null,
  open: () => set({ isOpen: true, errorText: null }),
  close: () => set({ isOpen: false }),
  setFilter: (patch) => set((state) => ({ filter: { ...state.filter, ...patch } })),
  async clearFinished() {
    const ended = filterTransfers(transfersStore.getState().byId, get().filter).filter((t) => isTerminal(t.state));
    for (const transfer of ended) await transfersStore.getState().remove(transfer.id);
    const left = ended.filter((t) => transfersStore.getState().byId[t.id] !== undefined).length;
    set({ errorText: left === 0 ? null : `${left} of ${ended.length} could not be cleared: ${transfersStore.getState().errorText ?? 'the host refused.'}` });
  },
}));

/** Reads the Transfers view store through a narrow selector. */
export function useTransfersView<T>(selector: (state: TransfersViewState) => T): T {
  return useStore(transfersViewStore, selector);
}
