// Layer rules of STYLE.md, as lint errors. Each zone lists what it may not import.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['node:*', 'fs', 'path', 'net', 'tls', 'os', 'crypto', 'stream', 'child_process', 'http', 'https', 'dns', 'events', 'url', 'util'];
const restrict = (patterns, paths = []) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message: 'layer rule (STYLE.md)' })), paths }],
});

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'dist-node/', 'dist-electron/', 'release/', 'test-results/', 'playwright-report/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: restrict([...NODE_BUILTINS, 'electron', '**/electron/**', '**/renderer/**', '**/test/**', 'react', 'react-dom', '@xmpp/*', 'ws']),
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: restrict([...NODE_BUILTINS, 'electron', '**/electron/**', '**/test/**', '@xmpp/*', 'ws']),
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/main/**', 'electron/preload/**'],
    rules: restrict(['electron', '**/renderer/**', '**/test/**', 'react', 'react-dom', 'zustand']),
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    rules: restrict(['**/renderer/**', '**/test/**', 'react', 'react-dom', 'zustand']),
  },
  {
    files: ['electron/xmpp/xep/**/*.ts'],
    rules: restrict(['node:net', 'node:fs', 'node:fs/*', 'node:timers', 'node:dgram', 'node:tls', 'net', 'fs', 'tls', '**/session', '**/transport/**', '**/transfer/**', '**/handlers/**', 'electron', '**/renderer/**', '**/test/**', '@xmpp/client']),
  },
  {
    files: ['electron/transport/**/*.ts'],
    rules: restrict(['@xmpp/*', '**/xmpp/**', '**/transfer/**', '**/app/**', '**/hosts/**', 'electron', '**/renderer/**', '**/test/**']),
  },
  {
    files: ['electron/xmpp/**/*.ts'],
    ignores: ['electron/xmpp/xep/**'],
    // The history store reaches xmpp/ only as its port (store/historyStore.ts); SQL stays in store/sqlite/.
    rules: restrict(['**/transfer/**', '**/app/**', '**/hosts/**', '**/store/sqlite/**', 'better-sqlite3', 'electron', '**/renderer/**', '**/test/**']),
  },
  {
    // The local store (issue #10): storage only. It never imports XMPP, transfer or host code; they use its port.
    files: ['electron/store/**/*.ts'],
    rules: restrict(['@xmpp/*', '**/xmpp/**', '**/transfer/**', '**/transport/**', '**/app/**', '**/hosts/**', 'electron', '**/renderer/**', '**/test/**', 'react', 'react-dom', 'zustand']),
  },
  {
    // Plain Node scripts (setup, demo, bench, harness): Node's globals, no layer zone.
    files: ['**/*.mjs', '**/*.cjs'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(['process', 'console', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Buffer', 'URL', 'require', 'module', '__dirname'].map((name) => [name, 'readonly'])),
    },
  },
  {
    // CommonJS launchers (bin/ferry.cjs): require() is how they load the bundle.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.ts', 'test/**/*.tsx', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', 'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'mock electron; never load the real module in a test' }] }] },
  },
);
