import { sessionStore, useSession } from '../../stores/sessionStore';
import { ConnectionStatus } from './ConnectionStatus';
import { PresenceSelector } from './PresenceSelector';

/** The top bar: brand, own JID, connection state, own presence, log out. */
export function Header() {
  const jid = useSession((s) => s.accountJid);
  const isBusy = useSession((s) => s.isBusy);
  return (
    <header className="app-header">
      <span className="brand">Ferry</span>
      <span className="own-jid" title={jid ?? ''}>{jid?.split('/')[0] ?? ''}</span>
      <ConnectionStatus />
      <span className="spacer" />
      <PresenceSelector />
      <button type="button" className="ghost" disabled={isBusy} onClick={() => void sessionStore.getState().logout()}>
        Log out
      </button>
    </header>
  );
}
