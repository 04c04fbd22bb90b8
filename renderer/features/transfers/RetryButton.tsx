import { useState } from 'react';
import type { TransferSummary } from '../../../shared/model/transfer';
import { transfersStore, useTransfers } from '../../stores/transfersStore';

/** Failed, declined or cancelled files this side sent can be offered again; received ones cannot (the sender must). */
export function isRetryable(transfer: TransferSummary): boolean {
  return transfer.direction === 'outgoing' && (transfer.state === 'failed' || transfer.state === 'declined' || transfer.state === 'cancelled');
}

/** Retry: the same file to the same contact the same way, as a new transfer; says why when the host refuses. */
export function RetryButton({ transfer }: { transfer: TransferSummary }) {
  const error = useTransfers((s) => s.retryErrorById[transfer.id]);
  const [isRetrying, setRetrying] = useState(false);
  if (!isRetryable(transfer)) return null;
  const retry = async () => {
    setRetrying(true);
    await transfersStore.getState().retry(transfer.id);
    setRetrying(false);
  };
  return (
    <>
      <button type="button" className="small" disabled={isRetrying} onClick={() => void retry()}>{isRetrying ? 'Retrying…' : 'Retry'}</button>
      {error && <span role="alert" className="transfer-retry-error">{error}</span>}
    </>
  );
}
