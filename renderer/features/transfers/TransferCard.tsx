import { shownFileName } from '../../../shared/model/fileDisplay';
import type { TransferState, TransferSummary } from '../../../shared/model/transfer';
import { AttemptLog } from './AttemptLog';
import { formatFileSize } from './format';
import { Thumbnail } from './Thumbnail';
import { HashBadge } from './HashBadge';
import { TransferActions } from './TransferActions';
import { TransferProgress } from './TransferProgress';

const STATE_LABELS: Record<TransferState, string> = {
  offered: 'Offered', negotiating: 'Negotiating', connecting: 'Connecting', transferring: 'Transferring',
  verifying: 'Verifying', done: 'Done', failed: 'Failed', cancelled: 'Cancelled', declined: 'Declined',
};

/** Why a transfer ended badly; a failure always gets a sentence, even when the core gave none. */
function endReason(transfer: TransferSummary): string | null {
  if (transfer.reason) return transfer.reason;
  if (transfer.state !== 'failed') return null;
  const lastFailed = [...transfer.attempts].reverse().find((a) => a.outcome === 'failed' && a.reason);
  return lastFailed?.reason ?? 'The transfer failed and neither side reported why.';
}

/**
 * One transfer in the chat: name, size, direction, state and whether the bytes were checked; progress, speed,
 * ETA, the method and transport in use, a fallback to in-band and a resume offset; Cancel while it runs; on
 * failure the reason with the attempt log; for a received file, where it went and its sha-256.
 */
export function TransferCard({ transfer }: { transfer: TransferSummary }) {
  const { state } = transfer;
  const direction = transfer.direction === 'incoming' ? 'Receiving' : 'Sending';
  const reason = endReason(transfer);
  const shown = shownFileName(transfer);
  return (
    <li className={`transfer-card transfer-card--${state}`} aria-label={`${shown.name}, ${STATE_LABELS[state]}`}>
      <div className="transfer-line">
        <span className="transfer-dir" title={direction} aria-hidden="true">{transfer.direction === 'incoming' ? '↓' : '↑'}</span>
        <span className="transfer-direction">{direction}</span>
        <span className="transfer-name" title={shown.offeredAs ? `offered as ${shown.offeredAs}` : shown.name}>{shown.name}</span>
        <span className="transfer-size">{formatFileSize(transfer)}</span>
        <span className="transfer-state">{STATE_LABELS[state]}</span>
        <HashBadge transfer={transfer} />
      </div>
      <Thumbnail transfer={transfer} />
      <TransferProgress transfer={transfer} />
      {reason && <div className="transfer-reason">{reason}</div>}
      <TransferActions transfer={transfer} />
      <AttemptLog attempts={transfer.attempts} isOpen={false} />
    </li>
  );
}
