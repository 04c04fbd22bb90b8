import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import type { RequestArgs, RequestHandlers, RequestName, RequestResult } from '../../../shared/ipc/contract';
import { dispatchRequest } from '../../../shared/ipc/dispatch';
import { FerryError, isWireError } from '../../../shared/ipc/wireError';
import type { LoginArgs, SessionSnapshot } from '../../../shared/model/session';
import { joinHandlers, type Core } from '../../app/core';
import { createHeadlessHostHandlers } from '../headlessHostHandlers';
import type { TransferSettings } from '../../app/transferWiring';
import { defaultDataDir } from '../../store/dataDir';
import type { CommandContext } from './command';
import { flagOption, stringOption, UsageError } from './options';

/** How long disposing the core may take before the CLI stops waiting. */
const DISPOSE_LIMIT_MS = 3000;

/** The login the common options describe; UsageError when the JID or password is missing. */
export function loginArgsFrom(context: CommandContext): LoginArgs {
  const jid = stringOption(context.args, 'jid');
  const password = stringOption(context.args, 'password');
  if (!jid) throw new UsageError('missing --jid (or FERRY_JID)');
  if (!password) throw new UsageError('missing --password (or FERRY_PASSWORD)');
  const args: LoginArgs = { jid, password };
  const service = stringOption(context.args, 'service');
  const resource = stringOption(context.args, 'resource');
  if (service) args.service = service;
  if (resource) args.resource = resource;
  if (flagOption(context.args, 'allow-plaintext')) args.allowPlaintext = true;
  return args;
}

/**
 * The data folder the common option `--data-dir` names, else the user's default from the environment
 * (electron/store/dataDir.ts); undefined when there is neither (history is then not kept).
 */
export function dataDirFrom(context: Pick<CommandContext, 'args' | 'env'>): string | undefined {
  const dir = stringOption(context.args, 'data-dir') ?? defaultDataDir(context.env);
  return dir ? resolve(dir) : undefined;
}

/** A core driven from the command line, every call through dispatchRequest like any other host. */
export class CliSession {
  private readonly handlers: RequestHandlers;
  private disposing: Promise<void> | null = null;

  constructor(readonly core: Core) {
    this.handlers = joinHandlers(core.handlers, createHeadlessHostHandlers('cli', 'on the command line'));
  }

  /** Builds a core for a command that only talks to the server (no downloads). */
  static open(context: CommandContext): CliSession {
    const log = flagOption(context.args, 'verbose') ? (line: string) => context.output.note(line) : undefined;
    return new CliSession(context.createCore({ downloadDir: tmpdir(), dataDir: dataDirFrom(context), log }));
  }

  /** Builds a core for send/receive: downloads go to settings.downloadDir (default: the temp folder). */
  static openForTransfers(context: CommandContext, settings: TransferSettings & { downloadDir?: string }): CliSession {
    const log = flagOption(context.args, 'verbose') ? (line: string) => context.output.note(line) : undefined;
    const { downloadDir, ...transfers } = settings;
    return new CliSession(context.createCore({ downloadDir: downloadDir ?? tmpdir(), dataDir: dataDirFrom(context), log, transfers }));
  }

  /** Calls one request; rejects with the WireError the dispatcher reports. */
  async call<K extends RequestName>(name: K, args: RequestArgs<K>): Promise<RequestResult<K>> {
    const result = await dispatchRequest(this.handlers, name, args);
    if (!result.ok) throw result.error;
    return result.value as RequestResult<K>;
  }

  /** Logs in; rejects unless the session ends up online. */
  async login(args: LoginArgs): Promise<SessionSnapshot> {
    const snapshot = await this.call('session.login', args);
    if (snapshot.state === 'online') return snapshot;
    if (isWireError(snapshot.error)) throw new FerryError(snapshot.error.code, snapshot.error.message);
    throw new FerryError('cannot-connect', snapshot.error?.message ?? `could not log in (${snapshot.state})`);
  }

  /** Logs out (best effort) and disposes the core, waiting a bounded time. Idempotent. */
  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      const settle = (work: Promise<unknown>) => Promise.race([work.catch(() => undefined), sleep(DISPOSE_LIMIT_MS)]);
      await settle(this.call('session.logout', undefined));
      await settle(this.core.dispose());
    })();
    return this.disposing;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
