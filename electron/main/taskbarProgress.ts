import type { BrowserWindow } from 'electron';
import type { TransferSummary } from '../../shared/model/transfer';
import { isTerminal } from '../../shared/model/transfer';
import { transferTotals } from '../../shared/model/transferTotals';
import type { Core } from '../app/core';

/**
 * The taskbar value for a set of transfers: the Transfers view's totals (shared/model/transferTotals.ts), so
 * both agree: -1 (no bar) when none is moving, else bytes done over bytes to move across the moving ones.
 */
export function aggregateProgress(transfers: Iterable<Pick<TransferSummary, 'state' | 'bytes' | 'rate' | 'file'>>): number {
  return transferTotals(transfers).progress;
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
