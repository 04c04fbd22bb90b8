import { shownFileName } from '../../../shared/model/fileDisplay';
import type { TransferState, TransferSummary } from '../../../shared/model/transfer';
import { toBareJid } from '../../../shared/model/jid';
import { useRoster } from '../../stores/rosterStore';
import { AttemptLog } from './AttemptLog';
import { formatFileSize } from './format';
import { interruptedSentence, reasonSentence, routeSentence, stateSentence } from './plainWords';
import { Thumbnail } from './Thumbnail';
import { HashBadge } from './HashBadge';
import { TransferActions } from './TransferActions';
import { fallbackOf, TransferProgress, TransferRoute } from './TransferProgress';

const STATE_LABELS: Record<TransferState, string> = {
  offered: 'Offered', negotiating: 'Negotiating', connecting: 'Connecting', transferring: 'Transferring',
  verifying: 'Verifying', done: 'Done', failed: 'Failed', cancelled: 'Cancelled', declined: 'Declined',
  interrupted: 'Interrupted',
};

/** The contact's roster name, else the local part of the address. */
function usePeerName(peer: string): string {
  const bare = safeBare(peer);
  const name = useRoster((s) => s.items.find((item) => item.jid === bare)?.name);
  return name?.trim() || bare.split('@')[0] || peer;
}

function safeBare(peer: string): string {
  try { return toBareJid(peer); } catch { return peer; }
}

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
  const peerName = usePeerName(transfer.peer);
  const route = routeSentence(transfer.direction, transfer.method, transfer.transport);
  return (
    <li className={`transfer-card transfer-card--${state} transfer-card--${transfer.direction}`} data-transfer-ids={transfer.id} aria-label={`${shown.name}, ${STATE_LABELS[state]}`}>
      <div className="transfer-line">
        <span className="transfer-dir" title={direction} aria-hidden="true">{transfer.direction === 'incoming' ? '↓' : '↑'}</span>
        <span className="transfer-direction">{direction}</span>
        <span className="transfer-name" title={shown.offeredAs ? `offered as ${shown.offeredAs}` : shown.name}>{shown.name}</span>
        <span className="transfer-size">{formatFileSize(transfer)}</span>
        <span className="transfer-state">{stateSentence(state, transfer.direction, peerName)}</span>
        <HashBadge transfer={transfer} />
      </div>
      <Thumbnail transfer={transfer} />
      <TransferProgress transfer={transfer} />
      {route && state === 'done' && <div className="transfer-plain-route">{route}</div>}
      {fallbackOf(transfer.attempts) && state !== 'done' && state !== 'failed' && (
        <div className="transfer-plain-route">A direct connection did not work: the file goes in-band (slower).</div>
      )}
      {reason && state === 'failed' && <div className="transfer-plain-reason">{reasonSentence(reason)}</div>}
      {state === 'interrupted' && <div className="transfer-plain-reason">{interruptedSentence(transfer)}</div>}
      <TransferActions transfer={transfer} />
      <details className="transfer-details">
        <summary>Details</summary>
        <TransferRoute transfer={transfer} />
        {reason && <div className="transfer-reason">{reason}</div>}
        <AttemptLog attempts={transfer.attempts} isOpen={false} />
      </details>
    </li>
  );
}
