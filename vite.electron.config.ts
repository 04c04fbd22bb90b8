import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';

const external = ['electron', ...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'bufferutil', 'utf-8-validate'];

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
      output: { format: 'cjs', entryFileNames: '[name].cjs' },
    },
  },
});
