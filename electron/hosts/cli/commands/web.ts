import { mkdtemp, rm, stat } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FerryError } from '../../../../shared/ipc/wireError';
import type { LoginArgs, SessionSnapshot } from '../../../../shared/model/session';
import type { Core } from '../../../app/core';
import { createAddressMemory } from '../../../store/addressMemory';
import { startWebHost } from '../../web/webHost';
import type { CommandContext, CommandSpec } from '../command';
import { withDeadline } from '../deadline';
import { EXIT } from '../exitCodes';
import { flagOption, numberOption, stringOption } from '../options';
import { CliSession, dataDirFrom, loginArgsFrom } from '../session';
import { STREAMHOST_OPTIONS, streamhostSettings } from '../transferOptions';

/** The web host's remembered address, in the data folder. */
export const WEB_ADDRESS_FILE = 'web-login.json';
const WEB_INFO = { kind: 'web', hasNativeFiles: false, rememberedJid: null } as const;

/** How long disposing the core may take before the command stops waiting. */
const DISPOSE_LIMIT_MS = 3000;
/** Bound on the start-up login (`--password` given) when `--timeout` is not, in seconds. */
const AUTO_LOGIN_TIMEOUT_S = 60;

async function hasRenderer(staticDir: string): Promise<boolean> {
  try {
    return (await stat(join(staticDir, 'index.html'))).isFile();
  } catch {
    return false;
  }
}

/**
 * With `--password` (for scripted and kiosk use, issue #10) the account is logged in before the URL is
 * printed, so whatever arrives from then on is stored and a page opened later finds the session online.
 * Only the password triggers it, as for `ferry history`: a FERRY_JID left in the environment does not.
 */
function autoLoginArgs(context: CommandContext): LoginArgs | null {
  return stringOption(context.args, 'password') ? loginArgsFrom(context) : null;
}

/** Logs the core in through the same dispatcher a page uses; rejects (exit 3 or 4) unless it is online. */
function logIn(context: CommandContext, core: Core, login: LoginArgs): Promise<SessionSnapshot> {
  const seconds = numberOption(context.args, 'timeout') ?? AUTO_LOGIN_TIMEOUT_S;
  return withDeadline(seconds * 1000, 'login', () => new CliSession(core).login(login));
}

/** `ferry web`: serve the renderer and the contract on 127.0.0.1 until SIGINT or SIGTERM. */
export const WEB_COMMAND: CommandSpec = {
  name: 'web',
  summary: 'run the web host; prints its URL (http://127.0.0.1:P/?token=…); with --jid/--password it logs that account in at start',
  options: [
    { name: 'port', kind: 'number', valueName: 'P', description: 'TCP port on 127.0.0.1 (default: a free one)', isInteger: true, min: 0, max: 65535 },
    { name: 'dir', kind: 'string', valueName: 'DOWNLOADS', description: 'where received files go (default: ~/Downloads)' },
    ...STREAMHOST_OPTIONS,
  ],
  async run(context) {
    if (!(await hasRenderer(context.staticDir))) {
      throw new FerryError('not-found', `no built renderer in ${context.staticDir}: run npm run build first`);
    }
    const login = autoLoginArgs(context);
    const dirFlag = stringOption(context.args, 'dir');
    const downloadDir = resolve(dirFlag ?? join(homedir(), 'Downloads'));
    // --dir fixes the folder; without it the account's settings may name another (then ~/Downloads is the default).
    const transfers = { ...streamhostSettings(context.args), isDownloadDirFixed: dirFlag !== undefined };
    const log = flagOption(context.args, 'verbose') ? (line: string) => context.output.note(line) : undefined;
    const dataDir = dataDirFrom(context);
    // "Remember me" in the browser keeps the address only (electron/store/addressMemory.ts).
    const memory = dataDir ? createAddressMemory(join(dataDir, WEB_ADDRESS_FILE)) : undefined;
    const core = context.createCore({ downloadDir, dataDir, log, transfers, credentials: memory });
    const stagingDir = await mkdtemp(join(tmpdir(), 'ferry-staging-'));
    try {
      const snapshot = login ? await logIn(context, core, login) : null;
      const host = await startWebHost({
        core, staticDir: context.staticDir, stagingDir, downloadDir, port: numberOption(context.args, 'port') ?? 0,
        host: memory ? { 'host.info': async () => ({ ...WEB_INFO, rememberedAddress: await memory.address() }) } : undefined,
      });
      const account = snapshot?.jid ? { jid: snapshot.jid } : {};
      context.output.result({ event: 'listening', url: host.url, port: host.port, ...account }, () => [
        `Ferry is serving on ${host.url}`,
        ...(snapshot?.jid ? [`Logged in as ${snapshot.jid}.`] : []),
        'Open that address in a browser on this machine. Press Ctrl-C to stop.',
      ]);
      await context.waitForStop();
      await host.close();
      context.output.note('Stopped.');
      return EXIT.ok;
    } finally {
      await Promise.race([core.dispose().catch(() => undefined), new Promise((r) => setTimeout(r, DISPOSE_LIMIT_MS).unref())]);
      await rm(stagingDir, { recursive: true, force: true });
    }
  },
};
