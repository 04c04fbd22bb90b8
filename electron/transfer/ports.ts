import type { XmppSession } from '../xmpp/session';
import type { Streamhost } from '../xmpp/xep/xep0065Bytestreams';
import type { Socks5Listener } from '../transport/socks5/listener';

/** What the transfer layer needs of the XMPP session (a Pick, so tests can hand a fake entity). */
export type TransferXmpp = Pick<XmppSession, 'jid' | 'send' | 'request' | 'handleIq' | 'onMessage' | 'onPresence'>;

/** The user's or the caller's choice of transport; 'auto' tries them in priority order. */
export type TransportPreference = 'auto' | 's5b' | 's5b-direct' | 's5b-proxy' | 'ibb' | 'oneteam';

/** Tunables of peer-to-peer transfers; every time is bounded. */
export interface TransferTimings {
  /** How long the receiver may take to accept an offer. */
  offerTimeoutMs: number;
  /** Sender: how long to wait for streamhost-used (the target's connect attempts). */
  s5bResultTimeoutMs: number;
  /** Target: connect + handshake per streamhost candidate. */
  s5bConnectTimeoutMs: number;
  /** Target: head start of each earlier candidate (happy eyeballs). */
  s5bHeadStartMs: number;
  /** Receiver: how long after accepting to wait for a bytestream (S5B query or IBB open). */
  streamWaitMs: number;
  /** One IBB block's acknowledgement. */
  ibbAckTimeoutMs: number;
  /** Either side, once a bytestream carries the file: longest time without a byte moving before it fails. */
  stallTimeoutMs: number;
  /**
   * After the peer's unavailable presence, a transfer whose stream is attached goes on while bytes keep
   * moving; once none moved for this long it fails "went offline" (sooner than the stall watchdog).
   */
  offlineGraceMs: number;
}

export const DEFAULT_TIMINGS: TransferTimings = {
  offerTimeoutMs: 10 * 60_000,
  s5bResultTimeoutMs: 20_000,
  s5bConnectTimeoutMs: 2_500,
  s5bHeadStartMs: 250,
  streamWaitMs: 60_000,
  ibbAckTimeoutMs: 30_000,
  stallTimeoutMs: 60_000,
  offlineGraceMs: 10_000,
};

/** Where transfers get their SOCKS5 candidates from. */
export interface StreamhostSources {
  listener: Socks5Listener;
  /** Addresses offered for the direct streamhost, best first, loopback last. */
  directAddresses(): string[];
  /** Proxies discovered on the server plus those the user configured. */
  proxies(): Promise<Streamhost[]>;
  /**
   * Whether the proxy `jid` advertises the OneTeam HTTP bytestream proxy (seed 000, `http://oneteam.im/bs-proxy`
   * in its disco#info): known from server discovery, else asked once per session (bounded). Absent: none is.
   */
  isOneteamProxy?(jid: string): Promise<boolean>;
}
