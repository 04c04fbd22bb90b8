import { FerryError } from '../../../shared/ipc/wireError';
import type { HostHandlers } from '../../app/core';

function unavailable(what: string): never {
  throw new FerryError('bad-request', `${what} is not available in the browser.`);
}

/**
 * The host half of the contract when the renderer runs in a browser: no native dialogs and no
 * opening of local files; files reach the host through `PUT /upload` instead.
 */
export function createWebHostHandlers(): HostHandlers {
  return {
    'host.info': () => ({ kind: 'web', hasNativeFiles: false, rememberedJid: null }),
    'file.pick': () => unavailable('Picking files with a native dialog'),
    'file.pickFolder': () => unavailable('Picking a folder with a native dialog'),
    'file.open': () => unavailable('Opening a file'),
    'file.reveal': () => unavailable('Showing a file in its folder'),
  };
}
