import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { externalRequires, fixtureBundles, root } from './nativeBundle';
import { afterAll, describe, expect, it } from 'vitest';

const bundles = fixtureBundles('ferry-history-bundle-', 'test/node/build/fixtures/mainWithHistory.ts');
const { out } = bundles;
const buildWith = bundles.buildWith;
afterAll(() => bundles.dispose());

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
    expect(externalRequires(code)).toEqual(['better-sqlite3']);
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
