import type { Database } from 'better-sqlite3';
import type { BareJid } from '../../../shared/model/jid';
import { readSettings, SETTINGS_KEYS, type Settings } from '../../../shared/model/settings';
import type { SettingsStore, SettingsStores } from '../settingsStore';
import { openHistoryDatabase } from './openHistoryDatabase';
import { historyPath } from './sqliteHistoryStores';

/** Settings as rows of the account's database (`settings`: key, JSON value; schema 2). */
export class SqliteSettingsStore implements SettingsStore {
  private isClosed = false;

  constructor(private readonly db: Database, private readonly log: (line: string) => void = () => {}) {}

  load(): Settings {
    const stored: Record<string, unknown> = {};
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    for (const { key, value } of rows) {
      try {
        stored[key] = JSON.parse(value);
      } catch {
        this.log(`settings: the stored ${key} is not JSON; using its default`);
      }
    }
    const { settings, problems } = readSettings(stored);
    for (const problem of problems) this.log(`settings: the stored ${problem.key} is not usable (${problem.message}); using its default`);
    return settings;
  }

  save(settings: Settings): void {
    const upsert = this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.db.transaction(() => {
      for (const key of SETTINGS_KEYS) upsert.run(key, JSON.stringify(settings[key]));
    })();
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.db.close();
  }
}

/** Each account's settings, in its history database under `<dataDir>/history/`. */
export function createSqliteSettingsStores(options: { dataDir: string; log?: (line: string) => void }): SettingsStores {
  return {
    async open(account: BareJid): Promise<SettingsStore> {
      const { db, notice } = await openHistoryDatabase(historyPath(options.dataDir, account));
      if (notice) options.log?.(notice);
      return new SqliteSettingsStore(db, options.log);
    },
  };
}
