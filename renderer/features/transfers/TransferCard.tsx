import type { TransferState, TransferSummary } from '../../../shared/model/transfer';
import { formatBytes, formatEta } from './format';

const STATE_LABELS: Record<TransferState, string> = {
  offered: 'Offered', negotiating: 'Negotiating', connecting: 'Connecting', transferring: 'Transferring',
  verifying: 'Verifying', done: 'Done', failed: 'Failed', cancelled: 'Cancelled', declined: 'Declined',
};

/** One transfer: direction, file, state, progress, rate and ETA, and the reason when it failed. */
export function TransferCard({ transfer }: { transfer: TransferSummary }) {
  const { file, state } = transfer;
  const percent = file.size > 0 ? Math.min(100, Math.round((transfer.bytes / file.size) * 100)) : 0;
  const isMoving = state === 'transferring';
  return (
    <li className={`transfer-card transfer-card--${state}`} aria-label={`${file.name}, ${STATE_LABELS[state]}`}>
      <div className="transfer-line">
        <span className="transfer-dir" aria-hidden="true">{transfer.direction === 'incoming' ? '↓' : '↑'}</span>
        <span className="transfer-name" title={file.name}>{file.name}</span>
        <span className="transfer-size">{formatBytes(file.size)}</span>
        <span className="transfer-state">{STATE_LABELS[state]}</span>
      </div>
      <div className="progress" role="progressbar" aria-label={`${file.name} progress`}
        aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      {isMoving && (
        <div className="transfer-meta">
          {formatBytes(transfer.rate)}/s{transfer.etaSeconds !== null ? ` · ${formatEta(transfer.etaSeconds)} left` : ''}
        </div>
      )}
      {transfer.reason && <div className="transfer-reason">{transfer.reason}</div>}
    </li>
  );
}
