import { describe, expect, it, vi } from 'vitest';

const created: { options: unknown; webContents: FakeContents; once: ReturnType<typeof vi.fn> }[] = [];
class FakeContents {
  listeners = new Map<string, (event: { preventDefault(): void }, ...rest: unknown[]) => void>();
  openHandler: ((details: unknown) => unknown) | null = null;
  on(name: string, listener: (event: { preventDefault(): void }) => void) { this.listeners.set(name, listener); return this; }
  setWindowOpenHandler(handler: (details: unknown) => unknown) { this.openHandler = handler; }
}

vi.mock('electron', () => ({
  BrowserWindow: class {
    webContents = new FakeContents();
    once = vi.fn();
    constructor(public options: unknown) { created.push(this as never); }
  },
}));

const { WINDOW_CSP, createMainWindow, hardenSession, hardenWebContents, mainWindowOptions } = await import('../../../../electron/main/window');

describe('main window', () => {
  it('is sandboxed and context-isolated, without Node, with web security and our preload', () => {
    const preferences = mainWindowOptions('/app/dist-electron/preload.cjs').webPreferences!;
    expect(preferences).toMatchObject({
      preload: '/app/dist-electron/preload.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false,
      nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false, webSecurity: true,
      allowRunningInsecureContent: false, webviewTag: false, navigateOnDragDrop: false,
    });
  });

  it('createMainWindow hardens the window it creates', () => {
    createMainWindow('/p.cjs');
    const window = created.at(-1)!;
    expect(window.options).toEqual(mainWindowOptions('/p.cjs'));
    expect(window.webContents.listeners.has('will-navigate')).toBe(true);
    expect(window.webContents.openHandler).not.toBeNull();
  });

  it.each(['will-navigate', 'will-redirect', 'will-frame-navigate', 'will-attach-webview'])('prevents %s', (name) => {
    const contents = new FakeContents();
    hardenWebContents(contents as never);
    const event = { preventDefault: vi.fn() };
    contents.listeners.get(name)!(event, 'https://evil.example/');
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('denies every window.open', () => {
    const contents = new FakeContents();
    hardenWebContents(contents as never);
    expect(contents.openHandler!({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
  });

  it.each([
    ['https://example.org/a?b', true], ['http://127.0.0.1:8080/', true], ['file:///etc/passwd', false],
    ['javascript:alert(1)', false], ['https://user:pw@example.org/', false], ['not a url', false],
  ])('a link the user opens (%s) goes to the system browser only when it is http(s): %s', (url, isOpened) => {
    const contents = new FakeContents();
    const opened: string[] = [];
    hardenWebContents(contents as never, (u) => opened.push(u));
    expect(contents.openHandler!({ url })).toEqual({ action: 'deny' });
    expect(opened).toEqual(isOpened ? [url] : []);
  });
});

describe('session hardening', () => {
  function fakeSession() {
    return {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      webRequest: { onHeadersReceived: vi.fn() },
    };
  }

  it('denies every permission request and check', () => {
    const session = fakeSession();
    hardenSession(session as never);
    const callback = vi.fn();
    session.setPermissionRequestHandler.mock.calls[0][0]({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect(session.setPermissionCheckHandler.mock.calls[0][0]({}, 'notifications')).toBe(false);
  });

  it('adds a strict CSP header to responses', () => {
    const session = fakeSession();
    hardenSession(session as never);
    const callback = vi.fn();
    session.webRequest.onHeadersReceived.mock.calls[0][0]({ responseHeaders: { 'X-A': ['1'] } }, callback);
    expect(callback).toHaveBeenCalledWith({ responseHeaders: { 'X-A': ['1'], 'Content-Security-Policy': [WINDOW_CSP] } });
    expect(WINDOW_CSP).toContain("default-src 'none'");
    expect(WINDOW_CSP).toContain("script-src 'self'");
    expect(WINDOW_CSP).not.toContain('unsafe');
  });
});
