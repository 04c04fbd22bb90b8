/**
 * THE IPC contract between the renderer and any host (Electron, web, CLI).
 * Requests are `domain.verb`, events `domain.pastTense`. Only plain JSON-safe data crosses.
 */
import type {
  ChatMessage, ChatState, LoginArgs, PeerFeatures, RosterItem, ServerInfo, SessionSnapshot, Show, SubscriptionRequest,
} from '../model/session';
import type { BareJid } from '../model/jid';
import type { TransferId, TransferSummary, TransferMethod, TransportKind } from '../model/transfer';
import { isSettings, type Settings } from '../model/settings';
import {
  arrayOf, integerIn, isNothing, object, oneOf, optional, text, isBoolean, type Check,
} from './validate';

export interface SendFilesArgs {
  /** Full JID of the peer's resource, or a bare JID (Ferry picks the best resource). */
  to: string;
  paths: string[];
  method?: 'auto' | Exclude<TransferMethod, 'oob'>;
  transport?: 'auto' | 's5b' | Exclude<TransportKind, 'http'>;
  /** IBB only: carry data in `<iq/>` (acknowledged, default) or `<message/>` stanzas. */
  ibbStanza?: 'iq' | 'message';
  /** IBB only: block-size to propose, 1..65535 (default 4096). */
  blockSize?: number;
  /** Send a thumbnail with images where the method carries one (default auto). */
  thumbnail?: 'auto' | 'none';
}

export interface HostInfo {
  kind: 'electron' | 'web' | 'cli';
  /** Native open/save dialogs and opening files are available. */
  hasNativeFiles: boolean;
  /** Credentials remembered by the host, if any (Electron: safeStorage). */
  rememberedJid: string | null;
  /** Whether the host can remember a password securely (Electron: an OS keyring, not plain text). Absent: no. */
  canRemember?: boolean;
  /** Web host: the address (and connection options) it remembers to fill the login form; never a password. */
  rememberedAddress?: { jid: string; service?: string; allowPlaintext?: boolean } | null;
}

/** Every request: name → (args) => result. */
export interface Requests {
  'host.info': (args: void) => HostInfo;
  'session.login': (args: LoginArgs) => SessionSnapshot;
  'session.loginRemembered': (args: void) => SessionSnapshot;
  'session.logout': (args: void) => SessionSnapshot;
  'session.get': (args: void) => SessionSnapshot;
  'presence.set': (args: { show: Show; status?: string }) => void;
  'roster.get': (args: void) => RosterItem[];
  'roster.add': (args: { jid: string; name?: string }) => void;
  'roster.remove': (args: { jid: string }) => void;
  'roster.approve': (args: { jid: string }) => void;
  'roster.deny': (args: { jid: string }) => void;
  'roster.pendingRequests': (args: void) => SubscriptionRequest[];
  'chat.send': (args: { to: string; body: string }) => ChatMessage;
  /** The latest stored messages with jid; with `before` (a message id), the page older than it (XEP-0313 when the store runs out). */
  'chat.history': (args: { jid: string; before?: string }) => ChatMessage[];
  /** Sends a standalone XEP-0085 chat state to a contact (strangers and repeats are skipped silently). */
  'chat.state': (args: { to: string; state: ChatState }) => void;
  'disco.server': (args: void) => ServerInfo;
  'disco.peer': (args: { jid: string }) => PeerFeatures;
  'transfer.send': (args: SendFilesArgs) => TransferSummary[];
  'transfer.accept': (args: { id: TransferId; dir?: string }) => void;
  'transfer.decline': (args: { id: TransferId }) => void;
  'transfer.cancel': (args: { id: TransferId }) => void;
  'transfer.list': (args: void) => TransferSummary[];
  /** Forgets an ended transfer (Remove from list); a running one is refused. */
  'transfer.remove': (args: { id: TransferId }) => void;
  /** Offers a failed, declined or cancelled outgoing file again (same peer, same method choice): a new transfer. */
  'transfer.retry': (args: { id: TransferId }) => TransferSummary[];
  /**
   * An interrupted incoming transfer (issue #10): a link is fetched again with a Range from its kept `.part`
   * (`transfer` is the new one, which replaces it); a peer-to-peer file is asked for again (XEP-0234 §6.2 with a
   * range from the kept part): when the sender offers it anew, that offer is taken without a prompt and
   * `transfer` is it. When the sender cannot be asked (offline, no Jingle) or will not send it, or its offer
   * has not come yet, `note` says so and what to do (the next offer continues from the kept part by itself).
   */
  'transfer.resume': (args: { id: TransferId }) => TransferResumed;
  /** An interrupted outgoing transfer: offers the same file again (the new transfers replace it). */
  'transfer.resend': (args: { id: TransferId }) => TransferSummary[];
  'settings.get': (args: void) => Settings;
  'settings.set': (args: Settings) => Settings;
  'file.pick': (args: void) => string[];
  'file.pickFolder': (args: void) => string | null;
  'file.open': (args: { path: string }) => void;
  'file.reveal': (args: { path: string }) => void;
}

