import type { EventBus } from '../../shared/ipc/eventBus';
import type { Events } from '../../shared/ipc/contract';
import { toBareJid, type BareJid } from '../../shared/model/jid';
import { defaultSettings, type Settings } from '../../shared/model/settings';
import type { SettingsStore, SettingsStores } from '../store/settingsStore';
import type { XmppSession } from '../xmpp/session';

interface SettingsDeps {
  session: Pick<XmppSession, 'jid' | 'onStateChanged'>;
  events: EventBus<Events>;
  /** The account databases; without them settings live in memory until logout. */
  stores?: SettingsStores;
  log: (line: string) => void;
}

/**
 * The logged-in account's settings (issue #11): loaded from its database when the session goes online,
 * kept in memory for the core to read synchronously (the accept policy, the download folder, the SOCKS5
 * options), written on every change, and back to the defaults when the session goes offline.
 * Every change is announced as 'settings.changed'.
 */
export class SettingsService {
  private current: Settings = defaultSettings();
  private account: BareJid | null = null;
  private store: SettingsStore | null = null;
  private opening: Promise<void> | null = null;
  private readonly disposers: (() => void)[];

  constructor(private readonly deps: SettingsDeps) {
    this.disposers = [deps.session.onStateChanged((snapshot) => {
      if (snapshot.state === 'online') this.open();
      if (snapshot.state === 'offline') this.forget();
    })];
  }

  /** What the core applies now (defaults until the account's settings are loaded). */
  get settings(): Settings {
    return this.current;
  }

  /** The settings, once the account's are loaded. */
  async get(): Promise<Settings> {
    if (this.opening) await this.opening;
    return this.current;
  }

  /** Replaces every setting (already validated at the boundary) and writes them; a failed write is an error. */
  async set(settings: Settings): Promise<Settings> {
    if (this.opening) await this.opening;
    this.store?.save(settings);
    this.current = structuredClone(settings);
    this.deps.events.emit('settings.changed', this.current);
    return this.current;
  }

  dispose(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
    this.forget();
  }

  private open(): void {
    const own = this.deps.session.jid;
    if (!own) return;
    const account = toBareJid(own);
    if (this.account === account) return; // a reconnect of the same account
    this.forget();
    this.account = account;
    const { stores } = this.deps;
    if (!stores) return;
    const opening = stores.open(account).then(
      (store) => {
        if (this.opening !== opening) return store.close();
        this.store = store;
        this.current = store.load();
        this.opening = null;
        this.deps.events.emit('settings.changed', this.current);
      },
      (error: unknown) => {
        this.deps.log(`settings could not be opened (defaults apply): ${error instanceof Error ? error.message : String(error)}`);
        if (this.opening === opening) this.opening = null;
      },
    );
    this.opening = opening;
  }

  private forget(): void {
    this.opening = null;
    this.account = null;
    const store = this.store;
    this.store = null;
    try {
      store?.close();
    } catch (error) {
      this.deps.log(`settings could not be closed: ${String(error)}`);
    }
    this.current = defaultSettings();
  }
}
