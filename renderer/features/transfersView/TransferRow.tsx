import { shownFileName } from '../../../shared/model/fileDisplay';
import { toBareJid } from '../../../shared/model/jid';
import type { TransferSummary } from '../../../shared/model/transfer';
import { useRoster } from '../../stores/rosterStore';
import { formatFileSize } from '../transfers/format';
import { stateSentence } from '../transfers/plainWords';
import { TransferActions } from '../transfers/TransferActions';
import { TransferProgress } from '../transfers/TransferProgress';

function safeBare(peer: string): string {
  try { return toBareJid(peer); } catch { return peer; }
}

/** One transfer in the Transfers view: who with, which file, where it stands, progress and the card's actions. */
export function TransferRow({ transfer }: { transfer: TransferSummary }) {
  const bare = safeBare(transfer.peer);
  const name = useRoster((s) => s.items.find((item) => item.jid === bare)?.name?.trim()) || bare;
  const shown = shownFileName(transfer);
  const isSent = transfer.direction === 'outgoing';
  return (
    <li className={`transfer-row transfer-card--${transfer.state}`} aria-label={`${shown.name}, ${isSent ? 'to' : 'from'} ${name}, ${transfer.state}`}>
      <div className="transfer-line">
        <span className="transfer-dir" aria-hidden="true">{isSent ? '↑' : '↓'}</span>
        <span className="transfer-peer" title={transfer.peer}>{isSent ? `To ${name}` : `From ${name}`}</span>
        <span className="transfer-name" title={shown.name}>{shown.name}</span>
        <span className="transfer-size">{formatFileSize(transfer)}</span>
        <span className="transfer-state">{stateSentence(transfer.state, transfer.direction, name)}</span>
      </div>
      <TransferProgress transfer={transfer} />
      <TransferActions transfer={transfer} />
    </li>
  );
}
