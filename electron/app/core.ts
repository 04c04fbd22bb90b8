import type { EventName, Events, RequestHandlers, RequestName } from '../../shared/ipc/contract';

/** Requests only a host can answer (native dialogs, opening files, what host this is). */
export type HostRequestName = 'host.info' | 'file.pick' | 'file.pickFolder' | 'file.open' | 'file.reveal';
export type CoreRequestName = Exclude<RequestName, HostRequestName>;

export type CoreHandlers = Pick<RequestHandlers, CoreRequestName>;
export type HostHandlers = Pick<RequestHandlers, HostRequestName>;

/** Keeps a password for the next start; the Electron host backs it with safeStorage's async API. */
export interface CredentialStore {
  load(): Promise<{ jid: string; password: string; service?: string; allowPlaintext?: boolean } | null>;
  save(credentials: { jid: string; password: string; service?: string; allowPlaintext?: boolean }): Promise<void>;
  clear(): Promise<void>;
}

/** The core every host drives: the same handlers and events, whatever carries them. */
export interface Core {
  handlers: CoreHandlers;
  on<K extends EventName>(name: K, listener: (payload: Events[K]) => void): () => void;
  dispose(): Promise<void>;
}

/** Joins core and host handlers into the full contract. */
export function joinHandlers(core: CoreHandlers, host: HostHandlers): RequestHandlers {
  return { ...core, ...host };
}
