import { useShallow } from 'zustand/react/shallow';
import { useRoster } from '../../stores/rosterStore';
import { transfersStore, useTransfers } from '../../stores/transfersStore';
import { presenceLabel } from '../roster/presence';

/**
 * Which of the contact's devices gets the files, shown only when several are online. The default,
 * "Best device", sends to the bare JID and the core picks the resource that speaks the method.
 */
export function ResourcePicker({ jid }: { jid: string }) {
  const resources = useRoster(useShallow((s) => s.items.find((i) => i.jid === jid)?.resources ?? []));
  const chosen = useTransfers((s) => s.targetByPeer[jid] ?? '');
  if (resources.length < 2) return null;
  const isOnline = resources.some((r) => r.resource === chosen);
  return (
    <label className="resource-picker">
      <span className="visually-hidden">Send files to</span>
      <select value={isOnline ? chosen : ''} title="Which device receives the files"
        onChange={(e) => transfersStore.getState().setTarget(jid, e.target.value)}>
        <option value="">Best device</option>
        {resources.map((r) => (
          <option key={r.resource} value={r.resource}>{r.resource} · {presenceLabel(r.show)}</option>
        ))}
      </select>
    </label>
  );
}
