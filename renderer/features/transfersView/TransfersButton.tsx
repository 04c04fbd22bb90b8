import { transferTotals } from '../../../shared/model/transferTotals';
import { settingsStore } from '../../stores/settingsStore';
import { useTransfers } from '../../stores/transfersStore';
import { transfersViewStore, useTransfersView } from '../../stores/transfersViewStore';

/** The header's "Transfers" toggle, with how many are moving. */
export function TransfersButton() {
  const active = useTransfers((s) => transferTotals(Object.values(s.byId)).active);
  const isOpen = useTransfersView((s) => s.isOpen);
  const toggle = () => {
    if (isOpen) return transfersViewStore.getState().close();
    settingsStore.getState().close();
    transfersViewStore.getState().open();
  };
  return (
    <button type="button" className="ghost" aria-pressed={isOpen} onClick={toggle}>
      Transfers{active > 0 && <span className="header-badge" aria-label={`${active} active`}>{active}</span>}
    </button>
  );
}
