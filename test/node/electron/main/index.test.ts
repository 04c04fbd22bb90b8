import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { REQUEST_NAMES } from '../../../../shared/ipc/contract';
import { menuOffersDevTools } from '../../../../electron/main/appMenu';
import { createFakeCore } from '../../../fakes/fakeCore';

// The composition root cannot run without an Electron binary; with every Electron module faked it can
// at least show that it wires what it promises, in order. Each test imports it afresh (it runs on import).
type Handler = (event: unknown, args: unknown) => Promise<unknown>;
const fake = vi.hoisted(() => ({
  appListeners: new Map<string, (...args: unknown[]) => void>(),
  windows: [] as { options: { webPreferences?: { devTools?: boolean } }; loadFile: (...args: unknown[]) => Promise<void> }[],
  ready: (): void => undefined,
  whenReady: Promise.resolve(),
  /** Every call that matters for ordering, in the order it happened. */
  order: [] as string[],
  handlers: new Map<string, (event: unknown, args: unknown) => Promise<unknown>>(),
  menu: null as unknown,
  errorBoxes: [] as [string, string][],
  createCoreError: null as Error | null,
  session: { setPermissionRequestHandler: (): void => undefined, setPermissionCheckHandler: (): void => undefined, webRequest: { onHeadersReceived: (): void => undefined } },
  app: {} as Record<string, unknown>,
}));

vi.mock('electron', () => {
  Object.assign(fake.app, {
    enableSandbox: () => fake.order.push('enableSandbox'),
    requestSingleInstanceLock: () => { fake.order.push('requestSingleInstanceLock'); return true; },
    setAppUserModelId: () => undefined, quit: () => undefined, exit: (code: number) => fake.order.push(`exit ${code}`),
    getPath: (name: string) => `/fake/${name}`, whenReady: () => fake.whenReady,
    on: (name: string, listener: (...args: unknown[]) => void) => { fake.appListeners.set(name, listener); },
    isPackaged: false,
  });
  class BrowserWindow {
    webContents = { on: () => undefined, setWindowOpenHandler: () => undefined, send: () => undefined, isDestroyed: () => false };
    loadFile = vi.fn(async () => { fake.order.push('loadFile'); });
    once = vi.fn();
    isDestroyed = () => false;
    setProgressBar = vi.fn();
    constructor(public options: never) { fake.windows.push(this); }
  }
  return {
    app: fake.app, BrowserWindow, session: { defaultSession: fake.session },
    ipcMain: {
      handle: (channel: string, handler: Handler) => { fake.order.push(`handle ${channel}`); fake.handlers.set(channel, handler); },
      removeHandler: () => undefined,
    },
    Menu: {
      buildFromTemplate: (template: unknown) => ({ template }),
      setApplicationMenu: (menu: unknown) => { fake.menu = menu; },
    },
    dialog: { showErrorBox: (title: string, content: string) => { fake.errorBoxes.push([title, content]); fake.order.push('showErrorBox'); } },
    shell: {},
    safeStorage: { isAsyncEncryptionAvailable: async () => false },
    Notification: Object.assign(class {}, { isSupported: () => false }),
  };
});
vi.mock('../../../../electron/app/createCore', () => ({
  createCore: () => {
    if (fake.createCoreError) throw fake.createCoreError;
    return createFakeCore();
  },
}));

beforeEach(() => {
  vi.resetModules();
  fake.appListeners.clear();
  fake.windows.length = 0;
  fake.order.length = 0;
  fake.handlers.clear();
  fake.menu = null;
  fake.errorBoxes.length = 0;
  fake.createCoreError = null;
  fake.whenReady = new Promise<void>((resolve) => { fake.ready = resolve; });
  fake.app.isPackaged = false;
});

async function startMain(): Promise<void> {
  await import('../../../../electron/main/index');
}

describe('Electron composition root', () => {
  it('sandboxes every renderer, takes the single-instance lock, then wires IPC before loading the page', async () => {
    await startMain();
    expect(fake.order.slice(0, 2)).toEqual(['enableSandbox', 'requestSingleInstanceLock']);
    expect(fake.appListeners.has('web-contents-created')).toBe(true);
    fake.ready();
    await vi.waitFor(() => expect(fake.order).toContain('loadFile'), { timeout: 2000 });
    const handled = fake.order.filter((entry) => entry.startsWith('handle ')).map((entry) => entry.slice('handle '.length));
    expect(handled.sort()).toEqual(REQUEST_NAMES.map((name) => `ferry:${name}`).sort());
    // Every request channel exists before the page (and its first invoke) can load.
    const loadAt = fake.order.indexOf('loadFile');
    const lastHandleAt = fake.order.reduce((last, entry, at) => (entry.startsWith('handle ') ? at : last), -1);
    expect(lastHandleAt).toBeGreaterThan(-1);
    expect(lastHandleAt).toBeLessThan(loadAt);
    expect(fake.order.filter((entry) => entry === 'loadFile')).toHaveLength(1);
    expect(fake.appListeners.has('before-quit')).toBe(true);
  });

  it('host.info says whether a password can be remembered (no secure storage here: false)', async () => {
    await startMain();
    fake.ready();
    await vi.waitFor(() => expect(fake.order).toContain('loadFile'), { timeout: 2000 });
    const page = String((fake.windows[0].loadFile as ReturnType<typeof vi.fn>).mock.calls[0][0]);
    const event = { senderFrame: { parent: null, url: pathToFileURL(page).href } };
    const result = await fake.handlers.get('ferry:host.info')!(event, undefined);
    expect(result).toMatchObject({ ok: true, value: { kind: 'electron', canRemember: false } });
  });

  it('keeps the View menu (DevTools) in development', async () => {
    await startMain();
    fake.ready();
    await vi.waitFor(() => expect(fake.order).toContain('loadFile'), { timeout: 2000 });
    expect(menuOffersDevTools((fake.menu as { template: Parameters<typeof menuOffersDevTools>[0] }).template)).toBe(true);
    expect(fake.windows[0].options.webPreferences?.devTools).toBe(true);
  });

  it('offers no DevTools in a packaged build: no menu entry, and the window cannot open them', async () => {
    fake.app.isPackaged = true;
    await startMain();
    fake.ready();
    await vi.waitFor(() => expect(fake.order).toContain('loadFile'), { timeout: 2000 });
    expect(menuOffersDevTools((fake.menu as { template: Parameters<typeof menuOffersDevTools>[0] }).template)).toBe(false);
    expect(fake.windows[0].options.webPreferences?.devTools).toBe(false);
  });

  it('shows an error dialog, then exits 1, when start-up fails', async () => {
    fake.createCoreError = new Error('userData is read-only');
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await startMain();
    fake.ready();
    await vi.waitFor(() => expect(fake.order).toContain('exit 1'), { timeout: 2000 });
    expect(fake.errorBoxes).toEqual([['Ferry could not start', 'userData is read-only']]);
    expect(fake.order.indexOf('showErrorBox')).toBeLessThan(fake.order.indexOf('exit 1'));
    expect(fake.order).not.toContain('loadFile');
  });
});
