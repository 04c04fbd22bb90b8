import { FerryError } from '../../shared/ipc/wireError';
import type { HostHandlers } from '../app/core';

/**
 * The host half of the contract for a host without native dialogs or a desktop shell (CLI, web):
 * files arrive as arguments or through the web host's `PUT /upload`, never through a dialog.
 * `where` ends the refusal: "on the command line", "in the browser".
 */
export function createHeadlessHostHandlers(kind: 'cli' | 'web', where: string): HostHandlers {
  const unavailable = (what: string): never => {
    throw new FerryError('bad-request', `${what} is not available ${where}.`);
  };
  return {
    'host.info': () => ({ kind, hasNativeFiles: false, rememberedJid: null }),
    'file.pick': () => unavailable('Picking files with a dialog'),
    'file.pickFolder': () => unavailable('Picking a folder with a dialog'),
    'file.open': () => unavailable('Opening a file'),
    'file.reveal': () => unavailable('Showing a file in its folder'),
  };
}
