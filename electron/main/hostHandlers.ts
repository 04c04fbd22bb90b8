import type { BaseWindow, Dialog, Shell } from 'electron';
import { FerryError } from '../../shared/ipc/wireError';
import type { CredentialStore, HostHandlers } from '../app/core';

export interface ElectronHostDeps {
  dialog: Pick<Dialog, 'showOpenDialog'>;
  shell: Pick<Shell, 'openPath' | 'showItemInFolder'>;
  /** The window dialogs attach to, when there is one. */
  getWindow: () => BaseWindow | null;
  credentials: CredentialStore;
  /**
   * Whether a path is a file Ferry itself sent or received. Only those may be opened: a compromised
   * renderer must not be able to launch arbitrary programs through shell.openPath.
   */
  isKnownFile: (path: string) => Promise<boolean>;
}

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
      return result.canceled ? [] : result.filePaths;
    },
    'file.pickFolder': async () => {
      const result = await openDialog(['openDirectory', 'createDirectory']);
      return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0];
    },
    'file.open': async ({ path }) => {
      if (!(await deps.isKnownFile(path))) throw new FerryError('not-found', 'Ferry only opens files it sent or received.');
      const failure = await deps.shell.openPath(path);
      if (failure) throw new FerryError('not-found', failure);
    },
    'file.reveal': async ({ path }) => {
      if (!(await deps.isKnownFile(path))) throw new FerryError('not-found', 'Ferry only shows files it sent or received.');
      deps.shell.showItemInFolder(path);
    },
  };
}
