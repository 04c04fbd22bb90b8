import { shownFileName } from '../../../shared/model/fileDisplay';
import type { TransferSummary } from '../../../shared/model/transfer';
import { isTerminal } from '../../../shared/model/transfer';
import { formatBytes, formatEta, formatRoute } from './format';

/** The share of the file moved so far, 0..100. */
export function percentOf(transfer: TransferSummary): number {
  const { size } = transfer.file;
  if (transfer.state === 'done') return 100;
  return size > 0 ? Math.min(100, Math.round((transfer.bytes / size) * 100)) : 0;
}

/** "512 KB of 2.0 MB · 1.2 MB/s · 2 s left": what moved, how fast, how long still; rate only while moving. */
function progressText(transfer: TransferSummary): string {
  const moved = `${formatBytes(transfer.bytes)} of ${formatBytes(transfer.file.size)}`;
  if (transfer.state !== 'transferring') return moved;
  const eta = transfer.etaSeconds !== null ? ` · ${formatEta(transfer.etaSeconds)} left` : '';
  return `${moved} · ${formatBytes(transfer.rate)}/s${eta}`;
}

/** Progress bar, bytes, speed and ETA, and the method and transport in use. */
export function TransferProgress({ transfer }: { transfer: TransferSummary }) {
  const percent = percentOf(transfer);
  const route = formatRoute(transfer.method, transfer.transport);
  const isEnded = isTerminal(transfer.state);
  return (
    <>
      <div className="progress" role="progressbar" aria-label={`${shownFileName(transfer).name} progress`}
        aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-valuetext={`${percent} %`}>
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <div className="transfer-meta">
        {!isEnded || transfer.state === 'done' ? <span className="transfer-amount">{progressText(transfer)}</span> : null}
        {route && <span className="transfer-route">{route}</span>}
      </div>
    </>
  );
}
