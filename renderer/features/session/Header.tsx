import { useState } from 'react';
import { isTerminal, type TransferSummary } from '../../../shared/model/transfer';
import { sessionStore, useSession } from '../../stores/sessionStore';
import { useTransfers } from '../../stores/transfersStore';
import { ConnectionStatus } from './ConnectionStatus';
import { PresenceSelector } from './PresenceSelector';
import { settingsStore } from '../../stores/settingsStore';
import { transfersViewStore } from '../../stores/transfersViewStore';
import { TransfersButton } from '../transfersView/TransfersButton';

/** Transfers that logging out would end: running ones and offers not yet answered. */
function selectRunning(state: { byId: Record<string, TransferSummary> }): TransferSummary[] {
  return Object.values(state.byId).filter((t) => !isTerminal(t.state));
}

/**
 * Logging out with transfers running asks first. The core stops them (session.logout, issue #10): each peer is
 * told who ended it, files being received keep what arrived and show Interrupted with Resume, and offers not yet
 * answered are cancelled. So confirming only logs out: a cancel from here would delete what was received.
 */
const LOGOUT_NOTE = 'Logging out stops them (the other side is told); files being received are kept and can be resumed.';

/** The top bar: brand, own JID, connection state, own presence, log out. */
export function Header() {
  const jid = useSession((s) => s.accountJid);
  const isBusy = useSession((s) => s.isBusy);
  const runningCount = useTransfers((s) => selectRunning(s).length);
  const [isAsking, setAsking] = useState(false);
  const onLogOut = () => {
    if (runningCount > 0) setAsking(true);
    else void sessionStore.getState().logout();
  };
  return (
    <header className="app-header">
      <span className="brand">Ferry</span>
      <span className="own-jid" title={jid ?? ''}>{jid?.split('/')[0] ?? ''}</span>
      <ConnectionStatus />
      <span className="spacer" />
      <PresenceSelector />
      <TransfersButton />
      <button type="button" className="ghost" onClick={() => { transfersViewStore.getState().close(); settingsStore.getState().open(); }}>Settings</button>
      {isAsking && runningCount > 0 ? (
        <span role="alertdialog" aria-label="Log out with transfers running" className="logout-confirm">
          {runningCount === 1 ? '1 transfer is running.' : `${runningCount} transfers are running.`} {LOGOUT_NOTE}
          <button type="button" className="danger" onClick={() => { setAsking(false); void sessionStore.getState().logout(); }}>
            Stop transfers and log out
          </button>
          <button type="button" className="ghost" onClick={() => setAsking(false)}>Stay</button>
        </span>
      ) : (
        <button type="button" className="ghost" disabled={isBusy} onClick={onLogOut}>
          Log out
        </button>
      )}
    </header>
  );
}
