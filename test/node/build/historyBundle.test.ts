import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..', '..', '..');
const out = mkdtempSync(join(tmpdir(), 'ferry-history-bundle-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const FIXTURE = join(root, 'test/node/build/fixtures/mainWithHistory.ts');
const BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const requires = (code: string) => [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);

async function buildWith(configFile: string, inputName: string): Promise<string> {
  const outDir = join(out, inputName);
  await build({
    root, configFile: join(root, configFile), logLevel: 'silent',
    build: { outDir, emptyOutDir: true, rollupOptions: { input: { [inputName]: FIXTURE } } },
  });
  return join(outDir, `${inputName}.cjs`);
}

// STACK.md: better-sqlite3 is native (built per Node/Electron ABI). The main and CLI bundles leave it to
// node_modules and load it only when a history database is opened.
describe.each([
  ['vite.node.config.ts', 'cli'],
  ['vite.electron.config.ts', 'main'],
])('a bundle that opens the history store (%s)', (configFile, inputName) => {
  let bundle = '';

  it('requires better-sqlite3 at run time and inlines none of it', async () => {
    bundle = await buildWith(configFile, inputName);
    const code = readFileSync(bundle, 'utf8');
    expect(requires(code).filter((name) => !BUILTINS.has(name))).toEqual(['better-sqlite3']);
    expect(code).not.toMatch(/node_modules\/(better-sqlite3|bindings)\//);
    expect(code).not.toMatch(/import\(["']better-sqlite3["']\)/);
  });

  it('loads without better-sqlite3, and requires it when a database is opened', async () => {
    const dataDir = join(out, `${inputName}-data`);
    const script = `
      const { probe } = require(${JSON.stringify(bundle)});
      const loaded = () => Object.keys(require.cache).some((p) => p.includes('/node_modules/better-sqlite3/'));
      const loadedAtStart = loaded();
      probe({ dataDir: ${JSON.stringify(dataDir)} }).open('alice@localhost').then(({ store }) => {
        store.append({ id: 'm1', peer: 'bob@localhost', direction: 'incoming', from: 'bob@localhost/x', to: 'alice@localhost', body: 'hi', at: 1, originId: null, stanzaId: null });
        const bodies = store.page('bob@localhost', { limit: 5 }).messages.map((m) => m.body);
        store.close();
        console.log(JSON.stringify({ loadedAtStart, loadedAfter: loaded(), bodies }));
      });`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
      cwd: out, timeout: 20_000, env: { ...process.env, NODE_PATH: join(root, 'node_modules') },
    });
    expect(JSON.parse(stdout)).toEqual({ loadedAtStart: false, loadedAfter: true, bodies: ['hi'] });
  });
});
