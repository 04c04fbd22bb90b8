/** A scripted FerryBridge for renderer tests: canned answers per request, recorded calls, emitted events. */
import { EventBus } from '../../../shared/ipc/eventBus';
import type { FerryBridge } from '../../../shared/ipc/bridge';
import type { Events, RequestArgs, RequestName, RequestResult } from '../../../shared/ipc/contract';
import type { BareJid, FullJid } from '../../../shared/model/jid';
import type { RosterItem, SessionSnapshot } from '../../../shared/model/session';
import { createApi, installApi } from '../../../renderer/api';
import { chatsStore } from '../../../renderer/stores/chatsStore';
import { rosterStore } from '../../../renderer/stores/rosterStore';
import { sessionStore } from '../../../renderer/stores/sessionStore';
import { transfersStore } from '../../../renderer/stores/transfersStore';

type Handler<K extends RequestName> = (args: RequestArgs<K>) => RequestResult<K> | Promise<RequestResult<K>>;
type Handlers = { [K in RequestName]?: Handler<K> };

export interface FakeBridge extends FerryBridge {
  calls: { name: RequestName; args: unknown }[];
  handle<K extends RequestName>(name: K, handler: Handler<K>): void;
  emit<K extends keyof Events>(name: K, payload: Events[K]): void;
  argsOf(name: RequestName): unknown[];
}

export const OFFLINE: SessionSnapshot = { state: 'offline', jid: null, error: null, retryInMs: null, isSecure: false };
export const ONLINE: SessionSnapshot = {
  state: 'online', jid: 'alice@localhost/ferry' as FullJid, error: null, retryInMs: null, isSecure: false,
};

const DEFAULTS: Handlers = {
  'host.info': () => ({ kind: 'web', hasNativeFiles: false, rememberedJid: null }),
  'session.get': () => OFFLINE,
  'roster.get': () => [],
  'roster.pendingRequests': () => [],
  'transfer.list': () => [],
  'chat.history': () => [],
};

/** Builds the fake; `handlers` override the defaults above. Unscripted requests reject with a WireError. */
export function createFakeBridge(handlers: Handlers = {}): FakeBridge {
  const table: Handlers = { ...DEFAULTS, ...handlers };
  const events = new EventBus<Events>();
  const calls: FakeBridge['calls'] = [];
  return {
    calls,
    async invoke(name, args) {
      calls.push({ name, args });
      const handler = table[name] as Handler<typeof name> | undefined;
      if (!handler) throw { code: 'internal', message: `no fake answer for ${name}` };
      return handler(args);
    },
    on: (name, listener) => events.on(name, listener),
    pathForFile: () => null,
    handle(name, handler) {
      (table as Record<string, unknown>)[name] = handler;
    },
    emit: (name, payload) => events.emit(name, payload),
    argsOf: (name) => calls.filter((c) => c.name === name).map((c) => c.args),
  };
}

/** Resets every store to its initial state and routes the api through a fresh fake bridge. */
export function useFakeBridge(handlers: Handlers = {}): FakeBridge {
  for (const store of [sessionStore, rosterStore, chatsStore, transfersStore] as const) {
    (store as { setState(s: unknown, replace: true): void }).setState(store.getInitialState(), true);
  }
  const bridge = createFakeBridge(handlers);
  installApi(createApi(bridge));
  return bridge;
}

/** A roster item with defaults: subscribed both ways, offline unless resources are given. */
export function rosterItem(jid: string, overrides: Partial<RosterItem> = {}): RosterItem {
  return { jid: jid as BareJid, name: '', subscription: 'both', isPending: false, groups: [], resources: [], ...overrides };
}
