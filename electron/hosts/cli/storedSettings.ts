import { toBareJid } from '../../../shared/model/jid';
import { defaultSettings, type Settings } from '../../../shared/model/settings';
import { createSqliteSettingsStores } from '../../store/sqlite/sqliteSettingsStore';
import type { CommandContext } from './command';
import { flagOption } from './options';
import { dataDirFrom } from './session';

/**
 * The account's settings as the apps stored them in the data folder (`--data-dir`), read once before the
 * command runs; the defaults when there is no data folder or it cannot be read (said with --verbose).
 */
export async function readStoredSettings(context: CommandContext, jid: string): Promise<Settings> {
  const dataDir = dataDirFrom(context);
  if (!dataDir) return defaultSettings();
  const note = flagOption(context.args, 'verbose') ? (line: string) => context.output.note(line) : () => {};
  try {
    const store = await createSqliteSettingsStores({ dataDir, log: note }).open(toBareJid(jid));
    try {
      return store.load();
    } finally {
      store.close();
    }
  } catch (error) {
    note(`the stored settings could not be read (defaults apply): ${error instanceof Error ? error.message : String(error)}`);
    return defaultSettings();
  }
}