/** What transfer.resume did: started the new transfer, or says what the user can do instead. */
export interface TransferResumed {
  transfer: TransferSummary | null;
  note: string | null;
}

/** Every event: name → payload. */
export interface Events {
  'session.changed': SessionSnapshot;
  'roster.changed': RosterItem[];
  'roster.subscriptionRequested': SubscriptionRequest;
  'chat.received': ChatMessage;
  /** The peer's XEP-0184 receipt for an outgoing message arrived; the stored message is marked. */
  'chat.delivered': { peer: BareJid; id: string; deliveredAt: number };
  /** A peer's XEP-0085 chat state (standalone or in a message). */
  'chat.stateChanged': { peer: BareJid; from: string; state: ChatState };
  'transfer.updated': TransferSummary;
  /** A transfer left the list without a Remove from this window: an interrupted one replaced by its resume. */
  'transfer.removed': { id: TransferId };
  'settings.changed': Settings;
  /** Sent by the Electron main process, never by the core: a system notification was clicked; show that card. */
  'ui.reveal': { peer: BareJid; transferId: TransferId };
}

export type RequestName = keyof Requests;
export type EventName = keyof Events;
export type RequestArgs<K extends RequestName> = Parameters<Requests[K]>[0];
export type RequestResult<K extends RequestName> = ReturnType<Requests[K]>;

/** Implementation of requests: a missing handler is a type error. */
export type RequestHandlers = { [K in RequestName]: (args: RequestArgs<K>) => Promise<RequestResult<K>> | RequestResult<K> };

const jid = text(3071);
const path = text(4096);
const transferId = text(64) as Check<TransferId>;

/** One payload check per request; applied once at each host boundary. */
export const REQUEST_VALIDATORS: { [K in RequestName]: Check<RequestArgs<K>> } = {
  'host.info': isNothing,
  'session.login': object({
    jid, password: text(1024), service: optional(text(512)), resource: optional(text(1023)),
    allowPlaintext: optional(isBoolean), remember: optional(isBoolean),
  }),
  'session.loginRemembered': isNothing,
  'session.logout': isNothing,
  'session.get': isNothing,
  'presence.set': object({ show: oneOf('chat', 'available', 'away', 'xa', 'dnd'), status: optional(text(1024)) }),
  'roster.get': isNothing,
  'roster.add': object({ jid, name: optional(text(1024)) }),
  'roster.remove': object({ jid }),
  'roster.approve': object({ jid }),
  'roster.deny': object({ jid }),
  'roster.pendingRequests': isNothing,
  'chat.send': object({ to: jid, body: text(65536) }),
  'chat.history': object({ jid, before: optional(text(256)) }),
  'chat.state': object({ to: jid, state: oneOf('active', 'composing', 'paused', 'inactive', 'gone') }),
  'disco.server': isNothing,
  'disco.peer': object({ jid }),
  'transfer.send': object({
    to: jid, paths: arrayOf(path, 1000),
    method: optional(oneOf('auto', 'si', 'jingle', 'http-upload', 'kontalk')),
    transport: optional(oneOf('auto', 's5b', 's5b-direct', 's5b-proxy', 'ibb', 'oneteam')),
    ibbStanza: optional(oneOf('iq', 'message')),
    blockSize: optional(integerIn(1, 65535)),
    thumbnail: optional(oneOf('auto', 'none')),
  }) as Check<SendFilesArgs>,
  'transfer.accept': object({ id: transferId, dir: optional(path) }),
  'transfer.decline': object({ id: transferId }),
  'transfer.cancel': object({ id: transferId }),
  'transfer.list': isNothing,
  'transfer.remove': object({ id: transferId }),
  'transfer.retry': object({ id: transferId }),
  'transfer.resume': object({ id: transferId }),
  'transfer.resend': object({ id: transferId }),
  'settings.get': isNothing,
  'settings.set': isSettings,
  'file.pick': isNothing,
  'file.pickFolder': isNothing,
  'file.open': object({ path }),
  'file.reveal': object({ path }),
};

export const REQUEST_NAMES = Object.keys(REQUEST_VALIDATORS) as RequestName[];

const EVENT_NAME_RECORD: { [K in EventName]: true } = {
  'session.changed': true, 'roster.changed': true, 'roster.subscriptionRequested': true,
  'chat.received': true, 'chat.delivered': true, 'chat.stateChanged': true, 'transfer.updated': true, 'transfer.removed': true,
  'settings.changed': true, 'ui.reveal': true,
};
export const EVENT_NAMES = Object.keys(EVENT_NAME_RECORD) as EventName[];

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.hasOwn(REQUEST_VALIDATORS, name);
}
