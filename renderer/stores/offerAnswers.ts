/**
 * Answers for several offers at once (a batch card's "Accept all" / "Decline all"): one folder question
 * for the whole batch, then one transfer.accept or transfer.decline per file through the transfers store.
 */
import type { TransferId } from '../../shared/model/transfer';
import { api } from '../api';
import { createAttempt } from './attempt';
import { sessionStore } from './sessionStore';
import { settingsStore } from './settingsStore';
import { transfersStore } from './transfersStore';

const attempt = createAttempt((partial) => transfersStore.setState(partial));

/**
 * Accepts every offer. With `pickFolder` ("Save all to…"), or where the settings say "ask where to save
 * every time" and the host has a folder dialog, the folder is asked once; a cancelled dialog accepts nothing.
 */
export async function acceptAll(ids: readonly TransferId[], options: { pickFolder?: boolean } = {}): Promise<void> {
  const hasDialog = sessionStore.getState().host?.hasNativeFiles === true;
  const isAsking = options.pickFolder === true || (hasDialog && settingsStore.getState().settings?.askWhereToSave === true);
  const store = transfersStore.getState();
  if (!isAsking) {
    await Promise.all(ids.map((id) => store.accept(id)));
    return;
  }
  let dir: string | null = null;
  if (!(await attempt(async () => { dir = await api.invoke('file.pickFolder'); }))) return;
  if (dir === null) return;
  const chosen: string = dir;
  await Promise.all(ids.map((id) => store.accept(id, chosen)));
}

/** Declines every offer. */
export async function declineAll(ids: readonly TransferId[]): Promise<void> {
  const store = transfersStore.getState();
  await Promise.all(ids.map((id) => store.decline(id)));
}
