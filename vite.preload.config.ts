import { defineConfig } from 'vite';

// The sandboxed preload: a single CommonJS file, 'electron' its only require.
export default defineConfig({
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
