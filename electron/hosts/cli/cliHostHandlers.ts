import { FerryError } from '../../../shared/ipc/wireError';
import type { HostHandlers } from '../../app/core';

function unavailable(what: string): never {
  throw new FerryError('bad-request', `${what} is not available on the command line.`);
}

/** The host half of the contract for the CLI: files come as arguments, never through dialogs. */
export function createCliHostHandlers(): HostHandlers {
  return {
    'host.info': () => ({ kind: 'cli', hasNativeFiles: false, rememberedJid: null }),
    'file.pick': () => unavailable('Picking files with a dialog'),
    'file.pickFolder': () => unavailable('Picking a folder with a dialog'),
    'file.open': () => unavailable('Opening a file'),
    'file.reveal': () => unavailable('Showing a file in its folder'),
  };
}
