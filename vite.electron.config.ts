import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';

// sharp (libvips) and better-sqlite3 are native: never bundled; electron-builder ships them in node_modules,
// unpacked from the asar (build/electron-builder.json; better-sqlite3 rebuilt for Electron by npmRebuild), and
// electron/transfer/thumbnails/loadSharp.ts and electron/store/sqlite/openHistoryDatabase.ts load them on first use.
const external = ['electron', ...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'bufferutil', 'utf-8-validate', 'sharp', 'better-sqlite3'];

// Electron main process. The preload is built in its own pass (vite.preload.config.ts): a sandboxed
// preload must be one file with no local require (STACK.md).
export default defineConfig({
  ssr: { noExternal: true },
  build: {
    outDir: 'dist-electron',
    ssr: true,
    target: 'node20',
    minify: false,
    emptyOutDir: false,
    rollupOptions: {
      input: { main: 'electron/main/index.ts' },
      external,
      // dynamicImportInCjs false: import('sharp') becomes require('sharp') (likewise better-sqlite3), the way Electron loads a native
      // module from the asar (its .node file unpacked) and the CommonJS build of sharp.
      output: { format: 'cjs', entryFileNames: '[name].cjs', dynamicImportInCjs: false },
    },
  },
});
