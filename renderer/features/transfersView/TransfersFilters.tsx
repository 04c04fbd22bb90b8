import { useShallow } from 'zustand/react/shallow';
import { useTransfers } from '../../stores/transfersStore';
import {
  transferContacts, transfersViewStore, useTransfersView, type DirectionFilter, type StateFilter,
} from '../../stores/transfersViewStore';

const STATES: [StateFilter, string][] = [['all', 'All'], ['active', 'Active'], ['done', 'Done'], ['failed', 'Failed']];
const DIRECTIONS: [DirectionFilter, string][] = [['all', 'Both ways'], ['incoming', 'Received'], ['outgoing', 'Sent']];

/** The view's filters: state, direction and contact. */
export function TransfersFilters() {
  const filter = useTransfersView((s) => s.filter);
  const contacts = useTransfers(useShallow((s) => transferContacts(s.byId)));
  const { setFilter } = transfersViewStore.getState();
  return (
    <div className="transfers-filters">
      <label>
        <span>State</span>
        <select value={filter.state} onChange={(e) => setFilter({ state: e.target.value as StateFilter })}>
          {STATES.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
        </select>
      </label>
      <label>
        <span>Direction</span>
        <select value={filter.direction} onChange={(e) => setFilter({ direction: e.target.value as DirectionFilter })}>
          {DIRECTIONS.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
        </select>
      </label>
      <label>
        <span>Contact</span>
        <select value={filter.contact} onChange={(e) => setFilter({ contact: e.target.value })}>
          <option value="all">Everyone</option>
          {contacts.map((jid) => <option key={jid} value={jid}>{jid}</option>)}
        </select>
      </label>
    </div>
  );
}
