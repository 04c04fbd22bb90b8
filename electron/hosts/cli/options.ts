/**
 * A small command-line parser driven by data: each command declares its options and positionals as
 * specs, and the parser, the help text and the env fallbacks all read the same specs.
 */

/** One `--name` option. */
export interface OptionSpec {
  /** Long name without dashes: `jid` is `--jid`. */
  name: string;
  /** `flag` takes no value; `string` and `number` take the next argument or `--name=value`. */
  kind: 'flag' | 'string' | 'number';
  /** Placeholder in the help text (`JID`, `S`). */
  valueName?: string;
  description: string;
  /** May be given several times; the value is then a list in the order given. */
  isRepeatable?: boolean;
  /** Environment variable read when the option is absent. */
  env?: string;
  /** One-letter alias (`h` is `-h`). */
  short?: string;
  /** For numbers: must be an integer within [min, max]. */
  isInteger?: boolean;
  min?: number;
  max?: number;
}

/** One positional argument. */
export interface PositionalSpec {
  name: string;
  description: string;
  isRequired?: boolean;
  /** Takes every remaining positional (must be last). */
  isVariadic?: boolean;
}

export type OptionValue = string | number | boolean | string[] | number[];

/** What the command line said, after env fallbacks. */
export interface ParsedArgs {
  options: Map<string, OptionValue>;
  positionals: Map<string, string[]>;
}

/** A command line that does not fit the specs (exit code 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

function findSpec(specs: readonly OptionSpec[], argument: string): OptionSpec | undefined {
  if (argument.startsWith('--')) return specs.find((spec) => spec.name === argument.slice(2));
  return specs.find((spec) => spec.short !== undefined && `-${spec.short}` === argument);
}

function convert(spec: OptionSpec, raw: string): string | number {
  if (spec.kind === 'string') return raw;
  const value = Number(raw);
  const isBad = raw.trim() === '' || !Number.isFinite(value) || (spec.isInteger === true && !Number.isInteger(value));
  if (isBad || (spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
    const range = spec.min !== undefined && spec.max !== undefined ? ` between ${spec.min} and ${spec.max}` : '';
    throw new UsageError(`--${spec.name} wants ${spec.isInteger ? 'an integer' : 'a number'}${range}, not "${raw}"`);
  }
  return value;
}

function store(options: Map<string, OptionValue>, spec: OptionSpec, value: string | number | true): void {
  if (spec.isRepeatable) {
    const list = (options.get(spec.name) as (string | number)[] | undefined) ?? [];
    options.set(spec.name, [...list, value] as string[] | number[]);
    return;
  }
  if (options.has(spec.name)) throw new UsageError(`--${spec.name} given twice`);
  options.set(spec.name, value);
}

/** Splits argv into option values and positional words; throws UsageError on anything unknown. */
function scan(argv: readonly string[], specs: readonly OptionSpec[]): { options: Map<string, OptionValue>; words: string[] } {
  const options = new Map<string, OptionValue>();
  const words: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const argument = argv[i];
    if (argument === '--') {
      words.push(...argv.slice(i + 1));
      break;
    }
    if (!argument.startsWith('-') || argument === '-') {
      words.push(argument);
      continue;
    }
    const eq = argument.startsWith('--') ? argument.indexOf('=') : -1;
    const key = eq > 0 ? argument.slice(0, eq) : argument;
    const spec = findSpec(specs, key);
    if (!spec) throw new UsageError(`unknown option ${key}`);
    if (spec.kind === 'flag') {
      if (eq > 0) throw new UsageError(`--${spec.name} takes no value`);
      store(options, spec, true);
      continue;
    }
    const raw = eq > 0 ? argument.slice(eq + 1) : argv[i + 1];
    if (eq <= 0) i += 1;
    if (raw === undefined) throw new UsageError(`--${spec.name} needs a value (${spec.valueName ?? spec.kind})`);
    if (eq <= 0 && raw.startsWith('--')) throw new UsageError(`--${spec.name} needs a value, not the option ${raw}`);
    store(options, spec, convert(spec, raw));
  }
  return { options, words };
}

function assignPositionals(words: string[], specs: readonly PositionalSpec[]): Map<string, string[]> {
  const positionals = new Map<string, string[]>();
  let index = 0;
  for (const spec of specs) {
    const taken = spec.isVariadic ? words.slice(index) : words.slice(index, index + 1);
    index += taken.length;
    if (spec.isRequired && taken.length === 0) throw new UsageError(`missing ${spec.name}`);
    positionals.set(spec.name, taken);
  }
  if (index < words.length) throw new UsageError(`unexpected argument "${words[index]}"`);
  return positionals;
}

/**
 * Parses argv against the specs. Options may come before, between or after positionals; `--` ends
 * options. Absent options fall back to their env variable.
 */
export function parseArgs(
  argv: readonly string[],
  specs: { options: readonly OptionSpec[]; positionals?: readonly PositionalSpec[] },
  env: Readonly<Record<string, string | undefined>> = {},
): ParsedArgs {
  const { options, words } = scan(argv, specs.options);
  for (const spec of specs.options) {
    const fromEnv = spec.env === undefined ? undefined : env[spec.env];
    if (options.has(spec.name) || fromEnv === undefined || fromEnv === '') continue;
    if (spec.kind === 'flag') options.set(spec.name, fromEnv !== '0' && fromEnv.toLowerCase() !== 'false');
    else store(options, spec, convert(spec, fromEnv));
  }
  return { options, positionals: assignPositionals(words, specs.positionals ?? []) };
}

/** The value of a string option, or undefined. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.options.get(name);
  return typeof value === 'string' ? value : undefined;
}

/** The value of a number option, or undefined. */
export function numberOption(args: ParsedArgs, name: string): number | undefined {
  const value = args.options.get(name);
  return typeof value === 'number' ? value : undefined;
}

/** Whether a flag was given. */
export function flagOption(args: ParsedArgs, name: string): boolean {
  return args.options.get(name) === true;
}

/** Every value of a repeatable option, in the order given. */
export function listOption(args: ParsedArgs, name: string): (string | number)[] {
  const value = args.options.get(name);
  return Array.isArray(value) ? value : [];
}
