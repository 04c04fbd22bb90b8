import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';

// The CLI and web hosts: one CommonJS bundle for plain Node (bin/ferry.cjs loads it). sharp (libvips) and
// better-sqlite3 are native: they stay runtime requires from node_modules, loaded only when a thumbnail is
// made or a history database opened.
export default defineConfig({
  ssr: { noExternal: true },
  build: {
    outDir: 'dist-node',
    ssr: true,
    target: 'node20',
    minify: false,
    emptyOutDir: true,
    rollupOptions: {
      input: { cli: 'electron/hosts/cli/main.ts' },
      external: ['electron', ...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'bufferutil', 'utf-8-validate', 'sharp', 'better-sqlite3'],
      // dynamicImportInCjs false: import('sharp') becomes require('sharp') (likewise better-sqlite3), the way Electron loads a native
      // module from the asar (its .node file unpacked) and the CommonJS build of sharp.
      output: { format: 'cjs', entryFileNames: '[name].cjs', dynamicImportInCjs: false },
    },
  },
});
