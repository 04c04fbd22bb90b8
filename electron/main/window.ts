import { readHttpUrl } from '../xmpp/xep/httpUrls';
/**
 * The app window and its hardening (Electron security checklist): sandboxed, context-isolated renderer
 * without Node, strict CSP, no navigation, no new windows, no permissions, no webviews.
 */
import { BrowserWindow, type BrowserWindowConstructorOptions, type Session, type WebContents } from 'electron';

/** The Electron renderer's CSP. The renderer talks to the host only over IPC. */
export const WINDOW_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Constructor options of the main window; preloadPath is dist-electron/preload.cjs. A packaged build
 * (options.devTools false) cannot open DevTools at all: not from a menu, a shortcut or openDevTools().
 */
export function mainWindowOptions(preloadPath: string, options: { devTools?: boolean } = {}): BrowserWindowConstructorOptions {
  return {
    width: 1100,
    height: 720,
    minWidth: 640,
    minHeight: 420,
    show: false,
    title: 'Ferry',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: options.devTools ?? true,
    },
  };
}

type HardenableContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/**
 * No navigation away from the app page, no redirects, no new windows, no webviews. A link the user opens
 * (target=_blank in a message) goes to `openExternal` (the system browser) when it is http(s), never into a
 * window of the app.
 */
export function hardenWebContents(contents: HardenableContents, openExternal?: (url: string) => void): void {
  const prevent = (event: { preventDefault(): void }) => event.preventDefault();
  contents.on('will-navigate', prevent);
  contents.on('will-redirect', prevent);
  contents.on('will-attach-webview', prevent);
  contents.on('will-frame-navigate', prevent);
  contents.setWindowOpenHandler(({ url }) => {
    // Only http(s) links leave the app (the same rule as links in messages), and only to the system's browser.
    if (openExternal && readHttpUrl(url, 'web') !== null) openExternal(url);
    return { action: 'deny' };
  });
}

type HardenableSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'> & {
  webRequest: Pick<Session['webRequest'], 'onHeadersReceived'>;
};

/**
 * Denies every permission request and check, and adds the CSP header to every response (renderer/
 * index.html also carries a meta CSP, for the file:// load where headers may not apply).
 */
export function hardenSession(session: HardenableSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [WINDOW_CSP] } });
  });
}

/** Creates the hidden main window; it shows itself once its first paint is ready. The caller loads it. */
export function createMainWindow(preloadPath: string, options: { devTools?: boolean } = {}): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(preloadPath, options));
  hardenWebContents(window.webContents);
  window.once('ready-to-show', () => window.show());
  return window;
}
