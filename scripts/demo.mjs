// `npm run demo [-- --web]`: a throwaway local Prosody with alice and bob subscribed to each other, and
// Ferry opened for both (two Electron windows, or with --web two web-host URLs). Ctrl-C cleans up.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isProsodyInstalled, startProsody } from './lib/localProsody.mjs';

const root = resolve(import.meta.dirname, '..');
const ACCOUNTS = [['alice', 'alice-pw'], ['bob', 'bob-pw']];

function electronBinary() {
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

function startWebHost(user, downloads) {
  const child = spawn(process.execPath, [join(root, 'bin', 'ferry.cjs'), 'web', '--port', '0', '--json', '--dir', downloads],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host for ${user} did not start within 20 s`)), 20000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        const event = JSON.parse(line);
        if (event.event === 'listening') { clearTimeout(timer); resolveUrl({ child, url: event.url }); }
      } catch { /* not JSON: ignore */ }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`web host for ${user} exited with ${code}`)); });
  });
}

async function main() {
  const isWeb = process.argv.includes('--web');
  if (!isProsodyInstalled()) {
    console.error('The demo needs Prosody: sudo apt-get install prosody (or run bash scripts/setup.sh).');
    process.exit(2);
  }
  if (!existsSync(join(root, 'dist-node', 'cli.cjs')) || !existsSync(join(root, 'dist', 'renderer', 'index.html'))) {
    console.error('Build first: npm run build');
    process.exit(2);
  }
  const electron = isWeb ? null : electronBinary();
  if (!isWeb && !electron) console.log('No Electron binary here; showing the web host instead (as with --web).');
  const work = mkdtempSync(join(tmpdir(), 'ferry-demo-'));
  const server = await startProsody({ accounts: ACCOUNTS, friends: [['alice', 'bob']], offerTls: false });
  const children = [];
  const cleanup = async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  };
  process.once('SIGINT', () => { cleanup().then(() => process.exit(0)); });
  process.once('SIGTERM', () => { cleanup().then(() => process.exit(0)); });
  console.log(`Prosody is on ${server.service} (plaintext, loopback only).`);
  for (const [user, password] of ACCOUNTS) {
    const downloads = join(work, `${user}-downloads`);
    if (electron) {
      children.push(spawn(electron, [join(root, 'dist-electron', 'main.cjs'), `--user-data-dir=${join(work, user)}`], { stdio: 'inherit' }));
      console.log(`${user}: Electron window opened. Log in as ${user}@localhost / ${password}, Advanced: service ${server.service}, allow plaintext.`);
    } else {
      const host = await startWebHost(user, downloads);
      children.push(host.child);
      console.log(`${user}: ${host.url}\n   log in as ${user}@localhost / ${password}; Advanced: service ${server.service}, allow plaintext`);
    }
  }
  console.log('Press Ctrl-C to stop the demo and delete its server and files.');
}

main().catch((error) => {
  console.error(`demo failed: ${error.message}`);
  process.exit(1);
});
