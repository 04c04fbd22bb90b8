import { useShallow } from 'zustand/react/shallow';
import { rosterStore, useRoster } from '../../stores/rosterStore';

/** Incoming subscription requests, each with Approve and Deny. */
export function PendingRequests() {
  const jids = useRoster(useShallow((s) => s.pending.map((r) => r.jid)));
  if (jids.length === 0) return null;
  return (
    <section className="requests" aria-label="Subscription requests">
      <h2 className="section-title">Requests</h2>
      <ul>
        {jids.map((jid) => (
          <li key={jid} className="request-row">
            <span className="request-text"><strong>{jid}</strong> wants to see your presence</span>
            <span className="request-actions">
              <button type="button" className="primary small" aria-label={`Approve ${jid}`}
                onClick={() => void rosterStore.getState().approve(jid)}>Approve</button>
              <button type="button" className="ghost small" aria-label={`Deny ${jid}`}
                onClick={() => void rosterStore.getState().deny(jid)}>Deny</button>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
