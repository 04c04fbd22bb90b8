import { describe, expect, it, vi } from 'vitest';
import { REQUEST_NAMES } from '../../../../shared/ipc/contract';
import { createFakeCore } from '../../../fakes/fakeCore';

// The composition root cannot run without an Electron binary; with every Electron module faked it can
// at least show that it wires what it promises, in order.
const fake = vi.hoisted(() => {
  const appListeners = new Map<string, (...args: unknown[]) => void>();
  const windows: { loadFile: ReturnType<typeof vi.fn>; webContents: { on: () => void; setWindowOpenHandler: () => void; send: () => void; isDestroyed: () => boolean } }[] = [];
  let ready: () => void = () => undefined;
  return {
    appListeners, windows,
    whenReady: new Promise<void>((resolve) => { ready = resolve; }),
    fireReady: () => ready(),
    handled: [] as string[],
    session: { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn(), webRequest: { onHeadersReceived: vi.fn() } },
    app: {} as Record<string, unknown>,
  };
});

vi.mock('electron', () => {
  Object.assign(fake.app, {
    enableSandbox: vi.fn(), requestSingleInstanceLock: vi.fn(() => true), setAppUserModelId: vi.fn(), quit: vi.fn(), exit: vi.fn(),
    getPath: (name: string) => `/fake/${name}`, whenReady: () => fake.whenReady,
    on: (name: string, listener: (...args: unknown[]) => void) => { fake.appListeners.set(name, listener); },
  });
  class BrowserWindow {
    webContents = { on: () => undefined, setWindowOpenHandler: () => undefined, send: () => undefined, isDestroyed: () => false };
    loadFile = vi.fn(async () => undefined);
    once = vi.fn();
    isDestroyed = () => false;
    setProgressBar = vi.fn();
    constructor() { fake.windows.push(this); }
  }
  return {
    app: fake.app, BrowserWindow, session: { defaultSession: fake.session },
    ipcMain: { handle: (channel: string) => { fake.handled.push(channel); }, removeHandler: vi.fn() },
    dialog: {}, shell: {}, safeStorage: {},
    Notification: Object.assign(class {}, { isSupported: () => false }),
  };
});
vi.mock('../../../../electron/app/createCore', () => ({ createCore: () => createFakeCore() }));

describe('Electron composition root', () => {
  it('sandboxes every renderer, takes the single-instance lock, then wires IPC before loading the page', async () => {
    await import('../../../../electron/main/index');
    expect(fake.app.enableSandbox).toHaveBeenCalled();
    expect(fake.app.requestSingleInstanceLock).toHaveBeenCalled();
    expect(fake.appListeners.has('web-contents-created')).toBe(true);
    fake.fireReady();
    await vi.waitFor(() => expect(fake.windows[0]?.loadFile).toHaveBeenCalled());
    expect(fake.handled.sort()).toEqual(REQUEST_NAMES.map((name) => `ferry:${name}`).sort());
    expect(fake.session.setPermissionRequestHandler).toHaveBeenCalled();
    expect(String(fake.windows[0].loadFile.mock.calls[0][0])).toMatch(/dist[\\/]renderer[\\/]index\.html$/);
    expect(fake.appListeners.has('before-quit')).toBe(true);
  });
});
