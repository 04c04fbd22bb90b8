import type { BaseWindow, Dialog, Shell } from 'electron';
import { FerryError } from '../../shared/ipc/wireError';
import type { TransferSummary } from '../../shared/model/transfer';
import type { CredentialStore, HostHandlers } from '../app/core';
import { isOpenable, type PathGrants } from '../app/pathGrants';

export interface ElectronHostDeps {
  dialog: Pick<Dialog, 'showOpenDialog'>;
  shell: Pick<Shell, 'openPath' | 'showItemInFolder'>;
  /** The window dialogs attach to, when there is one. */
  getWindow: () => BaseWindow | null;
  credentials: CredentialStore;
  /**
   * The allow-list (../app/pathGrants.ts): what the pickers return is granted here. Only files the
   * user picked or dropped and finished incoming files may be opened or shown: a compromised renderer
   * must not launch arbitrary programs through shell.openPath.
   */
  grants: PathGrants;
  /** The transfers now (the core's transfer.list): finished incoming files may be opened. */
  listTransfers: () => Promise<TransferSummary[]> | TransferSummary[];
}

const NOT_OPENABLE = 'Ferry only opens or shows files it received completely and files you picked.';

async function rememberedJid(credentials: CredentialStore): Promise<string | null> {
  try {
    return (await credentials.load())?.jid ?? null;
  } catch {
    return null;
  }
}

/** The host half of the contract in Electron: native dialogs, opening and revealing files. */
export function createElectronHostHandlers(deps: ElectronHostDeps): HostHandlers {
  const openDialog = (properties: ('openFile' | 'openDirectory' | 'multiSelections' | 'createDirectory')[]) => {
    const window = deps.getWindow();
    return window ? deps.dialog.showOpenDialog(window, { properties }) : deps.dialog.showOpenDialog({ properties });
  };
  return {
    'host.info': async () => ({ kind: 'electron', hasNativeFiles: true, rememberedJid: await rememberedJid(deps.credentials) }),
    'file.pick': async () => {
      const result = await openDialog(['openFile', 'multiSelections']);
      if (result.canceled) return [];
      deps.grants.grantFiles(result.filePaths);
      return result.filePaths;
    },
    'file.pickFolder': async () => {
      const result = await openDialog(['openDirectory', 'createDirectory']);
      if (result.canceled || result.filePaths.length === 0) return null;
      deps.grants.grantFolder(result.filePaths[0]);
      return result.filePaths[0];
    },
    'file.open': async ({ path }) => {
      if (!isOpenable(path, deps.grants, await deps.listTransfers())) throw new FerryError('not-authorized', NOT_OPENABLE);
      const failure = await deps.shell.openPath(path);
      if (failure) throw new FerryError('not-found', failure);
    },
    'file.reveal': async ({ path }) => {
      if (!isOpenable(path, deps.grants, await deps.listTransfers())) throw new FerryError('not-authorized', NOT_OPENABLE);
      deps.shell.showItemInFolder(path);
    },
  };
}
