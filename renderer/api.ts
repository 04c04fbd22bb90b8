/**
 * The only code that touches `window.ferry`. In Electron the preload puts a FerryBridge there; in a
 * browser served by the web host there is none, so a WebSocket bridge is built from `?token=`.
 * Everything else in the renderer calls `api`, typed from shared/ipc/contract.ts.
 */
import type { FerryBridge } from '../shared/ipc/bridge';
import type { EventName, Events, RequestArgs, RequestName, RequestResult } from '../shared/ipc/contract';
import { isWireError, type WireError } from '../shared/ipc/wireError';
import type { TransferId } from '../shared/model/transfer';
import { createWebBridge, type HostLinkState } from './bridge/webBridge';

declare global {
  interface Window {
    /** Set by the Electron preload (contextBridge); absent in a browser. */
    ferry?: FerryBridge;
  }
}

/** Arguments of a request: none when the contract says `void`. */
export type ArgsOf<K extends RequestName> = RequestArgs<K> extends void | undefined ? [] : [args: RequestArgs<K>];

/** A bridge may carry these web-only extras. */
export interface BridgeExtras {
  stageFiles?(files: File[]): Promise<string[]>;
  downloadUrl?(id: string): string;
  onLinkState?(listener: (state: HostLinkState) => void): () => void;
}

/** The typed surface the stores use. Rejections are always WireErrors. */
export interface FerryApi {
  invoke<K extends RequestName>(name: K, ...args: ArgsOf<K>): Promise<RequestResult<K>>;
  on<K extends EventName>(name: K, listener: (payload: Events[K]) => void): () => void;
  /** Local paths for files dropped or picked in the page, staged through the host when it must. */
  pathsForFiles(files: File[]): Promise<string[]>;
  /** Web host only: news about the page's link to the host. Electron never calls the listener. */
  onLinkState(listener: (state: HostLinkState) => void): () => void;
  /** Web host only: the URL the page downloads a finished received file from; null where the host opens files itself. */
  downloadUrl(id: TransferId): string | null;
}

/** Turns whatever a bridge rejected with into a WireError. */
export function toWireError(error: unknown): WireError {
  if (isWireError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message };
}

/** Wraps a bridge (the preload's, the web one, or a fake in tests) into the typed api. */
export function createApi(bridge: FerryBridge & BridgeExtras): FerryApi {
  return {
    async invoke(name, ...args) {
      try {
        return await bridge.invoke(name, args[0] as RequestArgs<typeof name>);
      } catch (error) {
        throw toWireError(error);
      }
    },
    on: (name, listener) => bridge.on(name, listener),
    async pathsForFiles(files) {
      const direct = files.map((file) => bridge.pathForFile(file));
      if (direct.every((path): path is string => typeof path === 'string' && path !== '')) return direct;
      if (!bridge.stageFiles) throw toWireError({ code: 'bad-request', message: 'These files have no local path.' });
      try {
        return await bridge.stageFiles(files);
      } catch (error) {
        throw toWireError(error);
      }
    },
    onLinkState: (listener) => bridge.onLinkState?.(listener) ?? (() => undefined),
    downloadUrl: (id) => bridge.downloadUrl?.(id) ?? null,
  };
}

let current: FerryApi | null = null;

function defaultApi(): FerryApi {
  const bridge = window.ferry ?? createWebBridge({ location: window.location });
  return createApi(bridge);
}

/** Replaces the api every store uses (tests inject a fake bridge through createApi). */
export function installApi(next: FerryApi): void {
  current = next;
}

/** The api in use; built on first use from window.ferry or the web bridge. */
export function getApi(): FerryApi {
  current ??= defaultApi();
  return current;
}

/** Delegates to getApi(), so stores can import one stable object. */
export const api: FerryApi = {
  invoke: (name, ...args) => getApi().invoke(name, ...args),
  on: (name, listener) => getApi().on(name, listener),
  pathsForFiles: (files) => getApi().pathsForFiles(files),
  onLinkState: (listener) => getApi().onLinkState(listener),
  downloadUrl: (id) => getApi().downloadUrl(id),
};
