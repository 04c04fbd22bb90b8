import type { FileMeta, ThumbnailInfo, TransferMethod as MethodName } from '../../../shared/model/transfer';
import type { IncomingFile } from '../streams/receiveStream';
import type { IbbRegistry } from '../streams/ibbRouter';
import type { StreamhostSources, TransferTimings, TransferXmpp, TransportPreference } from '../ports';
import type { TransferRecord } from '../transferRecord';
import type { IbbStanzaKind } from '../../xmpp/xep/xep0047Ibb';
import type { Element } from '@xmpp/xml';
import type { FileSelector } from '../../xmpp/xep/xep0234FileRequest';

/** The peer-to-peer methods: both sides online, the bytes go between them. */
export type PeerMethodName = Extract<MethodName, 'si' | 'jingle'>;
/** The server-stored methods: the file is uploaded to the account's server and the peer gets a link. */
export type ServerMethodName = Extract<MethodName, 'http-upload' | 'kontalk'>;

/** What every method's sender is given for one file. */
export interface MethodSendContext {
  xmpp: TransferXmpp;
  ibb: IbbRegistry;
  record: TransferRecord;
  /** Our full JID as bound on the stream. */
  ownJid: string;
  /** The peer's full JID. */
  target: string;
  path: string;
  preference: TransportPreference;
  ibbStanza: IbbStanzaKind;
  blockSize: number;
  sources: StreamhostSources;
  timings: TransferTimings;
  /** A XEP-0264 `<thumbnail/>` for the offer's `<file/>` (its bytes offered by XEP-0231), or null. */
  thumbnail: Element | null;
  /** Aborted by the service: a local stop (shutdown, the peer went offline) after it ended the record. */
  signal: AbortSignal;
}

/** A running outgoing transfer, as the service sees it. */
export interface OutgoingHandle {
  /** Settles once the record has ended. */
  done: Promise<void>;
  /** The user cancelled: end the record "cancelled", tell the peer in the method's own way, stop. */
  cancelByUser(): void;
}

/** A received offer, as the service sees it, whatever method carried it. */
export interface IncomingTransfer {
  readonly record: TransferRecord;
  accept(dir: string | null): void;
  decline(): void;
  /** A local stop with a reason (shutdown, the peer went offline); the peer sees the stream end. */
  cancel(reason?: string): void;
  /** The user cancelled: tell the peer in the method's own way, then stop. */
  cancelByUser(): void;
  /**
   * Logging out (issue #10): tell the peer in the method's own way, as cancelByUser does, but end the record
   * `failed` with `reason`, so a resumable .part is kept (incomingPart.ts isKeptForResume) as at a quit.
   */
  stopForLogout(reason: string): void;
  /** The bytes do not come from the peer (a link): its going offline does not end the transfer. */
  readonly isPeerIndependent?: boolean;
}

/** What a method's incoming side asks of the service. */
export interface IncomingHost {
  /**
   * A new offer from `from`: checks the offer limits (throws the XmppStanzaError to answer with) and
   * creates the record. `build` makes the method's transfer around it; the service then tracks it and
   * applies the accept policy.
   */
  offer<T extends IncomingTransfer>(offer: IncomingOffer, build: (deps: IncomingDeps) => T): T;
  /**
   * A peer asked for a file again (XEP-0234 §6.2 "Requesting a File"): when Ferry offered a file of that
   * selector to the peer's bare JID before and it is still there, it is offered anew to `from` (a new
   * transfer) and its path returned; null when there is no such file.
   */
  fileRequested(request: FileRequested): Promise<{ path: string } | null>;
}

/** A new offer as a method's router hands it to the service. */
export interface IncomingOffer {
  method: MethodName;
  from: string;
  file: FileMeta;
  /** The offer's whole-file sha-256 (lower-case hex), when it carried one (Jingle). */
  sha256?: string | null;
  url?: string;
  thumbnail?: ThumbnailInfo;
  fileElement?: Element;
}

/** What a peer's file request names (hashes in lower-case hex); `offset` is the range it asked from. */
export interface FileRequested {
  /** The requester's full JID. */
  from: string;
  name: string | null;
  size: number | null;
  sha256: string | null;
  md5: string | null;
  offset: number;
}

/** What a method's requestFile is given: ask `target` for the file the selector names, from `offset`. */
export interface FileRequestContext {
  xmpp: TransferXmpp;
  ownJid: string;
  /** The sender's full JID. */
  target: string;
  selector: FileSelector;
  /** How long the peer may take to end the request once it acknowledged it (default 20 s). */
  answerTimeoutMs?: number;
}

