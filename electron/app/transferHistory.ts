import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EventBus } from '../../shared/ipc/eventBus';
import type { Events, TransferResumed } from '../../shared/ipc/contract';
import { FerryError } from '../../shared/ipc/wireError';
import { toBareJid, type BareJid } from '../../shared/model/jid';
import { isTerminal, type TransferId, type TransferSummary } from '../../shared/model/transfer';
import type { TransferStore, TransferStores } from '../store/transferStore';
import { LOGOUT_REASON, type TransferService } from '../transfer/transferService';
import type { XmppSession } from '../xmpp/session';
import { writeKey, restoredState, SHUTDOWN_REASON } from './transferRestore';
import { askAgain, findRequestedFile } from './resumeRequest';
import type { FileRequested } from '../transfer/methods/types';

/** A running transfer's byte count is written at most this often; state changes and ends at once (batched). */
export const PROGRESS_WRITE_INTERVAL_MS = 5_000;
/** How many stored transfers come back after a login (the newest). */
const RESTORED_LIMIT = 500;

interface HistoryDeps {
  session: Pick<XmppSession, 'jid' | 'onStateChanged'>;
  events: EventBus<Events>;
  transfers: Pick<TransferService, 'list' | 'remove' | 'send' | 'resumeLink' | 'requestAgain'>;
  /** The account databases; without them transfers live in memory only, as before. */
  stores?: TransferStores;
  log: (line: string) => void;
}

/**
 * Transfers kept across restarts (issue #10). Every update of a live transfer is queued to the account's store
 * (state changes and ends at once, progress at most every PROGRESS_WRITE_INTERVAL_MS; the store writes in
 * batches, so no progress tick waits for the disk). After a login the stored ones come back in transfer.list:
 * ended ones as they were, ones that were running when Ferry stopped as `interrupted` (transferRestore.ts),
 * with Resume (incoming) and Resend (outgoing).
 */
export class TransferHistory {
  private store: TransferStore | null = null;
  private account: BareJid | null = null;
  private opening: Promise<void> | null = null;
  private readonly restored = new Map<TransferId, TransferSummary>();
  private readonly written = new Map<TransferId, { key: string; at: number }>();
  private readonly stopping = new Set<TransferId>();
  private readonly asking = new Set<TransferId>();
  private readonly disposers: (() => void)[];

  constructor(private readonly deps: HistoryDeps) {
    this.disposers = [deps.session.onStateChanged((snapshot) => {
      if (snapshot.state === 'online') this.open();
      if (snapshot.state === 'offline') this.forget();
    })];
  }

  /** A live transfer changed: queue it for the store when it matters. */
  record(summary: TransferSummary): void {
    this.replaceResumed(summary);
    if (!this.store) return;
    const key = writeKey(summary);
    const last = this.written.get(summary.id);
    const now = Date.now();
    if (last && last.key === key && now - last.at < PROGRESS_WRITE_INTERVAL_MS) return;
    this.written.set(summary.id, { key, at: now });
    this.store.put(this.stopping.has(summary.id) ? asInterrupted(summary) : summary);
  }

  /**
   * The live transfers and the restored ones, oldest first; waits for the store being opened after a login.
   * Restored transfers are not announced as `transfer.updated` (a CLI counts those as this run's transfers).
   */
  async list(live: () => TransferSummary[]): Promise<TransferSummary[]> {
    if (this.opening) await this.opening;
    return this.merged(live());
  }

  private merged(live: TransferSummary[]): TransferSummary[] {
    const ids = new Set(live.map((t) => t.id));
    return [...[...this.restored.values()].filter((t) => !ids.has(t.id)), ...live].sort((a, b) => a.startedAt - b.startedAt);
  }

  /** Remove from list: a restored transfer here, a live one in the service; either way out of the store. */
  remove(id: TransferId): void {
    if (this.restored.delete(id)) this.store?.delete(id);
    else {
      this.deps.transfers.remove(id);
      this.store?.delete(id);
    }
    this.written.delete(id);
  }

  /**
   * A live incoming transfer failed and its .part was kept (TransferService onPartKept: the network went, the peer left or stalled): it
   * becomes `interrupted` at once, with Resume, as it would after a restart (restoredState), instead of staying
   * Failed until then. Only with an open store (the app hosts, or the CLI with --data-dir): without one,
   * nothing outlives the process and the failure stays what it was. Not while Ferry is stopping (markStopping).
   */
  interruptLive(summary: TransferSummary): void {
    if (!this.store || this.stopping.has(summary.id)) return;
    // The service calls this only once the .part is kept on disk: no need to look again.
    const shown = restoredState(summary, () => true);
    if (shown.state === 'interrupted') this.replaceLive(shown);
  }

  /**
   * Logging out stopped these outgoing transfers (TransferService.stopAllForLogout: the peer was told): each is
   * stored `interrupted` with LOGOUT_REASON, as at a quit, and shows so at once and after the next login, with
   * Resend. Only with an open store, like interruptLive: without one they stay cancelled, as before.
   */
  interruptStopped(summaries: readonly TransferSummary[]): void {
    if (!this.store) return;
    const live = new Map(this.deps.transfers.list().map((t) => [t.id, t]));
    for (const summary of summaries) {
      const now = live.get(summary.id) ?? summary;
      const shown = asInterrupted(now, LOGOUT_REASON);
      if (now.direction === 'outgoing' && shown.state === 'interrupted') this.replaceLive(shown);
    }
  }

