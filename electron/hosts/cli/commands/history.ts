import { existsSync } from 'node:fs';
import { isAccountJid, parseJid, toBareJid } from '../../../../shared/model/jid';
import type { HistoryMessage } from '../../../store/historyStore';
import { createSqliteHistoryStores, historyPath } from '../../../store/sqlite/sqliteHistoryStores';
import type { CommandSpec } from '../command';
import { EXIT } from '../exitCodes';
import { numberOption, stringOption, UsageError } from '../options';
import { withDeadline } from '../deadline';
import { CliSession, dataDirFrom, loginArgsFrom } from '../session';
import type { CommandContext } from '../command';

/** Messages printed when --limit is not given. */
export const DEFAULT_HISTORY_LIMIT = 50;
const MAX_HISTORY_LIMIT = 1000;
/** Bound on the login and archive fetch when credentials are given. */
const SYNC_TIMEOUT_S = 60;

/**
 * With a password: logs in, lets the core fetch the archive since the last stored id (XEP-0313; the
 * chat.history request waits for that catch-up), and logs out, so the store holds what the server has.
 */
async function syncFromServer(context: CommandContext, peer: string): Promise<void> {
  const login = loginArgsFrom(context);
  const session = CliSession.open(context);
  try {
    await withDeadline(SYNC_TIMEOUT_S * 1000, 'history', async () => {
      await session.login(login);
      await session.call('chat.history', { jid: peer });
    });
  } finally {
    await session.dispose(); // closes the store: everything fetched is written
  }
}

function line(message: HistoryMessage): string {
  const arrow = message.direction === 'outgoing' ? '→' : '←';
  return `${new Date(message.at).toISOString()} ${arrow} ${message.from}: ${message.body}`;
}

/**
 * `ferry history --with JID`: prints the stored conversation with JID, oldest first, from the data folder,
 * without logging in. --jid names the account (each account has its own database). With --password it
 * first logs in and fetches the server's archive (XEP-0313) since the last stored id into the store.
 */
export const HISTORY_COMMAND: CommandSpec = {
  name: 'history',
  summary: "print the stored conversation with --with JID, oldest first, from --jid's database in the data folder (with --password it first logs in and fetches the server archive since the last stored message)",
  options: [
    { name: 'with', kind: 'string', valueName: 'JID', description: 'the contact (bare JID)' },
    { name: 'limit', kind: 'number', valueName: 'N', isInteger: true, min: 1, max: MAX_HISTORY_LIMIT, description: `the latest N messages (default ${DEFAULT_HISTORY_LIMIT})` },
  ],
  async run(context) {
    const account = stringOption(context.args, 'jid');
    const peer = stringOption(context.args, 'with');
    if (!account || !parseJid(account)) throw new UsageError('missing --jid (or FERRY_JID): the account whose history to read');
    if (!peer || !parseJid(peer)) throw new UsageError('missing --with JID: the contact');
    const bareAccount = toBareJid(account);
    if (!isAccountJid(bareAccount)) throw new UsageError(`--jid is not an account address: ${account}`);
    const dataDir = dataDirFrom(context);
    if (!dataDir) throw new UsageError('no data folder: pass --data-dir DIR (HOME and XDG_DATA_HOME are not set)');
    if (stringOption(context.args, 'password')) await syncFromServer(context, toBareJid(peer));
    const path = historyPath(dataDir, bareAccount);
    if (!existsSync(path)) {
      context.output.note(`No history for ${bareAccount} in ${dataDir}.`);
      return EXIT.ok;
    }
    const { store, notice } = await createSqliteHistoryStores({ dataDir }).open(bareAccount);
    try {
      if (notice) context.output.note(notice);
      const limit = numberOption(context.args, 'limit') ?? DEFAULT_HISTORY_LIMIT;
      const { messages } = store.page(toBareJid(peer), { limit });
      for (const message of messages) {
        const { id, from, to, body, at } = message;
        context.output.result({ event: 'message', id, from, to, body, at }, () => [line(message)]);
      }
      return EXIT.ok;
    } finally {
      store.close();
    }
  },
};
