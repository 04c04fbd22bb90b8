import { toBareJid, type BareJid } from '../../shared/model/jid';
import type { CapsStore, CapsStores } from '../store/capsStore';
import type { XmppSession } from '../xmpp/session';

interface AccountCapsDeps {
  session: Pick<XmppSession, 'jid' | 'onStateChanged'>;
  /** The account databases; without them the caps cache lives in memory only (PeerDiscovery's map). */
  stores?: CapsStores;
  log: (line: string) => void;
}

/**
 * The logged-in account's caps cache (issue #10): opened when the session goes online, kept over a
 * reconnect of the same account, closed on logout of it or at dispose. PeerDiscovery reads it through
 * `current()`, which waits for an opening under way, so the first peer asked after login already hits it.
 */
export class AccountCapsStore {
  private account: BareJid | null = null;
  private opening: Promise<CapsStore | null> | null = null;
  private readonly disposers: (() => void)[];

  constructor(private readonly deps: AccountCapsDeps) {
    this.disposers = [deps.session.onStateChanged((snapshot) => {
      if (snapshot.state === 'online') this.open();
    })];
  }

  /** The open store of the account, or null (no data folder, not logged in, or it could not be opened). */
  current(): Promise<CapsStore | null> {
    return this.opening ?? Promise.resolve(null);
  }

  dispose(): void {
    for (const undo of this.disposers.splice(0)) undo();
    this.forget();
  }

  private open(): void {
    const own = this.deps.session.jid;
    const { stores } = this.deps;
    if (!own || !stores) return;
    const account = toBareJid(own);
    if (this.account === account) return;
    this.forget();
    this.account = account;
    this.opening = stores.open(account).catch((error: unknown) => {
      this.deps.log(`the caps cache could not be opened (kept in memory only): ${error instanceof Error ? error.message : String(error)}`);
      return null;
    });
  }

  private forget(): void {
    const opening = this.opening;
    this.opening = null;
    this.account = null;
    void opening?.then((store) => {
      try {
        store?.close();
      } catch (error) {
        this.deps.log(`the caps cache could not be closed: ${String(error)}`);
      }
    });
  }
}
