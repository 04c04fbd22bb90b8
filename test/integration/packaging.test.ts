import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { skipUnlessPresent } from '../support/requiredTool';

const root = resolve(__dirname, '..', '..');
const isBuilt = ['dist-electron/main.cjs', 'dist-electron/preload.cjs', 'dist/renderer/index.html'].every((p) => existsSync(join(root, p)));

interface AsarEntry { files?: Record<string, AsarEntry>; unpacked?: boolean }

/**
 * File paths inside an asar archive, read from its JSON header (4-byte pickles, then the header JSON), and
 * which of them are unpacked (their bytes in app.asar.unpacked/, as a native module's must be).
 */
function asarListing(archive: string): { paths: string[]; unpacked: Set<string> } {
  const bytes = readFileSync(archive);
  const jsonLength = bytes.readUInt32LE(12);
  const header = JSON.parse(bytes.subarray(16, 16 + jsonLength).toString()) as AsarEntry;
  const paths: string[] = [];
  const unpacked = new Set<string>();
  const walk = (entry: AsarEntry, prefix: string) => {
    for (const [name, child] of Object.entries(entry.files ?? {})) {
      if (child.files) walk(child, `${prefix}${name}/`);
      else {
        paths.push(`${prefix}${name}`);
        if (child.unpacked) unpacked.add(`${prefix}${name}`);
      }
    }
  };
  walk(header, '');
  return { paths: paths.sort(), unpacked };
}

/** The package folder of a node_modules path ('node_modules/@img/x/lib/a' → '@img/x'), else null. */
function packageOf(path: string): string | null {
  const match = /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
  return match ? match[1] : null;
}

/** sharp's runtime closure here: sharp, its dependencies, and the @img packages installed for this platform. */
function sharpClosure(): string[] {
  const manifest = JSON.parse(readFileSync(join(root, 'node_modules/sharp/package.json'), 'utf8')) as {
    dependencies: Record<string, string>; optionalDependencies: Record<string, string>;
  };
  const installed = Object.keys(manifest.optionalDependencies).filter((name) => existsSync(join(root, 'node_modules', name, 'package.json')));
  return ['sharp', ...Object.keys(manifest.dependencies), ...installed].sort();
}

/** better-sqlite3's runtime closure: itself, bindings and bindings' file-uri-to-path (prebuild-install is install-time only). */
const SQLITE_CLOSURE = ['better-sqlite3', 'bindings', 'file-uri-to-path'];

// Needs `npm run build` first (scripts/test-all.sh builds before vitest). With a dummy electronDist,
// electron-builder downloads nothing and writes the unpacked app in ~10 s (STACK.md).
describe.skipIf(skipUnlessPresent({ 'the build (npm run build)': isBuilt }))('packaging with electron-builder --dir', () => {
  const work = mkdtempSync(join(tmpdir(), 'ferry-pack-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('the sandboxed preload bundle is one file whose only require is electron', () => {
    const preload = readFileSync(join(root, 'dist-electron/preload.cjs'), 'utf8');
    expect([...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])).toEqual(['electron']);
  });

  it('puts the renderer, main, preload, package.json and the node_modules of sharp and better-sqlite3 into app.asar; sharp, @img and better-sqlite3 unpacked', async () => {
    const electronDist = join(work, 'electron-dist');
    mkdirSync(electronDist, { recursive: true }); // recursive: the integration project retries once
    writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\n');
    chmodSync(join(electronDist, 'electron'), 0o755);
    const output = join(work, 'release');
    await promisify(execFile)(join(root, 'node_modules', '.bin', 'electron-builder'), [
      '--dir', '--config', 'build/electron-builder.json', `-c.electronDist=${electronDist}`,
      // npmRebuild=false: rebuilding better-sqlite3 for Electron needs Electron's headers from the network.
      '-c.electronVersion=45.4.1', `-c.directories.output=${output}`, '-c.npmRebuild=false',
    ], { cwd: root, timeout: 50_000, env: { ...process.env, CI: '1' } });
    const resources = join(output, 'linux-unpacked', 'resources');
    const { paths, unpacked } = asarListing(join(resources, 'app.asar'));
    expect(paths).toContain('dist-electron/main.cjs');
    expect(paths).toContain('dist-electron/preload.cjs');
    expect(paths).toContain('dist/renderer/index.html');
    expect(paths).toContain('package.json');
    expect(paths.filter((p) => !/^(dist-electron\/|dist\/renderer\/|package\.json$|node_modules\/)/.test(p))).toEqual([]);

    // Everything bundled but sharp (native, STACK.md): node_modules holds exactly sharp's runtime closure.
    const packages = [...new Set(paths.map(packageOf).filter((name): name is string => name !== null))].sort();
    expect(packages).toEqual([...sharpClosure(), ...SQLITE_CLOSURE].sort());
    // electron-builder --dir packages for this machine; its prebuilt addon and libvips come from npm.
    const platform = `${process.platform}-${process.arch}`;
    expect(packages).toContain(`@img/sharp-${platform}`);
    expect(packages).toContain(`@img/sharp-libvips-${platform}`);
    // The native addon and libvips are unpacked: dlopen cannot read inside an asar.
    const native = paths.filter((p) => /^node_modules\/(sharp|@img|better-sqlite3)\//.test(p));
    expect(native.filter((p) => !unpacked.has(p))).toEqual([]);
    expect(native.some((p) => p.startsWith(`node_modules/@img/sharp-${platform}/lib/`) && p.endsWith('.node'))).toBe(true);
    expect(native.some((p) => p.startsWith(`node_modules/@img/sharp-libvips-${platform}/lib/libvips-cpp.`))).toBe(true);
    expect(native).toContain('node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    expect(native.filter((p) => p.startsWith('node_modules/better-sqlite3/') && !/^node_modules\/better-sqlite3\/(package\.json|lib\/|build\/Release\/better_sqlite3\.node$)/.test(p))).toEqual([]);
    for (const p of native) expect(existsSync(join(resources, 'app.asar.unpacked', p)), p).toBe(true);
    expect(paths.filter((p) => unpacked.has(p) && !native.includes(p))).toEqual([]); // only sharp's and better-sqlite3's files
  });
});
