import { mkdtempSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';

/** The project's root. */
export const root = resolve(__dirname, '..', '..', '..');
const BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** The modules a CommonJS bundle requires at run time, Node's own left out. */
export function externalRequires(code: string): string[] {
  return [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]!).filter((name) => !BUILTINS.has(name));
}

/**
 * A temp folder for bundles of a fixture that uses a native module (sharp, better-sqlite3), built with a
 * host's Vite config (its one input replaced); `dispose` removes it.
 */
export function fixtureBundles(prefix: string, fixture: string): { out: string; buildWith(configFile: string, inputName: string): Promise<string>; dispose(): void } {
  const out = mkdtempSync(join(tmpdir(), prefix));
  return {
    out,
    async buildWith(configFile, inputName) {
      const outDir = join(out, inputName);
      await build({
        root, configFile: join(root, configFile), logLevel: 'silent',
        build: { outDir, emptyOutDir: true, rollupOptions: { input: { [inputName]: join(root, fixture) } } },
      });
      return join(outDir, `${inputName}.cjs`);
    },
    dispose: () => rmSync(out, { recursive: true, force: true }),
  };
}
