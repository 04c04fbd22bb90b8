import { shownFileName } from '../../../shared/model/fileDisplay';
import type { Attempt, TransferSummary } from '../../../shared/model/transfer';
import { FALLBACK_TO_IBB_DETAIL, isTerminal, readMethodFallback } from '../../../shared/model/transfer';
import { formatBytes, formatEta, formatFileSize, formatRoute } from './format';

/** Methods in the words of the fallback line ("Jingle failed → HTTP upload"). */
const METHOD_WORDS: Record<string, string> = { si: 'SI', jingle: 'Jingle', 'http-upload': 'HTTP upload', kontalk: 'Kontalk upload' };

/** The share of the file moved so far, 0..100. */
export function percentOf(transfer: TransferSummary): number {
  const { size } = transfer.file;
  if (transfer.state === 'done') return 100;
  return size > 0 ? Math.min(100, Math.round((transfer.bytes / size) * 100)) : 0;
}

/** "512 KB of 2.0 MB · 1.2 MB/s · 2 s left": what moved, how fast, how long still; rate only while moving. */
function progressText(transfer: TransferSummary): string {
  const size = formatFileSize(transfer);
  const moved = size === 'size unknown' ? `${formatBytes(transfer.bytes)} so far (size unknown)` : `${formatBytes(transfer.bytes)} of ${size}`;
  if (transfer.state !== 'transferring') return moved;
  const eta = transfer.etaSeconds !== null ? ` · ${formatEta(transfer.etaSeconds)} left` : '';
  return `${moved} · ${formatBytes(transfer.rate)}/s${eta}`;
}

/** The attempt-log entry of a move from SOCKS5 to in-band, logged the moment it happens; undefined when none. */
export function fallbackOf(attempts: readonly Attempt[]): Attempt | undefined {
  return attempts.find((a) => a.detail.startsWith(FALLBACK_TO_IBB_DETAIL));
}

/** Progress bar, bytes, speed and ETA, and the offset a resumed transfer started at. */
export function TransferProgress({ transfer }: { transfer: TransferSummary }) {
  const percent = percentOf(transfer);
  const isEnded = isTerminal(transfer.state);
  const { resumedFrom } = transfer;
  return (
    <>
      <div className="progress" role="progressbar" aria-label={`${shownFileName(transfer).name} progress`}
        aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-valuetext={`${percent} %`}>
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <div className="transfer-meta">
        {!isEnded || transfer.state === 'done' ? <span className="transfer-amount">{progressText(transfer)}</span> : null}
        {resumedFrom !== null && (
          <span className="transfer-resumed" title={`the receiver already had the first ${resumedFrom} bytes`}>resumed at {formatBytes(resumedFrom)}</span>
        )}
      </div>
    </>
  );
}

/**
 * The technical route, shown under the card's Details: method and transport ("Jingle · SOCKS5 direct"), a
 * fallback from SOCKS5 to in-band (full attempt detail in the title), a move from one method to another.
 */
export function TransferRoute({ transfer }: { transfer: TransferSummary }) {
  const route = formatRoute(transfer.method, transfer.transport);
  const fallback = fallbackOf(transfer.attempts);
  const moved = [...transfer.attempts].reverse().map((a) => readMethodFallback(a.detail)).find((m) => m !== null);
  if (!route && !fallback && !moved) return null;
  return (
    <div className="transfer-meta transfer-technical">
      {route && <span className="transfer-route">{route}</span>}
      {fallback && <span className="transfer-fallback" title={fallback.detail}>{FALLBACK_TO_IBB_DETAIL}</span>}
      {moved && <span className="transfer-fallback transfer-method-fallback">{`${METHOD_WORDS[moved.from] ?? moved.from} failed → ${METHOD_WORDS[moved.to] ?? moved.to}`}</span>}
    </div>
  );
}
