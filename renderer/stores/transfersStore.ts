/**
 * The transfers domain: the latest TransferSummary per id (fed by 'transfer.updated'), and the user's
 * actions on transfers: send dropped or picked files, answer offers, cancel, open and reveal files.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { toBareJid } from '../../shared/model/jid';
import type { TransferId, TransferSummary } from '../../shared/model/transfer';
import { api, toWireError } from '../api';
import { createAttempt } from './attempt';
import { settingsStore } from './settingsStore';
import { sessionStore } from './sessionStore';
import { errorText } from './errorText';
import { rosterStore } from './rosterStore';

export interface TransfersState {
  byId: Record<string, TransferSummary>;
  /** Offers the user answered here; their dialog closes before the host reports the new state. */
  answered: Record<string, true>;
  /** Per bare JID: the resource chosen to send to; absent or '' means the best one (the core picks). */
  targetByPeer: Record<string, string>;
  /** Per bare JID: why the last send to that contact failed. */
  sendErrorByPeer: Record<string, string>;
  /** Why the last answer, cancel, open or reveal failed. */
  errorText: string | null;
  /** Per transfer id: why its last Retry was refused (the file is gone, it is still running…). */
  retryErrorById: Record<string, string>;
  load(): Promise<void>;
  /** The user dismissed the send error shown for a contact (or the contact came back online). */
  dismissSendError(peer: string): void;
  upsert(summary: TransferSummary): void;
  setTarget(peer: string, resource: string): void;
  /** Offers every path to the contact: one transfer.send, one transfer per file. */
  sendPaths(peer: string, paths: string[]): Promise<boolean>;
  /** Files dropped or picked in the page: their local paths (staged by the web host) are sent. */
  sendFiles(peer: string, files: File[]): Promise<boolean>;
  /** The host's native file dialog, then sendPaths (Electron). */
  pickAndSend(peer: string): Promise<boolean>;
  accept(id: TransferId, dir?: string): Promise<void>;
  /** The host's native folder dialog, then accept into the chosen folder; nothing when cancelled. */
  acceptInto(id: TransferId): Promise<void>;
  decline(id: TransferId): Promise<void>;
  cancel(id: TransferId): Promise<void>;
  /** Offers an ended outgoing file again (a new transfer); resolves whether the core started it. */
  retry(id: TransferId): Promise<boolean>;
  /** Forgets an ended transfer in the core, then drops it here. */
  remove(id: TransferId): Promise<void>;
  /** The core dropped a transfer (an interrupted one replaced by its resume): it goes here too. */
  drop(id: TransferId): void;
  /** Per interrupted transfer: what Resume said to do instead (ask the sender to send it again). */
  noteById: Record<string, string>;
  /** Interrupted transfers whose Resume is under way (the core may be asking the sender, for up to a minute). */
  resumingById: Record<string, true>;
  /** Resume an interrupted incoming transfer (a link continues; a sender is asked again; else a note says what to do). */
  resume(id: TransferId): Promise<void>;
  /** Offer an interrupted outgoing file again. */
  resend(id: TransferId): Promise<void>;
  openFile(path: string): Promise<void>;
  /** Web host: where the page downloads a finished received file; null where the host opens files itself. */
  downloadUrl(id: TransferId): string | null;
  revealFile(path: string): Promise<void>;
}

/** The JID a send goes to: the chosen resource while it is online, else the bare JID. */
function targetOf(peer: string, chosen: string | undefined): string {
  if (!chosen) return peer;
  const item = rosterStore.getState().items.find((i) => i.jid === peer);
  return item?.resources.some((r) => r.resource === chosen) ? `${peer}/${chosen}` : peer;
}

function plural(count: number): string {
  return count === 1 ? 'the file' : `${count} files`;
}

