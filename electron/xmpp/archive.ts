import { randomUUID } from 'node:crypto';
import type { Element } from '@xmpp/xml';
import { FerryError } from '../../shared/ipc/wireError';
import { parseJid, toBareJid, type BareJid } from '../../shared/model/jid';
import type { ChatMessage } from '../../shared/model/session';
import type { ChatService } from './chat';
import type { DiscoService } from './disco';
import type { XmppSession } from './session';
import { XmppStanzaError } from './stanzaErrors';
import type { RsmRequest } from './xep/xep0059Rsm';
import { NS_MAM, buildMamQuery, readMamFin, readMamResult, type MamFin } from './xep/xep0313Mam';

/** Messages asked for per archive page (RSM max). */
export const ARCHIVE_PAGE_SIZE = 50;
/** Pages fetched at most by one catch-up after a login (so at most 1,000 messages). */
export const MAX_CATCH_UP_PAGES = 20;
/** Bound on one archive query. */
const QUERY_TIMEOUT_MS = 20_000;

export interface ArchiveDeps {
  session: XmppSession;
  disco: Pick<DiscoService, 'queryInfo'>;
  chat: Pick<ChatService, 'ingest' | 'openedStore' | 'history' | 'historyBefore'>;
  log?: (line: string) => void;
}

/**
 * XEP-0313 for the session. After each login, once the account's store is open, fetches from the
 * account's own archive what was missed since the newest stored stanza-id (RSM `after`, forward, at most
 * MAX_CATCH_UP_PAGES pages); with no stored id, only the latest page (ARCHIVE_PAGE_SIZE messages over all
 * contacts). Duplicates (the same message by offline storage, carbons or an earlier fetch) are dropped by
 * the store. Paging back: history(jid, before) reads the store, and when it runs out asks the archive for
 * the page before the oldest stored stanza-id of that conversation.
 */
export class ArchiveService {
  private readonly disposers: (() => void)[] = [];
  /** The running or finished catch-up of this login (null when offline). */
  private catchingUp: Promise<void> | null = null;
  private hasArchive: Promise<boolean> = Promise.resolve(false);

  constructor(private readonly deps: ArchiveDeps) {
    this.disposers.push(deps.session.onStateChanged((snapshot) => {
      if (snapshot.state === 'online') this.start();
      if (snapshot.state === 'offline') this.catchingUp = null;
    }));
  }

  /** Settles when this login's catch-up is done (or failed, logged). */
  async caughtUp(): Promise<void> {
    await this.catchingUp;
  }

  /**
   * History of one contact, oldest first: without `before`, the latest stored messages (after the catch-up);
   * with it, the page older than the stored message of that id, from the store, else from the archive.
   */
  async history(jid: string, before?: string): Promise<ChatMessage[]> {
    await this.caughtUp();
    if (before === undefined) return await this.deps.chat.history(jid);
    const local = await this.deps.chat.historyBefore(jid, before, ARCHIVE_PAGE_SIZE);
    if (local.length >= ARCHIVE_PAGE_SIZE || !parseJid(jid) || !(await this.hasArchive)) return local;
    const peer = toBareJid(jid);
    const store = await this.deps.chat.openedStore();
    const ceiling = local[0]?.at ?? store?.cursorOf(peer, before)?.at;
    if (!store || ceiling === undefined) return local;
    try {
      await this.fetchPage({ max: ARCHIVE_PAGE_SIZE, before: store.oldestStanzaId(peer) ?? '' }, { withJid: peer, ceiling });
    } catch (error) {
      this.deps.log?.(`the archive could not be paged back: ${describe(error)}`);
      return local;
    }
    return await this.deps.chat.historyBefore(jid, before, ARCHIVE_PAGE_SIZE);
  }

  /** Unsubscribes. Idempotent. */
  dispose(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
  }

  private start(): void {
    const own = this.deps.session.jid;
    if (!own) return;
    this.hasArchive = this.deps.disco.queryInfo(toBareJid(own)).then((info) => info.features.includes(NS_MAM), () => false);
    this.catchingUp = this.catchUp().catch((error: unknown) => this.deps.log?.(`the archive catch-up failed: ${describe(error)}`));
  }

  private async catchUp(): Promise<void> {
    const store = await this.deps.chat.openedStore();
    if (!store || !(await this.hasArchive)) return;
    let after = store.latestStanzaId();
    if (after === null) return void (await this.fetchPage({ max: ARCHIVE_PAGE_SIZE, before: '' }));
    for (let page = 0; page < MAX_CATCH_UP_PAGES; page += 1) {
      let fin: MamFin;
      try {
        fin = await this.fetchPage({ max: ARCHIVE_PAGE_SIZE, after });
      } catch (error) {
        // §4.1.3: an id the archive no longer knows (expired) is item-not-found: take the latest page instead.
        if (isCondition(error, 'item-not-found')) return void (await this.fetchPage({ max: ARCHIVE_PAGE_SIZE, before: '' }));
        throw error;
      }
      if (fin.isComplete || !fin.last) return;
      after = fin.last;
    }
    this.deps.log?.(`archive catch-up stopped after ${MAX_CATCH_UP_PAGES} pages; older missed messages stay on the server`);
  }

  /**
   * One query: records each trusted result (others are logged and dropped) and returns the fin. A page
   * read back (`ceiling`: the time of the oldest stored message) is not announced, and its times are kept
   * below the ceiling: archive stamps have whole seconds, so without it an older page could sort after
   * the stored messages of the same second (they are ordered by time, then by insertion).
   */
  private async fetchPage(page: RsmRequest, back?: { withJid: BareJid; ceiling: number }): Promise<MamFin> {
    const { session, chat, log } = this.deps;
    const own = session.jid;
    if (!own) throw new FerryError('not-connected', 'not connected to the server');
    const ownBare = toBareJid(own);
    const queryId = randomUUID();
    const results: { message: Element; stamp: number | null; archiveId: string }[] = [];
    const stop = session.onMessage((stanza) => {
      if (!stanza.getChild('result', NS_MAM)) return;
      const read = readMamResult(stanza, { ownBare, queryId });
      if (read.ok) results.push(read.value);
      else log?.(`archive result ignored: ${read.error.text ?? read.error.condition}`);
    });
    let reply: Element;
    try {
      reply = await session.request(buildMamQuery({ queryId, with: back?.withJid, page }), QUERY_TIMEOUT_MS);
    } finally {
      stop();
    }
    results.forEach(({ message, stamp, archiveId }, index) => {
      const isOwn = parseJid(String(message.attrs.from ?? '')) !== null && toBareJid(String(message.attrs.from)) === ownBare;
      const at = back ? Math.min(stamp ?? back.ceiling, back.ceiling - (results.length - index)) : stamp;
      chat.ingest(message, { direction: isOwn ? 'outgoing' : 'incoming', stamp: at, stanzaId: archiveId, isAnnounced: !back });
    });
    const fin = readMamFin(reply);
    if (!fin.ok) throw new FerryError('bad-request', fin.error.text ?? 'the archive answered without a fin');
    return fin.value;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isCondition(error: unknown, condition: string): boolean {
  return error instanceof XmppStanzaError && error.stanzaError.condition === condition;
}