  /** An ended live transfer leaves the service; its interrupted copy joins the restored ones, stored and announced. */
  private replaceLive(shown: TransferSummary): void {
    try {
      this.deps.transfers.remove(shown.id);
    } catch {
      return; // already removed from the list by the user
    }
    this.restored.set(shown.id, shown);
    this.written.set(shown.id, { key: writeKey(shown), at: Date.now() });
    this.store?.put(shown);
    this.deps.events.emit('transfer.updated', shown);
  }

  /**
   * Resume of an interrupted incoming transfer (see the contract): a link is fetched again; a peer-to-peer file
   * is asked for (XEP-0234 §6.2, resumeRequest.ts), and the sender's new offer continues the kept part.
   */
  async resume(id: TransferId): Promise<TransferResumed> {
    const old = this.interrupted(id, 'incoming');
    if (old.url === null) {
      // One request per interrupted file at a time: a second would bring a second offer of the same file.
      if (this.asking.has(id)) throw new FerryError('bad-request', `Ferry is already asking ${toBareJid(old.peer)} for ${old.file.name}.`);
      this.asking.add(id);
      try {
        const asked = await askAgain(old, this.deps.transfers);
        if (asked.transfer && this.restored.has(id)) this.drop(id);
        return asked;
      } finally {
        this.asking.delete(id);
      }
    }
    const dir = old.partPath ? dirname(old.partPath) : null;
    if (!dir) throw new FerryError('bad-request', 'Ferry does not know which folder this download went to.');
    const transfer = this.deps.transfers.resumeLink({ from: old.peer, url: old.url, file: old.file }, dir);
    this.drop(id);
    return { transfer, note: null };
  }

  /** Resend of an interrupted outgoing transfer: the same file to the same contact, by whatever fits now. */
  async resend(id: TransferId): Promise<TransferSummary[]> {
    const old = this.interrupted(id, 'outgoing');
    if (!old.path || !existsSync(old.path)) throw new FerryError('bad-request', `${old.path ?? 'the file'} is no longer there to send.`);
    const sent = await this.deps.transfers.send({ to: toBareJid(old.peer), paths: [old.path] });
    this.drop(id);
    return sent;
  }

  /**
   * A peer's file request (XEP-0234 §6.2): the path of a file offered to that same bare JID before (live or
   * restored, outgoing), matching the request, still on disk with its size; null otherwise (resumeRequest.ts).
   */
  findRequested(request: FileRequested): string | null {
    return findRequestedFile(this.merged(this.deps.transfers.list()), request);
  }

  /** Ferry is stopping: what still runs is stored as interrupted, whatever its end says. */
  markStopping(): void {
    for (const t of this.deps.transfers.list()) if (!isTerminal(t.state)) this.stopping.add(t.id);
  }

  /** After the service stopped: the last word of each stopped transfer, written, then the store closed. */
  dispose(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
    for (const t of this.deps.transfers.list()) if (this.stopping.has(t.id)) this.store?.put(asInterrupted(t));
    this.forget();
  }

  private interrupted(id: TransferId, direction: 'incoming' | 'outgoing'): TransferSummary {
    const old = this.restored.get(id);
    if (!old || old.state !== 'interrupted' || old.direction !== direction) {
      throw new FerryError('bad-request', `That is not an interrupted ${direction} transfer.`);
    }
    return old;
  }

  /** A restored transfer replaced by a new one: gone from the list, the store and every window. */
  private drop(id: TransferId): void {
    this.restored.delete(id);
    this.store?.delete(id);
    this.deps.events.emit('transfer.removed', { id });
  }

  /** A new offer claimed an interrupted transfer's .part (the sender sent it again): the old card goes. */
  private replaceResumed(summary: TransferSummary): void {
    if (summary.direction !== 'incoming' || summary.resumedFrom === null || !summary.partPath) return;
    for (const old of this.restored.values()) {
      if (old.state === 'interrupted' && old.direction === 'incoming' && old.partPath === summary.partPath) this.drop(old.id);
    }
  }

  private open(): void {
    const own = this.deps.session.jid;
    const { stores } = this.deps;
    if (!own || !stores) return;
    const account = toBareJid(own);
    if (this.account === account) return; // a reconnect of the same account
    this.forget();
    this.account = account;
    const opening = stores.open(account).then(
      (store) => {
        if (this.opening !== opening) { store.close(); return; }
        this.opening = null;
        this.store = store;
        this.load(store);
      },
      (error: unknown) => {
        this.deps.log(`transfers could not be opened (kept in memory only): ${error instanceof Error ? error.message : String(error)}`);
        if (this.opening === opening) this.opening = null;
      },
    );
    this.opening = opening;
  }

  private load(store: TransferStore): void {
    const live = new Set(this.deps.transfers.list().map((t) => t.id));
    for (const stored of store.all(RESTORED_LIMIT)) {
      if (live.has(stored.id)) continue;
      const shown = restoredState(stored, (path) => existsSync(path));
      if (shown !== stored) store.put(shown);
      this.restored.set(shown.id, shown);
    }
    for (const t of this.deps.transfers.list()) this.record(t);
  }

  private forget(): void {
    this.opening = null;
    this.account = null;
    this.restored.clear();
    this.written.clear();
    const store = this.store;
    this.store = null;
    try {
      store?.close();
    } catch (error) {
      this.deps.log(`transfers could not be written at close: ${String(error)}`);
    }
  }
}

function asInterrupted(summary: TransferSummary, reason = SHUTDOWN_REASON): TransferSummary {
  if (summary.state === 'done' || summary.state === 'declined') return summary;
  return { ...summary, state: 'interrupted', rate: 0, etaSeconds: null, reason, endedAt: summary.endedAt ?? Date.now() };
}
