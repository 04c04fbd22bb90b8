import type { BrowserWindow } from 'electron';
import type { TransferState, TransferSummary } from '../../shared/model/transfer';
import { isTerminal } from '../../shared/model/transfer';
import type { Core } from '../app/core';

/** States that count towards the taskbar bar: accepted and not finished. An unanswered offer does not. */
const MOVING: ReadonlySet<TransferState> = new Set(['negotiating', 'connecting', 'transferring', 'verifying']);

/**
 * The taskbar value for a set of transfers: -1 (no bar) when none is moving, else bytes done over bytes
 * to move across all moving transfers, in [0, 1]. Files of unknown size (0) count as 0 of 0.
 */
export function aggregateProgress(transfers: Iterable<Pick<TransferSummary, 'state' | 'bytes' | 'file'>>): number {
  let done = 0;
  let total = 0;
  let moving = 0;
  for (const transfer of transfers) {
    if (!MOVING.has(transfer.state)) continue;
    moving += 1;
    const size = Math.max(0, transfer.file.size);
    total += size;
    done += Math.min(Math.max(0, transfer.bytes), size);
  }
  if (moving === 0) return -1;
  return total === 0 ? 0 : done / total;
}

/**
 * Follows transfer.updated and keeps the window's taskbar progress in step. Returns an idempotent
 * dispose that also removes the bar.
 */
export function trackTaskbarProgress(options: {
  core: Pick<Core, 'on'>;
  window: Pick<BrowserWindow, 'setProgressBar' | 'isDestroyed'>;
}): () => void {
  const { core, window } = options;
  const transfers = new Map<string, TransferSummary>();
  let shown = -1;
  const show = (value: number) => {
    if (value === shown || window.isDestroyed()) return;
    shown = value;
    window.setProgressBar(value);
  };
  const unsubscribe = core.on('transfer.updated', (summary) => {
    if (isTerminal(summary.state)) transfers.delete(summary.id);
    else transfers.set(summary.id, summary);
    show(aggregateProgress(transfers.values()));
  });
  let isDisposed = false;
  return () => {
    if (isDisposed) return;
    isDisposed = true;
    unsubscribe();
    transfers.clear();
    show(-1);
  };
}
