import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { externalRequires, fixtureBundles, root } from './nativeBundle';
import { afterAll, describe, expect, it } from 'vitest';

const bundles = fixtureBundles('ferry-thumbs-bundle-', 'test/node/build/fixtures/mainWithThumbnails.ts');
const { out } = bundles;
const buildWith = bundles.buildWith;
afterAll(() => bundles.dispose());

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
    expect(externalRequires(code)).toEqual(['sharp']);
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
