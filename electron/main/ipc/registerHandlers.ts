import type { WebContents } from 'electron';
import { EVENT_NAMES } from '../../../shared/ipc/contract';
import { eventChannel } from '../../../shared/ipc/channels';
import { joinHandlers, type Core, type HostHandlers } from '../../app/core';
import { registerValidatedIpc, type InvokeEventLike, type IpcMainLike } from './validatedIpc';

export type EventTarget = Pick<WebContents, 'send' | 'isDestroyed'>;

/**
 * Wires the whole contract into the Electron host: every request through the validated boundary
 * (joinHandlers makes a missing handler a type error), every core event to the window. Returns an
 * idempotent dispose.
 */
export function registerHandlers(options: {
  ipcMain: IpcMainLike;
  core: Core;
  host: HostHandlers;
  isTrustedSender: (event: InvokeEventLike) => boolean;
  target: EventTarget;
}): () => void {
  const { core, target } = options;
  const unregister = registerValidatedIpc({
    ipcMain: options.ipcMain,
    handlers: joinHandlers(core.handlers, options.host),
    isTrustedSender: options.isTrustedSender,
  });
  const unsubscribes = EVENT_NAMES.map((name) => core.on(name, (payload) => {
    if (!target.isDestroyed()) target.send(eventChannel(name), payload);
  }));
  let isDisposed = false;
  return () => {
    if (isDisposed) return;
    isDisposed = true;
    unregister();
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}
