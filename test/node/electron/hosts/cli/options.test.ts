import { describe, expect, it } from 'vitest';
import {
  flagOption, listOption, numberOption, parseArgs, stringOption, UsageError, type OptionSpec, type PositionalSpec,
} from '../../../../../electron/hosts/cli/options';

// A `send`-like command: what the next task will declare, exercised here so the parser is ready for it.
const OPTIONS: OptionSpec[] = [
  { name: 'jid', kind: 'string', env: 'FERRY_JID', description: 'account' },
  { name: 'password', kind: 'string', env: 'FERRY_PASSWORD', description: 'password' },
  { name: 'to', kind: 'string', description: 'peer' },
  { name: 'proxy', kind: 'string', isRepeatable: true, description: 'proxy JID' },
  { name: 'json', kind: 'flag', description: 'json' },
  { name: 'allow-plaintext', kind: 'flag', env: 'FERRY_ALLOW_PLAINTEXT', description: 'plaintext' },
  { name: 'timeout', kind: 'number', min: 0.001, description: 'seconds' },
  { name: 'port', kind: 'number', isInteger: true, min: 0, max: 65535, description: 'port' },
  { name: 'help', kind: 'flag', short: 'h', description: 'help' },
];
const POSITIONALS: PositionalSpec[] = [{ name: 'FILE', isRequired: true, isVariadic: true, description: 'files' }];
const parse = (argv: string[], env: Record<string, string> = {}) => parseArgs(argv, { options: OPTIONS, positionals: POSITIONALS }, env);

describe('parseArgs: accepted command lines', () => {
  it.each<[string, string[], Record<string, unknown>, string[]]>([
    ['value after the option', ['--to', 'bob@x', 'a.txt'], { to: 'bob@x' }, ['a.txt']],
    ['--name=value', ['--to=bob@x', 'a.txt'], { to: 'bob@x' }, ['a.txt']],
    ['value containing =', ['--password=a=b', 'f'], { password: 'a=b' }, ['f']],
    ['options after positionals', ['a', 'b', '--json'], { json: true }, ['a', 'b']],
    ['repeatable in order', ['--proxy', 'p1', 'f', '--proxy=p2'], { proxy: ['p1', 'p2'] }, ['f']],
    ['-- ends options', ['--', '--json', '-x'], {}, ['--json', '-x']],
    ['lone dash is positional', ['-'], {}, ['-']],
    ['numbers', ['--timeout', '0.25', '--port', '0', 'f'], { timeout: 0.25, port: 0 }, ['f']],
    ['short alias', ['-h', 'f'], { help: true }, ['f']],
    ['negative-looking value', ['--password', '-secret', 'f'], { password: '-secret' }, ['f']],
  ])('%s', (_title, argv, options, files) => {
    const parsed = parse(argv);
    expect(Object.fromEntries(parsed.options)).toEqual(options);
    expect(parsed.positionals.get('FILE')).toEqual(files);
  });
});

describe('parseArgs: usage errors', () => {
  it.each<[string, string[], RegExp]>([
    ['unknown option', ['--nope', 'f'], /unknown option --nope/],
    ['missing value', ['f', '--to'], /--to needs a value/],
    ['option where a value belongs', ['--to', '--json', 'f'], /needs a value, not the option --json/],
    ['flag with a value', ['--json=yes', 'f'], /takes no value/],
    ['non-repeatable twice', ['--to', 'a', '--to', 'b', 'f'], /given twice/],
    ['not a number', ['--timeout', 'soon', 'f'], /--timeout wants a number/],
    ['below the minimum', ['--timeout', '0', 'f'], /--timeout wants a number/],
    ['not an integer', ['--port', '1.5', 'f'], /--port wants an integer between 0 and 65535/],
    ['out of range', ['--port', '70000', 'f'], /between 0 and 65535/],
    ['missing required positional', ['--json'], /missing FILE/],
    ['unknown short option', ['-x', 'f'], /unknown option -x/],
  ])('%s', (_title, argv, message) => {
    expect(() => parse(argv)).toThrow(UsageError);
    expect(() => parse(argv)).toThrow(message);
  });

  it('refuses extra positionals when none is variadic', () => {
    expect(() => parseArgs(['a', 'b'], { options: [], positionals: [{ name: 'ONE', description: '' }] })).toThrow(/unexpected argument "b"/);
  });
});

describe('parseArgs: environment fallbacks', () => {
  it('reads env for absent options only', () => {
    const parsed = parse(['--jid', 'cli@x', 'f'], { FERRY_JID: 'env@x', FERRY_PASSWORD: 'pw', FERRY_ALLOW_PLAINTEXT: '1' });
    expect(stringOption(parsed, 'jid')).toBe('cli@x');
    expect(stringOption(parsed, 'password')).toBe('pw');
    expect(flagOption(parsed, 'allow-plaintext')).toBe(true);
  });

  it('treats an empty variable as absent and 0/false as off', () => {
    expect(stringOption(parse(['f'], { FERRY_JID: '' }), 'jid')).toBeUndefined();
    expect(flagOption(parse(['f'], { FERRY_ALLOW_PLAINTEXT: 'false' }), 'allow-plaintext')).toBe(false);
  });

  it('typed accessors return undefined or empty for absent options', () => {
    const parsed = parse(['f']);
    expect(numberOption(parsed, 'timeout')).toBeUndefined();
    expect(listOption(parsed, 'proxy')).toEqual([]);
    expect(flagOption(parsed, 'json')).toBe(false);
  });
});
