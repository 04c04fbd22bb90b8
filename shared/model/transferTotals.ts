/**
 * The totals of the Transfers view and of the taskbar/dock progress (issue 11): one definition, so the
 * bar in the taskbar and the numbers in the view always agree.
 */
import type { TransferState, TransferSummary } from './transfer';

/** States that count as moving: accepted (or offered by us and awaited) and not finished. An unanswered incoming offer does not. */
export const MOVING_STATES: ReadonlySet<TransferState> = new Set(['negotiating', 'connecting', 'transferring', 'verifying']);

export interface TransferTotals {
  /** How many transfers are moving. */
  active: number;
  /** Bytes moved and bytes to move, over the moving transfers (a file of unknown size counts 0 of 0). */
  bytesDone: number;
  bytesTotal: number;
  /** Overall speed: the sum of the moving transfers' rates, bytes per second. */
  rate: number;
  /** bytesDone / bytesTotal in [0, 1]; -1 when nothing is moving (the taskbar then shows no bar). */
  progress: number;
}

/** Sums the moving transfers; finished ones and unanswered incoming offers are left out. */
export function transferTotals(transfers: Iterable<Pick<TransferSummary, 'state' | 'bytes' | 'rate' | 'file'>>): TransferTotals {
  let active = 0;
  let bytesDone = 0;
  let bytesTotal = 0;
  let rate = 0;
  for (const transfer of transfers) {
    if (!MOVING_STATES.has(transfer.state)) continue;
    active += 1;
    const size = Math.max(0, transfer.file.size);
    bytesTotal += size;
    bytesDone += Math.min(Math.max(0, transfer.bytes), size);
    rate += Number.isFinite(transfer.rate) ? Math.max(0, transfer.rate) : 0;
  }
  const progress = active === 0 ? -1 : bytesTotal === 0 ? 0 : bytesDone / bytesTotal;
  return { active, bytesDone, bytesTotal, rate, progress };
}
