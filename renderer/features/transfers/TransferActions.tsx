import { isRunnableFile, shownFileName } from '../../../shared/model/fileDisplay';
import { isTerminal, type TransferSummary } from '../../../shared/model/transfer';
import { toBareJid } from '../../../shared/model/jid';
import { useSession } from '../../stores/sessionStore';
import { transfersStore, useTransfers } from '../../stores/transfersStore';
import { shortHash } from './format';
import { RetryButton } from './RetryButton';
import { DownloadLink } from './DownloadLink';

/** Opening a program or script runs code from the peer: ask first. */
function confirmOpen(transfer: TransferSummary, path: string): boolean {
  const name = shownFileName({ ...transfer, path });
  if (!isRunnableFile(name.name)) return true;
  return window.confirm(`"${name.name}" is a program or script from ${transfer.peer}. Opening it can run code on this computer. Open it anyway?`);
}

/** Open and Show in folder where the host can do that; otherwise the saved path as text. */
function ReceivedFile({ transfer, path }: { transfer: TransferSummary; path: string }) {
  const hasNativeFiles = useSession((s) => s.host?.hasNativeFiles === true);
  const store = transfersStore.getState();
  if (!hasNativeFiles) return <><DownloadLink transfer={transfer} /><span className="transfer-path">Saved to <code title={path}>{path}</code></span></>;
  const open = () => {
    if (confirmOpen(transfer, path)) void store.openFile(path);
  };
  return (
    <>
      <button type="button" className="small" onClick={open}>Open</button>
      <button type="button" className="small ghost" onClick={() => void store.revealFile(path)}>Show in folder</button>
    </>
  );
}

/** Resume (incoming) or Resend (outgoing) for a transfer Ferry was stopped in the middle of; Resume's note when it has one. */
function InterruptedActions({ transfer }: { transfer: TransferSummary }) {
  const note = useTransfers((s) => s.noteById[transfer.id]);
  const isResuming = useTransfers((s) => s.resumingById[transfer.id] === true);
  const store = transfersStore.getState();
  const shown = isResuming ? `Asking ${toBareJid(transfer.peer)} for it again…` : note;
  return transfer.direction === 'incoming' ? (
    <>
      <button type="button" className="small" disabled={isResuming} onClick={() => void store.resume(transfer.id)}>Resume</button>
      {shown && <span className="transfer-note" role="status">{shown}</span>}
    </>
  ) : (
    <button type="button" className="small" onClick={() => void store.resend(transfer.id)}>Resend</button>
  );
}

/**
 * What the user can do with a transfer: Cancel while it runs; Retry a sent file that did not arrive; for a received file, open it (asking
 * first for a program or script) or show it in its folder; and the sha-256 once it is done (shortened, full value in the title).
 */
export function TransferActions({ transfer }: { transfer: TransferSummary }) {
  const isEnded = isTerminal(transfer.state);
  const isReceived = transfer.state === 'done' && transfer.direction === 'incoming' && transfer.path !== null;
  const hash = transfer.state === 'done' ? transfer.sha256 : null;
  const isInterrupted = transfer.state === 'interrupted';
  const isRemovable = isInterrupted || transfer.state === 'failed' || transfer.state === 'declined' || transfer.state === 'cancelled';
  if (isEnded && !isReceived && !hash && !isRemovable) return null;
  return (
    <div className="transfer-actions">
      {!isEnded && (
        <button type="button" className="small ghost" onClick={() => void transfersStore.getState().cancel(transfer.id)}>Cancel</button>
      )}
      {isReceived && transfer.path && <ReceivedFile transfer={transfer} path={transfer.path} />}
      <RetryButton transfer={transfer} />
      {isInterrupted && <InterruptedActions transfer={transfer} />}
      {isRemovable && (
        <button type="button" className="small ghost" onClick={() => void transfersStore.getState().remove(transfer.id)}>Remove from list</button>
      )}
      {hash && <span className="transfer-hash" title={`sha-256 ${hash}`}>sha-256 <code>{shortHash(hash)}</code></span>}
    </div>
  );
}
