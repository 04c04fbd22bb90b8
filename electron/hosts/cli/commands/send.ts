import type { CommandSpec } from '../command';
import { withDeadline } from '../deadline';
import { EXIT } from '../exitCodes';
import { numberOption, stringOption, UsageError } from '../options';
import { STREAMHOST_OPTIONS, streamhostSettings } from '../transferOptions';
import { CliSession, loginArgsFrom } from '../session';
import { TransferReport } from '../transferReport';
import { FerryError, isWireError } from '../../../../shared/ipc/wireError';
import type { SendFilesArgs } from '../../../../shared/ipc/contract';
import { isFullJid, toBareJid } from '../../../../shared/model/jid';

/** Exit code when the peer declined (issue 3's CLI interface). */
export const EXIT_DECLINED = 5;
/** How long to wait for a bare JID's contact to show up online after login, for a peer-to-peer method. */
const PEER_WAIT_MS = 10_000;
/** With --method auto, how long to wait for the contact's presence before the plan takes it as offline (an upload). */
const AUTO_PRESENCE_WAIT_MS = 3_000;
const METHODS = ['auto', 'si', 'jingle', 'http-upload', 'kontalk'] as const;

const TRANSPORTS = ['auto', 's5b', 's5b-direct', 's5b-proxy', 'ibb', 'oneteam'] as const;
const THUMBNAILS = ['auto', 'none'] as const;

function choice<T extends string>(value: string | undefined, allowed: readonly T[], name: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}`);
  return value as T;
}

/** Reads send's own options into transfer.send arguments. */
function sendArgs(context: Parameters<CommandSpec['run']>[0]): SendFilesArgs {
  const to = stringOption(context.args, 'to');
  if (!to) throw new UsageError('missing --to JID');
  const paths = context.args.positionals.get('file') ?? [];
  if (paths.length === 0) throw new UsageError('name at least one FILE to send');
  return {
    to, paths,
    method: choice(stringOption(context.args, 'method'), METHODS, 'method'),
    transport: choice(stringOption(context.args, 'transport'), TRANSPORTS, 'transport'),
    ibbStanza: choice(stringOption(context.args, 'ibb-stanza'), ['iq', 'message'] as const, 'ibb-stanza'),
    blockSize: numberOption(context.args, 'block-size'),
    thumbnail: choice(stringOption(context.args, 'thumbnail'), THUMBNAILS, 'thumbnail'),
  };
}

/** `ferry send --to JID FILE...`: offers each file, exits when every one is done or failed. */
export const SEND_COMMAND: CommandSpec = {
  name: 'send',
  summary: 'send files to a contact (Jingle or SI over SOCKS5 or IBB, or an HTTP upload and a link; with fallback)',
  options: [
    { name: 'to', kind: 'string', valueName: 'JID', description: "the peer's full JID (or a bare JID: its best resource)" },
    { name: 'method', kind: 'string', valueName: METHODS.join('|'), description: 'file-transfer method (default auto: Jingle when the peer advertises it, else SI; HTTP upload for an offline peer, a file too big for it, or when peer-to-peer failed)' },
    { name: 'thumbnail', kind: 'string', valueName: 'auto|none', description: 'send a thumbnail with images where the method carries one (default auto)' },
    { name: 'upload-service', kind: 'string', valueName: 'JID', description: 'the XEP-0363 upload service to use (default: the one the server lists)' },
    { name: 'transport', kind: 'string', valueName: TRANSPORTS.join('|'), description: 'transport (default auto: S5B direct and proxies, the OneTeam HTTP proxy, then IBB; oneteam: SI over the OneTeam proxy only)' },
    { name: 'ibb-stanza', kind: 'string', valueName: 'iq|message', description: 'IBB data in <iq/> (default) or <message/>' },
    { name: 'block-size', kind: 'number', valueName: 'N', isInteger: true, min: 1, max: 65535, description: 'IBB block-size (default 4096)' },
    ...STREAMHOST_OPTIONS,
  ],
  positionals: [{ name: 'file', description: 'files to send', isRequired: true, isVariadic: true }],
  async run(context) {
    const login = loginArgsFrom(context);
    const args = sendArgs(context);
    const seconds = numberOption(context.args, 'timeout');
    const uploadService = stringOption(context.args, 'upload-service');
    const session = CliSession.openForTransfers(context, { ...streamhostSettings(context.args), ...(uploadService ? { uploadService } : {}) });
    const report = new TransferReport(session.core, context.output);
    try {
      const work = async () => {
        await session.login(login);
        const started = await startWithRetry(session, args);
        const ids = new Set(started.map((t) => t.id));
        await report.until((ended) => ended.filter((t) => ids.has(t.id)).length === ids.size);
        const mine = report.endedTransfers.filter((t) => ids.has(t.id));
        if (mine.every((t) => t.state === 'done')) return EXIT.ok;
        return mine.some((t) => t.state === 'declined') && mine.every((t) => t.state === 'done' || t.state === 'declined') ? EXIT_DECLINED : EXIT.failed;
      };
      return seconds ? await withDeadline(seconds * 1000, 'send', work) : await work();
    } finally {
      report.dispose();
      await session.dispose();
    }
  },
};

/**
 * A bare JID's presence arrives just after login: a peer-to-peer method retries "offline" for a bounded time;
 * auto first waits a little for the presence, so that an online contact is not sent an upload instead.
 */
async function startWithRetry(session: CliSession, args: SendFilesArgs) {
  const method = args.method ?? 'auto';
  if (method === 'http-upload' || method === 'kontalk') return await session.call('transfer.send', args);
  if (method === 'auto') {
    if (!isFullJid(args.to)) await waitForPresence(session, toBareJid(args.to), AUTO_PRESENCE_WAIT_MS);
    return await session.call('transfer.send', args).catch((error: unknown) => {
      throw isWireError(error) ? new FerryError(error.code, error.message) : error;
    });
  }
  const deadline = Date.now() + PEER_WAIT_MS;
  for (;;) {
    try {
      return await session.call('transfer.send', args);
    } catch (error) {
      const isOffline = isWireError(error) && error.code === 'not-found';
      if (!isOffline || Date.now() > deadline) throw isWireError(error) ? new FerryError(error.code, error.message) : error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** Polls the roster until `bare` has an online resource or `ms` passed (bounded). */
async function waitForPresence(session: CliSession, bare: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const roster = await session.call('roster.get', undefined);
    if (roster.some((item) => item.jid === bare && item.resources.length > 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
