import type { Events } from '../../shared/ipc/contract';
import { EventBus } from '../../shared/ipc/eventBus';
import { FerryError } from '../../shared/ipc/wireError';
import type { SessionSnapshot } from '../../shared/model/session';
import type { Core, CoreHandlers } from '../../electron/app/core';
import { defaultSettings } from '../../shared/model/settings';

const OFFLINE: SessionSnapshot = { state: 'offline', jid: null, error: null, retryInMs: null, isSecure: false };

/** A Core whose handlers answer with fixed data; emit() plays core events; calls are recorded. */
export interface FakeCore extends Core {
  emit<K extends keyof Events>(name: K, payload: Events[K]): void;
  calls: { name: string; args: unknown }[];
  isDisposed: boolean;
  listenerCount(): number;
}

/** Builds a fake core; `overrides` replace single handlers. */
export function createFakeCore(overrides: Partial<CoreHandlers> = {}): FakeCore {
  const bus = new EventBus<Events>();
  const calls: { name: string; args: unknown }[] = [];
  let listeners = 0;
  const record = <T>(name: string, value: T) => (args: unknown): T => {
    calls.push({ name, args });
    return value;
  };
  const handlers: CoreHandlers = {
    'session.login': record('session.login', { ...OFFLINE, state: 'online' as const }),
    'session.loginRemembered': () => { throw new FerryError('not-found', 'nothing remembered'); },
    'session.logout': record('session.logout', OFFLINE),
    'session.get': record('session.get', OFFLINE),
    'presence.set': record('presence.set', undefined),
    'roster.get': record('roster.get', []),
    'roster.add': record('roster.add', undefined),
    'roster.remove': record('roster.remove', undefined),
    'roster.approve': record('roster.approve', undefined),
    'roster.deny': record('roster.deny', undefined),
    'roster.pendingRequests': record('roster.pendingRequests', []),
    'chat.send': (args) => ({ id: 'm1', peer: args.to as never, direction: 'outgoing', from: 'me@localhost', body: args.body, at: 1 }),
    'chat.history': record('chat.history', []),
    'chat.state': record('chat.state', undefined),
    'disco.server': record('disco.server', { domain: 'localhost', identities: [], features: [], proxies: [], uploadServices: [], items: [] }),
    'disco.peer': (args) => ({ jid: args.jid, features: [], identities: [] }),
    'transfer.send': record('transfer.send', []),
    'transfer.accept': record('transfer.accept', undefined),
    'transfer.decline': record('transfer.decline', undefined),
    'transfer.cancel': record('transfer.cancel', undefined),
    'transfer.list': record('transfer.list', []),
    'transfer.remove': record('transfer.remove', undefined),
    'transfer.retry': record('transfer.retry', []),
    'transfer.resume': record('transfer.resume', { transfer: null, note: null }),
    'transfer.resend': record('transfer.resend', []),
    'settings.get': record('settings.get', defaultSettings()),
    'settings.set': (args) => { calls.push({ name: 'settings.set', args }); return args; },
    ...overrides,
  };
  const fake: FakeCore = {
    handlers,
    calls,
    isDisposed: false,
    on: (name, listener) => {
      listeners += 1;
      const off = bus.on(name, listener);
      let isOff = false;
      return () => {
        if (isOff) return;
        isOff = true;
        listeners -= 1;
        off();
      };
    },
    emit: (name, payload) => bus.emit(name, payload),
    listenerCount: () => listeners,
    dispose: async () => {
      fake.isDisposed = true;
      bus.clear();
    },
  };
  return fake;
}
