import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { skipUnlessPresent } from '../support/requiredTool';

const root = resolve(__dirname, '..', '..');
const isBuilt = ['dist-electron/main.cjs', 'dist-electron/preload.cjs', 'dist/renderer/index.html'].every((p) => existsSync(join(root, p)));

interface AsarEntry { files?: Record<string, AsarEntry> }

/** File paths inside an asar archive, read from its JSON header (4-byte pickles, then the header JSON). */
function asarPaths(archive: string): string[] {
  const bytes = readFileSync(archive);
  const jsonLength = bytes.readUInt32LE(12);
  const header = JSON.parse(bytes.subarray(16, 16 + jsonLength).toString()) as AsarEntry;
  const paths: string[] = [];
  const walk = (entry: AsarEntry, prefix: string) => {
    for (const [name, child] of Object.entries(entry.files ?? {})) {
      if (child.files) walk(child, `${prefix}${name}/`);
      else paths.push(`${prefix}${name}`);
    }
  };
  walk(header, '');
  return paths.sort();
}

// Needs `npm run build` first (scripts/test-all.sh builds before vitest). With a dummy electronDist,
// electron-builder downloads nothing and writes the unpacked app in ~10 s (STACK.md).
describe.skipIf(skipUnlessPresent({ 'the build (npm run build)': isBuilt }))('packaging with electron-builder --dir', () => {
  const work = mkdtempSync(join(tmpdir(), 'ferry-pack-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('the sandboxed preload bundle is one file whose only require is electron', () => {
    const preload = readFileSync(join(root, 'dist-electron/preload.cjs'), 'utf8');
    expect([...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])).toEqual(['electron']);
  });

  it('puts the renderer, main, preload and package.json into app.asar and nothing else', async () => {
    const electronDist = join(work, 'electron-dist');
    mkdirSync(electronDist);
    writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\n');
    chmodSync(join(electronDist, 'electron'), 0o755);
    const output = join(work, 'release');
    await promisify(execFile)(join(root, 'node_modules', '.bin', 'electron-builder'), [
      '--dir', '--config', 'build/electron-builder.json', `-c.electronDist=${electronDist}`,
      '-c.electronVersion=45.4.1', `-c.directories.output=${output}`,
    ], { cwd: root, timeout: 50_000, env: { ...process.env, CI: '1' } });
    const paths = asarPaths(join(output, 'linux-unpacked', 'resources', 'app.asar'));
    expect(paths).toContain('dist-electron/main.cjs');
    expect(paths).toContain('dist-electron/preload.cjs');
    expect(paths).toContain('dist/renderer/index.html');
    expect(paths).toContain('package.json');
    expect(paths.filter((p) => !/^(dist-electron\/|dist\/renderer\/|package\.json$)/.test(p))).toEqual([]);
  });
});
