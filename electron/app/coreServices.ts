import { EventBus } from '../../shared/ipc/eventBus';
import type { Events } from '../../shared/ipc/contract';
import { ArchiveService } from '../xmpp/archive';
import { CarbonsService } from '../xmpp/carbons';
import { ChatService } from '../xmpp/chat';
import { ChatStatesService } from '../xmpp/chatStates';
import { ReceiptsService } from '../xmpp/receipts';
import { NS_CHATSTATES } from '../xmpp/xep/xep0085ChatStates';
import { NS_RECEIPTS } from '../xmpp/xep/xep0184Receipts';
import type { BareJid } from '../../shared/model/jid';
import { DiscoService } from '../xmpp/disco';
import { PeerDiscovery } from '../xmpp/peerDiscovery';
import { PresenceService } from '../xmpp/presence';
import { RosterService } from '../xmpp/roster';
import { XmppSession, type XmppSessionOptions } from '../xmpp/session';
import { createSqliteHistoryStores } from '../store/sqlite/sqliteHistoryStores';
import { createSqliteSettingsStores } from '../store/sqlite/sqliteSettingsStore';
import { createSqliteTransferStores } from '../store/sqlite/sqliteTransferStore';
import { createSqliteCapsStores } from '../store/sqlite/sqliteCapsStore';
import { AccountCapsStore } from './accountCapsStore';
import { SettingsService } from './settingsService';
import { TransferHistory } from './transferHistory';
import { createAcceptPolicy } from './acceptRules';
import type { CredentialStore } from './core';
import { createTransferService, type TransferSettings } from './transferWiring';
import type { TransferService } from '../transfer/transferService';

/** What every host hands the core: where files go, where credentials live, where log lines go. */
export interface CoreOptions {
  downloadDir: string;
  /**
   * The data folder: each account's chat history is a SQLite database in `<dataDir>/history/`. Without
   * it, history lives in memory and is forgotten at logout (tests, hosts that keep nothing).
   */
  dataDir?: string;
  credentials?: CredentialStore;
  log?: (line: string) => void;
  /** Session tunables (login timeout, backoff, SRV resolver); tests shorten them. */
  session?: Omit<XmppSessionOptions, 'log'>;
  /** File-transfer settings (direct addresses, configured proxies, accept policy, timings). */
  transfers?: TransferSettings;
}

/**
 * Every long-lived service of the core, built in dependency order. Handlers receive this object; a new
 * service (the file-transfer service, say) is one more field here and one more handler file.
 */
export interface CoreServices {
  options: CoreOptions;
  log: (line: string) => void;
  events: EventBus<Events>;
  session: XmppSession;
  disco: DiscoService;
  presence: PresenceService;
  roster: RosterService;
  chat: ChatService;
  /** XEP-0085: typing notifications to and from contacts. */
  chatStates: ChatStatesService;
  /** XEP-0313: archive catch-up after login and paging back. */
  archive: ArchiveService;
  peers: PeerDiscovery;
  /** The account's settings (download folder, auto-accept rules, SOCKS5 options, theme). */
  settings: SettingsService;
  transfers: TransferService;
  /** Transfers kept in the account's store: restored after a login, with Resume / Resend for interrupted ones. */
  transferHistory: TransferHistory;
  /** Undoes every wiring and subscription made here, then logs out. */
  dispose(): Promise<void>;
}

/** Builds and wires the XMPP services; nothing connects until session.login. */
export function createCoreServices(options: CoreOptions): CoreServices {
  const log = options.log ?? (() => {});
  const events = new EventBus<Events>();
  const session = new XmppSession({ ...options.session, log });
  const disco = new DiscoService(session);
  const presence = new PresenceService({ session, caps: disco });
  const roster = new RosterService({ session, presence, events, log });
  const stores = options.dataDir ? createSqliteHistoryStores({ dataDir: options.dataDir, log }) : undefined;
  // Receipts and chat states tell a peer we are here: only for contacts allowed to see our presence.
  const maySeePresence = (peer: BareJid) => ['from', 'both'].includes(roster.list().find((item) => item.jid === peer)?.subscription ?? 'none');
  // The settings' "Tell contacts when I am typing" switch (read at each state; `settings` is made below).
  const maySendStates = (peer: BareJid) => settings.settings.sendChatStates && maySeePresence(peer);
  const chatStates = new ChatStatesService({ session, events, mayShareWith: maySendStates, log });
  const chat = new ChatService({ session, events, stores, log, messageExtras: (peer) => chatStates.messageExtras(peer) });
  const receipts = new ReceiptsService({ session, chat, maySeePresence, log });
  const archive = new ArchiveService({ session, disco, chat, log });
  const carbons = new CarbonsService({ session, disco, chat, log });
  const capsStore = new AccountCapsStore({ session, log, stores: options.dataDir ? createSqliteCapsStores({ dataDir: options.dataDir, log }) : undefined });
  const peers = new PeerDiscovery({ disco, presence, log, store: () => capsStore.current() });
  const settings = new SettingsService({
    session, events, log, stores: options.dataDir ? createSqliteSettingsStores({ dataDir: options.dataDir, log }) : undefined,
  });
  const acceptPolicy = createAcceptPolicy({
    settings: () => settings.settings, rosterItem: (bare) => roster.list().find((item) => item.jid === bare), hostPolicy: options.transfers?.acceptPolicy,
  });
  let history: TransferHistory | null = null; // built next: it reads the service this call makes
  const transfers = createTransferService({
    session, disco, presence, peers, downloadDir: options.downloadDir, settings: options.transfers ?? {},
    userSettings: () => settings.settings, acceptPolicy,
    onUpdated: (summary) => {
      history?.record(summary);
      events.emit('transfer.updated', summary);
    },
    // Failed with its .part kept (the network went, the peer left): interrupted now, with Resume (issue #10).
    onPartKept: (summary) => history?.interruptLive(summary),
    // A peer asks for a file again (XEP-0234 §6.2): only one offered to that bare JID before (TransferHistory).
    findRequestedFile: (request) => history?.findRequested(request) ?? null,
  });
  const transferHistory = new TransferHistory({
    session, events, log, transfers: transfers.service,
    stores: options.dataDir ? createSqliteTransferStores({ dataDir: options.dataDir, log }) : undefined,
  });
  history = transferHistory;
  const wiring = [
    disco.addFeature(NS_RECEIPTS),
    disco.addFeature(NS_CHATSTATES),
    session.onStateChanged((snapshot) => events.emit('session.changed', snapshot)),
    // RFC 6121 §2.2: request the roster before sending initial presence.
    roster.onLoaded(() => void presence.announce().catch((error: unknown) => log(`presence failed: ${String(error)}`))),
  ];
  return {
    options, log, events, session, disco, presence, roster, chat, chatStates, archive, peers, settings, transfers: transfers.service, transferHistory,
    async dispose() {
      for (const undo of wiring) undo();
      transferHistory.markStopping();
      const transfersStopped = transfers.dispose();
      carbons.dispose();
      archive.dispose();
      receipts.dispose();
      chatStates.dispose();
      chat.dispose();
      settings.dispose();
      capsStore.dispose();
      roster.dispose();
      presence.dispose();
      disco.dispose();
      await transfersStopped; // interrupted .part files kept or deleted before the session goes
      transferHistory.dispose();
      await session.dispose();
      events.clear();
    },
  };
}
