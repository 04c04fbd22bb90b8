import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..', '..', '..');
const read = (path: string) => readFileSync(resolve(root, path));
interface BuilderConfig {
  files: string[];
  npmRebuild: boolean;
  asarUnpack: string[];
  extraMetadata: { main: string };
  linux: { icon: string; maintainer: string };
  mac: { icon: string };
  win: { icon: string };
}
const config = JSON.parse(read('build/electron-builder.json').toString()) as BuilderConfig;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height of a PNG, after checking its signature, IHDR and that its pixels inflate. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const idat = png.indexOf('IDAT');
  const length = png.readUInt32BE(idat - 4);
  expect(inflateSync(png.subarray(idat + 4, idat + 4 + length)).length).toBe(height * (width * 4 + 1));
  return { width, height };
}

/**
 * Whether the globs (`dir/**` or an exact path, `!` to exclude) package path. As in electron-builder, order
 * counts: the last pattern that covers the path decides (so `!node_modules/**` then `node_modules/sharp/**`
 * keeps sharp alone; test/integration/packaging.test.ts checks the real archive).
 */
function isPackaged(path: string, patterns: string[]): boolean {
  const covers = (pattern: string) => (pattern.endsWith('/**') ? path.startsWith(pattern.slice(0, -2)) : path === pattern);
  let isIncluded = false;
  for (const pattern of patterns) {
    const isExclusion = pattern.startsWith('!');
    if (covers(isExclusion ? pattern.slice(1) : pattern)) isIncluded = !isExclusion;
  }
  return isIncluded;
}

describe('electron-builder configuration', () => {
  it('names the app and its targets', () => {
    expect(config).toMatchObject({
      appId: 'im.ferry.app', productName: 'Ferry', directories: { output: 'release' },
      extraMetadata: { main: 'dist-electron/main.cjs' },
      linux: { target: ['AppImage', 'deb'], category: 'Network;InstantMessaging' },
      mac: { target: ['dmg'], category: 'public.app-category.social-networking', hardenedRuntime: true },
      win: { target: ['nsis'] },
      nsis: { oneClick: false, allowToChangeInstallationDirectory: true },
    });
    expect(config.linux.maintainer).toMatch(/<[^@\s]+@[^>\s]+>$/);
  });

  it('packages every built output the app loads, and of node_modules only sharp\'s and better-sqlite3\'s (native; the rest is bundled)', () => {
    const pkg = JSON.parse(read('package.json').toString()) as { main: string; scripts: Record<string, string> };
    expect(pkg.main).toBe(config.extraMetadata.main);
    // npm run dist builds first, so a package never carries stale or missing bundles.
    expect(pkg.scripts.dist).toBe('npm run build --silent && electron-builder --config build/electron-builder.json');
    for (const path of ['dist-electron/main.cjs', 'dist-electron/preload.cjs', 'dist/renderer/index.html', 'dist/renderer/assets/index-x.js', 'package.json']) {
      expect(isPackaged(path, config.files), path).toBe(true);
    }
    for (const path of ['node_modules/ws/index.js', 'node_modules/@xmpp/client/index.js', 'electron/main/index.ts', 'dist-node/cli.cjs', 'test/fakes/fakeCore.ts']) {
      expect(isPackaged(path, config.files), path).toBe(false);
    }
  });

  it('ships sharp, its dependencies and its @img native packages, with sharp and @img unpacked from the asar', () => {
    const sharp = JSON.parse(read('node_modules/sharp/package.json').toString()) as { dependencies: Record<string, string> };
    for (const name of ['sharp', ...Object.keys(sharp.dependencies), '@img/sharp-linux-x64', '@img/sharp-libvips-linux-x64', '@img/sharp-win32-x64']) {
      expect(isPackaged(`node_modules/${name}/package.json`, config.files), name).toBe(true);
    }
    // A native addon and the shared libraries it loads cannot be read from inside an asar.
    expect(config.asarUnpack).toEqual(['node_modules/sharp/**', 'node_modules/@img/**', 'node_modules/better-sqlite3/**']);
    expect(read('vite.electron.config.ts').toString()).toMatch(/'sharp', 'better-sqlite3'\]/); // external: never bundled
    expect(read('vite.node.config.ts').toString()).toMatch(/'sharp', 'better-sqlite3'\]/);
  });

  it('ships better-sqlite3\'s runtime (lib, the .node addon, bindings, file-uri-to-path) but not its sources, rebuilt for Electron', () => {
    const manifest = JSON.parse(read('node_modules/better-sqlite3/package.json').toString()) as { main: string; dependencies: Record<string, string> };
    const runtime = ['node_modules/better-sqlite3/package.json', `node_modules/better-sqlite3/${manifest.main.replace(/^\.\//, '')}`,
      'node_modules/better-sqlite3/lib/database.js', 'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      'node_modules/bindings/bindings.js', 'node_modules/file-uri-to-path/index.js'];
    for (const path of runtime) expect(isPackaged(path, config.files), path).toBe(true);
    // prebuild-install only runs at install time; the C sources and build objects stay out.
    for (const path of ['node_modules/prebuild-install/index.js', 'node_modules/better-sqlite3/deps/sqlite3/sqlite3.c', 'node_modules/better-sqlite3/src/better_sqlite3.cpp', 'node_modules/better-sqlite3/build/Release/obj/x.o', 'node_modules/better-sqlite3/build/Release/test_extension.node']) {
      expect(isPackaged(path, config.files), path).toBe(false);
    }
    expect(Object.keys(manifest.dependencies).sort()).toEqual(['bindings', 'prebuild-install']);
    // The addon is built for Node's ABI by npm; electron-builder rebuilds it for Electron's when packaging.
    expect(config.npmRebuild).toBe(true);
  });

  it('the vite builds write where the globs look', () => {
    expect(read('vite.electron.config.ts').toString()).toMatch(/outDir: 'dist-electron'/);
    expect(read('vite.preload.config.ts').toString()).toMatch(/outDir: 'dist-electron'/);
    expect(read('vite.config.ts').toString()).toMatch(/outDir: '\.\.\/dist\/renderer'/);
  });
});

