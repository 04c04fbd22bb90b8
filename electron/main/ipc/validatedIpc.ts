/**
 * The one IPC boundary of the Electron host: one ipcMain.handle per contract request channel. Before any
 * handler runs, the sender must be our app's top frame and the payload must match the contract
 * (dispatchRequest); the answer is always `{ok, value}` or `{ok: false, error}`, never a thrown Error.
 */
import type { IpcMain, IpcMainInvokeEvent, WebFrameMain } from 'electron';
import { REQUEST_NAMES, type RequestHandlers } from '../../../shared/ipc/contract';
import { requestChannel, requestNameOf } from '../../../shared/ipc/channels';
import { dispatchRequest, type DispatchResult } from '../../../shared/ipc/dispatch';

export type IpcMainLike = Pick<IpcMain, 'handle' | 'removeHandler'>;
export type FrameLike = Pick<WebFrameMain, 'url'> & { readonly parent: unknown };
export type InvokeEventLike = { readonly senderFrame: FrameLike | null };

function withoutFragment(url: string): string | null {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return null;
  }
}

/**
 * A sender check for the page at appUrl: the frame must exist, be a top frame (no parent) and show
 * exactly that page (query and fragment ignored).
 */
export function createSenderCheck(appUrl: string): (event: InvokeEventLike) => boolean {
  const expected = withoutFragment(appUrl);
  return (event) => {
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null || expected === null) return false;
    return withoutFragment(frame.url) === expected;
  };
}

const UNTRUSTED: DispatchResult = { ok: false, error: { code: 'not-authorized', message: 'request from an untrusted frame' } };

/** Registers every contract request channel; returns an idempotent unregister. */
export function registerValidatedIpc(options: {
  ipcMain: IpcMainLike;
  handlers: RequestHandlers;
  isTrustedSender: (event: InvokeEventLike) => boolean;
}): () => void {
  const { ipcMain, handlers, isTrustedSender } = options;
  const channels: string[] = [];
  for (const name of REQUEST_NAMES) {
    const channel = requestChannel(name);
    if (requestNameOf(channel) !== name) throw new Error(`channel ${channel} is not a ferry request channel`);
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, args: unknown): Promise<DispatchResult> => {
      if (!isTrustedSender(event)) return UNTRUSTED;
      return dispatchRequest(handlers, name, args);
    });
    channels.push(channel);
  }
  let isRegistered = true;
  return () => {
    if (!isRegistered) return;
    isRegistered = false;
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}
