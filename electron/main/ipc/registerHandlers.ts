import type { IpcMain, WebContents } from 'electron';
import { EVENT_NAMES } from '../../../shared/ipc/contract';
import { DROPPED_PATH_CHANNEL, eventChannel } from '../../../shared/ipc/channels';
import { joinHandlers, type Core, type HostHandlers } from '../../app/core';
import { registerValidatedIpc, type InvokeEventLike, type IpcMainLike } from './validatedIpc';

export type EventTarget = Pick<WebContents, 'send' | 'isDestroyed'>;
/** Longest dropped path accepted (the contract's path limit). */
const MAX_PATH_CHARS = 4096;

/** Listens for the preload's dropped-file paths (from our own frame only); returns an unsubscribe. */
function listenForDrops(
  ipcMain: Pick<IpcMain, 'on' | 'removeListener'>,
  isTrustedSender: (event: InvokeEventLike) => boolean,
  onDroppedPath: (path: string) => void,
): () => void {
  const listener = (event: InvokeEventLike, path: unknown) => {
    if (!isTrustedSender(event) || typeof path !== 'string' || path === '' || path.length > MAX_PATH_CHARS) return;
    onDroppedPath(path);
  };
  ipcMain.on(DROPPED_PATH_CHANNEL, listener);
  return () => ipcMain.removeListener(DROPPED_PATH_CHANNEL, listener);
}

/**
 * Wires the whole contract into the Electron host: every request through the validated boundary
 * (joinHandlers makes a missing handler a type error), every core event to the window. Returns an
 * idempotent dispose.
 */
export function registerHandlers(options: {
  ipcMain: IpcMainLike & Partial<Pick<IpcMain, 'on' | 'removeListener'>>;
  core: Core;
  host: HostHandlers;
  isTrustedSender: (event: InvokeEventLike) => boolean;
  target: EventTarget;
  /** Electron: a path the preload found for a dropped File (the host allows it for sending). */
  onDroppedPath?: (path: string) => void;
}): () => void {
  const { core, target } = options;
  const unregister = registerValidatedIpc({
    ipcMain: options.ipcMain,
    handlers: joinHandlers(core.handlers, options.host),
    isTrustedSender: options.isTrustedSender,
  });
  const { ipcMain, onDroppedPath } = options;
  const stopDrops = onDroppedPath && ipcMain.on && ipcMain.removeListener
    ? listenForDrops(ipcMain as Pick<IpcMain, 'on' | 'removeListener'>, options.isTrustedSender, onDroppedPath)
    : () => undefined;
  const unsubscribes = EVENT_NAMES.map((name) => core.on(name, (payload) => {
    if (!target.isDestroyed()) target.send(eventChannel(name), payload);
  }));
  let isDisposed = false;
  return () => {
    if (isDisposed) return;
    isDisposed = true;
    unregister();
    stopDrops();
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}
