import { EventBus } from '../../shared/ipc/eventBus';
import type { Events } from '../../shared/ipc/contract';
import { FerryError } from '../../shared/ipc/wireError';
import type { Core, CoreHandlers, CoreRequestName, CredentialStore } from './core';

/** What every host hands the core: where files go, where credentials live, where log lines go. */
export interface CoreOptions {
  downloadDir: string;
  credentials?: CredentialStore;
  log?: (line: string) => void;
}

/** Builds the core that every host drives (Electron, web, CLI). Wiring only; logic lives in xmpp/ and transfer/. */
export function createCore(_options: CoreOptions): Core {
  const events = new EventBus<Events>();
  const notYet = (name: CoreRequestName) => () => {
    throw new FerryError('internal', `${name} is not available in this build yet`);
  };
  const names: CoreRequestName[] = [
    'session.login', 'session.loginRemembered', 'session.logout', 'session.get', 'presence.set',
    'roster.get', 'roster.add', 'roster.remove', 'roster.approve', 'roster.deny', 'roster.pendingRequests',
    'chat.send', 'chat.history', 'disco.server', 'disco.peer',
    'transfer.send', 'transfer.accept', 'transfer.decline', 'transfer.cancel', 'transfer.list',
  ];
  const handlers = Object.fromEntries(names.map((name) => [name, notYet(name)])) as unknown as CoreHandlers;
  return {
    handlers,
    on: (name, listener) => events.on(name, listener),
    dispose: async () => { events.clear(); },
  };
}