/** How a request ended: the sender offers the file anew (in session `sid`, when it said), or it will not. */
export type FileRequestOutcome = { kind: 'reoffered'; sid: string | null } | { kind: 'refused'; detail: string };

/** What an offer says about its file beyond FileMeta (whose md5 is XEP-0096's whole-file hash). */
export interface IncomingFileOffer {
  /** The offer's whole-file sha-256 (lower-case hex), when it carried one. */
  sha256: string | null;
  /** The sender can send a range (XEP-0096 §3 `<range/>` in the offer, XEP-0234 §7). */
  isRangeSupported: boolean;
  /** A link's URL (the file's identity for a resume). */
  url?: string;
  /** Append to a kept .part (default: isRangeSupported). */
  resume?: boolean;
  /** Nobody said how large the file is (a link whose server sent no Content-Length): the stream's end ends it. */
  isSizeUnknown?: boolean;
}

/** What an incoming transfer gets from the service. */
export interface IncomingDeps {
  record: TransferRecord;
  /** Where accepted files go when the user names no folder. */
  downloadDir: string;
  ownJid: string;
  preference: TransportPreference;
  timings: TransferTimings;
  /**
   * Opens the `.part` in `dir` (or the download folder), or resumes a kept one of the same file when the
   * offer supports ranges (the file's `offset` then says from where; the record's resumedFrom is set).
   */
  openFile(dir: string | null, offer: IncomingFileOffer): Promise<IncomingFile>;
}

/** What `register` hands a method: the session, the shared IBB router and the service's incoming side. */
export interface MethodEnvironment {
  xmpp: TransferXmpp;
  ibb: IbbRegistry;
  sources: StreamhostSources;
  host: IncomingHost;
}

/**
 * One way of agreeing on a file with a peer (DESIGN.md "Methods"): data in the method table, chosen by
 * priority among those the peer's features allow.
 */
export interface TransferMethod {
  readonly name: PeerMethodName;
  /** Higher is preferred when the peer allows several. */
  readonly priority: number;
  /** The disco features Ferry advertises for this method. */
  readonly features: readonly string[];
  /** Whether a peer with these disco#info features can receive a file this way. */
  canSend(peerFeatures: ReadonlySet<string>): boolean;
  /** A human reason for the attempt log: why this method fits these features. */
  describe(peerFeatures: ReadonlySet<string>): string;
  /** Starts sending one file; the record ends in every case. */
  send(ctx: MethodSendContext): OutgoingHandle;
  /** Registers the method's stanza handlers; returns dispose. */
  register(env: MethodEnvironment): () => void;
  /** Asks a peer for a file again (XEP-0234 §6.2); absent for methods that cannot (SI has no request). */
  requestFile?(ctx: FileRequestContext): Promise<FileRequestOutcome>;
}

/** An upload service of the account's server, as discovered (or as the user named it, `--upload-service`). */
export interface UploadServiceInfo {
  jid: string;
  /** Kontalk (seed 002): the node the service is named by in the upload request. */
  node?: string;
  /** Bytes; null when the service announces no limit. */
  maxFileSize: number | null;
}

/** What a server-stored method's sender is given for one file. */
export interface ServerSendContext {
  xmpp: TransferXmpp;
  record: TransferRecord;
  ownJid: string;
  /** Where the link goes: the peer's bare JID (any of its clients, online or not, gets it). */
  to: string;
  path: string;
  service: UploadServiceInfo;
  timings: TransferTimings;
  /** Send a thumbnail of an image with the link where the method carries one (CLI --thumbnail auto|none). */
  thumbnail: boolean;
  signal: AbortSignal;
}

/**
 * A server-stored method of the method table (DESIGN.md "Methods"): upload to a service of the account's
 * server, then send the peer a link. Chosen when no peer-to-peer method can reach the peer, and as the
 * fallback when one failed.
 */
export interface ServerMethod {
  readonly name: ServerMethodName;
  /** Higher is preferred when the server offers several. */
  readonly priority: number;
  /** The service this method would upload to (cached by the caller per session); null when the server has none. */
  service(): Promise<UploadServiceInfo | null>;
  /** Starts uploading one file and sending its link; the record ends in every case. */
  send(ctx: ServerSendContext): OutgoingHandle;
}