describe('icons', () => {
  it('icon.png is a valid 512x512 PNG', () => {
    expect(config.linux.icon).toBe('build/icons/icon.png');
    expect(pngSize(read(config.linux.icon))).toEqual({ width: 512, height: 512 });
  });

  it('icon.ico holds PNG entries whose directory sizes match their pixels, including 256', () => {
    const ico = read(config.win.icon);
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const sizes: number[] = [];
    for (let i = 0; i < ico.readUInt16LE(4); i += 1) {
      const entry = 6 + 16 * i;
      const declared = ico[entry] === 0 ? 256 : ico[entry];
      const data = ico.subarray(ico.readUInt32LE(entry + 12), ico.readUInt32LE(entry + 12) + ico.readUInt32LE(entry + 8));
      expect(pngSize(data)).toEqual({ width: declared, height: declared });
      sizes.push(declared);
    }
    expect(sizes).toContain(256);
    expect(sizes).toContain(16);
  });

  it("icon.icns holds 'ic07' (128) and 'ic09' (512) PNGs and a correct total length", () => {
    const icns = read(config.mac.icon);
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const found = new Map<string, { width: number; height: number }>();
    for (let offset = 8; offset < icns.length; offset += icns.readUInt32BE(offset + 4)) {
      const type = icns.subarray(offset, offset + 4).toString('ascii');
      found.set(type, pngSize(icns.subarray(offset + 8, offset + icns.readUInt32BE(offset + 4))));
    }
    expect(found.get('ic07')).toEqual({ width: 128, height: 128 });
    expect(found.get('ic09')).toEqual({ width: 512, height: 512 });
  });
});
