import type { IpcRenderer, IpcRendererEvent, WebUtils } from 'electron';
import { EVENT_NAMES, isRequestName, type EventName, type Events, type RequestName, type RequestResult } from '../../shared/ipc/contract';
import type { FerryBridge } from '../../shared/ipc/bridge';
import { DROPPED_PATH_CHANNEL, eventChannel, requestChannel } from '../../shared/ipc/channels';
import { isWireError, type WireError } from '../../shared/ipc/wireError';

export interface PreloadDeps {
  ipcRenderer: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener' | 'send'>;
  webUtils: Pick<WebUtils, 'getPathForFile'>;
}

const EVENT_NAME_SET: ReadonlySet<string> = new Set(EVENT_NAMES);

function badRequest(message: string): WireError {
  return { code: 'bad-request', message };
}

/**
 * What the preload exposes as `window.ferry`: invoke for contract request names only (unwrapping the
 * host's {ok, value} and rejecting with its WireError), on for contract event names only (the listener
 * sees the payload, never the IPC event), and pathForFile through webUtils. A path webUtils found is
 * also told to the main process (before any later invoke: one ordered pipe), which then allows it in
 * transfer.send: only a real dropped or chosen File has one, so a page script cannot grant a path.
 */
export function createPreloadBridge(deps: PreloadDeps): FerryBridge {
  const { ipcRenderer, webUtils } = deps;
  return {
    async invoke<K extends RequestName>(name: K, args: unknown): Promise<RequestResult<K>> {
      if (!isRequestName(name)) throw badRequest(`unknown request: ${String(name).slice(0, 80)}`);
      const result = (await ipcRenderer.invoke(requestChannel(name), args)) as { ok?: unknown; value?: unknown; error?: unknown } | null;
      if (result?.ok === true) return result.value as RequestResult<K>;
      throw isWireError(result?.error) ? { code: result.error.code, message: result.error.message } : { code: 'internal', message: 'malformed answer from the host' };
    },
    on<K extends EventName>(name: K, listener: (payload: Events[K]) => void): () => void {
      if (!EVENT_NAME_SET.has(name)) throw new TypeError(`unknown event: ${String(name).slice(0, 80)}`);
      if (typeof listener !== 'function') throw new TypeError('listener must be a function');
      const channel = eventChannel(name);
      const forward = (_event: IpcRendererEvent, payload: Events[K]) => listener(payload);
      ipcRenderer.on(channel, forward);
      let isSubscribed = true;
      return () => {
        if (!isSubscribed) return;
        isSubscribed = false;
        ipcRenderer.removeListener(channel, forward);
      };
    },
    pathForFile(file) {
      try {
        const path = webUtils.getPathForFile(file as File);
        if (!path) return null;
        ipcRenderer.send(DROPPED_PATH_CHANNEL, path);
        return path;
      } catch {
        return null;
      }
    },
  };
}
