import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'ferry-start-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Needs `npm run build` first (scripts/test-all.sh builds before vitest); start.mjs refuses to run without it.
describe('npm start (scripts/start.mjs)', () => {
  it.skipIf(process.platform === 'win32')('runs Electron on the app folder, so Electron reads package.json and userData is Ferry\'s', async () => {
    const argsFile = join(work, 'args.json');
    const fakeElectron = join(work, 'electron');
    writeFileSync(fakeElectron, `#!/bin/sh\nnode -e 'require("fs").writeFileSync(process.argv[1], JSON.stringify({ args: process.argv.slice(2), cwd: process.cwd() }))' "${argsFile}" "$@"\n`);
    chmodSync(fakeElectron, 0o755);
    const { stdout } = await promisify(execFile)(process.execPath, [join(root, 'scripts', 'start.mjs'), '--some-flag'], {
      cwd: root, timeout: 20_000,
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: work, DISPLAY: ':99' },
    });
    expect(stdout).toContain('Starting Ferry in Electron.');
    const seen = JSON.parse(readFileSync(argsFile, 'utf8')) as { args: string[]; cwd: string };
    expect(seen.args).toEqual([root, '--some-flag']);
    expect(JSON.parse(readFileSync(join(seen.args[0], 'package.json'), 'utf8'))).toMatchObject({ name: 'ferry', main: 'dist-electron/main.cjs' });
  });
});
