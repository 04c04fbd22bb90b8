/**
 * Composition root of the Electron host: builds the credential store and the core, hardens the session,
 * opens the window, wires the validated IPC, taskbar progress and offer notifications. Wiring only.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, safeStorage, session, shell } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCore } from '../app/createCore';
import { createPathGrants, guardTransferPaths } from '../app/pathGrants';
import type { Core } from '../app/core';
import { appMenuTemplate } from './appMenu';
import { createCredentialStore } from './credentialStore';
import { createElectronHostHandlers } from './hostHandlers';
import { createSenderCheck } from './ipc/validatedIpc';
import { registerHandlers } from './ipc/registerHandlers';
import { notifyTransfers, revealCard } from './notifications';
import { trackTaskbarProgress } from './taskbarProgress';
import { createMainWindow, hardenSession, hardenWebContents } from './window';

const PRELOAD_PATH = join(__dirname, 'preload.cjs');
const INDEX_PATH = join(__dirname, '..', 'dist', 'renderer', 'index.html');

function log(line: string): void {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`);
}

function focus(window: BrowserWindow): void {
  if (window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.focus();
}

function wireWindow(core: Core, window: BrowserWindow, credentials: ReturnType<typeof createCredentialStore>, downloadDir: string): (() => void)[] {
  const grants = createPathGrants({ folders: [downloadDir] });
  const host = createElectronHostHandlers({
    dialog, shell, credentials, grants, listTransfers: () => core.handlers['transfer.list'](undefined),
    getWindow: () => (window.isDestroyed() ? null : window),
  });
  const baseInfo = host['host.info'];
  host['host.info'] = async (args) => ({ ...(await baseInfo(args)), canRemember: await credentials.canRemember() });
  const isTrustedSender = createSenderCheck(pathToFileURL(INDEX_PATH).href);
  return [
    registerHandlers({
      ipcMain, core: { ...core, handlers: guardTransferPaths(core.handlers, grants) }, host, isTrustedSender,
      target: window.webContents, onDroppedPath: (path) => grants.grantFiles([path]),
    }),
    trackTaskbarProgress({ core, window }),
    notifyTransfers({
      core,
      createNotification: Notification.isSupported() ? (options) => new Notification(options) : null,
      onClick: (summary) => {
        focus(window);
        if (!window.isDestroyed()) revealCard(window.webContents, summary);
      },
    }),
  ];
}

async function start(): Promise<void> {
  const credentials = createCredentialStore({ safeStorage, filePath: join(app.getPath('userData'), 'credentials.bin'), log });
  const downloadDir = app.getPath('downloads');
  const core = createCore({ downloadDir, dataDir: app.getPath('userData'), credentials, log });
  hardenSession(session.defaultSession);
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate({ isPackaged: app.isPackaged, platform: process.platform })));
  const window = createMainWindow(PRELOAD_PATH, { devTools: !app.isPackaged });
  const disposers = wireWindow(core, window, credentials, downloadDir);
  app.on('second-instance', () => focus(window));
  app.on('window-all-closed', () => app.quit());
  let isQuitting = false;
  app.on('before-quit', (event) => {
    if (isQuitting) return;
    isQuitting = true;
    event.preventDefault();
    for (const dispose of disposers) dispose();
    void core.dispose().catch((error: unknown) => log(`core dispose failed: ${String(error)}`)).finally(() => app.quit());
  });
  await window.loadFile(INDEX_PATH);
}

function main(): void {
  app.enableSandbox();
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.setAppUserModelId('im.ferry.app');
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, (url) => { void shell.openExternal(url); }));
  app.whenReady().then(start).catch((error: unknown) => {
    log(`Ferry could not start: ${error instanceof Error ? error.stack : String(error)}`);
    // A user who double-clicked Ferry sees no log: tell them before exiting (showErrorBox works before and after ready).
    try {
      dialog.showErrorBox('Ferry could not start', error instanceof Error ? error.message : String(error));
    } finally {
      app.exit(1);
    }
  });
}

main();
