/** The transfer model of DESIGN.md: one file, one direction, one attempt log. */
export type TransferId = string & { readonly __brand: 'TransferId' };

export type TransferDirection = 'incoming' | 'outgoing';

export type TransferState =
  | 'offered'
  | 'negotiating'
  | 'connecting'
  | 'transferring'
  | 'verifying'
  | 'done'
  | 'failed'
  | 'cancelled'
  | 'declined'
  /**
   * Listed after a restart (issue #10): the transfer was running when Ferry quit, crashed or lost the
   * network. Never a live state: only a stored transfer comes back as this. Incoming: Resume; outgoing: Resend.
   */
  | 'interrupted';

/**
 * How the two sides agreed on the file: peer-to-peer (`si`, `jingle`), uploaded to the server
 * (`http-upload` XEP-0363, `kontalk` seed 002; the sender's side), or a link received (`oob`: a
 * `jabber:x:oob` message, whichever way the sender uploaded it; the receiver's side).
 */
export type TransferMethod = 'si' | 'jingle' | 'http-upload' | 'kontalk' | 'oob';
/** How the bytes moved: SOCKS5 direct or through a proxy, in-band, plain HTTP(S), or the OneTeam HTTP proxy. */
export type TransportKind = 's5b-direct' | 's5b-proxy' | 'ibb' | 'http' | 'oneteam';
/**
 * Whether the bytes were checked against a hash the sender sent: `verified` (it matched), `mismatch`
 * (it did not: the file is damaged and was not kept), `none` (no hash came, or, on the sending side, the
 * receiver did not say it checked one).
 */
export type HashState = 'verified' | 'mismatch' | 'none';

export interface FileMeta {
  name: string;
  size: number;
  mediaType: string;
  /** ISO 8601 date of last modification, when known. */
  date: string | null;
  description: string;
  /** md5 hex as carried by XEP-0096 `hash`, when known. */
  md5: string | null;
}

/** One entry of the attempt log: a method or transport tried, and how it ended. */
export interface Attempt {
  at: number;
  method: TransferMethod;
  transport: TransportKind | null;
  /** e.g. the streamhost JID and address tried. */
  detail: string;
  outcome: 'started' | 'succeeded' | 'failed';
  reason: string;
}

/**
 * How an attempt-log entry's detail starts when a session gave up on SOCKS5 and moved to in-band (Jingle
 * transport-replace, XEP-0260 §2.6 / XEP-0261): the core writes it, the transfer card looks for it.
 */
export const FALLBACK_TO_IBB_DETAIL = 'SOCKS5 failed → in-band';

/**
 * The attempt-log detail of a send plan moving to its next method ("jingle failed → trying http-upload"):
 * the core writes it (transfer/methods/planRunner.ts), the card shows the move.
 */
export function methodFallbackDetail(from: TransferMethod, to: TransferMethod): string {
  return `${from} failed → trying ${to}`;
}

/** The methods of a method-fallback entry, or null when the detail is not one. */
export function readMethodFallback(detail: string): { from: string; to: string } | null {
  const match = /^(\S+) failed → trying (\S+)$/.exec(detail);
  return match ? { from: match[1]!, to: match[2]! } : null;
}

/**
 * A preview of an image file. `mediaType` and `bytes` describe what was received (or sent); `png` is what
 * is shown: always re-encoded by Ferry from the pixels (base64, a small PNG), never the sender's bytes.
 */
export interface ThumbnailInfo {
  mediaType: string;
  bytes: number;
  png: string;
}

export interface TransferSummary {
  id: TransferId;
  batchId: string | null;
  direction: TransferDirection;
  /** The peer's full JID. */
  peer: string;
  file: FileMeta;
  state: TransferState;
  bytes: number;
  /** bytes per second over the last seconds */
  rate: number;
  /** seconds, null when unknown */
  etaSeconds: number | null;
  method: TransferMethod | null;
  transport: TransportKind | null;
  /** The final path of a done incoming file, or the source path of an outgoing one. */
  path: string | null;
  sha256: string | null;
  hash: HashState;
  /** The link the file was uploaded to (sender) or offered by (receiver), for the server-stored methods; null otherwise. */
  url: string | null;
  /** A preview of the image: from the offer (Kontalk IBB data, XEP-0264 + BoB) or made from the file; null when none. */
  thumbnail: ThumbnailInfo | null;
  /** The byte offset the transfer resumed at (a range asked for by the receiver), null when it started at 0. */
  resumedFrom: number | null;
  reason: string | null;
  attempts: Attempt[];
  startedAt: number;
  endedAt: number | null;
  /**
   * Where the incoming file's `.part` is (or was) while it arrives; absent or null when none was opened.
   * A stored interrupted transfer continues from it.
   */
  partPath?: string | null;
}

export const TERMINAL_STATES: readonly TransferState[] = ['done', 'failed', 'cancelled', 'declined', 'interrupted'];

export function isTerminal(state: TransferState): boolean {
  return TERMINAL_STATES.includes(state);
}
