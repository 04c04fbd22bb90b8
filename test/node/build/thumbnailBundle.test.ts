import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..', '..', '..');
const out = mkdtempSync(join(tmpdir(), 'ferry-thumbs-bundle-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const FIXTURE = join(root, 'test/node/build/fixtures/mainWithThumbnails.ts');
const BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const requires = (code: string) => [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);

/** Builds the fixture with a host's config (its one input replaced) into a temp folder; returns the file. */
async function buildWith(configFile: string, inputName: string): Promise<string> {
  const outDir = join(out, inputName);
  await build({
    root, configFile: join(root, configFile), logLevel: 'silent',
    build: { outDir, emptyOutDir: true, rollupOptions: { input: { [inputName]: FIXTURE } } },
  });
  return join(outDir, `${inputName}.cjs`);
}

// STACK.md: sharp is native (libvips, prebuilt per platform in @img/*). The main and CLI bundles must
// leave it to node_modules and load it only when a thumbnail is made.
describe.each([
  ['vite.node.config.ts', 'cli'],
  ['vite.electron.config.ts', 'main'],
])('a bundle that makes thumbnails (%s)', (configFile, inputName) => {
  let bundle = '';

  it('requires sharp at run time and inlines none of sharp or @img', async () => {
    bundle = await buildWith(configFile, inputName);
    const code = readFileSync(bundle, 'utf8');
    expect(requires(code).filter((name) => !BUILTINS.has(name))).toEqual(['sharp']);
    expect(code).not.toMatch(/node_modules\/(sharp|@img)\//);
    expect(code).not.toMatch(/import\(["']sharp["']\)/); // dynamicImportInCjs false: require, as Electron loads a native module
  });

  it('loads without sharp, and requires it on the first thumbnail', async () => {
    // The bundle lives outside the project: `sharp` resolves only through NODE_PATH, and only when asked.
    const script = `
      const { probe } = require(${JSON.stringify(bundle)});
      const loadedAtStart = Object.keys(require.cache).some((p) => p.includes('/node_modules/sharp/'));
      const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');
      probe[1](png, { maxBytes: 4096 }).then((t) => {
        const loadedAfter = Object.keys(require.cache).some((p) => p.includes('/node_modules/sharp/'));
        console.log(JSON.stringify({ loadedAtStart, loadedAfter, mediaType: t && t.mediaType, width: t && t.width }));
      });`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
      cwd: out, timeout: 20_000, env: { ...process.env, NODE_PATH: join(root, 'node_modules') },
    });
    expect(JSON.parse(stdout)).toEqual({ loadedAtStart: false, loadedAfter: true, mediaType: 'image/png', width: 1 });
  });
});