/** The one transfers store; reset in tests with setState(getInitialState(), true). */
export const transfersStore = createStore<TransfersState>()((set, get) => {
  const setSendError = (peer: string, text: string | null) => set((state) => {
    const next = { ...state.sendErrorByPeer };
    if (text) next[peer] = text;
    else delete next[peer];
    return { sendErrorByPeer: next };
  });
  const attempt = createAttempt(set);
  const answer = async (id: TransferId, call: () => Promise<unknown>) => {
    set((state) => ({ answered: { ...state.answered, [id]: true } }));
    if (await attempt(call)) return;
    set((state) => {
      const answered = { ...state.answered };
      delete answered[id];
      return { answered };
    });
  };
  return {
    byId: {},
    answered: {},
    targetByPeer: {},
    sendErrorByPeer: {},
    noteById: {},
    resumingById: {},
    errorText: null,
    retryErrorById: {},

    dismissSendError(peer) {
      setSendError(peer, null);
    },

    async load() {
      await attempt(async () => {
        const list = await api.invoke('transfer.list');
        set((state) => ({ byId: { ...state.byId, ...Object.fromEntries(list.map((t) => [t.id, t])) } }));
      });
    },

    upsert(summary) {
      set((state) => ({ byId: { ...state.byId, [summary.id]: summary } }));
    },

    setTarget(peer, resource) {
      set((state) => ({ targetByPeer: { ...state.targetByPeer, [toBareJid(peer)]: resource } }));
    },

    async sendPaths(peer, paths) {
      const bare = toBareJid(peer);
      if (paths.length === 0) return false;
      try {
        const to = targetOf(bare, get().targetByPeer[bare]);
        const started = await api.invoke('transfer.send', { to, paths });
        started.forEach((summary) => get().upsert(summary));
        setSendError(bare, null);
        return true;
      } catch (error) {
        setSendError(bare, `Could not send ${plural(paths.length)}: ${errorText(toWireError(error))}`);
        return false;
      }
    },

    async sendFiles(peer, files) {
      if (files.length === 0) return false;
      let paths: string[];
      try {
        paths = await api.pathsForFiles(files);
      } catch (error) {
        setSendError(toBareJid(peer), `Could not read ${plural(files.length)}: ${errorText(toWireError(error))}`);
        return false;
      }
      return get().sendPaths(peer, paths);
    },

    async pickAndSend(peer) {
      let paths: string[] = [];
      const isPicked = await attempt(async () => { paths = await api.invoke('file.pick'); });
      return isPicked && paths.length > 0 ? get().sendPaths(peer, paths) : false;
    },

    async accept(id, dir) {
      // Settings: "Ask where to save every time", where the host has a folder picker.
      const isAsking = dir === undefined && settingsStore.getState().settings?.askWhereToSave === true && sessionStore.getState().host?.hasNativeFiles === true;
      if (isAsking) return await get().acceptInto(id);
      await answer(id, () => api.invoke('transfer.accept', dir === undefined ? { id } : { id, dir }));
    },

    async acceptInto(id) {
      let dir: string | null = null;
      if (!(await attempt(async () => { dir = await api.invoke('file.pickFolder'); }))) return;
      if (dir !== null) await get().accept(id, dir);
    },

    decline: (id) => answer(id, () => api.invoke('transfer.decline', { id })),

    async cancel(id) {
      await attempt(() => api.invoke('transfer.cancel', { id }));
    },

    async retry(id) {
      const setRetryError = (text: string | null) => set((state) => {
        const next = { ...state.retryErrorById };
        if (text) next[id] = text;
        else delete next[id];
        return { retryErrorById: next };
      });
      try {
        const started = await api.invoke('transfer.retry', { id });
        started.forEach((summary) => get().upsert(summary));
        setRetryError(null);
        return true;
      } catch (error) {
        setRetryError(`Could not retry: ${errorText(toWireError(error)) ?? 'the host refused.'}`);
        return false;
      }
    },

    async remove(id) {
      if (!(await attempt(() => api.invoke('transfer.remove', { id })))) return;
      set((state) => ({ byId: Object.fromEntries(Object.entries(state.byId).filter(([key]) => key !== id)) }));
    },

    drop(id) {
      set((state) => ({ byId: Object.fromEntries(Object.entries(state.byId).filter(([key]) => key !== id)) }));
    },

    async resume(id) {
      set((state) => ({ resumingById: { ...state.resumingById, [id]: true } }));
      await attempt(async () => {
        const { transfer, note } = await api.invoke('transfer.resume', { id });
        if (transfer) { get().upsert(transfer); get().drop(id); }
        if (note) set((state) => ({ noteById: { ...state.noteById, [id]: note } }));
      });
      set((state) => ({ resumingById: Object.fromEntries(Object.entries(state.resumingById).filter(([key]) => key !== id)) }));
    },

    async resend(id) {
      await attempt(async () => {
        const started = await api.invoke('transfer.resend', { id });
        started.forEach((summary) => get().upsert(summary));
        get().drop(id);
      });
    },

    async openFile(path) {
      await attempt(() => api.invoke('file.open', { path }));
    },

    downloadUrl: (id) => api.downloadUrl(id),

    async revealFile(path) {
      await attempt(() => api.invoke('file.reveal', { path }));
    },
  };
});

/** Transfers with one contact (any of its resources), newest first. */
export function selectTransfersWith(peer: string): (state: TransfersState) => TransferSummary[] {
  const bare = toBareJid(peer);
  return (state) =>
    Object.values(state.byId)
      .filter((t) => toBareJid(t.peer) === bare)
      .sort((a, b) => b.startedAt - a.startedAt);
}

/** Incoming offers still waiting for an answer here, oldest first. */
export function selectPendingOffers(state: TransfersState): TransferSummary[] {
  return Object.values(state.byId)
    .filter((t) => t.direction === 'incoming' && t.state === 'offered' && !state.answered[t.id])
    .sort((a, b) => a.startedAt - b.startedAt);
}

/** Reads the transfers store through a narrow selector. */
export function useTransfers<T>(selector: (state: TransfersState) => T): T {
  return useStore(transfersStore, selector);
}

/** The transfers with one contact; re-renders only when that list changes. */
export function useTransfersWith(peer: string): TransferSummary[] {
  return useStore(transfersStore, useShallow(selectTransfersWith(peer)));
}

/** The incoming offers waiting for an answer; re-renders only when that list changes. */
export function usePendingOffers(): TransferSummary[] {
  return useStore(transfersStore, useShallow(selectPendingOffers));
}
