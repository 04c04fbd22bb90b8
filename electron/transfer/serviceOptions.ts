import type { SendFilesArgs } from '../../shared/ipc/contract';
import type { TransferId, TransferSummary } from '../../shared/model/transfer';
import type { PeerCandidate } from './methods/methodTable';
import type { FileRequested, MethodEnvironment, ServerMethod, TransferMethod } from './methods/types';
import type { StreamhostSources, TransferTimings, TransferXmpp, TransportPreference } from './ports';
import type { OfferThumbnails } from './thumbnails/offerThumbnails';

/** What to do with an incoming offer before asking the user. */
export type AcceptDecision = 'accept' | 'decline' | 'ask';

/** What an accept policy sees of an offer; `mediaType` follows the name it will be saved as, `note` adds to its attempt log. */
export interface OfferForPolicy {
  from: string;
  name: string;
  size: number;
  mediaType: string;
  note(detail: string): void;
}

/** Options of the transfer service; the host and the core hand these down. */
export interface TransferServiceOptions {
  xmpp: TransferXmpp;
  sources: StreamhostSources;
  downloadDir: string;
  /** The download folder the user chose (settings), read at each offer; falls back to `downloadDir`. */
  currentDownloadDir?(): string | null;
  /** The entries of the method table (methods/methodTable.ts), each registered for incoming offers. */
  methods: readonly TransferMethod[];
  /** The server-stored methods (HTTP upload, Kontalk): the plan's uploads, and the fallback of peer-to-peer. */
  serverMethods?: readonly ServerMethod[];
  /** XEP-0264 thumbnails for peer-to-peer offers, both ways (their bytes by XEP-0231); none when absent. */
  thumbnails?: OfferThumbnails;
  /** Incoming sides that are not a sending method of their own (links received: methods/links/). */
  receivers?: readonly ((env: MethodEnvironment) => () => void)[];
  /** The user's preferred order of methods (settings), read at each send; default: the method table's priorities. */
  methodOrder?(): readonly string[];
  /** The online resources `to` (bare or full) may be reached at, with their disco features. */
  peerCandidates(to: string): Promise<PeerCandidate[]>;
  /** Policy for incoming offers (CLI --accept); default: ask. Strangers are never auto-accepted by callers. */
  acceptPolicy?(offer: OfferForPolicy): AcceptDecision;
  /** Which transport the receiving side prefers; default auto (S5B, then IBB). */
  receivePreference?: TransportPreference;
  timings?: Partial<TransferTimings>;
  onUpdated(summary: TransferSummary): void;
  /** An incoming transfer failed and its .part was kept for a resume (after its last onUpdated). */
  onPartKept?(summary: TransferSummary): void;
  /**
   * A peer asked for a file again (XEP-0234 §6.2): the path of a file Ferry offered to that bare JID before
   * that fits the request and is still there, or null. Absent: no request is served.
   */
  findRequestedFile?(request: FileRequested): string | null;
}

/** Why a send is made besides the user's asking: a Retry of an ended transfer, or a peer's request (XEP-0234 §6.2). */
export interface SendOrigin {
  retryOf?: TransferId;
  requestedBy?: { jid: string; offset: number };
}

/** What transfer.send takes. */
export type SendOptions = SendFilesArgs;
