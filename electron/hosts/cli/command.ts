import type { Core } from '../../app/core';
import type { CoreOptions } from '../../app/createCore';
import type { OptionSpec, ParsedArgs, PositionalSpec } from './options';
import type { Output, TextSink } from './output';

/** What the CLI gets from its process; tests pass sinks, env and fakes instead. */
export interface CliIo {
  stdout: TextSink;
  stderr: TextSink;
  env: Readonly<Record<string, string | undefined>>;
  /** The built renderer the web command serves (default: `dist/renderer` next to the bundle). */
  staticDir?: string;
  /** Builds the core (default: the real createCore). */
  createCore?: (options: CoreOptions) => Core;
  /** Resolves when a long-running command should stop (default: SIGINT or SIGTERM). */
  waitForStop?: () => Promise<void>;
}

/** What a command's run() receives. */
export interface CommandContext {
  args: ParsedArgs;
  output: Output;
  env: Readonly<Record<string, string | undefined>>;
  staticDir: string;
  createCore: (options: CoreOptions) => Core;
  waitForStop: () => Promise<void>;
}

/**
 * One row of the command table. Options are data: the parser, the help text and env fallbacks read
 * them. Common options (COMMON_OPTIONS) are added to every command.
 */
export interface CommandSpec {
  name: string;
  /** One line for `ferry --help`. */
  summary: string;
  options: readonly OptionSpec[];
  positionals?: readonly PositionalSpec[];
  /** Resolves with the exit code; throws UsageError or a WireError-like error on failure. */
  run(context: CommandContext): Promise<number>;
}
