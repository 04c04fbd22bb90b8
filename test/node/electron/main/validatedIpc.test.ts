import { describe, expect, it, vi } from 'vitest';
import { EVENT_NAMES, REQUEST_NAMES, type RequestHandlers } from '../../../../shared/ipc/contract';
import { FerryError } from '../../../../shared/ipc/wireError';
import { registerHandlers } from '../../../../electron/main/ipc/registerHandlers';
import { createSenderCheck, registerValidatedIpc, type InvokeEventLike } from '../../../../electron/main/ipc/validatedIpc';
import { createFakeCore } from '../../../fakes/fakeCore';
import type { HostHandlers } from '../../../../electron/app/core';

const APP_URL = 'file:///opt/Ferry/resources/app.asar/dist/renderer/index.html';
type Handler = (event: InvokeEventLike, args: unknown) => Promise<unknown>;

function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  return {
    handlers,
    handle: vi.fn((channel: string, handler: Handler) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, handler);
    }),
    removeHandler: vi.fn((channel: string) => { handlers.delete(channel); }),
  };
}

const TOP = { senderFrame: { url: APP_URL, parent: null } };
const HOST: HostHandlers = {
  'host.info': () => ({ kind: 'electron', hasNativeFiles: true, rememberedJid: null }),
  'file.pick': () => [], 'file.pickFolder': () => null, 'file.open': () => undefined, 'file.reveal': () => undefined,
};

function setup(overrides: Partial<RequestHandlers> = {}) {
  const ipcMain = fakeIpcMain();
  const core = createFakeCore();
  const handlers = { ...core.handlers, ...HOST, ...overrides } as RequestHandlers;
  const dispose = registerValidatedIpc({ ipcMain, handlers, isTrustedSender: createSenderCheck(APP_URL) });
  const call = (name: string, args: unknown, event: InvokeEventLike = TOP) => ipcMain.handlers.get(`ferry:${name}`)!(event, args);
  return { ipcMain, core, dispose, call };
}

describe('validated IPC boundary', () => {
  it('registers exactly one handler per contract request, every channel prefixed ferry:', () => {
    const { ipcMain } = setup();
    expect([...ipcMain.handlers.keys()].sort()).toEqual(REQUEST_NAMES.map((name) => `ferry:${name}`).sort());
    expect(ipcMain.handle).toHaveBeenCalledTimes(REQUEST_NAMES.length);
  });

  it('runs a valid request and answers {ok, value}', async () => {
    const { call, core } = setup();
    expect(await call('session.login', { jid: 'a@localhost', password: 'pw' })).toMatchObject({ ok: true, value: { state: 'online' } });
    expect(core.calls).toHaveLength(1);
  });

  it.each([
    ['unknown key', { jid: 'a@localhost', password: 'pw', admin: true }],
    ['wrong type', { jid: 'a@localhost', password: 42 }],
    ['missing field', { jid: 'a@localhost' }],
    ['not an object', 'a@localhost'],
    ['NUL in a string', { jid: 'a\0@localhost', password: 'pw' }],
  ])('rejects a bad payload (%s) before any handler runs', async (_title, args) => {
    const { call, core } = setup();
    expect(await call('session.login', args)).toEqual({ ok: false, error: { code: 'bad-request', message: 'invalid payload for session.login' } });
    expect(core.calls).toHaveLength(0);
  });

  it.each<[string, InvokeEventLike]>([
    ['no frame', { senderFrame: null }],
    ['a subframe', { senderFrame: { url: APP_URL, parent: {} } }],
    ['another file', { senderFrame: { url: 'file:///tmp/evil.html', parent: null } }],
    ['a web page', { senderFrame: { url: 'https://evil.example/index.html', parent: null } }],
    ['a garbage URL', { senderFrame: { url: 'not a url', parent: null } }],
  ])('rejects a request from %s without running the handler', async (_title, event) => {
    const { call, core } = setup();
    expect(await call('session.logout', null, event)).toMatchObject({ ok: false, error: { code: 'not-authorized' } });
    expect(core.calls).toHaveLength(0);
  });

  it('accepts the app page with a fragment or query', async () => {
    const { call } = setup();
    const event = { senderFrame: { url: `${APP_URL}#/transfers`, parent: null } };
    expect(await call('session.get', undefined, event)).toMatchObject({ ok: true });
  });

  it('maps a thrown error to a WireError instead of throwing across IPC', async () => {
    const { call } = setup({ 'roster.get': () => { throw new FerryError('not-connected', 'offline'); } });
    expect(await call('roster.get', null)).toEqual({ ok: false, error: { code: 'not-connected', message: 'offline' } });
  });

  it('unregisters every channel once, however often dispose is called', () => {
    const { ipcMain, dispose } = setup();
    dispose();
    dispose();
    expect(ipcMain.handlers.size).toBe(0);
    expect(ipcMain.removeHandler).toHaveBeenCalledTimes(REQUEST_NAMES.length);
  });
});

describe('registerHandlers', () => {
  it('passes on dropped-file paths from our own frame only, and stops listening when disposed', () => {
    const listeners = new Map<string, (event: InvokeEventLike, path: unknown) => void>();
    const ipcMain = {
      ...fakeIpcMain(),
      on: vi.fn((channel: string, listener: (event: InvokeEventLike, path: unknown) => void) => { listeners.set(channel, listener); }),
      removeListener: vi.fn((channel: string) => { listeners.delete(channel); }),
    };
    const onDroppedPath = vi.fn();
    const target = { send: vi.fn(), isDestroyed: () => false };
    const dispose = registerHandlers({
      ipcMain: ipcMain as never, core: createFakeCore(), host: HOST, isTrustedSender: createSenderCheck(APP_URL), target, onDroppedPath,
    });
    const drop = listeners.get('ferry:drop:path')!;
    drop(TOP, '/home/a/dropped.jpg');
    drop({ senderFrame: { url: 'https://evil.example/', parent: null } }, '/etc/passwd');
    drop(TOP, 42);
    drop(TOP, 'x'.repeat(5000));
    expect(onDroppedPath.mock.calls).toEqual([['/home/a/dropped.jpg']]);
    dispose();
    expect(listeners.size).toBe(0);
  });

  it('forwards every core event to the window on its ferry:event: channel until disposed', () => {
    const ipcMain = fakeIpcMain();
    const core = createFakeCore();
    const target = { send: vi.fn(), isDestroyed: vi.fn(() => false) };
    const dispose = registerHandlers({ ipcMain, core, host: HOST, isTrustedSender: () => true, target });
    core.emit('chat.received', { id: 'm' } as never);
    expect(target.send).toHaveBeenCalledWith('ferry:event:chat.received', { id: 'm' });
    expect(core.listenerCount()).toBe(EVENT_NAMES.length);
    target.isDestroyed.mockReturnValue(true);
    core.emit('roster.changed', []);
    expect(target.send).toHaveBeenCalledTimes(1);
    dispose();
    dispose();
    expect(core.listenerCount()).toBe(0);
    expect(ipcMain.handlers.size).toBe(0);
  });
});
