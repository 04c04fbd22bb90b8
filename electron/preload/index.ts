/**
 * The sandboxed preload: exposes the contract as `window.ferry` and nothing else. Bundled to one
 * CommonJS file (dist-electron/preload.cjs) whose only require is 'electron'.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createPreloadBridge } from './bridge';

contextBridge.exposeInMainWorld('ferry', createPreloadBridge({ ipcRenderer, webUtils }));
