// `npm start`: runs Ferry in Electron when an Electron binary is installed, else the web host in the browser.
// Never triggers Electron's lazy download: the binary is looked up on disk only (require('electron')
// would try to fetch it from GitHub when node_modules/electron/dist is missing; see STACK.md).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const BUILT = ['dist/renderer/index.html', 'dist-electron/main.cjs', 'dist-electron/preload.cjs', 'dist-node/cli.cjs'];

/** The Electron executable if one is on disk, else the reason there is none. */
function findElectron() {
  let packageDir;
  try {
    packageDir = dirname(createRequire(join(root, 'package.json')).resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed' };
  }
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : 'electron';
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH || join(packageDir, 'dist');
  const binary = join(distDir, relative);
  if (!existsSync(binary)) return { reason: `no Electron binary at ${binary} (it could not be downloaded here)` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'there is no graphical display (DISPLAY and WAYLAND_DISPLAY are unset)' };
  }
  return { binary };
}

/** Runs a child with our stdio, passes Ctrl-C / SIGTERM on, and exits with its code. */
function run(command, args) {
  const child = spawn(command, args, { stdio: 'inherit', cwd: root });
  const forward = (signal) => { if (child.exitCode === null) child.kill(signal); };
  // Ctrl-C in a terminal reaches the child too; pass SIGINT on only when the child did not get it.
  process.on('SIGINT', () => setTimeout(() => forward('SIGINT'), 1000).unref());
  process.on('SIGTERM', () => forward('SIGTERM'));
  child.on('error', (error) => {
    console.error(`npm start: could not run ${command}: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function main() {
  const missing = BUILT.filter((path) => !existsSync(join(root, path)));
  if (missing.length > 0) {
    console.error(`npm start: ${missing.join(', ')} missing. Build first: npm run build`);
    process.exit(1);
  }
  const electron = findElectron();
  if (electron.binary) {
    console.log('Starting Ferry in Electron.');
    // Electron on the app folder, not on the bundle: it then reads package.json (main, name), so
    // app.getName() and userData are Ferry's, not Electron's default app's.
    run(electron.binary, [root, ...process.argv.slice(2)]);
    return;
  }
  console.log(`Electron cannot run here: ${electron.reason}.`);
  console.log('Starting the web host instead; open the address below in a browser on this machine.');
  run(process.execPath, [join(root, 'dist-node', 'cli.cjs'), 'web', ...process.argv.slice(2)]);
}

main();
