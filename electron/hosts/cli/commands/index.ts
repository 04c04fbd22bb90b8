import type { CommandSpec } from '../command';
import type { OptionSpec } from '../options';
import { CHECK_COMMAND } from './check';
import { WEB_COMMAND } from './web';
import { SEND_COMMAND } from './send';
import { RECEIVE_COMMAND } from './receive';
import { HISTORY_COMMAND } from './history';

/** Options every command accepts. */
export const COMMON_OPTIONS: readonly OptionSpec[] = [
  { name: 'jid', kind: 'string', valueName: 'JID', env: 'FERRY_JID', description: 'account to log in with (env FERRY_JID)' },
  { name: 'password', kind: 'string', valueName: 'PW', env: 'FERRY_PASSWORD', description: 'its password (env FERRY_PASSWORD)' },
  { name: 'service', kind: 'string', valueName: 'URL', description: 'xmpp://host:port (STARTTLS) or xmpps://host:port (direct TLS)' },
  { name: 'resource', kind: 'string', valueName: 'R', description: 'resource to bind' },
  { name: 'allow-plaintext', kind: 'flag', description: 'allow an unencrypted connection (loopback services only)' },
  { name: 'data-dir', kind: 'string', valueName: 'DIR', env: 'FERRY_DATA_DIR', description: 'where history is kept (default $XDG_DATA_HOME/ferry or ~/.local/share/ferry; env FERRY_DATA_DIR)' },
  { name: 'json', kind: 'flag', description: 'print one JSON object per line on stdout' },
  { name: 'timeout', kind: 'number', valueName: 'S', min: 0.001, description: 'give up after S seconds (exit code 4)' },
  { name: 'verbose', kind: 'flag', description: 'print the core log on stderr' },
  { name: 'help', kind: 'flag', short: 'h', description: 'show help' },
];

/**
 * The command table: `ferry <name>` runs the row with that name. A new command (send, receive) is one
 * more row with its own options and positionals, e.g. `--to JID`, a repeatable `--proxy JID`, `FILE...`.
 */
export const COMMANDS: readonly CommandSpec[] = [CHECK_COMMAND, SEND_COMMAND, RECEIVE_COMMAND, HISTORY_COMMAND, WEB_COMMAND];
