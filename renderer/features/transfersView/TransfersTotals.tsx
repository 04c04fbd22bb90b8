import { useShallow } from 'zustand/react/shallow';
import { transferTotals } from '../../../shared/model/transferTotals';
import { useTransfers } from '../../stores/transfersStore';
import { formatBytes } from '../transfers/format';

/** "2 active · 1.5 MB of 4.0 MB · 800 KB/s": the same totals the taskbar progress follows, over every transfer. */
export function TransfersTotals() {
  const totals = useTransfers(useShallow((s) => transferTotals(Object.values(s.byId))));
  if (totals.active === 0) return <p className="transfers-totals" role="status">Nothing is moving.</p>;
  return (
    <p className="transfers-totals" role="status">
      <span>{totals.active} active</span>
      <span>{`${formatBytes(totals.bytesDone)} of ${formatBytes(totals.bytesTotal)}`}</span>
      <span>{`${formatBytes(totals.rate)}/s`}</span>
    </p>
  );
}
