import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..', '..', '..');
const out = mkdtempSync(join(tmpdir(), 'ferry-preload-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const requires = (code: string) => [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);

/** Builds `entry` with vite.preload.config.ts into a temp folder; returns the bundle's text. */
async function buildPreload(entry: string): Promise<string> {
  await build({
    root, configFile: join(root, 'vite.preload.config.ts'), logLevel: 'silent',
    build: { outDir: out, emptyOutDir: false, rollupOptions: { input: { preload: entry } } },
  });
  return readFileSync(join(out, 'preload.cjs'), 'utf8');
}

// A sandboxed preload's require() is a polyfill: 'electron' (a subset) and the 'events', 'timers' and
// 'url' built-ins, nothing else (Electron docs, "Process Sandboxing"). No node_modules, no local file.
const SANDBOX_REQUIRES = new Set(['electron', 'events', 'timers', 'url']);
describe('the preload build (vite.preload.config.ts)', () => {
  it('bundles the real preload into one file whose only require is electron', async () => {
    expect(requires(await buildPreload(join(root, 'electron/preload/index.ts')))).toEqual(['electron']);
  });

  it('bundles a node_modules import and a local import too, leaving only what the sandboxed require() offers', async () => {
    const code = await buildPreload(join(root, 'test/node/build/fixtures/preloadWithImports.ts'));
    expect(requires(code).filter((name) => !SANDBOX_REQUIRES.has(name))).toEqual([]);
    expect(code).toContain('function requestChannel'); // the local import is in the file
    expect(code).toMatch(/node_modules\/@xmpp\/xml\//); // @xmpp/xml itself is in the file
  });
});
