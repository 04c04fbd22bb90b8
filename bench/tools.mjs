// Shared by the bench files: curl runs, settling the disk, and TypeScript sources bundled for a bench (history, oneteam).
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'vite';

const ROOT = join(import.meta.dirname, '..');

/**
 * Writes every dirty page to disk (`sync`), so that what one measured transfer wrote is not written back
 * while the next one runs: on this VM the kernel's writeback of 512 MiB slows the next file write by half.
 */
export function settleDisk() {
  const result = spawnSync('sync', [], { stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`sync exited ${result.status}`);
}

/** Runs curl; resolves with the status and time_total its `-w` printed, rejects on a non-zero exit. */
export function curl(args) {
  const child = spawn('curl', ['-sS', '--fail', '-w', '%{http_code} %{time_total}', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      const [status, seconds] = stdout.trim().split(' ');
      if (code === 0) resolve({ status: Number(status), seconds: Number(seconds) });
      else reject(new Error(`curl exited ${code}: ${stderr.slice(-300)}`));
    });
  });
}

/**
 * Bundles TypeScript entry points (`inputs`: name → path from the project root) with the CLI bundle's settings
 * into .tmp/ of the project, so a bundle's require() of an external finds the project's node_modules, and
 * loads them: the code measured is the code that ships. `cleanup` removes the bundle.
 */
export async function loadBundle(name, inputs, external = []) {
  const outDir = join(ROOT, '.tmp', `bench-${name}-${process.pid}`);
  await build({
    configFile: false, root: ROOT, logLevel: 'warn',
    ssr: { noExternal: true },
    build: {
      outDir, ssr: true, target: 'node20', minify: false, emptyOutDir: true,
      rollupOptions: {
        input: Object.fromEntries(Object.entries(inputs).map(([key, path]) => [key, join(ROOT, path)])),
        external: [...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'bufferutil', 'utf-8-validate', ...external],
        output: { format: 'cjs', entryFileNames: '[name].cjs', dynamicImportInCjs: false },
      },
    },
  });
  const require = createRequire(import.meta.url);
  const modules = Object.fromEntries(Object.keys(inputs).map((key) => [key, require(join(outDir, `${key}.cjs`))]));
  return { modules, cleanup: () => rmSync(outDir, { recursive: true, force: true }) };
}
