import { useTransfersWith } from '../../stores/transfersStore';
import { TransferCard } from './TransferCard';

/** The transfers with one contact, newest first; nothing when there are none. */
export function TransferList({ peer }: { peer: string }) {
  const transfers = useTransfersWith(peer);
  if (transfers.length === 0) return null;
  return (
    <ul className="transfers" aria-label="Transfers">
      {transfers.map((t) => <TransferCard key={t.id} transfer={t} />)}
    </ul>
  );
}
