import type { TransferSummary } from '../../../shared/model/transfer';
import { transfersStore, useTransfers } from '../../stores/transfersStore';

/** Failed, declined or cancelled files this side sent can be offered again; received ones cannot (the sender must). */
export function isRetryable(transfer: TransferSummary): boolean {
  return transfer.direction === 'outgoing' && (transfer.state === 'failed' || transfer.state === 'declined' || transfer.state === 'cancelled');
}

/** Retry: the same file to the same contact the same way, as a new transfer; says why when the host refuses. */
export function RetryButton({ transfer }: { transfer: TransferSummary }) {
  const error = useTransfers((s) => s.retryErrorById[transfer.id]);
  if (!isRetryable(transfer)) return null;
  return (
    <>
      <button type="button" className="small" onClick={() => void transfersStore.getState().retry(transfer.id)}>Retry</button>
      {error && <span role="alert" className="transfer-retry-error">{error}</span>}
    </>
  );
}
