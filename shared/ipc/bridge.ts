import type { EventName, Events, RequestArgs, RequestName, RequestResult } from './contract';

/** What `window.ferry` offers the renderer, whichever host carries it. */
export interface FerryBridge {
  invoke<K extends RequestName>(name: K, args: RequestArgs<K>): Promise<RequestResult<K>>;
  on<K extends EventName>(name: K, listener: (payload: Events[K]) => void): () => void;
  /** Electron only: the local path of a dropped File (webUtils.getPathForFile). Web host: null. */
  pathForFile(file: { readonly name: string }): string | null;
}
