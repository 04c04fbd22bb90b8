import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';

// The CLI and web hosts: one CommonJS bundle for plain Node (bin/ferry.cjs loads it).
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
      external: ['electron', ...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'bufferutil', 'utf-8-validate'],
      output: { format: 'cjs', entryFileNames: '[name].cjs' },
    },
  },
});
