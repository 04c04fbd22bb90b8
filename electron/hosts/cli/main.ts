/**
 * Entry of the CLI bundle (dist-node/cli.cjs, loaded by bin/ferry.cjs). Wiring only: the real process
 * streams, env and the renderer next to the bundle; then the exit code.
 */
import { resolve } from 'node:path';
import { runCli } from './runCli';

/** After the command ends, handles still open (a stuck socket) may hold the process this long at most. */
const EXIT_GRACE_MS = 2000;

const staticDir = resolve(__dirname, '..', 'dist', 'renderer');

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, staticDir })
  .catch((error: unknown) => {
    process.stderr.write(`ferry: unexpected failure: ${error instanceof Error ? error.stack : String(error)}\n`);
    return 1;
  })
  .then((code) => {
    process.exitCode = code;
    setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
  });
