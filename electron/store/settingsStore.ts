/**
 * The storage port for an account's settings (issue #11). The core sees only these types; the SQLite
 * implementation is electron/store/sqlite/sqliteSettingsStore.ts. What it loads is always valid: a value
 * that is missing, older or hand-edited comes back as its default.
 */
import type { BareJid } from '../../shared/model/jid';
import type { Settings } from '../../shared/model/settings';

/** One account's settings. */
export interface SettingsStore {
  /** The stored settings, each invalid or missing value replaced by its default (and logged). */
  load(): Settings;
  /** Writes every value in one transaction. */
  save(settings: Settings): void;
  /** Closes the database. Idempotent. */
  close(): void;
}

/** Opens the settings of one account (they live in the account's database). */
export interface SettingsStores {
  open(account: BareJid): Promise<SettingsStore>;
}
