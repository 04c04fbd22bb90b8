import { resolve } from 'node:path';
import { toWireError } from '../../../shared/ipc/wireError';
import { createCore } from '../../app/createCore';
import type { CliIo, CommandSpec } from './command';
import { COMMANDS, COMMON_OPTIONS } from './commands';
import { EXIT, exitCodeFor } from './exitCodes';
import { commandHelp, generalHelp } from './help';
import { flagOption, parseArgs, UsageError, type ParsedArgs } from './options';
import { Output } from './output';

/**
 * Resolves on the first SIGINT or SIGTERM. Later signals are swallowed while the command closes: a
 * terminal's Ctrl-C reaches both `npm start` and this process, and the second copy must not kill the
 * close half-way (the bounded waits in the commands keep the close short).
 */
function waitForSignal(): Promise<void> {
  return new Promise((done) => {
    process.on('SIGINT', () => done());
    process.on('SIGTERM', () => done());
  });
}

function usage(io: CliIo, message: string, command?: CommandSpec): number {
  io.stderr.write(`ferry: ${message}\n`);
  io.stderr.write(command ? `Run ferry ${command.name} --help for usage.\n` : 'Run ferry --help for usage.\n');
  return EXIT.usage;
}

async function runCommand(command: CommandSpec, args: ParsedArgs, io: CliIo): Promise<number> {
  const output = new Output(io.stdout, io.stderr, flagOption(args, 'json'));
  try {
    return await command.run({
      args,
      output,
      env: io.env,
      staticDir: io.staticDir ?? resolve('dist', 'renderer'),
      createCore: io.createCore ?? createCore,
      waitForStop: io.waitForStop ?? waitForSignal,
    });
  } catch (error) {
    if (error instanceof UsageError) return usage(io, error.message, command);
    const wire = toWireError(error);
    const code = exitCodeFor(wire);
    output.error(wire, code);
    return code;
  }
}

/**
 * The whole CLI: parses argv (without `node` and the script), runs the command and resolves with the
 * exit code. Never calls process.exit; main.ts does.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) return usage(io, 'no command given');
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(generalHelp(COMMANDS, COMMON_OPTIONS));
    return EXIT.ok;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) return usage(io, `unknown command "${name}"`);
  let args: ParsedArgs;
  try {
    args = parseArgs(rest, { options: [...COMMON_OPTIONS, ...command.options], positionals: command.positionals }, io.env);
  } catch (error) {
    if (error instanceof UsageError) return usage(io, error.message, command);
    throw error;
  }
  if (flagOption(args, 'help')) {
    io.stdout.write(commandHelp(command, COMMON_OPTIONS));
    return EXIT.ok;
  }
  return runCommand(command, args, io);
}
