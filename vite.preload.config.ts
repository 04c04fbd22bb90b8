import { defineConfig } from 'vite';

// The sandboxed preload: a single CommonJS file, 'electron' its only require. An SSR build leaves
// node_modules imports as require() by default; the sandbox cannot load them, so bundle every import.
export default defineConfig({
  ssr: { noExternal: true },
  build: {
    outDir: 'dist-electron',
    ssr: true,
    target: 'node20',
    minify: false,
    emptyOutDir: false,
    rollupOptions: {
      input: { preload: 'electron/preload/index.ts' },
      external: ['electron'],
      output: { format: 'cjs', entryFileNames: '[name].cjs', inlineDynamicImports: true },
    },
  },
});
