import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer: a plain web page, served by the Electron host from file:// and by the web host over http.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../dist/renderer', emptyOutDir: true, target: 'es2022' },
});
