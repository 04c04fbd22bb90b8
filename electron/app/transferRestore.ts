/**
 * How a stored transfer reads after a restart (issue #10), and which changes of a live one are worth a write.
 * Pure: the caller says whether a path exists.
 */
import { isTerminal, type TransferSummary } from '../../shared/model/transfer';

/** The reason of a transfer that was still running when Ferry quit or logged out. */
export const SHUTDOWN_REASON = 'Ferry was closed while this transfer was running';
/** The reason of one found running in the store: the process ended without saying (a crash, a kill, power). */
export const CRASH_REASON = 'Ferry stopped unexpectedly while this transfer was running';

/**
 * What must reach the store at once when it changes; a change of bytes alone (progress) is written at most
 * every few seconds (transferHistory.ts PROGRESS_WRITE_INTERVAL_MS).
 */
export function writeKey(t: TransferSummary): string {
  return JSON.stringify([t.state, t.attempts.length, t.method, t.transport, t.resumedFrom, t.partPath ?? null, t.url, t.hash,
    t.file.size, t.path, t.reason, t.thumbnail !== null]);
}

/**
 * A stored transfer as it comes back: one that never ended (the process died) is `interrupted`; an incoming
 * one that failed but whose `.part` is still on disk (kept for a resume: the network went, the peer left) is
 * `interrupted` too, with its reason; every other ended one as it was. Returns `stored` itself when unchanged.
 */
export function restoredState(stored: TransferSummary, exists: (path: string) => boolean): TransferSummary {
  if (!isTerminal(stored.state)) {
    return { ...stored, state: 'interrupted', rate: 0, etaSeconds: null, reason: CRASH_REASON, endedAt: stored.endedAt ?? stored.startedAt };
  }
  const isKeptPart = stored.direction === 'incoming' && stored.state === 'failed' && stored.hash !== 'mismatch'
    && typeof stored.partPath === 'string' && exists(stored.partPath);
  return isKeptPart ? { ...stored, state: 'interrupted' } : stored;
}
