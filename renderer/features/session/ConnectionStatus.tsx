import type { ConnectionState } from '../../../shared/model/session';
import { useSession } from '../../stores/sessionStore';
import { useNow } from './useNow';

/** The sentence for a connection state; `secondsLeft` only matters while reconnecting. */
export function connectionText(state: ConnectionState, secondsLeft: number | null, reason: string | null): string {
  switch (state) {
    case 'connecting': return 'Connecting…';
    case 'online': return 'Online';
    case 'reconnecting': return secondsLeft === null ? 'Reconnecting…' : `Reconnecting in ${secondsLeft} s`;
    case 'failed': return reason ? `Failed: ${reason}` : 'Failed';
    default: return 'Offline';
  }
}

/** The header's live connection state: connecting, online, reconnecting in N s, failed with the reason. */
export function ConnectionStatus() {
  const state = useSession((s) => s.snapshot.state);
  const retryAt = useSession((s) => s.retryAt);
  const reason = useSession((s) => s.errorText);
  const isSecure = useSession((s) => s.snapshot.isSecure);
  const now = useNow(state === 'reconnecting' && retryAt !== null);
  const secondsLeft = retryAt === null ? null : Math.max(0, Math.ceil((retryAt - now) / 1000));
  return (
    <div className={`connection connection--${state}`} role="status" aria-label="Connection">
      <span className="connection-light" aria-hidden="true" />
      <span>{connectionText(state, secondsLeft, reason)}</span>
      {state === 'online' && !isSecure && <span className="badge" title="The connection to the server is not encrypted">plaintext</span>}
    </div>
  );
}
