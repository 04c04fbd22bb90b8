import { useState } from 'react';
import { isTerminal, type TransferSummary } from '../../../shared/model/transfer';
import { sessionStore, useSession } from '../../stores/sessionStore';
import { transfersStore, useTransfers } from '../../stores/transfersStore';
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
 * Logging out with transfers running asks first; confirming cancels each one (so a Ferry peer is told
 * "cancelled by <us>", ferryCancel.ts) before the session ends.
 */
async function cancelAllAndLogOut(running: TransferSummary[]): Promise<void> {
  await Promise.all(running.map((t) => transfersStore.getState().cancel(t.id)));
  await sessionStore.getState().logout();
}

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
          {runningCount === 1 ? '1 transfer is running.' : `${runningCount} transfers are running.`} Log out and cancel them?
          <button type="button" className="danger" onClick={() => { setAsking(false); void cancelAllAndLogOut(selectRunning(transfersStore.getState())); }}>
            Cancel transfers and log out
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
