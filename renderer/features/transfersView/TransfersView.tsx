import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { isTerminal } from '../../../shared/model/transfer';
import { useTransfers } from '../../stores/transfersStore';
import { filterTransfers, transfersViewStore, useTransfersView } from '../../stores/transfersViewStore';
import { TransferRow } from './TransferRow';
import { TransfersFilters } from './TransfersFilters';
import { TransfersTotals } from './TransfersTotals';

/**
 * Every transfer across contacts (Pidgin's and Psi's transfer windows, Gajim's list), opened from the header:
 * filters, totals with overall speed, each row with its card's actions, and Clear finished. Esc closes it.
 */
export function TransfersView() {
  const isOpen = useTransfersView((s) => s.isOpen);
  if (!isOpen) return null;
  return <TransfersPanel />;
}

function TransfersPanel() {
  const filter = useTransfersView((s) => s.filter);
  const errorText = useTransfersView((s) => s.errorText);
  const shown = useTransfers(useShallow((s) => filterTransfers(s.byId, filter)));
  const endedCount = shown.filter((t) => isTerminal(t.state)).length;
  const { close, clearFinished } = transfersViewStore.getState();
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => { if (event.key === 'Escape') close(); };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [close]);
  return (
    <div className="side-panel transfers-view" role="dialog" aria-labelledby="transfers-view-title">
      <div className="side-panel__head">
        <h2 id="transfers-view-title">Transfers</h2>
        <span className="spacer" />
        <button type="button" className="ghost" onClick={close}>Close</button>
      </div>
      <TransfersFilters />
      <TransfersTotals />
      <div className="side-panel__body">
        {shown.length === 0
          ? <p className="empty">No transfers here.</p>
          : <ul className="transfers-view__list" aria-label="All transfers">{shown.map((t) => <TransferRow key={t.id} transfer={t} />)}</ul>}
      </div>
      <div className="side-panel__foot">
        {errorText ? <p role="alert" className="error-text">{errorText}</p> : null}
        <span className="spacer" />
        <button type="button" disabled={endedCount === 0} onClick={() => void clearFinished()}
          title="Forgets the ended transfers shown here (the files stay where they are)">
          {endedCount > 0 ? `Clear finished (${endedCount})` : 'Clear finished'}
        </button>
      </div>
    </div>
  );
}
