import type { CommandSpec } from './command';
import type { OptionSpec, PositionalSpec } from './options';

function optionLine(spec: OptionSpec): string {
  const flag = `${spec.short ? `-${spec.short}, ` : ''}--${spec.name}${spec.kind === 'flag' ? '' : ` ${spec.valueName ?? 'VALUE'}`}`;
  const repeat = spec.isRepeatable ? ' (repeatable)' : '';
  return `  ${flag.padEnd(26)} ${spec.description}${repeat}`;
}

function positionalWord(spec: PositionalSpec): string {
  const word = `${spec.name}${spec.isVariadic ? '...' : ''}`;
  return spec.isRequired ? word : `[${word}]`;
}

/** `ferry --help`: every command of the table with its summary, then the common options. */
export function generalHelp(commands: readonly CommandSpec[], common: readonly OptionSpec[]): string {
  return [
    'usage: ferry <command> [options]',
    '',
    'commands:',
    ...commands.map((command) => `  ${command.name.padEnd(10)} ${command.summary}`),
    '',
    'common options:',
    ...common.map(optionLine),
    '',
    'exit codes: 0 ok, 1 operation failed, 2 usage, 3 cannot connect or log in, 4 timeout, 5 declined by the peer (send)',
    'Run ferry <command> --help for its own options.',
    '',
  ].join('\n');
}

/** `ferry <command> --help`: its synopsis, own options and the common options. */
export function commandHelp(command: CommandSpec, common: readonly OptionSpec[]): string {
  const positionals = (command.positionals ?? []).map(positionalWord).join(' ');
  return [
    `usage: ferry ${command.name} [options]${positionals ? ` ${positionals}` : ''}`,
    '',
    command.summary,
    '',
    ...(command.options.length > 0 ? ['options:', ...command.options.map(optionLine), ''] : []),
    'common options:',
    ...common.map(optionLine),
    '',
  ].join('\n');
}
